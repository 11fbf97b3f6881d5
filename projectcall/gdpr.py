"""Personal data of the project call ("My data", account removal, retention): applications with their contact
details, messages, files and reports; ideas; reviewers' scores and declarations; abandoned drafts.

Registered by `ProjectcallConfig.ready()`; the declarations are checked by tests/portal/test_gdpr_schema.py.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.gdpr import ExportFile, RetentionRule, Section, Subject, register, register_retention

from .models import Application, Attachment, ConflictDeclaration, Idea, Message, ProgressReport, Review


def _verified_emails(subject: Subject) -> list[str]:
    if subject.user is None:
        return []
    return list(subject.user.emailaddress_set.filter(verified=True).values_list("email", flat=True))


def applications_of(subject: Subject) -> QuerySet[Application]:
    """The person's applications: managed from their account, or filled in for them by a worker."""
    mine = Q(pk__in=[])
    if subject.user is not None:
        mine |= Q(owner=subject.user)
    if subject.person is not None:
        mine |= Q(on_behalf_of=subject.person)
    return Application.objects.filter(mine)


def application_items(subject: Subject) -> list[dict[str, Any]]:
    applications = applications_of(subject).select_related(
        "call", "organisation", "neighbourhood", "coaching", "eligibility", "decision"
    )
    rows = []
    for a in applications.prefetch_related("budget_lines"):
        coaching = getattr(a, "coaching", None)
        eligibility = getattr(a, "eligibility", None)
        decision = getattr(a, "decision", None)
        rows.append(
            {
                "reference": a.reference,
                "call": str(a.call),
                "project_title": a.title,
                "status": a.get_status_display(),
                "who_applies": a.get_applicant_kind_display(),
                "organisation": str(a.organisation) if a.organisation_id else a.group_name,
                "summary": a.summary,
                "neighbourhood": str(a.neighbourhood) if a.neighbourhood_id else "",
                "beneficiaries": a.beneficiaries,
                "activities": a.activities,
                "timeline": a.timeline,
                "partners": a.partners,
                "budget": [f"{line.item}: {line.amount} EUR" for line in a.budget_lines.all()],
                "other_funding": a.co_funding,
                "contact_person": a.contact_name,
                "email": a.contact_email,
                "phone": a.contact_phone,
                "postal_address": a.contact_address,
                "language": a.get_language_display(),
                "created": a.created_at,
                "submitted": a.submitted_at,
                "coaching_asked": coaching.get_help_kind_display() if coaching else "",
                "eligibility": eligibility.reason if eligibility and not eligibility.eligible else "",
                "amount_granted": decision.amount if decision and decision.funded else None,
                "motivation": decision.motivation if decision else "",
                "project_status": a.get_project_status_display(),
            }
        )
    return rows


def message_items(subject: Subject) -> list[dict[str, Any]]:
    messages = Message.objects.filter(application__in=applications_of(subject)).select_related("application")
    return [
        {
            "created_at": m.created_at,
            "application": m.application.reference or m.application.title,
            "from": _("the collective workers") if m.from_staff else _("you"),
            "message": m.body,
        }
        for m in messages.order_by("created_at", "id")
    ]


def file_items(subject: Subject) -> list[dict[str, Any]]:
    """Attachments, and the reports with their photos."""
    applications = applications_of(subject)
    rows: list[dict[str, Any]] = [
        {
            "created_at": f.uploaded_at,
            "application": f.application.reference or f.application.title,
            "kind": f.get_kind_display(),
            "file": ExportFile(f.file, f"{f.application_id}-{f.pk}-{f.original_name}"),
        }
        for f in Attachment.objects.filter(application__in=applications).select_related("application")
    ]
    reports = ProgressReport.objects.filter(application__in=applications).select_related("application")
    for r in reports:
        rows.append(
            {
                "created_at": r.submitted_at,
                "application": r.application.reference or r.application.title,
                "kind": r.get_kind_display(),
                "what_happened": r.text,
                "amount_spent": r.amount_spent,
                "status": r.get_status_display(),
                "workers_comment": r.review_comment,
                "file": ExportFile(r.photo, f"report-{r.pk}-{r.photo.name.rsplit('/', 1)[-1]}")
                if r.photo
                else "",
            }
        )
    return rows


def _ideas(subject: Subject) -> QuerySet[Idea]:
    mine = Q(pk__in=[])
    if subject.user is not None:
        mine |= Q(user=subject.user)
    for email in _verified_emails(subject):
        mine |= Q(contact__iexact=email)
    return Idea.objects.filter(mine)


def idea_items(subject: Subject) -> list[dict[str, Any]]:
    return [
        {
            "created_at": i.created_at,
            "idea": i.title,
            "details": i.description,
            "neighbourhood": str(i.neighbourhood) if i.neighbourhood_id else "",
            "name": i.name,
            "how_to_reach_you": i.contact,
            "status": i.get_status_display(),
            "answer": i.answer,
        }
        for i in _ideas(subject).select_related("neighbourhood")
    ]


def review_items(subject: Subject) -> list[dict[str, Any]]:
    """A reviewer's scores and declarations of conflict of interest."""
    if subject.user is None:
        return []
    rows: list[dict[str, Any]] = [
        {
            "created_at": r.submitted_at,
            "application": r.application.reference,
            "scores": [f"{s.criterion.name}: {s.value}" for s in r.scores.all()],
            "comment": r.comment,
        }
        for r in Review.objects.filter(reviewer=subject.user)
        .select_related("application")
        .prefetch_related("scores__criterion")
    ]
    for c in ConflictDeclaration.objects.filter(reviewer=subject.user).select_related("application"):
        rows.append(
            {
                "created_at": c.declared_at,
                "application": c.application.reference,
                "conflict_of_interest": c.has_conflict,
                "comment": c.note,
            }
        )
    return rows


def _files_to_delete(applications: QuerySet[Application]) -> list[tuple[Any, str]]:
    found = [(f.file.storage, f.file.name) for f in Attachment.objects.filter(application__in=applications)]
    found += [
        (r.photo.storage, r.photo.name)
        for r in ProgressReport.objects.filter(application__in=applications).exclude(photo="")
    ]
    return found


def applications_delete(queryset: QuerySet[Application]) -> int:
    """Delete applications with everything that hangs on them; their files go once the transaction commits."""
    files = _files_to_delete(queryset)
    count = queryset.count()
    queryset.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return count


#: Applications kept when their author leaves: the record of a funded project (amount, reports) must stay.
KEPT = Q(status=Application.Status.FUNDED) | Q(organisation__isnull=False)


def account_delete(subject: Subject) -> None:
    """Applications of funded projects, and those of an organisation, stay without the person's contact details,
    link and messages; the others are deleted with their files. Ideas are deleted."""
    applications = applications_of(subject)
    kept = applications.filter(KEPT)
    if subject.user is not None:
        Message.objects.filter(application__in=kept, author=subject.user, from_staff=False).delete()
    kept.update(contact_name="", contact_email="", contact_phone="", contact_address="")
    if subject.person is not None:
        kept.filter(on_behalf_of=subject.person).update(on_behalf_of=None)
    applications_delete(Application.objects.filter(pk__in=applications.exclude(KEPT).values("pk")))
    _ideas(subject).delete()


def drafts_apply(now: datetime.datetime, dry_run: bool) -> int:
    """Drafts nobody saved for `PORTAL_RETENTION_DRAFT_DAYS` days (a year by default) are deleted."""
    cutoff = now - datetime.timedelta(days=settings.PORTAL_RETENTION_DRAFT_DAYS)
    abandoned = Application.objects.filter(status=Application.Status.DRAFT, updated_at__lt=cutoff)
    if dry_run:
        return abandoned.count()
    return applications_delete(abandoned)


ATTRIBUTION = "who did it; the link is cleared (or the account anonymised) when the account is removed"

EVENTS = {
    "projectcall.application_created": _("Application started"),
    "projectcall.application_submitted": _("Application submitted"),
    "projectcall.application_withdrawn": _("Application withdrawn"),
    "projectcall.call_decided": _("Call for projects decided"),
    "projectcall.coach_assigned": _("Coach assigned"),
    "projectcall.coaching_requested": _("Coaching asked"),
    "projectcall.conflict_declared": _("Conflict of interest declared"),
    "projectcall.eligibility_recorded": _("Eligibility checked"),
    "projectcall.idea_answered": _("Idea answered"),
    "projectcall.idea_converted": _("Idea turned into an application"),
    "projectcall.project_status_set": _("Project status changed"),
    "projectcall.report_submitted": _("Project report sent"),
    "projectcall.review_submitted": _("Review submitted"),
}

SECTIONS = [
    Section(
        key="projectcall_applications",
        title=_("Your applications to the call for projects"),
        order=30,
        items=application_items,
        delete=account_delete,
        covers={
            "projectcall.Application": "exported; deleted with the account, unless funded or an organisation's "
            "(then kept without contact details and link)",
            "projectcall.BudgetLine": "exported with the application; deleted with it",
            "projectcall.CoachingRequest": f"exported with the application; the coach is {ATTRIBUTION}",
            "projectcall.EligibilityCheck": f"the reason is exported; the worker is {ATTRIBUTION}",
            "projectcall.Decision": f"exported with the application; the decider is {ATTRIBUTION}",
        },
        labels={
            "reference": _("Reference number"),
            "call": _("Call"),
            "project_title": _("Project title"),
            "who_applies": _("Who applies"),
            "organisation": _("Organisation or group"),
            "summary": _("Summary"),
            "beneficiaries": _("Who benefits and how"),
            "activities": _("Activities"),
            "timeline": _("Timeline"),
            "partners": _("Partners"),
            "budget": _("Budget"),
            "other_funding": _("Other funding (EUR)"),
            "contact_person": _("Contact person"),
            "submitted": _("Submitted"),
            "coaching_asked": _("Coaching asked"),
            "eligibility": _("Why not eligible"),
            "amount_granted": _("Amount granted (EUR)"),
            "motivation": _("Motivation of the decision"),
            "project_status": _("Project status"),
        },
        events=EVENTS,
    ),
    Section(
        key="projectcall_messages",
        title=_("Messages about your applications"),
        order=31,
        items=message_items,
        covers={
            "projectcall.Message": "exported; the person's own are deleted with the account (the whole thread "
            "goes with a deleted application)",
        },
        labels={"application": _("Application"), "from": _("From")},
    ),
    Section(
        key="projectcall_files",
        title=_("Documents and reports of your applications"),
        order=32,
        items=file_items,
        covers={
            "projectcall.Attachment": "the files are in the archive; deleted with the application",
            "projectcall.ProgressReport": f"exported with its photo; the worker who checked it is {ATTRIBUTION}",
        },
        labels={
            "kind": _("Kind"),
            "file": _("File"),
            "what_happened": _("What happened"),
            "amount_spent": _("Amount spent (EUR)"),
            "workers_comment": _("Comment of the collective worker"),
        },
    ),
    Section(
        key="projectcall_ideas",
        title=_("Your ideas for projects"),
        order=33,
        items=idea_items,
        covers={
            "projectcall.Idea": "exported (also when sent with a verified address); deleted with the account"
        },
        labels={"idea": _("Idea"), "how_to_reach_you": _("How to reach you"), "answer": _("Answer")},
    ),
    Section(
        key="projectcall_reviews",
        title=_("Your reviews of applications"),
        order=34,
        items=review_items,
        covers={
            "projectcall.Review": "exported; kept for the decision's record (the account is then anonymised)",
            "projectcall.Score": "exported with the review",
            "projectcall.ConflictDeclaration": "exported; deleted with the account",
        },
        labels={
            "scores": _("Scores"),
            "comment": _("Comment"),
            "conflict_of_interest": _("Conflict of interest"),
        },
    ),
]


def register_all() -> None:
    for section in SECTIONS:
        register(section)
    register_retention(
        RetentionRule(
            key="projectcall_drafts",
            description="Draft applications not saved for PORTAL_RETENTION_DRAFT_DAYS days",
            apply=drafts_apply,
        )
    )
