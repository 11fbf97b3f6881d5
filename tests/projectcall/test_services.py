"""Services of the project call against the real database: lifecycle, refusals, envelope, audit, messages."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.models import AuditEvent
from projectcall import services
from projectcall.models import Application, Call, Decision, Phase

from . import factories as f

pytestmark = pytest.mark.django_db
S = Application.Status


def test_call_dates_out_of_order_are_refused_by_clean():
    the_call = f.call(phase="open")
    the_call.closes_at = the_call.opens_at - timezone.timedelta(days=1)
    the_call.max_per_project = the_call.envelope + 1
    with pytest.raises(ValidationError) as error:
        the_call.full_clean()
    assert set(error.value.message_dict) >= {"closes_at", "max_per_project"}


def test_a_decided_call_cannot_be_reopened_by_moving_its_deadline():
    the_call = f.call(phase="decided")
    the_call.closes_at = timezone.now() + timezone.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        the_call.full_clean()
    assert "cannot be reopened" in str(error.value.message_dict["closes_at"])


@pytest.mark.parametrize("phase", ["upcoming", "open", "review", "decided"])
def test_phase_follows_the_dates_and_the_decision(phase):
    assert f.call(phase=phase).phase == phase


def test_submission_gives_a_reference_and_queues_a_confirmation_email(run_tasks):
    the_call = f.call(phase="open", year=2026)
    owner = f.user("anne")
    app = f.complete_application(the_call, owner)
    with run_tasks():
        app = services.application_submit(application=app, actor=owner)
    assert app.status == S.SUBMITTED
    assert app.reference == "PC-2026-001"
    assert len(mail.outbox) == 1
    assert "PC-2026-001" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(
        action="projectcall.application_submitted", object_id=str(app.pk)
    ).exists()


def test_second_submission_of_the_same_application_is_refused_and_changes_nothing():
    the_call = f.call(phase="open")
    owner = f.user()
    app = f.complete_application(the_call, owner)
    services.application_submit(application=app, actor=owner)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=app, actor=owner)
    assert error.value.code == "already_submitted"
    app.refresh_from_db()
    assert app.reference.endswith("-001")
    assert the_call.applications.exclude(reference="").count() == 1


def test_submission_after_the_deadline_is_refused_and_the_draft_is_kept():
    the_call = f.call(phase="review")
    owner = f.user()
    app = f.complete_application(the_call, owner)
    with pytest.raises(ValidationError, match="deadline"):
        services.application_submit(application=app, actor=owner)
    app.refresh_from_db()
    assert app.status == S.DRAFT and app.title == "Jardin partagé" and app.budget_lines.count() == 2


def test_incomplete_application_lists_what_is_missing():
    the_call = f.call(phase="open")
    owner = f.user()
    app = services.application_create(call=the_call, actor=owner)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=app, actor=owner)
    assert "Give your project a title." in error.value.messages
    assert "Add at least one budget line." in error.value.messages


def test_budget_over_the_maximum_is_refused_and_old_lines_are_kept():
    the_call = f.call(phase="open", maximum="5000")
    owner = f.user()
    app = f.complete_application(the_call, owner)
    with pytest.raises(ValidationError, match="maximum"):
        services.application_save_budget(
            application=app,
            lines=[("Tools", Decimal("4000")), ("Soil", Decimal("1500"))],
            co_funding=Decimal(0),
            co_funding_source="",
            actor=owner,
        )
    assert app.requested_total == Decimal("2000")


def test_budget_lines_replace_the_old_ones_and_the_total_is_computed():
    the_call = f.call(phase="open")
    owner = f.user()
    app = f.complete_application(the_call, owner)
    services.application_save_budget(
        application=app,
        lines=[("Tools", Decimal("300.50")), ("Soil", Decimal("99.50"))],
        co_funding=Decimal("100"),
        co_funding_source="Commune",
        actor=owner,
    )
    app.refresh_from_db()
    assert app.requested_total == Decimal("400.00")
    assert app.co_funding == Decimal("100")


def test_withdrawal_is_possible_while_open_and_refused_after_the_deadline():
    owner = f.user()
    open_app = f.submitted(f.call(phase="open"), owner)
    assert services.application_withdraw(application=open_app, actor=owner).status == S.WITHDRAWN
    closed_app = f.submitted(f.call(phase="review"), owner)
    with pytest.raises(ValidationError, match="The call is closed: applications can no longer be withdrawn."):
        services.application_withdraw(application=closed_app, actor=owner)


def test_draft_cannot_be_changed_once_the_call_is_closed():
    the_call = f.call(phase="review")
    owner = f.user()
    app = f.complete_application(the_call, owner)
    with pytest.raises(ValidationError, match="closed"):
        services.application_save_draft(application=app, data={"title": "Autre"}, actor=owner)


def test_ineligible_needs_a_reason_and_informs_the_applicant(run_tasks):
    the_call = f.call(phase="review")
    owner = f.user()
    app = f.submitted(the_call, owner)
    worker = f.worker()
    checks = {"applicant_ok": True, "area_ok": False, "budget_ok": True, "complete_ok": True}
    with pytest.raises(ValidationError, match="Say why the application is not eligible."):
        services.eligibility_record(application=app, checks=checks, eligible=False, reason=" ", actor=worker)
    with run_tasks():
        services.eligibility_record(
            application=app, checks=checks, eligible=False, reason="Hors des quartiers du parc.", actor=worker
        )
    app.refresh_from_db()
    assert app.status == S.INELIGIBLE
    assert "Hors des quartiers du parc." in mail.outbox[-1].body


def test_eligibility_is_not_checked_while_the_call_is_open():
    the_call = f.call(phase="open")
    app = f.submitted(the_call, f.user())
    checks = dict.fromkeys(("applicant_ok", "area_ok", "budget_ok", "complete_ok"), True)
    with pytest.raises(
        ValidationError, match="Eligibility is checked after the deadline and before the decision."
    ):
        services.eligibility_record(
            application=app, checks=checks, eligible=True, reason="", actor=f.worker()
        )


def _score_all(app, reviewer, value):
    services.conflict_declare(application=app, reviewer=reviewer, has_conflict=False)
    scores = {c.pk: (value, "") for c in app.call.criteria.all()}
    return services.review_submit(application=app, reviewer=reviewer, scores=scores, comment="")


def test_review_needs_a_conflict_declaration_and_every_criterion():
    the_call = f.call(phase="review")
    app = f.eligible(the_call, f.user())
    jury = f.reviewer()
    one = {the_call.criteria.first().pk: (4, "")}
    with pytest.raises(ValidationError, match="conflict"):
        services.review_submit(application=app, reviewer=jury, scores=one, comment="")
    services.conflict_declare(application=app, reviewer=jury, has_conflict=False)
    with pytest.raises(ValidationError, match="every criterion"):
        services.review_submit(application=app, reviewer=jury, scores=one, comment="")
    draft = services.review_submit(application=app, reviewer=jury, scores=one, comment="", final=False)
    assert draft.submitted_at is None


def test_reviewer_with_a_conflict_cannot_score():
    the_call = f.call(phase="review")
    app = f.eligible(the_call, f.user())
    jury = f.reviewer()
    services.conflict_declare(application=app, reviewer=jury, has_conflict=True, note="Ma voisine")
    with pytest.raises(ValidationError, match="conflict"):
        services.review_submit(
            application=app,
            reviewer=jury,
            scores={c.pk: (5, "") for c in the_call.criteria.all()},
            comment="",
        )


def test_submitted_scores_are_final():
    the_call = f.call(phase="review")
    app = f.eligible(the_call, f.user())
    jury = f.reviewer()
    _score_all(app, jury, 3)
    with pytest.raises(ValidationError, match="Your scores were already submitted."):
        services.review_submit(
            application=app,
            reviewer=jury,
            scores={c.pk: (5, "") for c in the_call.criteria.all()},
            comment="",
        )


def test_ranking_uses_the_weighted_mean_of_the_reviewers():
    from projectcall.selectors import ranking

    the_call = f.call(phase="review")
    good = f.eligible(the_call, f.user(), title="Good")
    weak = f.eligible(the_call, f.user(), title="Weak")
    for jury in (f.reviewer(), f.reviewer()):
        _score_all(good, jury, 4)
        _score_all(weak, jury, 2)
    _criteria, rows = ranking(the_call)
    assert [r.application.title for r in rows] == ["Good", "Weak"]
    assert rows[0].score == Decimal("4.00") and rows[0].reviews == 2


def _proposal(app, amount, funded=True):
    return services.Proposal(app, funded, Decimal(amount), "Projet solide et participatif.")


def test_decision_over_the_envelope_is_refused_and_nothing_is_written():
    the_call = f.call(phase="review", envelope="3000", maximum="3000")
    a = f.eligible(the_call, f.user(), amounts=("2000",))
    b = f.eligible(the_call, f.user(), amounts=("2000",))
    with pytest.raises(ValidationError, match="exceed the envelope"):
        services.decision_take(
            call=the_call, proposals=[_proposal(a, "2000"), _proposal(b, "2000")], actor=f.worker()
        )
    assert not Decision.objects.exists()
    the_call.refresh_from_db()
    assert the_call.phase == Phase.REVIEW


def test_decision_within_the_envelope_funds_rejects_and_notifies_everyone(run_tasks):
    the_call = f.call(phase="review", envelope="3000", maximum="3000")
    a = f.eligible(the_call, f.user(), amounts=("2000",))
    b = f.eligible(the_call, f.user(), amounts=("2000",))
    with run_tasks():
        services.decision_take(
            call=the_call, proposals=[_proposal(a, "1800"), _proposal(b, "0", funded=False)], actor=f.worker()
        )
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == (S.FUNDED, S.REJECTED)
    assert Call.objects.get(pk=the_call.pk).phase == Phase.DECIDED
    assert len(mail.outbox) == 2
    assert any("1800" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError, match="Decisions are taken once the call is closed, and only once."):
        services.decision_take(call=the_call, proposals=[], actor=f.worker())


def test_decision_needs_every_eligible_application_a_motivation_and_an_amount_within_what_was_asked():
    the_call = f.call(phase="review")
    a = f.eligible(the_call, f.user(), amounts=("1000",))
    f.eligible(the_call, f.user(), amounts=("1000",))
    with pytest.raises(ValidationError) as error:
        services.decision_take(
            call=the_call, proposals=[services.Proposal(a, True, Decimal("1500"), "")], actor=f.worker()
        )
    assert len(error.value.messages) == 3


def test_final_report_accepted_completes_the_project():
    the_call = f.call(phase="decided")
    owner = f.user()
    app = f.eligible(the_call, owner)
    app.status = S.FUNDED
    app.save()
    report = services.report_submit(
        application=app, kind="final", text="Le jardin est fini.", amount_spent=Decimal("1900"), actor=owner
    )
    app.refresh_from_db()
    assert app.project_status == Application.ProjectStatus.RUNNING
    services.report_review(report=report, accept=True, comment="Bravo", actor=f.worker())
    app.refresh_from_db()
    assert app.project_status == Application.ProjectStatus.COMPLETED


def test_idea_becomes_a_coached_draft_application():
    the_call = f.call(phase="open")
    worker = f.worker()
    idea = services.idea_submit(title="Fête des voisins", description="Une fête en juin.", name="Omar")
    app = services.idea_convert(idea=idea, call=the_call, actor=worker)
    assert app.status == S.DRAFT and app.title == "Fête des voisins"
    assert app.coaching.coach == worker
    idea.refresh_from_db()
    assert idea.status == idea.Status.CONVERTED


def test_tenant_without_email_filled_in_by_a_worker_gets_the_confirmation_as_a_letter(run_tasks):
    from portal.notifications.models import Delivery

    the_call = f.call(phase="open")
    person = f.tenant("jean", with_account=False)
    worker = f.worker()
    app = services.application_create(call=the_call, actor=worker, on_behalf_of=person)
    services.application_save_draft(
        application=app,
        data={
            "title": "Bancs",
            "summary": "Des bancs.",
            "activities": "Poser des bancs.",
            "neighbourhood": f.neighbourhood(),
        },
        actor=worker,
    )
    app.budget_lines.create(item="Bancs", amount=Decimal("900"))
    with run_tasks():
        app = services.application_submit(application=app, actor=worker)
    delivery = Delivery.objects.select_related("batch").get(person=person)
    assert delivery.channel == "letter"
    assert delivery.batch.status == "done" and delivery.batch.letters_pdf
    with delivery.batch.letters_pdf.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert not mail.outbox


def test_tenant_with_an_account_gets_the_decision_by_email_through_the_notification_service(run_tasks):
    from portal.notifications.models import Delivery

    the_call = f.call(phase="review", envelope="3000", maximum="3000")
    person = f.tenant("nadia")
    app = f.eligible(the_call, person.user, amounts=("2000",))
    with run_tasks():
        services.decision_take(call=the_call, proposals=[_proposal(app, "2000")], actor=f.worker())
    assert Delivery.objects.get(person=person).channel == "email"
    assert "2000" in mail.outbox[0].body and mail.outbox[0].to == [person.user.email]
