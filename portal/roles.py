"""The portal's roles. Each role is a Django group (created by migration `portal.0003_roles`).

A "tenant" is not a group: it is an account linked to a current `Person` in the register.
"""

from django.utils.translation import gettext_lazy as _

COLLECTIVE_WORKERS = "Collective workers"
DEPARTMENT_STAFF = "Department staff"
REVIEWERS = "Reviewers"
ELECTION_COMMITTEE = "Election committee"
ADMINISTRATORS = "Administrators"

ROLE_GROUPS = [COLLECTIVE_WORKERS, DEPARTMENT_STAFF, REVIEWERS, ELECTION_COMMITTEE, ADMINISTRATORS]

ROLE_LABELS = {
    COLLECTIVE_WORKERS: _("Collective workers"),
    DEPARTMENT_STAFF: _("Department staff"),
    REVIEWERS: _("Reviewers"),
    ELECTION_COMMITTEE: _("Election committee"),
    ADMINISTRATORS: _("Administrators"),
}
