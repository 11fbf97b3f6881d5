"""Named permissions of the project call: role x phase. Used by views and templates, tested as a matrix."""

from __future__ import annotations

from typing import Any

from portal.permissions import is_collective_worker, is_linked_tenant, is_reviewer

from .models import Application, Attachment, Call, Phase

S = Application.Status


def is_applicant(user: Any, application: Application) -> bool:
    """The account that manages the application, or a member of the applying organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if application.owner_id == user.pk:
        return True
    return bool(application.organisation_id and application.organisation.members.filter(pk=user.pk).exists())


def can_manage_calls(user: Any) -> bool:
    """Collective workers run the call: eligibility, coaching, decisions, exports, reports."""
    return is_collective_worker(user)


def can_start_application(user: Any, call: Call) -> bool:
    if not call.is_open or not getattr(user, "is_authenticated", False):
        return False
    return is_linked_tenant(user) or user.organisations.exists() or is_collective_worker(user)


def can_view_application(user: Any, application: Application) -> bool:
    if is_applicant(user, application) or can_manage_calls(user):
        return True
    return can_see_as_reviewer(user, application)


def can_see_as_reviewer(user: Any, application: Application) -> bool:
    """Reviewers see eligible applications once the call is closed, unless they declared a conflict."""
    if not is_reviewer(user) or application.status not in (S.ELIGIBLE, S.FUNDED, S.REJECTED):
        return False
    if application.call.phase in (Phase.UPCOMING, Phase.OPEN):
        return False
    return not application.conflicts.filter(reviewer=user, has_conflict=True).exists()


def can_edit_application(user: Any, application: Application) -> bool:
    """Applicants (and a worker filling in for a tenant) edit drafts, and submitted ones until the deadline."""
    if not application.is_editable or not application.call.is_open:
        return False
    if is_applicant(user, application):
        return True
    return application.on_behalf_of_id is not None and can_manage_calls(user)


def can_submit_application(user: Any, application: Application) -> bool:
    return application.status == S.DRAFT and can_edit_application(user, application)


def can_withdraw_application(user: Any, application: Application) -> bool:
    return application.status in (S.DRAFT, S.SUBMITTED) and can_edit_application(user, application)


def can_message(user: Any, application: Application) -> bool:
    """The private thread: the applicants and the workers (coach or not). Reviewers never read it."""
    if application.status == S.WITHDRAWN:
        return False
    return is_applicant(user, application) or can_manage_calls(user)


def can_check_eligibility(user: Any, application: Application) -> bool:
    return (
        can_manage_calls(user)
        and application.call.phase == Phase.REVIEW
        and application.status in (S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE)
    )


def can_review(user: Any, application: Application) -> bool:
    """Score an application: reviewer, eligible application, review phase, no conflict declared."""
    return (
        is_reviewer(user)
        and application.status == S.ELIGIBLE
        and application.call.phase == Phase.REVIEW
        and not application.conflicts.filter(reviewer=user, has_conflict=True).exists()
    )


def can_see_all_scores(user: Any, application: Application) -> bool:
    """Workers see every score; a reviewer sees the others' scores only after submitting their own."""
    if can_manage_calls(user):
        return True
    if not can_see_as_reviewer(user, application):
        return False
    return application.reviews.filter(reviewer=user, submitted_at__isnull=False).exists()


def can_decide(user: Any, call: Call) -> bool:
    return can_manage_calls(user) and call.phase == Phase.REVIEW


def can_report(user: Any, application: Application) -> bool:
    """Project holders report on a funded project until the project is completed or cancelled."""
    return (
        application.status == S.FUNDED
        and application.project_status
        in (Application.ProjectStatus.NOT_STARTED, Application.ProjectStatus.RUNNING)
        and (is_applicant(user, application) or (application.on_behalf_of_id and can_manage_calls(user)))
    )


def can_download_attachment(user: Any, attachment: Attachment) -> bool:
    return can_view_application(user, attachment.application)
