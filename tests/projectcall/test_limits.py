"""Every limit of the call at its boundary: exactly the limit is accepted, one step more is refused.

Amounts step by one cent, dates by one day, times by one second, files by one byte.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projectcall import services
from projectcall.models import Application, Call, Phase

from . import factories as f

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _proposal(app, amount):
    return services.Proposal(application=app, funded=True, amount=Decimal(amount), motivation="Good project")


def _two_eligible(envelope: str, amounts=("3000", "3000")):
    the_call = f.call(phase="review", envelope=envelope, maximum="5000")
    apps = [f.eligible(the_call, f.tenant().user, amounts=(amount,)) for amount in amounts]
    return the_call, apps


# --- The envelope -----------------------------------------------------------------------------------------------


def test_decisions_totalling_exactly_the_envelope_are_taken():
    the_call, (a, b) = _two_eligible("5000.00")
    services.decision_take(
        call=the_call, proposals=[_proposal(a, "2500.00"), _proposal(b, "2500.00")], actor=None
    )
    assert set(Application.objects.values_list("status", flat=True)) == {Application.Status.FUNDED}


def test_decisions_one_cent_over_the_envelope_are_refused_and_nothing_is_decided():
    the_call, (a, b) = _two_eligible("5000.00")
    with pytest.raises(ValidationError, match=r"\(5000\.01 EUR\) exceed the envelope of 5000\.00 EUR"):
        services.decision_take(
            call=the_call, proposals=[_proposal(a, "2500.00"), _proposal(b, "2500.01")], actor=None
        )
    assert set(Application.objects.values_list("status", flat=True)) == {Application.Status.ELIGIBLE}
    the_call.refresh_from_db()
    assert the_call.decided_at is None


# --- The amount granted: more than 0, at most the amount asked and the maximum per project -------------------


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [("0.00", False), ("0.01", True), ("3000.00", True), ("3000.01", False)],
    ids=["nothing", "one cent", "exactly the amount asked", "one cent more than asked"],
)
def test_an_amount_granted_is_more_than_zero_and_at_most_the_amount_asked(amount, accepted):
    the_call = f.call(phase="review", envelope="100000", maximum="5000")
    app = f.eligible(the_call, f.tenant().user, amounts=("3000",))
    proposals = [_proposal(app, amount)]
    if accepted:
        services.decision_take(call=the_call, proposals=proposals, actor=None)
        assert app.decision.amount == Decimal(amount)
    else:
        with pytest.raises(
            ValidationError, match="the amount must be more than 0 and at most the amount asked"
        ):
            services.decision_take(call=the_call, proposals=proposals, actor=None)


@pytest.mark.parametrize(("amount", "accepted"), [("5000.00", True), ("5000.01", False)])
def test_an_amount_granted_is_at_most_the_maximum_per_project_even_when_more_was_asked(amount, accepted):
    the_call = f.call(phase="review", envelope="100000", maximum="5000")
    app = f.eligible(the_call, f.tenant().user, amounts=("5000",))
    app.budget_lines.create(item="Extra asked after the fact", amount=Decimal("1000"), position=9)
    proposals = [_proposal(app, amount)]
    if accepted:
        services.decision_take(call=the_call, proposals=proposals, actor=None)
    else:
        with pytest.raises(ValidationError, match="at most the amount asked and the maximum"):
            services.decision_take(call=the_call, proposals=proposals, actor=None)


# --- The budget of an application: at most the maximum per project ------------------------------------------


@pytest.mark.parametrize(("second_line", "accepted"), [("1000.00", True), ("1000.01", False)])
def test_a_budget_totalling_exactly_the_maximum_per_project_is_saved_one_cent_more_is_refused(
    second_line, accepted
):
    the_call = f.call(phase="open", maximum="5000")
    owner = f.tenant().user
    app = f.complete_application(the_call, owner)
    lines = [("Outils", Decimal("4000.00")), ("Graines", Decimal(second_line))]
    save = {
        "application": app,
        "lines": lines,
        "co_funding": Decimal("0"),
        "co_funding_source": "",
        "actor": owner,
    }
    if accepted:
        services.application_save_budget(**save)
        assert app.requested_total == Decimal("5000.00")
    else:
        with pytest.raises(
            ValidationError, match=r"\(5000\.01 EUR\) is more than the maximum of 5000\.00 EUR"
        ):
            services.application_save_budget(**save)
        assert app.requested_total == Decimal("2000")  # the lines saved before stay


@pytest.mark.parametrize(("amount", "accepted"), [("0.01", True), ("0.00", False)])
def test_every_budget_line_is_at_least_one_cent(amount, accepted):
    the_call = f.call(phase="open")
    owner = f.tenant().user
    app = f.complete_application(the_call, owner)
    save = {
        "application": app,
        "lines": [("Affiches", Decimal(amount))],
        "co_funding": Decimal("0"),
        "co_funding_source": "",
        "actor": owner,
    }
    if accepted:
        services.application_save_budget(**save)
    else:
        with pytest.raises(ValidationError, match="Every amount must be more than 0 EUR"):
            services.application_save_budget(**save)


@pytest.mark.parametrize(("total", "ready"), [("50000.00", True), ("50000.01", False)])
def test_an_application_asking_exactly_the_maximum_can_be_submitted_one_cent_more_cannot(total, ready):
    the_call = f.call(phase="open", maximum="50000")
    app = f.complete_application(the_call, f.tenant().user, amounts=(total,))
    issues = services.application_issues_before_submit(app)
    assert ("The total asked is more than the maximum per project." in issues) is not ready


# --- The call's own settings: the maximum within the envelope, the dates in order ---------------------------


def _call(**changes) -> Call:
    opens = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    values = {
        "year": 2090,
        "title": "Appel",
        "envelope": Decimal("1000.00"),
        "max_per_project": Decimal("1000.00"),
        "opens_at": opens,
        "closes_at": opens + datetime.timedelta(days=30),
        "decision_on": datetime.date(2026, 3, 31),
        "projects_end_on": datetime.date(2026, 4, 1),
        "final_report_due_on": datetime.date(2026, 4, 1),
    }
    values.update(changes)
    return Call(**values)


def test_a_call_at_every_boundary_at_once_is_valid():
    _call().full_clean()  # maximum = envelope, decision on the closing day, report due the day projects end


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"max_per_project": Decimal("1000.01")}, "max_per_project", "cannot exceed the envelope"),
        ({"closes_at": timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))}, "closes_at", "close after"),
        ({"decision_on": datetime.date(2026, 3, 30)}, "decision_on", "after the call closes"),
        (
            {"projects_end_on": datetime.date(2026, 3, 31)},
            "projects_end_on",
            "Projects end after the decision",
        ),
        (
            {"final_report_due_on": datetime.date(2026, 3, 31)},
            "final_report_due_on",
            "after the projects end",
        ),
    ],
    ids=[
        "maximum a cent over the envelope",
        "closes when it opens",
        "decision the day before closing",
        "projects end on the decision day",
        "report due the day before projects end",
    ],
)
def test_a_call_one_step_past_a_boundary_is_refused_on_that_field(changes, field, message):
    with pytest.raises(ValidationError, match=message) as refusal:
        _call(**changes).full_clean()
    assert list(refusal.value.message_dict) == [field]


def test_a_call_opens_at_its_opening_second_and_closes_at_its_deadline():
    the_call = _call()
    second = datetime.timedelta(seconds=1)
    assert the_call.phase_at(the_call.opens_at - second) == Phase.UPCOMING
    assert the_call.phase_at(the_call.opens_at) == Phase.OPEN
    assert the_call.phase_at(the_call.closes_at - second) == Phase.OPEN
    assert the_call.phase_at(the_call.closes_at) == Phase.REVIEW


def test_an_application_cannot_be_started_at_the_deadline_itself():
    the_call = f.call(phase="open")
    owner = f.tenant().user
    with time_machine.travel(the_call.closes_at - datetime.timedelta(seconds=1), tick=False):
        services.application_create(call=the_call, actor=owner)
    with (
        time_machine.travel(the_call.closes_at, tick=False),
        pytest.raises(ValidationError, match="The call is not open"),
    ):
        services.application_create(call=the_call, actor=owner)


# --- Attachments: at most 10 files of at most 5 MB -----------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "accepted"), [(0, True), (1, False)], ids=["exactly 5 MB", "one byte more"]
)
def test_an_attachment_of_exactly_5_mb_is_accepted_one_byte_more_is_refused(extra, accepted):
    content = PDF + b"0" * (services.MAX_ATTACHMENT_BYTES - len(PDF) + extra)
    problems = services.attachment_problems(SimpleUploadedFile("devis.pdf", content))
    assert (problems == []) is accepted
    if not accepted:
        assert problems == ["This file is too big: the maximum is 5 MB."]


def test_the_tenth_attachment_is_accepted_the_eleventh_is_refused():
    the_call = f.call(phase="open")
    owner = f.tenant().user
    app = f.complete_application(the_call, owner)
    for number in range(10):
        services.attachment_add(
            application=app, uploaded=SimpleUploadedFile(f"d{number}.pdf", PDF), kind="quote", actor=owner
        )
    with pytest.raises(ValidationError, match="at most 10 documents"):
        services.attachment_add(
            application=app, uploaded=SimpleUploadedFile("d10.pdf", PDF), kind="quote", actor=owner
        )
    assert app.attachments.count() == 10


# --- Scores: 0 to 5 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "accepted"), [(0, True), (5, True), (6, False), (-1, False)])
def test_a_score_is_between_0_and_5(value, accepted):
    the_call = f.call(phase="review")
    app = f.eligible(the_call, f.tenant().user)
    jury = f.reviewer()
    services.conflict_declare(application=app, reviewer=jury, has_conflict=False)
    scores = {c.pk: (value, "") for c in the_call.criteria.all()}
    if accepted:
        services.review_submit(application=app, reviewer=jury, scores=scores, comment="")
        assert set(app.reviews.get().scores.values_list("value", flat=True)) == {value}
    else:
        with pytest.raises(ValidationError, match="Scores go from 0 to 5"):
            services.review_submit(application=app, reviewer=jury, scores=scores, comment="")
