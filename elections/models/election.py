"""The election itself (settings, calendar, phase), its polling stations and its append-only log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The election's calendar in the order of its phases (`Election.clean` checks that order).
CALENDAR = (
    "candidacies_open_on",
    "candidacies_close_on",
    "candidates_published_on",
    "voting_opens_at",
    "voting_closes_at",
    "complaints_end_on",
)
#: Every date an election is given: the roll reference date, then the calendar. All are needed before candidacies
#: open, and a re-run starts with none of them.
DATE_FIELDS = ("roll_reference_date", *CALENDAR)
#: The rules and dates a committee sets (the admin's form): frozen with the roll, when voting opens.
SETTINGS = (
    "council_name",
    "slug",
    "seats",
    "term_years",
    "max_choices",
    "min_candidates",
    "quorum_percent",
    "voter_min_age",
    "roll_reference_date",
    "candidate_min_age",
    "candidate_min_months",
    "online_voting",
    "key_holders",
    "key_threshold",
    "proxies_allowed",
    "proxies_per_holder",
    "candidate_order",
    "tie_rule",
    *CALENDAR,
    "how_to_vote",
)
#: What may still be corrected once the rules are frozen, with a reason (`election_rules_correct`): the closing
#: time and the end of the complaint period (extended only, before they have passed) and the public text.
CORRECTABLE_WHEN_FROZEN = ("voting_closes_at", "complaints_end_on", "how_to_vote")


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
    key_holders = models.PositiveSmallIntegerField(
        _("key holders of the online ballot box"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(9)],
        help_text=_(
            "Members of the committee who each keep one share of the key that opens the online ballots."
        ),
    )
    key_threshold = models.PositiveSmallIntegerField(
        _("shares needed to open the online ballot box"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(9)],
        help_text=_(
            "If more key holders than the difference lose their share, the online ballots can never be counted."
        ),
    )
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
        previous_name, previous_date = None, None
        for name in CALENDAR:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                value = timezone.localdate(value)
            if previous_date is not None and value < previous_date:
                errors[name] = _("This date must come after “%(previous)s”.") % {
                    "previous": self._meta.get_field(previous_name).verbose_name
                }
            previous_name, previous_date = name, value
        if self.key_threshold and self.key_holders and self.key_threshold > self.key_holders:
            errors["key_threshold"] = _("More shares cannot be needed than there are key holders.")
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
    def rules_frozen(self) -> bool:
        """Once the roll is frozen (voting opened), the rules only change through `election_rules_correct`."""
        return self.roll_frozen_at is not None or self.status not in {
            self.Status.DRAFT,
            self.Status.CANDIDACY,
            self.Status.CANDIDATES_PUBLISHED,
        }

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
        KEY_CREATED = "key_created", _("key ceremony held")
        KEY_SHARE_CHECKED = "key_share_checked", _("key share checked")
        BALLOT_BOX_OPENED = "ballot_box_opened", _("online ballot box opened")
        SETTINGS_CHANGED = "settings_changed", _("settings changed")
        RULES_CORRECTED = "rules_corrected", _("rules corrected after the freeze")
        STATION_CHANGED = "station_changed", _("polling station changed")

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
