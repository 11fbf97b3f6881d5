"""Monthly tenant meetings: planning, agenda preparation, the meeting itself, minutes and action points.

Plain models with an explicit lifecycle (`Meeting.Status`, `Meeting.MinutesStatus`); every state change goes
through `meetings.services` (atomic, locked, audit-logged). Public pages are served by `meetings.views`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Building, Department, Neighbourhood, Person, Site


def default_invitation_days() -> int:
    return getattr(settings, "MEETINGS_INVITATION_DAYS", 10)


def default_proposal_days() -> int:
    return getattr(settings, "MEETINGS_PROPOSAL_DAYS", 14)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def public(self) -> MeetingQuerySet:
        """Meetings visible on the public site (every status; cancelled ones stay visible with their notice)."""
        return self.select_related("neighbourhood")

    def upcoming(self, today: datetime.date | None = None) -> MeetingQuerySet:
        today = today or timezone.localdate()
        return (
            self.public()
            .filter(date__gte=today)
            .exclude(status=Meeting.Status.HELD)
            .exclude(status=Meeting.Status.MINUTES_PUBLISHED)
            .order_by("date", "starts_at")
        )

    def past(self, today: datetime.date | None = None) -> MeetingQuerySet:
        today = today or timezone.localdate()
        return self.public().filter(
            Q(date__lt=today) | Q(status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED])
        )

    def with_public_agenda(self) -> MeetingQuerySet:
        """Prefetch the accepted agenda items (one query for any number of meetings)."""
        return self.prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.filter(status=AgendaItem.Status.ACCEPTED).select_related(
                    "department"
                ),
                to_attr="public_items",
            )
        )

    def search(self, query: str) -> MeetingQuerySet:
        query = (query or "").strip()
        if not query:
            return self
        matching = AgendaItem.objects.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(decisions__icontains=query),
            status=AgendaItem.Status.ACCEPTED,
        ).values("meeting_id")
        return self.filter(
            Q(title__icontains=query) | Q(minutes_introduction__icontains=query) | Q(pk__in=matching)
        )


class Meeting(models.Model):
    """One tenant meeting of a neighbourhood (optionally only some of its sites)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        AGENDA_PUBLISHED = "agenda_published", _("agenda published")
        HELD = "held", _("held")
        MINUTES_PUBLISHED = "minutes_published", _("minutes published")
        CANCELLED = "cancelled", _("cancelled")

    class MinutesStatus(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("waiting for review")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    class Languages(models.TextChoices):
        FRENCH_DUTCH = "fr+nl", _("French and Dutch")
        FRENCH = "fr", _("French")
        DUTCH = "nl", _("Dutch")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("neighbourhood")
    )
    sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="meetings",
        verbose_name=_("only these sites"),
        help_text=_("Leave empty to invite the whole neighbourhood."),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Optional, for example 'Meeting about the renovation'."),
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    place_name = models.CharField(_("place"), max_length=200, help_text=_("For example: community room."))
    place_address = models.CharField(_("address of the place"), max_length=300)
    accessibility = models.TextField(
        _("accessibility"), blank=True, help_text=_("Lift, steps, toilets, hearing loop, how to get there.")
    )
    online_url = models.URLField(_("online link"), blank=True)
    languages = models.CharField(
        _("languages of the meeting"), max_length=5, choices=Languages.choices, default=Languages.FRENCH_DUTCH
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    proposal_deadline = models.DateField(
        _("deadline for agenda proposals"), help_text=_("Departments can propose items until this day.")
    )
    invitation_days = models.PositiveSmallIntegerField(
        _("invitation sent days ahead"), default=default_invitation_days
    )
    series = models.UUIDField(_("series"), null=True, blank=True, editable=False, db_index=True)

    agenda_published_at = models.DateTimeField(_("agenda published on"), null=True, blank=True)
    invitation_scheduled_for = models.DateTimeField(_("invitation scheduled for"), null=True, blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    held_recorded_at = models.DateTimeField(_("meeting recorded on"), null=True, blank=True)
    tenants_present = models.PositiveIntegerField(_("number of tenants present"), null=True, blank=True)

    minutes_status = models.CharField(
        _("minutes"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_introduction = models.TextField(
        _("introduction of the minutes"),
        blank=True,
        help_text=_(
            "Who led the meeting, general remarks. No personal matters: follow them up individually."
        ),
    )
    minutes_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_submitted_at = models.DateTimeField(_("minutes sent for review on"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_approved_at = models.DateTimeField(_("minutes approved on"), null=True, blank=True)
    minutes_review_note = models.TextField(_("review remarks"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published on"), null=True, blank=True)

    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("tenant meeting")
        verbose_name_plural = _("tenant meetings")
        indexes = [models.Index(fields=["neighbourhood", "date"], name="meeting_hood_date_idx")]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.date and self.proposal_deadline and self.proposal_deadline > self.date:
            errors["proposal_deadline"] = _(
                "The deadline for proposals must be on or before the meeting day."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self) -> str:
        from django.utils.formats import date_format

        if self.title:
            return self.title
        return _("Tenant meeting %(neighbourhood)s, %(date)s") % {
            "neighbourhood": self.neighbourhood.name,
            "date": date_format(self.date, "DATE_FORMAT"),
        }

    @property
    def starts(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))

    @property
    def ends(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.ends_at))

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split("+")

    @property
    def invitation_due_on(self) -> datetime.date:
        return self.date - datetime.timedelta(days=self.invitation_days)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def agenda_is_public(self) -> bool:
        return self.status in {self.Status.AGENDA_PUBLISHED, self.Status.HELD, self.Status.MINUTES_PUBLISHED}

    @property
    def minutes_are_public(self) -> bool:
        return self.status == self.Status.MINUTES_PUBLISHED

    def proposals_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.PLANNED and today <= self.proposal_deadline


class AttendanceCount(models.Model):
    """Tenants present from one building (optional detail of `Meeting.tenants_present`; no names)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building")
    )
    tenants_present = models.PositiveIntegerField(_("tenants present"))

    class Meta:
        ordering = ["building"]
        verbose_name = _("attendance per building")
        verbose_name_plural = _("attendance per building")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "building"], name="unique_attendance_building")
        ]

    def __str__(self) -> str:
        return f"{self.building}: {self.tenants_present}"


class TopicSuggestion(models.Model):
    """A topic a tenant would like to see on the agenda (online, anonymously, or from a paper note)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online, logged in")
        ANONYMOUS = "anonymous", _("online, anonymous")
        PAPER = "paper", _("paper note at the office")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        SCHEDULED = "scheduled", _("on the agenda")
        MERGED = "merged", _("merged with another topic")
        DECLINED = "declined", _("not kept")

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="topic_suggestions",
        verbose_name=_("neighbourhood"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    channel = models.CharField(_("received"), max_length=20, choices=Channel.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_suggestions",
        verbose_name=_("tenant"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail for the answer"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    agenda_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("agenda item"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")

    def __str__(self) -> str:
        return self.title


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def accepted(self) -> AgendaItemQuerySet:
        return self.filter(status=AgendaItem.Status.ACCEPTED)


class AgendaItem(models.Model):
    """One point of a meeting's agenda, and what the minutes say about it."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("from a department")
        TENANT = "tenant", _("suggested by tenants")
        FOLLOW_UP = "follow_up", _("follow-up")
        WORKER = "worker", _("from the collective workers")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        MERGED = "merged", _("merged")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("short description"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("department"),
    )
    presenter = models.CharField(_("presented by"), max_length=120, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    follow_up_of = models.ForeignKey(
        "ActionPoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_items",
        verbose_name=_("follow-up of"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_items"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed on"), default=timezone.now)
    summary = models.TextField(_("what was said"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "follow_up_of"],
                condition=Q(follow_up_of__isnull=False),
                name="unique_follow_up_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionPointQuerySet(models.QuerySet["ActionPoint"]):
    def unfinished(self) -> ActionPointQuerySet:
        return self.exclude(status=ActionPoint.Status.DONE)

    def public(self) -> ActionPointQuerySet:
        """Action points of published minutes only."""
        return self.filter(meeting__status=Meeting.Status.MINUTES_PUBLISHED).select_related(
            "meeting", "department", "agenda_item"
        )


class ActionPoint(models.Model):
    """Who will do what by when, promised at a meeting; followed up at the next meetings until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_points", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("agenda item"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="action_points", verbose_name=_("neighbourhood")
    )
    description = models.CharField(_("what"), max_length=300)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("department"),
    )
    responsible = models.CharField(
        _("who"), max_length=120, blank=True, help_text=_("A person or a service, if not a department.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(_("latest news"), blank=True)
    status_updated_at = models.DateTimeField(_("updated on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self) -> str:
        return self.description

    @property
    def who(self) -> str:
        parts = [str(self.department) if self.department_id else "", self.responsible]
        return " – ".join(p for p in parts if p)


class ActionPointUpdate(models.Model):
    """One status change of an action point (public history: what happened to what was promised)."""

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action point")
    )
    status = models.CharField(_("status"), max_length=20, choices=ActionPoint.Status.choices)
    note = models.TextField(_("news"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action point update")
        verbose_name_plural = _("action point updates")

    def __str__(self) -> str:
        return f"{self.action_point}: {self.get_status_display()}"


class SpeakerTurn(models.Model):
    """A request to speak on an agenda item. Names are kept only until the minutes are published."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("item")
    )
    name = models.CharField(_("name or description"), max_length=80)
    requested_at = models.DateTimeField(default=timezone.now)
    spoken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("speaking turn")
        verbose_name_plural = _("speaking turns")

    def __str__(self) -> str:
        return self.name
