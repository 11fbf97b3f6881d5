"""State changes of the project call: keyword-only and atomic; a change to an application locks its row first.
Steps that matter are audit-logged (`portal.services.audit_record`); saving a draft, its budget or attachments,
messages and a report's review are not. `attachment_problems`, `application_issues_before_submit` and
`decision_issues` are plain reads.

Every refusal is a `ValidationError` a user can read. Messages to applicants (e-mail or letter) are queued on
commit through `projectcall.notifications`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Person
from portal.services import audit_record

from . import notifications
from .models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    CoachingRequest,
    ConflictDeclaration,
    Criterion,
    Decision,
    EligibilityCheck,
    Idea,
    Message,
    Phase,
    ProgressReport,
    Review,
    Score,
)

S = Application.Status

#: Fields an applicant fills in across the steps (everything else is set by services).
DRAFT_FIELDS = {
    "applicant_kind",
    "organisation",
    "group_name",
    "title",
    "summary",
    "neighbourhood",
    "site",
    "building",
    "beneficiaries",
    "beneficiaries_count",
    "activities",
    "timeline",
    "partners",
    "co_funding",
    "co_funding_source",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_address",
}


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("call").get(pk=application.pk)


def _refuse_unless_editable(application: Application) -> None:
    if application.status not in (S.DRAFT, S.SUBMITTED):
        raise ValidationError(_("This application can no longer be changed."))
    if application.call.phase != Phase.OPEN:
        raise ValidationError(_("The call is closed: applications can no longer be changed."))


@transaction.atomic
def application_create(
    *, call: Call, actor: Any, on_behalf_of: Person | None = None, language: str = "fr"
) -> Application:
    """A new draft for the actor (or, by a worker, for a tenant without e-mail)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.phase != Phase.OPEN:
        raise ValidationError(_("The call is not open: you cannot start an application now."))
    application = Application(call=call, owner=actor, on_behalf_of=on_behalf_of, language=language[:2])
    if on_behalf_of is not None:
        application.contact_name = on_behalf_of.full_name
        application.contact_phone = on_behalf_of.phone
        building = on_behalf_of.household.dwelling.building
        application.contact_address = "\n".join(building.address_lines)
        application.building, application.site = building, building.site
        application.neighbourhood = building.site.neighbourhood
        application.language = (
            on_behalf_of.language or on_behalf_of.household.language or application.language
        )
    else:
        application.contact_name = actor.get_full_name()
        application.contact_email = actor.email
    application.save()
    audit_record(
        action="projectcall.application_created",
        actor=actor,
        obj=application,
        summary=f"Draft for {call}",
        on_behalf_of=on_behalf_of,
    )
    return application


@transaction.atomic
def application_save_draft(*, application: Application, data: dict[str, Any], actor: Any) -> Application:
    """Save what the applicant typed on one step (only known fields)."""
    application = _locked(application)
    _refuse_unless_editable(application)
    unknown = set(data) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"Not an applicant field: {sorted(unknown)}")
    for name, value in data.items():
        setattr(application, name, value)
    application.save()
    return application


@transaction.atomic
def application_save_budget(
    *,
    application: Application,
    lines: list[tuple[str, Decimal]],
    co_funding: Decimal,
    co_funding_source: str,
    actor: Any,
) -> Application:
    """Replace the budget lines; the total asked must stay within the call's maximum per project."""
    application = _locked(application)
    _refuse_unless_editable(application)
    total = sum((amount for _item, amount in lines), Decimal("0")).quantize(Decimal("0.01"))
    if any(amount <= 0 for _item, amount in lines):
        raise ValidationError(_("Every amount must be more than 0 EUR."))
    if total > application.call.max_per_project:
        raise ValidationError(
            _("The total asked (%(total)s EUR) is more than the maximum of %(max)s EUR per project.")
            % {"total": total, "max": application.call.max_per_project}
        )
    if co_funding < 0:
        raise ValidationError(_("Other funding cannot be negative."))
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, item=item, amount=amount, position=index)
        for index, (item, amount) in enumerate(lines)
    )
    application.co_funding, application.co_funding_source = co_funding, co_funding_source
    application.save()
    return application


ALLOWED_ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
#: The first bytes of each type, checked so a renamed file is refused.
_MAGIC = {"pdf": [b"%PDF"], "jpg": [b"\xff\xd8\xff"], "jpeg": [b"\xff\xd8\xff"], "png": [b"\x89PNG"]}
_ZIP = [b"PK\x03\x04"]


def attachment_problems(uploaded) -> list[str]:
    """Why a file cannot be attached (empty when it can): type by extension and content, size."""
    name = uploaded.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        return [_("This type of file is not accepted. Send a PDF, a photo (JPG, PNG) or an office document.")]
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        return [_("This file is too big: the maximum is 5 MB.")]
    if uploaded.size == 0:
        return [_("This file is empty.")]
    head = uploaded.read(8)
    uploaded.seek(0)
    if not any(head.startswith(magic) for magic in _MAGIC.get(suffix, _ZIP)):
        return [_("The content of this file does not match its type.")]
    return []


@transaction.atomic
def attachment_add(*, application: Application, uploaded, kind: str, actor: Any) -> Attachment:
    application = _locked(application)
    _refuse_unless_editable(application)
    problems = attachment_problems(uploaded)
    if problems:
        raise ValidationError(problems)
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("You can attach at most 10 documents."))
    attachment = Attachment(
        application=application, kind=kind, original_name=uploaded.name[:200], size=uploaded.size
    )
    attachment.file.save(uploaded.name, uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: Any) -> None:
    application = _locked(attachment.application)
    _refuse_unless_editable(application)
    attachment.file.delete(save=False)
    attachment.delete()


def application_issues_before_submit(application: Application) -> list[str]:
    """What is still missing before the application can be submitted (empty when ready)."""
    issues = []
    if not application.title.strip():
        issues.append(_("Give your project a title."))
    if not application.summary.strip():
        issues.append(_("Write a short summary of the project."))
    if application.neighbourhood_id is None:
        issues.append(_("Choose the neighbourhood of the project."))
    if not application.activities.strip():
        issues.append(_("Describe the activities."))
    if not application.budget_lines.exists():
        issues.append(_("Add at least one budget line."))
    elif application.requested_total > application.call.max_per_project:
        issues.append(_("The total asked is more than the maximum per project."))
    if not application.contact_name.strip():
        issues.append(_("Give the name of a contact person."))
    if not (application.contact_email or application.contact_phone or application.contact_address):
        issues.append(_("Give an e-mail, a phone number or a postal address."))
    if application.organisation_id is None and application.applicant_kind not in ("tenant", "tenant_group"):
        issues.append(_("Choose the organisation that applies."))
    return issues


@transaction.atomic
def application_submit(*, application: Application, actor: Any) -> Application:
    """Submit once (a double click submits once), only while the call is open; queue the confirmation."""
    application = _locked(application)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if application.status == S.SUBMITTED:
        raise ValidationError(_("This application was already submitted."), code="already_submitted")
    if application.status != S.DRAFT:
        raise ValidationError(_("This application can no longer be submitted."))
    if call.phase != Phase.OPEN:
        raise ValidationError(_("The deadline has passed: the call is closed."), code="closed")
    issues = application_issues_before_submit(application)
    if issues:
        raise ValidationError(issues)
    number = call.applications.exclude(reference="").count() + 1
    application.reference = f"PC-{call.year}-{number:03d}"
    application.status = S.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    audit_record(
        action="projectcall.application_submitted",
        actor=actor,
        obj=application,
        summary=f"{application.reference} {application.title}",
        on_behalf_of=application.on_behalf_of,
    )
    notifications.notify_applicant(application=application, message="submitted", actor=actor)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: Any) -> Application:
    application = _locked(application)
    if application.status not in (S.DRAFT, S.SUBMITTED):
        raise ValidationError(_("This application can no longer be withdrawn."))
    if application.call.phase != Phase.OPEN:
        raise ValidationError(_("The call is closed: applications can no longer be withdrawn."))
    application.status = S.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_record(action="projectcall.application_withdrawn", actor=actor, obj=application)
    return application


@transaction.atomic
def coaching_request(
    *, application: Application, help_kind: str, details: str, actor: Any
) -> CoachingRequest:
    application = _locked(application)
    if application.status == S.WITHDRAWN:
        raise ValidationError(_("This application was withdrawn."))
    request, _created = CoachingRequest.objects.update_or_create(
        application=application, defaults={"help_kind": help_kind, "details": details}
    )
    audit_record(action="projectcall.coaching_requested", actor=actor, obj=application, summary=help_kind)
    return request


@transaction.atomic
def coach_assign(*, application: Application, coach: Any, actor: Any) -> CoachingRequest:
    application = _locked(application)
    request, _created = CoachingRequest.objects.get_or_create(
        application=application, defaults={"help_kind": CoachingRequest.Help.OTHER}
    )
    request.coach = coach
    request.save(update_fields=["coach"])
    audit_record(
        action="projectcall.coach_assigned", actor=actor, obj=application, summary=coach.get_username()
    )
    return request


@transaction.atomic
def message_post(*, application: Application, author: Any, body: str, from_staff: bool) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    return Message.objects.create(application=application, author=author, body=body, from_staff=from_staff)


@transaction.atomic
def eligibility_record(
    *, application: Application, checks: dict[str, bool], eligible: bool, reason: str, actor: Any
) -> EligibilityCheck:
    """Record the worker's checklist; an ineligible application needs a reason, sent to the applicant."""
    application = _locked(application)
    if application.status not in (S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE):
        raise ValidationError(_("Only submitted applications are checked."))
    if application.call.phase != Phase.REVIEW:
        raise ValidationError(_("Eligibility is checked after the deadline and before the decision."))
    if not eligible and not reason.strip():
        raise ValidationError({"reason": _("Say why the application is not eligible.")})
    if eligible and not all(checks.values()):
        raise ValidationError(_("Tick every line of the checklist, or mark the application not eligible."))
    check, _created = EligibilityCheck.objects.update_or_create(
        application=application,
        defaults={
            **checks,
            "eligible": eligible,
            "reason": reason.strip(),
            "checked_by": actor,
            "checked_at": timezone.now(),
        },
    )
    application.status = S.ELIGIBLE if eligible else S.INELIGIBLE
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        action="projectcall.eligibility_recorded",
        actor=actor,
        obj=application,
        summary="eligible" if eligible else "not eligible",
        data={"reason": check.reason},
    )
    notifications.notify_applicant(
        application=application, message="eligible" if eligible else "ineligible", actor=actor
    )
    return check


@transaction.atomic
def conflict_declare(
    *, application: Application, reviewer: Any, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    application = _locked(application)
    if application.reviews.filter(reviewer=reviewer, submitted_at__isnull=False).exists():
        raise ValidationError(_("You already submitted your scores for this application."))
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        application=application, reviewer=reviewer, defaults={"has_conflict": has_conflict, "note": note}
    )
    if has_conflict:
        application.reviews.filter(reviewer=reviewer).delete()
    audit_record(
        action="projectcall.conflict_declared",
        actor=reviewer,
        obj=application,
        summary="conflict" if has_conflict else "no conflict",
    )
    return declaration


@transaction.atomic
def review_submit(
    *,
    application: Application,
    reviewer: Any,
    scores: dict[int, tuple[int, str]],
    comment: str,
    final: bool = True,
) -> Review:
    """Save one reviewer's scores (criterion id -> (0..5, comment)); `final` makes them definitive."""
    application = _locked(application)
    if application.status != S.ELIGIBLE or application.call.phase != Phase.REVIEW:
        raise ValidationError(_("This application cannot be scored now."))
    declaration = application.conflicts.filter(reviewer=reviewer).first()
    if declaration is None:
        raise ValidationError(_("Declare first whether you have a conflict of interest."))
    if declaration.has_conflict:
        raise ValidationError(_("You declared a conflict of interest: you do not score this application."))
    review, _created = Review.objects.select_for_update().get_or_create(
        application=application, reviewer=reviewer
    )
    if review.submitted_at is not None:
        raise ValidationError(_("Your scores were already submitted."))
    criteria = {c.pk: c for c in Criterion.objects.filter(call=application.call)}
    if set(scores) - set(criteria):
        raise ValidationError(_("Unknown criterion."))
    if final and set(scores) != set(criteria):
        raise ValidationError(_("Give a score for every criterion."))
    for value, _text in scores.values():
        if not 0 <= value <= 5:
            raise ValidationError(_("Scores go from 0 to 5."))
    review.scores.all().delete()
    Score.objects.bulk_create(
        Score(review=review, criterion=criteria[pk], value=value, comment=text)
        for pk, (value, text) in scores.items()
    )
    review.comment = comment
    if final:
        review.submitted_at = timezone.now()
        audit_record(action="projectcall.review_submitted", actor=reviewer, obj=application)
    review.save()
    return review


@dataclass
class Proposal:
    application: Application
    funded: bool
    amount: Decimal
    motivation: str


def decision_issues(call: Call, proposals: list[Proposal]) -> list[str]:
    """Why these proposals cannot be decided (empty when they can)."""
    issues = []
    eligible = set(call.applications.filter(status=S.ELIGIBLE).values_list("pk", flat=True))
    proposed = {p.application.pk for p in proposals}
    if proposed != eligible:
        issues.append(_("Give a decision for every eligible application (and only those)."))
    total = sum((p.amount for p in proposals if p.funded), Decimal("0"))
    if total > call.envelope:
        issues.append(
            _("The amounts proposed (%(total)s EUR) exceed the envelope of %(envelope)s EUR.")
            % {"total": total, "envelope": call.envelope}
        )
    for p in proposals:
        label = p.application.reference
        if not p.motivation.strip():
            issues.append(_("%(ref)s: write the motivation of the decision.") % {"ref": label})
        if p.funded and not (0 < p.amount <= min(call.max_per_project, p.application.requested_total)):
            issues.append(
                _("%(ref)s: the amount must be more than 0 and at most the amount asked and the maximum.")
                % {"ref": label}
            )
    return issues


@transaction.atomic
def decision_take(*, call: Call, proposals: list[Proposal], actor: Any) -> list[Decision]:
    """Decide every eligible application at once, within the envelope; notify every applicant."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.phase != Phase.REVIEW:
        raise ValidationError(_("Decisions are taken once the call is closed, and only once."))
    issues = decision_issues(call, proposals)
    if issues:
        raise ValidationError(issues)
    now = timezone.now()
    decisions = []
    for p in proposals:
        application = _locked(p.application)
        decisions.append(
            Decision.objects.create(
                application=application,
                funded=p.funded,
                amount=p.amount if p.funded else Decimal("0"),
                motivation=p.motivation.strip(),
                decided_by=actor,
                decided_at=now,
            )
        )
        application.status = S.FUNDED if p.funded else S.REJECTED
        application.save(update_fields=["status", "updated_at"])
        notifications.notify_applicant(
            application=application, message="funded" if p.funded else "rejected", actor=actor
        )
    call.decided_at = now
    call.save(update_fields=["decided_at"])
    audit_record(
        action="projectcall.call_decided",
        actor=actor,
        obj=call,
        summary=f"{sum(1 for p in proposals if p.funded)} funded",
        data={d.application.reference: str(d.amount) for d in decisions},
    )
    return decisions


@transaction.atomic
def report_submit(
    *, application: Application, kind: str, text: str, amount_spent: Decimal, photo=None, actor: Any
) -> ProgressReport:
    application = _locked(application)
    if application.status != S.FUNDED:
        raise ValidationError(_("Only funded projects send reports."))
    if application.project_status in (
        Application.ProjectStatus.COMPLETED,
        Application.ProjectStatus.CANCELLED,
    ):
        raise ValidationError(_("This project is closed."))
    if not text.strip():
        raise ValidationError({"text": _("Tell us what happened.")})
    if amount_spent < 0:
        raise ValidationError({"amount_spent": _("The amount cannot be negative.")})
    if photo is not None:
        suffix = photo.name.rsplit(".", 1)[-1].lower() if "." in photo.name else ""
        if suffix not in ("jpg", "jpeg", "png") or photo.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"photo": _("Send a JPG or PNG photo of at most 5 MB.")})
    report = ProgressReport(
        application=application, kind=kind, text=text.strip(), amount_spent=amount_spent, submitted_by=actor
    )
    if photo is not None:
        report.photo.save(photo.name, photo, save=False)
    report.save()
    if application.project_status == Application.ProjectStatus.NOT_STARTED:
        application.project_status = Application.ProjectStatus.RUNNING
        application.save(update_fields=["project_status", "updated_at"])
    audit_record(action="projectcall.report_submitted", actor=actor, obj=application, summary=kind)
    return report


@transaction.atomic
def report_review(*, report: ProgressReport, accept: bool, comment: str, actor: Any) -> ProgressReport:
    """The worker accepts a report (an accepted final report completes the project) or asks for changes."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what should change.")})
    report.status = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.CHANGES
    report.review_comment, report.reviewed_by = comment.strip(), actor
    report.save()
    if accept and report.kind == ProgressReport.Kind.FINAL:
        project_status_set(
            application=report.application, status=Application.ProjectStatus.COMPLETED, actor=actor
        )
    return report


@transaction.atomic
def project_status_set(*, application: Application, status: str, actor: Any) -> Application:
    application = _locked(application)
    if application.status != S.FUNDED:
        raise ValidationError(_("Only funded projects have a project status."))
    application.project_status = Application.ProjectStatus(status)
    application.save(update_fields=["project_status", "updated_at"])
    audit_record(action="projectcall.project_status_set", actor=actor, obj=application, summary=status)
    return application


@transaction.atomic
def idea_submit(
    *,
    title: str,
    description: str,
    neighbourhood=None,
    name: str = "",
    contact: str = "",
    user: Any = None,
    language: str = "fr",
) -> Idea:
    return Idea.objects.create(
        title=title,
        description=description,
        neighbourhood=neighbourhood,
        name=name,
        contact=contact,
        user=user if getattr(user, "is_authenticated", False) else None,
        language=language[:2],
    )


@transaction.atomic
def idea_answer(*, idea: Idea, answer: str, actor: Any) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not answer.strip():
        raise ValidationError({"answer": _("Write an answer.")})
    idea.answer, idea.answered_by = answer.strip(), actor
    if idea.status == Idea.Status.NEW:
        idea.status = Idea.Status.ANSWERED
    idea.save()
    audit_record(action="projectcall.idea_answered", actor=actor, obj=idea)
    notifications.notify_idea_answer(idea=idea, actor=actor)
    return idea


@transaction.atomic
def idea_convert(*, idea: Idea, call: Call, actor: Any) -> Application:
    """Turn an idea into a draft application coached by the worker (owned by the idea's author when known)."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.application_id is not None:
        raise ValidationError(_("This idea is already an application."))
    owner = idea.user or actor
    application = application_create(call=call, actor=owner)
    application = application_save_draft(
        application=application,
        data={
            "title": idea.title,
            "summary": idea.description,
            "neighbourhood": idea.neighbourhood,
            "contact_name": idea.name or application.contact_name,
        },
        actor=actor,
    )
    coaching_request(
        application=application, help_kind=CoachingRequest.Help.WRITING, details=idea.description, actor=actor
    )
    coach_assign(application=application, coach=actor, actor=actor)
    idea.application, idea.status = application, Idea.Status.CONVERTED
    idea.save()
    audit_record(action="projectcall.idea_converted", actor=actor, obj=idea)
    return application
