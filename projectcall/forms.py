"""Forms of the project call. Each step of the application is its own small form."""

from __future__ import annotations

import json
from decimal import Decimal

from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal import roles
from portal.models import Building, Neighbourhood, Organisation, Person, Site

from .models import ApplicantKind, Application, Attachment, CoachingRequest, Criterion, Idea, ProgressReport


class ProjectStepForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["applicant_kind", "organisation", "group_name", "title", "summary"]
        help_texts = {
            "group_name": _(
                "Only for a group of tenants: the name you use, for example “Neighbours of Rue Haute 4”."
            ),
            "summary": _("In a few sentences: what do you want to do, and why?"),
        }

    def __init__(self, *args, user=None, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        organisations = Organisation.objects.none()
        if user is not None and user.is_authenticated:
            organisations = Organisation.objects.filter(members=user)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = False
        self.fields["organisation"].help_text = _(
            "For an association, committee or project you are a member of."
        )
        self.fields["applicant_kind"].widget = forms.RadioSelect(choices=ApplicantKind.choices)
        self.fields["title"].required = True

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind and self.call is not None and not self.call.kind_is_eligible(kind):
            self.add_error("applicant_kind", _("This call is not open to this kind of applicant."))
        if kind in ("tenant_committee", "association", "social_cohesion") and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation that applies."))
        if kind == "tenant_group" and not data.get("group_name", "").strip():
            self.add_error("group_name", _("Give the name of your group."))
        return data


class PlaceStepForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["neighbourhood", "site", "building", "beneficiaries", "beneficiaries_count"]
        help_texts = {
            "site": _("Optional: the group of buildings concerned."),
            "building": _("Optional: the building concerned."),
            "beneficiaries": _("For example: the children of the site, the older tenants of the building..."),
        }

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        hoods = Neighbourhood.objects.all()
        if call is not None and call.eligible_neighbourhoods.exists():
            hoods = call.eligible_neighbourhoods.all()
        self.fields["neighbourhood"].queryset = hoods
        self.fields["neighbourhood"].required = True
        self.fields["site"].queryset = Site.objects.select_related("neighbourhood")
        self.fields["building"].queryset = Building.objects.all()

    def clean(self):
        data = super().clean()
        hood, site, building = data.get("neighbourhood"), data.get("site"), data.get("building")
        if site and hood and site.neighbourhood_id != hood.pk:
            self.add_error("site", _("This site is not in the neighbourhood you chose."))
        if building and site and building.site_id != site.pk:
            self.add_error("building", _("This building is not on the site you chose."))
        if building and not site:
            data["site"] = building.site
        return data


class ActivitiesStepForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["activities", "timeline", "partners"]
        help_texts = {
            "activities": _("What will happen, step by step?"),
            "timeline": _("When: for example “March: first meeting; May to September: the garden...”."),
            "partners": _("Who helps you? An association, the municipality, a school..."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].required = True


class ContactStepForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["contact_name", "contact_email", "contact_phone", "contact_address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].required = True

    def clean(self):
        data = super().clean()
        if not (data.get("contact_email") or data.get("contact_phone") or data.get("contact_address")):
            self.add_error("contact_phone", _("Give an e-mail, a phone number or a postal address."))
        return data


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("What for"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), max_digits=12, decimal_places=2, required=False, min_value=Decimal("0.01")
    )

    def clean(self):
        data = super().clean()
        if data.get("item") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount of this line."))
        if data.get("amount") is not None and not data.get("item", "").strip():
            self.add_error("item", _("Say what this amount is for."))
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3, max_num=30, validate_max=True)


class BudgetExtraForm(forms.Form):
    declared_total = forms.DecimalField(
        label=_("Total you calculated (EUR)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Optional: we check that it matches the sum of the lines."),
    )
    co_funding = forms.DecimalField(
        label=_("Other funding (EUR)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=Decimal("0"),
    )
    co_funding_source = forms.CharField(
        label=_("Where the other funding comes from"), max_length=200, required=False
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, photo (JPG, PNG) or office document; 5 MB at most.")
    )


class CoachingForm(forms.ModelForm):
    class Meta:
        model = CoachingRequest
        fields = ["help_kind", "details"]
        widgets = {"help_kind": forms.RadioSelect}


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class EligibilityForm(forms.Form):
    applicant_ok = forms.BooleanField(label=_("The applicant may apply to this call"), required=False)
    area_ok = forms.BooleanField(label=_("The project is in an eligible area"), required=False)
    budget_ok = forms.BooleanField(label=_("The budget adds up and stays under the maximum"), required=False)
    complete_ok = forms.BooleanField(label=_("The application is complete"), required=False)
    eligible = forms.TypedChoiceField(
        label=_("Conclusion"),
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the applicant when not eligible)"), widget=forms.Textarea, required=False
    )


class CoachAssignForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = (
            get_user_model()
            .objects.filter(groups__name__in=[roles.COLLECTIVE_WORKERS, roles.ADMINISTRATORS], is_active=True)
            .distinct()
        )


class OnBehalfForm(forms.Form):
    person_ref = forms.CharField(
        label=_("Tenant's reference in the rental system"), max_length=60, help_text=_("For example P-1234.")
    )

    def clean_person_ref(self):
        ref = self.cleaned_data["person_ref"].strip()
        person = (
            Person.objects.current()
            .select_related("household__dwelling__building__site")
            .filter(external_ref=ref)
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("No current tenant has this reference."))
        self.person = person
        return ref


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        help_text=_("For example: you are a member of the group, a relative, or you work with them."),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Explanation (optional)"), max_length=300, required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("General comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, criteria: list[Criterion], initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_scores = initial_scores or {}
        for criterion in criteria:
            value, text = initial_scores.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(weight)s): score")
                % {"name": criterion.name, "weight": criterion.weight},
                help_text=criterion.description,
                choices=[("", "-")] + [(str(i), str(i)) for i in range(6)],
                coerce=int,
                empty_value=None,
                required=False,
                initial=value,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=text,
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.pk}")
            if value is not None:
                result[criterion.pk] = (value, self.cleaned_data.get(f"comment_{criterion.pk}", ""))
        return result

    def criterion_fields(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["kind", "text", "amount_spent", "photo"]
        widgets = {"kind": forms.RadioSelect}


class ReportReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your conclusion"),
        choices=[("yes", _("Accept the report")), ("no", _("Ask for changes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the project holders"), widget=forms.Textarea, required=False
    )


class ProjectStatusForm(forms.Form):
    project_status = forms.ChoiceField(label=_("Project status"), choices=Application.ProjectStatus.choices)


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "description", "neighbourhood", "name", "contact"]

    def __init__(self, *args, anonymous: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if anonymous:
            self.fields["captcha"] = CaptchaField(
                label=_("Type the letters you see in the picture"),
                help_text=_("This check keeps out automatic messages."),
            )


class IdeaAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea)


class ApplicantKindsWidget(forms.CheckboxSelectMultiple):
    """Tick boxes for `Call.eligible_kinds` (a JSON list) in the admin."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=ApplicantKind.choices)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return super().format_value(value or [])
