"""The "Tenant register" menu of the Wagtail admin: the register's records as snippets (list, filters, search,
edit with history) and the import of the rental system's export (`portal.admin_views`).

Other apps may add entries to the menu group with the `register_tenant_register_menu_item` hook.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from portal.notifications import wagtail_hooks as notifications_hooks  # noqa: F401  (Mailings menu)

from . import admin_views
from .models import Building, Department, Dwelling, Household, Neighbourhood, Organisation, Person, Site
from .permissions import can_manage_register

MENU_HOOK = "register_tenant_register_menu_item"


class WordsSearchIndexView(IndexView):
    """Database search where every word must match one of the search fields ("fatima haute" finds Fatima
    living Rue Haute), instead of the whole query matching a single field."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        for word in self.search_query.split():
            query = Q()
            for field in self.search_fields or []:
                query |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(query)
        return queryset.distinct()


class RegisterViewSet(SnippetViewSet):
    index_view_class = WordsSearchIndexView
    search_backend_name = None  # plain database queries over search_fields, no search index to keep in sync
    list_per_page = 50


STATUS_CHOICES = [("current", _("Current")), ("former", _("Former"))]


class PeriodFilterSet(WagtailFilterSet):
    """Current or former (by start and end dates, today), plus the place filters of the subclass."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")

    def filter_status(self, queryset, name, value):
        current = queryset.current(timezone.localdate())
        if value == "current":
            return current
        if value == "former":
            return queryset.exclude(pk__in=current.values("pk"))
        return queryset


class PersonFilterSet(PeriodFilterSet):
    neighbourhood = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.all(),
        field_name="household__dwelling__building__site__neighbourhood",
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=Site.objects.all(), field_name="household__dwelling__building__site"
    )

    class Meta:
        model = Person
        fields = ["neighbourhood", "site", "status", "role"]


class HouseholdFilterSet(PeriodFilterSet):
    neighbourhood = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.all(),
        field_name="dwelling__building__site__neighbourhood",
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=Site.objects.all(), field_name="dwelling__building__site"
    )

    class Meta:
        model = Household
        fields = ["neighbourhood", "site", "status", "language"]


def _place_filterset(model, prefix: str):
    """A filter set on neighbourhood and site for a model reached from the building by `prefix`."""
    filters = {
        "neighbourhood": django_filters.ModelChoiceFilter(
            label=_("Neighbourhood"),
            queryset=Neighbourhood.objects.all(),
            field_name=f"{prefix}site__neighbourhood",
        ),
        "Meta": type("Meta", (), {"model": model, "fields": ["neighbourhood"]}),
    }
    if prefix:
        filters["site"] = django_filters.ModelChoiceFilter(
            label=_("Site"), queryset=Site.objects.all(), field_name=f"{prefix}site"
        )
        filters["Meta"].fields = ["neighbourhood", "site"]
    return type(f"{model.__name__}FilterSet", (WagtailFilterSet,), filters)


class StatusColumn(Column):
    """'Current' or 'Former' on today's date (households and persons)."""

    def get_value(self, instance):
        today = timezone.localdate()
        ended = instance.end_date is not None and instance.end_date < today
        if isinstance(instance, Person):
            household = instance.household
            ended = ended or (household.end_date is not None and household.end_date < today)
        return _("Former") if ended or instance.start_date > today else _("Current")


class PersonViewSet(RegisterViewSet):
    model = Person
    icon = "user"
    menu_label = _("Persons")
    url_prefix = "register/persons"
    list_display = [
        Column("full_name", label=_("Name"), accessor="full_name"),
        "external_ref",
        Column("address", label=_("Dwelling"), accessor="household.dwelling"),
        "role",
        StatusColumn("status", label=_("Status")),
    ]
    filterset_class = PersonFilterSet
    search_fields = [
        "first_name",
        "last_name",
        "external_ref",
        "email",
        "household__external_ref",
        "household__dwelling__external_ref",
        "household__dwelling__building__street",
        "household__dwelling__building__number",
        "household__dwelling__building__postcode",
        "household__dwelling__building__municipality",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
                FieldRowPanel([FieldPanel("birth_date"), FieldPanel("role")]),
                FieldPanel("external_ref"),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("household"),
                FieldRowPanel(
                    [FieldPanel("registered_on"), FieldPanel("start_date"), FieldPanel("end_date")]
                ),
            ],
            heading=_("Tenancy"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldPanel("email"),
                FieldPanel("email_opt_out"),
                FieldPanel("phone"),
                FieldPanel("postal_address"),
            ],
            heading=_("Contact"),
        ),
    ]

    def get_queryset(self, request):
        return Person.objects.select_related("household__dwelling__building")


class HouseholdViewSet(RegisterViewSet):
    model = Household
    icon = "home"
    menu_label = _("Households")
    url_prefix = "register/households"
    list_display = [
        "external_ref",
        "dwelling",
        "start_date",
        "end_date",
        "language",
        StatusColumn("status", label=_("Status")),
    ]
    filterset_class = HouseholdFilterSet
    search_fields = [
        "external_ref",
        "dwelling__external_ref",
        "dwelling__building__street",
        "dwelling__building__postcode",
        "members__last_name",
        "members__external_ref",
    ]
    panels = [
        FieldPanel("external_ref"),
        FieldPanel("dwelling"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("language"),
    ]

    def get_queryset(self, request):
        return Household.objects.select_related("dwelling__building")


class DwellingViewSet(RegisterViewSet):
    model = Dwelling
    icon = "doc-empty"
    menu_label = _("Dwellings")
    url_prefix = "register/dwellings"
    list_display = ["__str__", "external_ref", "unit"]
    filterset_class = _place_filterset(Dwelling, "building__")
    search_fields = ["external_ref", "unit", "building__street", "building__number", "building__postcode"]

    def get_queryset(self, request):
        return Dwelling.objects.select_related("building")


class BuildingViewSet(RegisterViewSet):
    model = Building
    icon = "group"
    menu_label = _("Buildings")
    url_prefix = "register/buildings"
    list_display = ["__str__", "external_ref", "site"]
    filterset_class = _place_filterset(Building, "")
    search_fields = ["external_ref", "street", "number", "postcode", "municipality", "site__name"]

    def get_queryset(self, request):
        return Building.objects.select_related("site")


class SiteViewSet(RegisterViewSet):
    model = Site
    icon = "site"
    menu_label = _("Sites")
    url_prefix = "register/sites"
    list_display = ["name", "external_ref", "neighbourhood"]
    list_filter = ["neighbourhood"]
    search_fields = ["name", "external_ref"]

    def get_queryset(self, request):
        return Site.objects.select_related("neighbourhood")


class NeighbourhoodViewSet(RegisterViewSet):
    model = Neighbourhood
    icon = "globe"
    menu_label = _("Neighbourhoods")
    url_prefix = "register/neighbourhoods"
    list_display = ["name_fr", "name_nl", "slug"]
    search_fields = ["name_fr", "name_nl", "slug"]
    panels = [
        FieldRowPanel([FieldPanel("name_fr"), FieldPanel("name_nl")]),
        FieldPanel("slug"),
        FieldPanel("description"),
    ]


class DepartmentViewSet(RegisterViewSet):
    model = Department
    icon = "cogs"
    menu_label = _("Departments")
    url_prefix = "register/departments"
    list_display = ["name_fr", "name_nl", "slug"]
    search_fields = ["name_fr", "name_nl", "slug"]


class OrganisationViewSet(RegisterViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    url_prefix = "register/organisations"
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind", "neighbourhoods"]
    search_fields = ["name", "email", "company_number"]


class TenantRegisterGroup(SnippetViewSetGroup):
    menu_label = _("Tenant register")
    menu_icon = "group"
    menu_name = "tenant-register"
    menu_order = 250
    submenu_hook = MENU_HOOK
    items = (
        PersonViewSet,
        HouseholdViewSet,
        DwellingViewSet,
        BuildingViewSet,
        SiteViewSet,
        NeighbourhoodViewSet,
        DepartmentViewSet,
        OrganisationViewSet,
    )


register_snippet(TenantRegisterGroup)


class RegisterImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_register(request.user)


@hooks.register(MENU_HOOK)
def register_import_menu_item():
    return RegisterImportMenuItem(
        _("Import from the rental system"), reverse("portal_register_import"), icon_name="upload", order=900
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("register/import/", admin_views.ImportUploadView.as_view(), name="portal_register_import"),
        path(
            "register/import/<str:token>/",
            admin_views.ImportReportView.as_view(),
            name="portal_register_import_report",
        ),
        path(
            "register/import/<str:token>/done/",
            admin_views.ImportResultView.as_view(),
            name="portal_register_import_result",
        ),
    ]
