"""Advisory-council elections with a secret ballot.

Secrecy by construction (style.md guideline 9): *who* voted is a `Participation` (unique per roll entry); *what*
was voted is a `Ballot` with its `BallotChoice` rows. The two are written in the same transaction but share no
key, no timestamp and no sequential id: ballots and choices have random UUID primary keys and no date at all, and
nothing on a ballot points to a person, a roll entry, a station or a request (no IP, no user agent).
`tests/elections/test_secrecy.py` walks the schema to prove there is no path from a ballot to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Person
from portal.storage import private_storage


class ElectionQuerySet(models.QuerySet["Election"]):
    def current(self) -> ElectionQuerySet:
        """Elections the public should hear about: announced and not yet final for long."""
        return self.exclude(status__in=[Election.Status.DRAFT, Election.Status.CLOSED]).order_by(
            "-voting_opens_at"
        )


class Election(models.Model):
    """One election of a tenants' advisory council, with its settings, dates and phase."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        CANDIDACY = "candidacy", _("candidacies open")
        CANDIDATES_PUBLISHED = "candidates_published", _("candidate list published")
        VOTING = "voting", _("voting open")
        COUNTING = "counting", _("counting")
        COMPLAINTS = "complaints", _("results published, complaint period")
        CLOSED = "closed", _("final")

    class CandidateOrder(models.TextChoices):
        ALPHABETICAL = "alphabetical", _("alphabetical order of last names")
        LOT = "lot", _("order drawn by lot")

    class TieRule(models.TextChoices):
        DRAW = "draw", _("a draw by lot, recorded")
        OLDEST = "oldest", _("the older candidate first")

    council_name = models.CharField(_("council name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(_("phase"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=7, validators=[MinValueValidator(5), MaxValueValidator(15)]
    )
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=4)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum choices per ballot"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Left empty: the number of seats."),
    )
    min_candidates = models.PositiveSmallIntegerField(_("minimum number of valid candidates"), default=5)
    quorum_percent = models.DecimalField(
        _("turnout quorum (%)"),
        max_digits=5,
        decimal_places=2,
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    voter_min_age = models.PositiveSmallIntegerField(_("minimum age of voters"), default=16)
    roll_reference_date = models.DateField(
        _("roll reference date"),
        null=True,
        blank=True,
        help_text=_("Voters must live in a dwelling of the company since this date."),
    )
    candidate_min_age = models.PositiveSmallIntegerField(_("minimum age of candidates"), default=16)
    candidate_min_months = models.PositiveSmallIntegerField(
        _("months registered at the company (candidates)"), default=12
    )
    online_voting = models.BooleanField(_("online voting"), default=False)
    proxies_allowed = models.BooleanField(_("proxies allowed"), default=True)
    proxies_per_holder = models.PositiveSmallIntegerField(_("proxies one person may hold"), default=1)
    candidate_order = models.CharField(
        _("order of the candidate list"),
        max_length=20,
        choices=CandidateOrder.choices,
        default=CandidateOrder.ALPHABETICAL,
    )
    tie_rule = models.CharField(
        _("how ties are broken"), max_length=20, choices=TieRule.choices, default=TieRule.DRAW
    )
    candidacies_open_on = models.DateField(_("candidacies open on"), null=True, blank=True)
    candidacies_close_on = models.DateField(_("candidacies close on"), null=True, blank=True)
    candidates_published_on = models.DateField(_("candidate list published on"), null=True, blank=True)
    voting_opens_at = models.DateTimeField(_("voting opens at"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    complaints_end_on = models.DateField(_("complaint period ends on"), null=True, blank=True)
    how_to_vote = models.TextField(_("how to vote (public text)"), blank=True)
    roll_generated_at = models.DateTimeField(_("roll generated at"), null=True, blank=True, editable=False)
    roll_frozen_at = models.DateTimeField(_("roll frozen at"), null=True, blank=True, editable=False)
    participation_purged_at = models.DateTimeField(
        _("participation data deleted at"), null=True, blank=True, editable=False
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rerun",
        verbose_name=_("re-run of"),
        editable=False,
    )

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_opens_at", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.council_name

    def get_absolute_url(self) -> str:
        return reverse("elections:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.max_choices and self.seats and self.max_choices > self.seats:
            errors["max_choices"] = _("A voter cannot choose more candidates than there are seats.")
        order = [
            ("candidacies_open_on", self.candidacies_open_on),
            ("candidacies_close_on", self.candidacies_close_on),
            ("candidates_published_on", self.candidates_published_on),
            ("voting_opens_at", self.voting_opens_at and timezone.localdate(self.voting_opens_at)),
            ("voting_closes_at", self.voting_closes_at and timezone.localdate(self.voting_closes_at)),
            ("complaints_end_on", self.complaints_end_on),
        ]
        previous_name, previous_date = None, None
        for name, value in order:
            if value is None:
                continue
            if previous_date is not None and value < previous_date:
                errors[name] = _("This date must come after “%(previous)s”.") % {
                    "previous": self._meta.get_field(previous_name).verbose_name
                }
            previous_name, previous_date = name, value
        if self.voting_opens_at and self.voting_closes_at and self.voting_closes_at <= self.voting_opens_at:
            errors["voting_closes_at"] = _("Voting must close after it opens.")
        if errors:
            raise ValidationError(errors)

    @property
    def choices_allowed(self) -> int:
        return self.max_choices or self.seats

    @property
    def voting_date(self):
        return timezone.localdate(self.voting_opens_at) if self.voting_opens_at else None

    def voting_has_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.voting_closes_at is not None and now >= self.voting_closes_at

    @property
    def results_published(self) -> bool:
        return self.status in {self.Status.COMPLAINTS, self.Status.CLOSED}


class PollingStation(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="stations", verbose_name=_("election")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    accessibility = models.CharField(_("access"), max_length=300, blank=True)

    class Meta:
        ordering = ["opens_at", "name"]
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The station must close after it opens.")})


class RollEntry(models.Model):
    """One voter on the electoral roll. The voting code is never stored: only its HMAC (`code_hash`) and the
    random `code_seed` it is derived from at render time (invitation letters), see `elections.codes`."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="roll", verbose_name=_("election")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    removed = models.BooleanField(_("removed from the roll"), default=False)
    code_seed = models.CharField(max_length=64, blank=True, editable=False)
    code_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed code attempts"), default=0, editable=False)

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll entries")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="unique_roll_entry")]

    def __str__(self) -> str:
        return str(self.person)


class Candidacy(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("received, to be checked")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper form")

    class Label(models.TextChoices):
        NOTHING = "nothing", _("nothing")
        STREET = "street", _("my street (without number)")
        NEIGHBOURHOOD = "neighbourhood", _("my neighbourhood")
        ASSOCIATION = "association", _("an association")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("election")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    display_name = models.CharField(_("name on the list"), max_length=250)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    label = models.CharField(
        _("shown after the name"), max_length=20, choices=Label.choices, default=Label.NOTHING
    )
    label_text = models.CharField(_("text shown after the name"), max_length=200, blank=True, editable=False)
    association = models.CharField(_("association"), max_length=200, blank=True)
    statement = models.TextField(_("short statement"), max_length=600, blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="elections/candidates/", storage=private_storage, blank=True
    )
    charter_signed = models.BooleanField(_("charter of democratic values signed"), default=False)
    court_check_done = models.BooleanField(_("no final court decision (checked)"), default=False)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    position = models.PositiveSmallIntegerField(_("position on the list"), null=True, blank=True)

    class Meta:
        ordering = ["position", "person__last_name", "person__first_name"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="unique_candidacy")]

    def __str__(self) -> str:
        return self.display_name


class Participation(models.Model):
    """Who voted (and how), never what: one row per roll entry, written with the ballot in one transaction."""

    class Channel(models.TextChoices):
        STATION = "station", _("at a polling station")
        PROXY = "proxy", _("by proxy at a polling station")
        ONLINE = "online", _("online")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="participations", verbose_name=_("election")
    )
    roll_entry = models.OneToOneField(
        RollEntry, on_delete=models.CASCADE, related_name="participation", verbose_name=_("voter")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        PollingStation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("polling station"),
    )
    proxy_holder = models.ForeignKey(
        RollEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name=_("proxy holder"),
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.roll_entry} ({self.get_channel_display()})"


class Ballot(models.Model):
    """An online ballot: random id, no date, nothing personal. `receipt` is shown once to the voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    receipt = models.CharField(max_length=32, unique=True)
    blank = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(_("ballot"))


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "candidacy"], name="unique_ballot_choice")]

    def __str__(self) -> str:
        return str(self.candidacy)


class StationCount(models.Model):
    """The paper count of one polling station, entered by the committee at closing."""

    station = models.OneToOneField(
        PollingStation, on_delete=models.CASCADE, related_name="count", verbose_name=_("polling station")
    )
    ballots = models.PositiveIntegerField(_("ballots in the box"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    void = models.PositiveIntegerField(_("void ballots"))
    mismatch_explanation = models.TextField(_("explanation of the difference"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")

    def __str__(self) -> str:
        return str(self.station)


class StationCandidateCount(models.Model):
    count = models.ForeignKey(StationCount, on_delete=models.CASCADE, related_name="lines")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["count", "candidacy"], name="unique_station_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.candidacy}: {self.votes}"


class ElectionResult(models.Model):
    """The official figures, computed once after the count and kept after participation data are deleted."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="result")
    roll_size = models.PositiveIntegerField(_("voters on the roll"))
    voters = models.PositiveIntegerField(_("voters who voted"))
    online_ballots = models.PositiveIntegerField(_("online ballots"))
    paper_ballots = models.PositiveIntegerField(_("paper ballots"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    void = models.PositiveIntegerField(_("void ballots"))
    turnout_percent = models.DecimalField(_("turnout (%)"), max_digits=6, decimal_places=2)
    valid = models.BooleanField(_("valid election"))
    tie_draw = models.JSONField(_("draw used to break ties"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    final_at = models.DateTimeField(_("final since"), null=True, blank=True)

    class Meta:
        verbose_name = _("election result")
        verbose_name_plural = _("election results")

    def __str__(self) -> str:
        return str(self.election)


class CandidateResult(models.Model):
    class Outcome(models.TextChoices):
        ELECTED = "elected", _("elected")
        SUBSTITUTE = "substitute", _("substitute")
        NOT_ELECTED = "not_elected", _("not elected (election invalid)")

    result = models.ForeignKey(ElectionResult, on_delete=models.CASCADE, related_name="candidates")
    candidacy = models.OneToOneField(Candidacy, on_delete=models.PROTECT, related_name="result")
    online_votes = models.PositiveIntegerField(_("online votes"))
    paper_votes = models.PositiveIntegerField(_("paper votes"))
    votes = models.PositiveIntegerField(_("votes"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("candidate result")
        verbose_name_plural = _("candidate results")

    def __str__(self) -> str:
        return f"{self.rank}. {self.candidacy}"


class ElectionEvent(models.Model):
    """Append-only log of every administrative action on an election; written only by services."""

    class Kind(models.TextChoices):
        CREATED = "created", _("election created")
        PHASE_CHANGED = "phase_changed", _("phase changed")
        ROLL_GENERATED = "roll_generated", _("roll generated")
        ROLL_CORRECTED = "roll_corrected", _("roll corrected")
        ROLL_FROZEN = "roll_frozen", _("roll frozen")
        CANDIDACY_RECEIVED = "candidacy_received", _("candidacy received")
        CANDIDACY_DECIDED = "candidacy_decided", _("candidacy decided")
        LIST_ORDER_DRAWN = "list_order_drawn", _("order of the list drawn by lot")
        INVITATIONS_SENT = "invitations_sent", _("invitations sent")
        BALLOTS_RESEALED = "ballots_resealed", _("online ballot box resealed")
        COUNT_ENTERED = "count_entered", _("paper count entered")
        TIE_DRAWN = "tie_drawn", _("tie broken by a draw")
        RESULTS_PUBLISHED = "results_published", _("results published")
        RESULT_FINAL = "result_final", _("result final")
        PARTICIPATION_PURGED = "participation_purged", _("participation data deleted")
        RERUN_CREATED = "rerun_created", _("re-run created")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="events", verbose_name=_("election")
    )
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    summary = models.CharField(_("summary"), max_length=300)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("election event")
        verbose_name_plural = _("election log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Election events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Election events are append-only.")
