"""The annual call for collective projects: the public page, the call's settings and every record of an application.

`ProjectCallPage` (Wagtail) carries the public text; `Call` carries the rules the services enforce (dates, envelope,
maximum, eligible applicants and areas, criteria). Applications and everything after them are plain models; they
change only through `projectcall.services`.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from home.forms import PortalPageForm
from portal.models import Building, Language, Neighbourhood, Organisation, Person, Site
from portal.storage import private_storage


class ApplicantKind(models.TextChoices):
    TENANT = "tenant", _("a tenant")
    TENANT_GROUP = "tenant_group", _("a group of tenants")
    TENANT_COMMITTEE = "tenant_committee", _("a tenant committee")
    ASSOCIATION = "association", _("an association")
    SOCIAL_COHESION = "social_cohesion", _("a social cohesion project")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("not open yet")
    OPEN = "open", _("open for applications")
    REVIEW = "review", _("closed, under review")
    DECIDED = "decided", _("decided, projects running")
    FINISHED = "finished", _("finished")


class CallQuerySet(models.QuerySet["Call"]):
    def open_now(self) -> CallQuerySet:
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Call(ClusterableModel):
    """One yearly call: budget, eligibility and dates. The phase follows the dates (and the decision)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    envelope = models.DecimalField(_("budget envelope (EUR)"), max_digits=12, decimal_places=2)
    max_per_project = models.DecimalField(_("maximum per project (EUR)"), max_digits=12, decimal_places=2)
    eligible_kinds = models.JSONField(
        _("eligible applicants"),
        default=list,
        blank=True,
        help_text=_("Kinds of applicants who may apply; empty means everyone."),
    )
    eligible_neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="project_calls",
        verbose_name=_("eligible neighbourhoods"),
        help_text=_("Leave empty when every neighbourhood may apply."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes (deadline)"))
    decision_on = models.DateField(_("decision expected on"))
    projects_end_on = models.DateField(_("projects end on"))
    final_report_due_on = models.DateField(_("final report due on"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("project call")
        verbose_name_plural = _("project calls")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projectcall:call_detail", args=[self.year])

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The call must close after it opens.")
        if self.closes_at and self.decision_on and self.decision_on < timezone.localdate(self.closes_at):
            errors["decision_on"] = _("The decision comes after the call closes.")
        if self.decision_on and self.projects_end_on and self.projects_end_on <= self.decision_on:
            errors["projects_end_on"] = _("Projects end after the decision.")
        if (
            self.projects_end_on
            and self.final_report_due_on
            and self.final_report_due_on < self.projects_end_on
        ):
            errors["final_report_due_on"] = _("The final report is due after the projects end.")
        if self.envelope is not None and self.max_per_project is not None:
            if self.max_per_project <= 0 or self.envelope <= 0:
                errors["envelope"] = _("Amounts must be positive.")
            elif self.max_per_project > self.envelope:
                errors["max_per_project"] = _("The maximum per project cannot exceed the envelope.")
        if self.decided_at and self.closes_at and self.closes_at > timezone.now():
            errors["closes_at"] = _("The call is decided: it cannot be reopened.")
        unknown = set(self.eligible_kinds or []) - set(ApplicantKind.values)
        if unknown:
            errors["eligible_kinds"] = _("Unknown kind of applicant.")
        if errors:
            raise ValidationError(errors)

    def phase_at(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now < self.closes_at:
            return Phase.OPEN
        if self.decided_at is None:
            return Phase.REVIEW
        if timezone.localdate(now) <= self.final_report_due_on:
            return Phase.DECIDED
        return Phase.FINISHED

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN

    def kind_is_eligible(self, kind: str) -> bool:
        return not self.eligible_kinds or kind in self.eligible_kinds

    def eligible_kind_labels(self) -> list[str]:
        return [str(ApplicantKind(k).label) for k in self.eligible_kinds or ApplicantKind.values]


class Criterion(Orderable):
    call = ParentalKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what reviewers look at"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("weight")]

    def __str__(self) -> str:
        return f"{self.name} (x{self.weight})"


class ProjectCallPage(Page):
    """The public text of a call: introduction, rules, FAQ and downloadable documents."""

    base_form_class = PortalPageForm

    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pages",
        verbose_name=_("call"),
        help_text=_("The call whose dates, budget and application form this page shows."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    rules = RichTextField(_("rules"), blank=True)
    faq = StreamField(
        [
            (
                "question",
                blocks.StructBlock(
                    [
                        ("question", blocks.CharBlock(label=_("question"))),
                        ("answer", blocks.RichTextBlock(label=_("answer"))),
                    ],
                    label=_("question and answer"),
                ),
            )
        ],
        blank=True,
        use_json_field=True,
        verbose_name=_("frequently asked questions"),
    )
    documents = StreamField(
        [("document", DocumentChooserBlock(label=_("document")))],
        blank=True,
        use_json_field=True,
        verbose_name=_("documents to download"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("call"),
        FieldPanel("intro"),
        FieldPanel("rules"),
        FieldPanel("faq"),
        FieldPanel("documents"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "projectcall/project_call_page.html"

    class Meta:
        verbose_name = _("project call page")

    def get_context(self, request, *args, **kwargs):
        from . import permissions

        context = super().get_context(request, *args, **kwargs)
        context["call"] = self.call
        context["can_apply"] = self.call is not None and permissions.can_start_application(
            request.user, self.call
        )
        return context


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to_applicant(self, user) -> ApplicationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(owner=user) | Q(organisation__members=user)).distinct()

    def funded(self) -> ApplicationQuerySet:
        return self.filter(status=Application.Status.FUNDED)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        ELIGIBLE = "eligible", _("eligible, under review")
        INELIGIBLE = "ineligible", _("not eligible")
        FUNDED = "funded", _("funded")
        REJECTED = "rejected", _("not funded")

    class ProjectStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    reference = models.CharField(_("reference number"), max_length=30, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="project_applications",
        verbose_name=_("account that manages the application"),
    )
    on_behalf_of = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_applications",
        verbose_name=_("filled in by a worker for"),
        help_text=_("The tenant (without e-mail) a worker fills this application in for."),
    )
    applicant_kind = models.CharField(
        _("who applies"), max_length=30, choices=ApplicantKind.choices, default=ApplicantKind.TENANT
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_applications",
        verbose_name=_("organisation"),
    )
    group_name = models.CharField(_("name of the group"), max_length=200, blank=True)
    title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("neighbourhood")
    )
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("site"))
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("building")
    )
    beneficiaries = models.TextField(_("who benefits and how"), blank=True)
    beneficiaries_count = models.PositiveIntegerField(_("how many people benefit"), null=True, blank=True)
    activities = models.TextField(_("activities"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    co_funding = models.DecimalField(
        _("other funding (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0"), blank=True
    )
    co_funding_source = models.CharField(_("where the other funding comes from"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    language = models.CharField(
        _("language for messages"), max_length=2, choices=Language.choices, default="fr"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    project_status = models.CharField(
        _("project status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "status"], name="application_call_status_idx")]

    def __str__(self) -> str:
        return self.reference or self.title or str(_("Draft application"))

    def get_absolute_url(self) -> str:
        return reverse("projectcall:application_detail", args=[self.pk])

    @property
    def requested_total(self) -> Decimal:
        cached = getattr(self, "_requested_total", None)
        if cached is not None:
            return cached
        return self.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    @property
    def applicant_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.group_name:
            return self.group_name
        if self.on_behalf_of_id:
            return self.on_behalf_of.full_name
        return self.contact_name or self.owner.get_full_name() or self.owner.get_username()

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT or (
            self.status == self.Status.SUBMITTED and self.call.is_open
        )


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("application")
    )
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["application", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


def attachment_path(instance: Attachment, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projectcall/{instance.application_id}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", _("price quote")
        STATUTES = "statutes", _("statutes of the association")
        LETTER = "letter", _("letter of support")
        PHOTO = "photo", _("photo or drawing")
        OTHER = "other", _("other document")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    kind = models.CharField(_("type of document"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CoachingRequest(models.Model):
    class Help(models.TextChoices):
        WRITING = "writing", _("writing the application")
        BUDGET = "budget", _("making the budget")
        PARTNERS = "partners", _("finding partners")
        ORGANISING = "organising", _("organising the activities")
        OTHER = "other", _("something else")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="coaching", verbose_name=_("application")
    )
    help_kind = models.CharField(_("what kind of help"), max_length=20, choices=Help.choices)
    details = models.TextField(_("tell us more"), blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_applications",
        verbose_name=_("coach"),
    )
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("coaching request")
        verbose_name_plural = _("coaching requests")

    def __str__(self) -> str:
        return f"{self.application} - {self.get_help_kind_display()}"


class Message(models.Model):
    """A message in the private thread of an application (applicant and coach / workers)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="messages", verbose_name=_("application")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    from_staff = models.BooleanField(_("from a worker"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.application} {self.created_at:%Y-%m-%d %H:%M}"


class EligibilityCheck(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="eligibility", verbose_name=_("application")
    )
    applicant_ok = models.BooleanField(_("the applicant may apply to this call"), default=False)
    area_ok = models.BooleanField(_("the project is in an eligible area"), default=False)
    budget_ok = models.BooleanField(_("the budget adds up and stays under the maximum"), default=False)
    complete_ok = models.BooleanField(_("the application is complete"), default=False)
    eligible = models.BooleanField(_("eligible"))
    reason = models.TextField(_("reason (sent to the applicant when not eligible)"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")

    def __str__(self) -> str:
        return f"{self.application}: {'eligible' if self.eligible else 'not eligible'}"


class ConflictDeclaration(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reviewer")
    )
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    note = models.CharField(_("explanation"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="unique_conflict_declaration")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.application}"


class Review(models.Model):
    """One reviewer's scoring of one application; editable until submitted, then final."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    comment = models.TextField(_("general comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="unique_review")]

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.application}"


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(
        _("score (0 to 5)"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="unique_score")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision", verbose_name=_("application")
    )
    funded = models.BooleanField(_("funded"))
    amount = models.DecimalField(
        _("amount granted (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    motivation = models.TextField(_("motivation"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.amount}"


class ProgressReport(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress update")
        FINAL = "final", _("final report")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for the worker")
        ACCEPTED = "accepted", _("accepted")
        CHANGES = "changes", _("changes asked")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reports", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    text = models.TextField(_("what happened"))
    amount_spent = models.DecimalField(
        _("amount spent so far (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    photo = models.ImageField(
        _("photo"), storage=private_storage, upload_to="projectcall/reports/", blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("worker's comment"), blank=True)

    class Meta:
        ordering = ["application", "submitted_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.application} - {self.get_kind_display()}"


class Idea(models.Model):
    """The idea box: a few lines from a tenant not ready to apply; a worker answers or coaches it into an application."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ANSWERED = "answered", _("answered")
        CONVERTED = "converted", _("turned into an application")

    title = models.CharField(_("your idea in a few words"), max_length=200)
    description = models.TextField(_("tell us more"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("neighbourhood")
    )
    name = models.CharField(_("your name"), max_length=200, blank=True)
    contact = models.CharField(
        _("how can we reach you?"), max_length=200, blank=True, help_text=_("E-mail or phone number.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_ideas",
        verbose_name=_("account"),
    )
    language = models.CharField(
        _("language for messages"), max_length=2, choices=Language.choices, default="fr"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="idea"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title
