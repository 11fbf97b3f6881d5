"""Forms shared by the portal: sign-up, account linking, account deletion, organisation profile, and
`OnBehalfOfMixin` for forms a collective worker fills in for a tenant without e-mail.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .accounts.rules import can_act_on_behalf_of, persons_covered_by
from .models import Neighbourhood, Organisation, Person

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"]


class LabelledCaptchaInput(CaptchaTextInput):
    """The captcha with a real <label> on its text box (Django would otherwise render a fieldset and legend,
    leaving the text box without a label for screen readers). Shared by every anonymous form."""

    use_fieldset = False

    def id_for_label(self, id_):
        """The label points at the box the visitor types in (`_1`), not at the hidden key (`_0`)."""
        return f"{id_}_1" if id_ else id_


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]) with a captcha against robots, shown last."""

    captcha = CaptchaField(
        widget=LabelledCaptchaInput,
        label=_("Type the letters you see in the picture"),
        help_text=_("This check keeps robots from creating accounts."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["captcha"] = self.fields.pop("captcha")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        building = obj.household.dwelling.building
        return f"{obj.last_name} {obj.first_name} ({obj.birth_date:%d/%m/%Y}), {building.street} {building.number}"


class OnBehalfOfMixin:
    """Adds a "for which tenant" chooser to a form when a collective worker fills it in.

    Pass `user=request.user` when building the form. For a collective worker the form gets an `on_behalf_of` field
    listing the current tenants of the neighbourhoods they cover; for anyone else nothing changes and
    `on_behalf_of_person()` returns None. Give the result to a service, which records it with
    `portal.services.audit_record(..., on_behalf_of=person)`.

    Set `on_behalf_of_required = True` on forms that only make sense for a tenant (e.g. a data export).
    """

    on_behalf_of_required = False

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = user
        if user is not None and can_act_on_behalf_of(user):
            self.fields["on_behalf_of"] = PersonChoiceField(
                queryset=persons_covered_by(user).order_by("last_name", "first_name"),
                required=self.on_behalf_of_required,
                label=_("On behalf of the tenant"),
                help_text=_("Choose the tenant you are helping (for example someone without e-mail)."),
            )

    def on_behalf_of_person(self) -> Person | None:
        return self.cleaned_data.get("on_behalf_of") if "on_behalf_of" in self.fields else None


class OnBehalfExportForm(OnBehalfOfMixin, forms.Form):
    """A worker downloads the data the portal holds about a tenant who asked for it at the office."""

    on_behalf_of_required = True


class LinkAccountForm(forms.Form):
    code = forms.CharField(
        label=_("Personal code"),
        max_length=30,
        help_text=_("The code printed on the letter from the housing company, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    birth_date = forms.DateField(
        label=_("Your date of birth"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("For example 31/12/1960."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be removed and that this cannot be undone."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password


class OrganisationProfileForm(forms.ModelForm):
    neighbourhoods = forms.ModelMultipleChoiceField(
        queryset=Neighbourhood.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Neighbourhoods where you are active"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "email", "phone", "address", "neighbourhoods"]


class OrganisationInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the new member"),
        help_text=_("They must already have an account on this site with this address."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if not get_user_model().objects.filter(emailaddress__email__iexact=email, is_active=True).exists():
            raise forms.ValidationError(
                _("No account uses this address. Ask the person to create an account first, then try again."),
                code="unknown",
            )
        return email


class WorkerLinkForm(forms.Form):
    """A worker links a tenant's account after checking their identity document."""

    person = PersonChoiceField(queryset=Person.objects.none(), label=_("Tenant"))
    email = forms.EmailField(label=_("E-mail address of the tenant's account"))
    identity_checked = forms.BooleanField(label=_("I have checked the tenant's identity document."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons_covered_by(user).filter(user__isnull=True)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        account = get_user_model().objects.filter(emailaddress__email__iexact=email, is_active=True).first()
        if account is None:
            raise forms.ValidationError(_("No account uses this address."), code="unknown")
        return account


class WorkerUnlinkForm(forms.Form):
    """A worker removes the link between a tenant and an account (mistake, or the account is not theirs)."""

    linked_person = PersonChoiceField(queryset=Person.objects.none(), label=_("Tenant with a linked account"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["linked_person"].queryset = persons_covered_by(user).filter(user__isnull=False)


class LinkingLettersForm(forms.Form):
    """A worker prints letters with personal codes for the tenants of a neighbourhood."""

    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.none(), label=_("Neighbourhood"))
    only_unlinked = forms.BooleanField(
        label=_("Only tenants who have not linked an account yet"), required=False, initial=True
    )
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, initial=16)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hood_ids = persons_covered_by(user).values("household__dwelling__building__site__neighbourhood")
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(pk__in=hood_ids)
