"""The site the URLconf walk runs on: the demo data (`load_demo`) plus what it lacks (a held meeting whose minutes are
being drafted, with an action point; a cancelled meeting; a tenant's draft application with an attachment; an idea),
one account per role, and the values that fill every route's parameters.

Built once for the package inside a transaction that is rolled back at the end (each test then runs in its own
savepoint): loading the demo takes seconds, the walk requests every route for every role.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from elections.models import Candidacy, Election, PollingStation, RollEntry
from meetings import services as meeting_services
from meetings.models import ActionPoint, AgendaItem, Meeting, TopicSuggestion
from portal import roles
from portal.models import Department, Neighbourhood, Organisation, Person, WorkerAssignment
from portal.notifications.models import NotificationBatch
from projectcall import services as call_services
from projectcall.models import Application, Call, ProgressReport
from projectcall.views import STEP_SLUGS

from ..portal.accounts_factories import PASSWORD, current_code, give_authenticator
from .walker import Fill

#: Every role the walk plays. "tenant": an account not linked to the register; "linked_tenant": the demo tenant.
ROLES = [
    "anonymous",
    "tenant",
    "linked_tenant",
    "worker",
    "department_staff",
    "reviewer",
    "committee",
    "administrator",
]
STAFF_ROLES = ["worker", "department_staff", "reviewer", "committee", "administrator", "superuser"]


@dataclass
class StaffAccounts:
    """For one staff role: a member with an authenticator app and a session that gave its code (`with_code`), the
    same member in a session opened without the code (`without_code`), and a member who never set one up
    (`no_authenticator`, logged in with the password)."""

    with_code: Client
    without_code: Client
    no_authenticator: Client


@dataclass
class WalkSite:
    fill: Fill
    clients: dict[str, Client] = field(default_factory=dict)
    staff: dict[str, StaffAccounts] = field(default_factory=dict)
    sweeps: dict = field(default_factory=dict)  # results of `sweep()` per role, shared by the tests


def _account(email: str, *groups: str, superuser: bool = False):
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


def _password_login(user) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def _code_login(user, secret: str) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "/2fa/authenticate/" in response["Location"], response
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302 and "/2fa/" not in response["Location"], response
    return client


def _role_members(role: str, marolles: Neighbourhood, department: Department, n: int):
    group = {
        "worker": roles.COLLECTIVE_WORKERS,
        "department_staff": roles.DEPARTMENT_STAFF,
        "reviewer": roles.REVIEWERS,
        "committee": roles.ELECTION_COMMITTEE,
        "administrator": roles.ADMINISTRATORS,
    }.get(role)
    user = _account(
        f"walk-{role}-{n}@example.org", *([group] if group else []), superuser=role == "superuser"
    )
    if role == "worker":
        WorkerAssignment.objects.create(user=user, neighbourhood=marolles)
    if role == "department_staff":
        department.members.add(user)
    return user


def _meetings(worker, marolles: Neighbourhood) -> dict[str, Meeting]:
    """One meeting of Les Marolles per state; the held one has draft minutes with an open action point, which the
    agenda of the next planned meeting does not show yet."""
    found = {
        status: Meeting.objects.filter(neighbourhood=marolles, status=status).order_by("date").first()
        for status in (
            Meeting.Status.PLANNED,
            Meeting.Status.AGENDA_PUBLISHED,
            Meeting.Status.MINUTES_PUBLISHED,
        )
    }
    base = timezone.localdate() + datetime.timedelta(days=400)
    details = {
        "starts_at": datetime.time(18, 0),
        "ends_at": datetime.time(20, 0),
        "place_name": "Salle",
        "place_address": "Rue Haute 1",
    }
    held = meeting_services.meeting_create(actor=worker, neighbourhood=marolles, date=base, **details)
    AgendaItem.objects.create(meeting=held, title="Chauffage", status=AgendaItem.Status.ACCEPTED, position=1)
    meeting_services.agenda_publish(actor=worker, meeting=held)
    past = timezone.localdate() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=held.pk).update(date=past, proposal_deadline=past - datetime.timedelta(days=14))
    held.refresh_from_db()
    meeting_services.meeting_record_attendance(actor=worker, meeting=held, tenants_present=9)
    meeting_services.action_point_add(
        actor=worker, meeting=held, description="Réparer la porte du hall", responsible="Service technique"
    )
    cancelled = meeting_services.meeting_create(
        actor=worker, neighbourhood=marolles, date=base + datetime.timedelta(days=30), **details
    )
    meeting_services.meeting_cancel(actor=worker, meeting=cancelled, reason="Salle indisponible")
    meeting_services.agenda_item_propose(
        actor=worker, meeting=found[Meeting.Status.PLANNED], title="Propreté des caves", estimated_minutes=10
    )
    found[Meeting.Status.HELD] = held
    found[Meeting.Status.CANCELLED] = cancelled
    assert all(found.values()), found
    return found


def _application(linked_tenant) -> tuple[Application, object]:
    open_call = Call.objects.get(year=2026)
    draft = call_services.application_create(call=open_call, actor=linked_tenant)
    upload = SimpleUploadedFile("devis.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = call_services.attachment_add(
        application=draft, uploaded=upload, kind="quote", actor=linked_tenant
    )
    return draft, attachment


def _page_paths() -> list[str]:
    """One English page of each type, as the path after the language prefix."""
    paths, seen = [], set()
    for page in Page.objects.live().filter(locale__language_code="en").specific().order_by("path"):
        kind = type(page)
        url = page.get_url() or ""
        if kind in seen or not url.startswith("/en/"):
            continue
        seen.add(kind)
        paths.append(url.removeprefix("/en/"))
    return paths


def _pk(queryset, what: str) -> int:
    found = queryset.order_by("pk").first()
    assert found is not None, f"the walk's site has no {what}"
    return found.pk


def _fill(objects: dict) -> Fill:
    meetings = [m.pk for m in objects["meetings"].values()]
    held = objects["meetings"][Meeting.Status.HELD]
    planned = objects["meetings"][Meeting.Status.PLANNED]
    election = Election.objects.get(slug="cocolo-2026")
    candidacy = Candidacy.objects.filter(election=election).order_by("pk").first()
    applications = [
        objects["draft"].pk,
        Application.objects.filter(call__year=2026, status=Application.Status.SUBMITTED).first().pk,
        Application.objects.filter(status=Application.Status.FUNDED).first().pk,
    ]
    meeting_pages = {"pk": meetings}
    by_view = dict.fromkeys(
        (
            "meetings:meeting",
            "meetings:meeting_ics",
            "meetings:minutes_pdf",
            "meetings:staff_agenda",
            "meetings:staff_meeting_edit",
            "meetings:staff_agenda_action",
            "meetings:staff_propose",
            "meetings:staff_cancel",
            "meetings:staff_record",
            "meetings:staff_speakers",
            "meetings:staff_minutes",
        ),
        meeting_pages,
    )
    points = [
        _pk(held.action_points, "draft action point"),
        _pk(ActionPoint.objects.filter(status="open"), "open point"),
    ]
    by_view |= {
        "meetings:staff_item_edit": {
            "pk": [_pk(planned.items, "planned item"), _pk(held.items, "held item")]
        },
        "meetings:staff_action_point_remove": {"pk": points},
        "meetings:staff_action_point_update": {"pk": points},
        "meetings:staff_suggestion_answer": {"pk": [objects["suggestion"].pk]},
        "elections:candidate_photo": {"pk": [candidacy.pk]},
        "projectcall:attachment_download": {"pk": [objects["attachment"].pk]},
        "projectcall:attachment_remove": {"pk": [objects["attachment"].pk]},
        "projectcall:report_photo": {"pk": [_pk(ProgressReport.objects, "progress report")]},
        "projectcall:report_review": {"pk": [_pk(ProgressReport.objects, "progress report")]},
        "projectcall:idea_detail": {"pk": [objects["idea"].pk]},
        "organisation_edit": {
            "pk": [_pk(Organisation.objects.filter(members__isnull=False), "organisation")]
        },
        "organisation_invite": {
            "pk": [_pk(Organisation.objects.filter(members__isnull=False), "organisation")]
        },
        "wagtail_serve": {"0": _page_paths()},
        "wagtaildocs_serve": {"0": [1], "1": ["document.pdf"]},
        "switch_language": {"code": ["nl"]},
        "account_confirm_email": {"key": ["not-a-key"]},
        "account_reset_password_from_key": {"uidb36": ["1"], "key": ["not-a-key"]},
        "portal_notifications:detail": {"pk": [_pk(NotificationBatch.objects, "notification batch")]},
        "portal_notifications:download": {
            "pk": [_pk(NotificationBatch.objects, "notification batch")],
            "kind": ["letters"],
        },
        "portal_notifications:mark_printed": {"pk": [_pk(NotificationBatch.objects, "notification batch")]},
        "portal_notifications:retry": {"pk": [_pk(NotificationBatch.objects, "notification batch")]},
        "portal_notifications:resume": {"pk": [_pk(NotificationBatch.objects, "notification batch")]},
        "portal_notifications:resend_uncertain": {
            "pk": [_pk(NotificationBatch.objects, "notification batch")]
        },
        "portal_register_import_report": {"token": ["not-a-token"]},
        "portal_register_import_result": {"token": ["not-a-token"]},
    }
    for name in ("captcha-image", "captcha-image-2x", "captcha-audio"):
        by_view[name] = {"key": [objects["captcha"]]}
    for name in (
        "projectcall:application_detail",
        "projectcall:application_step",
        "projectcall:application_submit",
        "projectcall:application_withdraw",
        "projectcall:coaching_request",
        "projectcall:report_create",
        "projectcall:eligibility",
        "projectcall:coach",
        "projectcall:project_status",
        "projectcall:review",
    ):
        by_view[name] = {"pk": applications}
    by_parameter = {
        "slug": [election.slug],
        "year": [2026, 2025],
        "fmt": ["csv", "xlsx"],
        "step": STEP_SLUGS,
        "entry_id": [RollEntry.objects.filter(election=election).order_by("pk").first().pk],
        "candidacy_id": [candidacy.pk],
        "station_id": [PollingStation.objects.filter(election=election).order_by("pk").first().pk],
        "restriction_id": [1],
        "page_view_restriction_id": [1],
        "page_id": [objects["home"].pk],
        "parent_page_id": [objects["home"].pk],
    }
    for name in (
        "meetings:neighbourhood",
        "meetings:neighbourhood_ics",
        "meetings:archive",
        "meetings:action_points",
    ):
        by_view[name] = {"slug": ["marolles"]}

    def by_model(model, parameter):
        """Wagtail viewsets over our models: their first object (a planned meeting for meetings)."""
        if parameter != "pk" or model._meta.app_label not in {
            "portal",
            "home",
            "meetings",
            "projectcall",
            "elections",
        }:
            return None
        if model is Meeting:
            return [planned.pk]
        first = model._default_manager.order_by("pk").first()
        return [first.pk] if first else None

    return Fill(by_view=by_view, by_parameter=by_parameter, by_model=by_model)


@pytest.fixture(scope="package")
def walk_site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        call_command("load_demo", stdout=io.StringIO())
        marolles = Neighbourhood.objects.get(slug="marolles")
        department = Department.objects.order_by("pk").first()
        demo_worker = get_user_model().objects.get(email="assistant.marolles@example.org")
        linked = get_user_model().objects.get(email="locataire@example.org")
        linked.set_password(PASSWORD)
        linked.save()
        draft, attachment = _application(linked)
        objects = {
            "meetings": _meetings(demo_worker, marolles),
            "draft": draft,
            "attachment": attachment,
            "suggestion": meeting_services.suggestion_submit(
                neighbourhood=marolles, title="Éclairage du parking", channel=TopicSuggestion.Channel.PAPER
            ),
            "idea": call_services.idea_submit(title="Un banc", description="Devant le bloc 2", name="Anne"),
            "captcha": CaptchaStore.generate_key(),
            "home": Page.objects.get(depth=2, locale__language_code="fr"),
        }
        site = WalkSite(fill=_fill(objects))
        site.clients["anonymous"] = Client()
        site.clients["tenant"] = _password_login(_account("walk-tenant@example.org"))
        site.clients["linked_tenant"] = _password_login(linked)
        assert Person.objects.filter(user=linked).exists()
        with pytest.MonkeyPatch.context() as patch:
            from django.conf import settings

            patch.setattr(settings, "PORTAL_REQUIRE_STAFF_MFA", True)
            for role in STAFF_ROLES:
                member = _role_members(role, marolles, department, 1)
                secret = give_authenticator(member)
                without_code = Client()
                without_code.force_login(member)
                site.staff[role] = StaffAccounts(
                    with_code=_code_login(member, secret),
                    without_code=without_code,
                    no_authenticator=_password_login(_role_members(role, marolles, department, 2)),
                )
                if role in ROLES:
                    site.clients[role] = site.staff[role].with_code
        cache.clear()
        yield site
        transaction.set_rollback(True)


def sweep(site: WalkSite, role: str) -> list:
    """GET every planned address as `role` (staff: in a session that gave the second factor), once per package."""
    from .routes import planned
    from .walker import visit

    if role not in site.sweeps:
        client = site.staff[role].with_code if role in site.staff else site.clients[role]
        site.sweeps[role] = [visit(client, address) for address in planned(site.fill)[0]]
    return site.sweeps[role]


@pytest.fixture
def mfa_required(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
