"""The tenant register (who lives where) and the append-only audit log shared by every app.

The register mirrors the housing company's rental system: neighbourhood > site > building > dwelling, and the
households that occupy a dwelling over time, with their members. Rows are never deleted when people leave: a
tenancy gets an end date, so "who was a tenant on date D" stays answerable (electoral rolls depend on it).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class BilingualName:
    """`name` in the active language from `name_fr` / `name_nl` (Dutch for Dutch, French otherwise)."""

    name_fr: str
    name_nl: str

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("nl"):
            return self.name_nl or self.name_fr
        return self.name_fr or self.name_nl


class Neighbourhood(BilingualName, models.Model):
    """A neighbourhood (quartier / wijk): the unit of monthly meetings and of news targeting."""

    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A group of buildings managed together (site / site)."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="sites", verbose_name=_("neighbourhood")
    )
    name = models.CharField(_("name"), max_length=120)
    external_ref = models.CharField(_("reference in the rental system"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building: one street address, possibly several entrances."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("site"))
    external_ref = models.CharField(_("reference in the rental system"), max_length=60, unique=True)
    street = models.CharField(_("street"), max_length=200)
    number = models.CharField(_("number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=10)
    municipality = models.CharField(_("municipality"), max_length=120)

    class Meta:
        ordering = ["street", "number"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        return f"{self.street} {self.number}, {self.postcode} {self.municipality}"

    @property
    def address_lines(self) -> list[str]:
        return [f"{self.street} {self.number}", f"{self.postcode} {self.municipality}"]


class Dwelling(models.Model):
    """A dwelling (unit) in a building."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="dwellings", verbose_name=_("building")
    )
    external_ref = models.CharField(_("reference in the rental system"), max_length=60, unique=True)
    unit = models.CharField(
        _("unit"), max_length=30, help_text=_("Box, floor or door, as on the letter box.")
    )

    class Meta:
        ordering = ["building", "unit"]
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")

    def __str__(self) -> str:
        return f"{self.building.street} {self.building.number} / {self.unit}"


class HouseholdQuerySet(models.QuerySet["Household"]):
    def current(self, on: datetime.date | None = None) -> HouseholdQuerySet:
        """Households occupying their dwelling on the given date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class Household(models.Model):
    """The occupancy of a dwelling by a household, from start_date to end_date (open while current)."""

    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="households", verbose_name=_("dwelling")
    )
    external_ref = models.CharField(_("reference in the rental system"), max_length=60, unique=True)
    start_date = models.DateField(_("start of the lease"))
    end_date = models.DateField(_("end of the lease"), null=True, blank=True)
    language = models.CharField(
        _("language for letters"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Left empty when unknown: letters are then printed in French and Dutch."),
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["dwelling", "-start_date"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["start_date", "end_date"], name="household_period_idx")]

    def __str__(self) -> str:
        return f"{self.external_ref} ({self.dwelling})"


class PersonQuerySet(models.QuerySet["Person"]):
    def current(self, on: datetime.date | None = None) -> PersonQuerySet:
        """Persons living in a dwelling of the company on the given date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(household__start_date__lte=on),
            Q(household__end_date__isnull=True) | Q(household__end_date__gte=on),
            Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )


class Person(models.Model):
    """A lease holder or registered member of a household."""

    class Role(models.TextChoices):
        LEASE_HOLDER = "lease_holder", _("lease holder")
        MEMBER = "member", _("household member")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    external_ref = models.CharField(_("reference in the rental system"), max_length=60, unique=True)
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    birth_date = models.DateField(_("date of birth"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    registered_on = models.DateField(
        _("registered at the company since"), help_text=_("Date of entry in the company's register.")
    )
    start_date = models.DateField(_("living in the dwelling since"))
    end_date = models.DateField(_("left on"), null=True, blank=True)
    language = models.CharField(_("preferred language"), max_length=2, choices=Language.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    email_opt_out = models.BooleanField(
        _("prefers letters"), default=False, help_text=_("Send letters even when an e-mail address is known.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(
        _("postal address"), blank=True, help_text=_("Only when letters must not go to the dwelling.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("linked account"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, on: datetime.date) -> int:
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Department(BilingualName, models.Model):
    """A department of the housing company (technical, maintenance, rents and charges...).

    Department staff propose agenda items and answer action points for their department.
    """

    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class WorkerAssignment(models.Model):
    """Which neighbourhoods a collective social worker covers (their scope in the admin)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="worker_assignments",
        verbose_name=_("worker"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="worker_assignments",
        verbose_name=_("neighbourhood"),
    )

    class Meta:
        verbose_name = _("worker assignment")
        verbose_name_plural = _("worker assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "neighbourhood"], name="unique_worker_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.neighbourhood}"


class Organisation(models.Model):
    """A partner organisation or tenant group: association, social cohesion project, tenant committee..."""

    class Kind(models.TextChoices):
        TENANT_GROUP = "tenant_group", _("group of tenants")
        TENANT_COMMITTEE = "tenant_committee", _("tenant committee")
        ASSOCIATION = "association", _("association")
        SOCIAL_COHESION = "social_cohesion", _("social cohesion project")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="organisations", verbose_name=_("neighbourhoods")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organisations", verbose_name=_("members")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    company_number = models.CharField(_("company number"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """Append-only log of decisions that matter (minutes published, application decided, roll corrected...).

    Written only by services through `portal.services.audit_record`; shown read-only in the admin. `on_behalf_of`
    records a worker acting for a tenant without e-mail.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    on_behalf_of = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class LinkingCodeQuerySet(models.QuerySet["LinkingCode"]):
    def usable(self, now: datetime.datetime | None = None) -> LinkingCodeQuerySet:
        """Codes not used yet and not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class LinkingCode(models.Model):
    """A one-time personal code printed on a letter so that a tenant can link their account to their register row.

    Only a keyed hash of the code is stored (`portal.accounts.linking.hash_code`): the plain code exists on paper only.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="linking_codes", verbose_name=_("person")
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = LinkingCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("linking code")
        verbose_name_plural = _("linking codes")

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})"


class LinkingAttempt(models.Model):
    """One try at linking an account with a code; failed tries are counted to stop guessing (per account, per IP)."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("linking attempt")
        verbose_name_plural = _("linking attempts")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.ip_address}"


# Notification batches and deliveries (portal/notifications/) and worker heartbeats (portal/worker/) live in
# their own modules.
from portal.notifications.models import Delivery, NotificationBatch  # noqa: E402, F401
from portal.worker.models import WorkerHeartbeat  # noqa: E402, F401
