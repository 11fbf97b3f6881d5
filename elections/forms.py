"""Forms of elections: plain Django forms; the services do the checking that needs the database."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import LabelledCaptchaInput
from portal.models import Person

from .models import Candidacy


def captcha_field() -> CaptchaField:
    return CaptchaField(label=_("Type the letters of the image"), widget=LabelledCaptchaInput)


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidacyDetailsForm(forms.Form):
    """What the candidate chooses to show: one label after the name, a short statement, a photo."""

    label = forms.ChoiceField(
        label=_("What is shown after your name"), choices=Candidacy.Label.choices, widget=forms.RadioSelect
    )
    association = forms.CharField(
        label=_("Name of the association"),
        max_length=200,
        required=False,
        help_text=_("Only if you chose “an association”."),
    )
    statement = forms.CharField(
        label=_("Short statement (optional)"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 600 characters. Shown on the candidate list."),
    )
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)


class ApplyForm(CandidacyDetailsForm):
    confirm = forms.BooleanField(
        label=_("I want to be a candidate and I will sign the charter of democratic values."), required=True
    )


class PaperCandidacyForm(CandidacyDetailsForm):
    person_ref = forms.CharField(
        label=_("Register reference of the person"),
        max_length=60,
        help_text=_("As in the rental system (for example P-0042)."),
    )
    received_on = forms.DateField(label=_("Form received on"), widget=DATE_INPUT)

    def clean_person_ref(self) -> Person:
        ref = self.cleaned_data["person_ref"].strip()
        person = Person.objects.filter(external_ref__iexact=ref).first()
        if person is None:
            raise forms.ValidationError(_("No person with this reference in the register."))
        return person


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    charter_signed = forms.BooleanField(label=_("Charter of democratic values signed"), required=False)
    court_check_done = forms.BooleanField(
        label=_("Checked: no final court decision for failing tenant obligations"), required=False
    )
    reason = forms.CharField(
        label=_("Reason (required for a refusal; the candidate reads it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RollAddForm(forms.Form):
    person_ref = PaperCandidacyForm.base_fields["person_ref"]
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)
    clean_person_ref = PaperCandidacyForm.clean_person_ref


class RollRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class VoterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, street or voting code"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "type": "search"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Personal voting code"),
        max_length=30,
        help_text=_("On your invitation letter, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    birth_date = forms.DateField(label=_("Your date of birth"), widget=DATE_INPUT)
    captcha = captcha_field()


class AccountVoterForm(forms.Form):
    birth_date = forms.DateField(label=_("Your date of birth"), widget=DATE_INPUT)


class BallotForm(forms.Form):
    """Up to N candidates; nothing ticked is a blank vote (confirmed on the next page)."""

    candidates = forms.MultipleChoiceField(
        label=_("Candidates"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidacies, max_choices: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_choices = max_choices
        self.fields["candidates"].choices = [(str(c.pk), c.display_name) for c in candidacies]

    def clean_candidates(self) -> list[int]:
        chosen = [int(v) for v in self.cleaned_data["candidates"]]
        if len(chosen) > self.max_choices:
            raise forms.ValidationError(
                _("You chose %(chosen)d candidates: you may choose %(max)d at most.")
                % {"chosen": len(chosen), "max": self.max_choices}
            )
        return chosen


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=30)
    captcha = captcha_field()


class StationCountForm(forms.Form):
    ballots = forms.IntegerField(label=_("Ballots in the box"), min_value=0)
    blank = forms.IntegerField(label=_("Blank ballots"), min_value=0)
    void = forms.IntegerField(label=_("Void ballots"), min_value=0)
    explanation = forms.CharField(
        label=_("Explanation if the number of ballots differs from the check-ins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidacies, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidacies = list(candidacies)
        for candidacy in self.candidacies:
            self.fields[f"votes_{candidacy.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": candidacy.display_name}, min_value=0
            )

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidacies}


class RulesCorrectionForm(forms.Form):
    """What may still be corrected once the rules are frozen, with the reason written to the election log."""

    voting_closes_at = forms.DateTimeField(
        label=_("Voting closes at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Only later, and only before the current closing time has passed."),
    )
    complaints_end_on = forms.DateField(
        label=_("Complaint period ends on"),
        widget=DATE_INPUT,
        help_text=_("Only later, and only before the period has ended."),
    )
    how_to_vote = forms.CharField(
        label=_("How to vote (public text)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("Written to the election log with the old and the new values."),
    )


def _share_input(**attrs) -> forms.PasswordInput:
    """A key share is typed (or read from its QR code by a scanner) without showing it to the room."""
    return forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false", **attrs})


class KeyCeremonyForm(forms.Form):
    """The names of the n key holders, and the committee's acknowledgement of what losing shares means."""

    def __init__(self, *args, holders: int, warning: str, replacing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.holders = holders
        for n in range(1, holders + 1):
            self.fields[f"holder_{n}"] = forms.CharField(
                label=_("Key holder %(n)d (name)") % {"n": n}, max_length=200
            )
        self.fields["understood"] = forms.BooleanField(label=warning)
        if replacing:
            self.fields["replace"] = forms.BooleanField(
                label=_(
                    "Hold the ceremony again: the key made before is replaced and its shares become useless."
                )
            )

    def holder_names(self) -> list[str]:
        return [self.cleaned_data[f"holder_{n}"] for n in range(1, self.holders + 1)]


class ShareForm(forms.Form):
    share = forms.CharField(
        label=_("Key share, as on the sheet"),
        max_length=80,
        help_text=_("For example 2-ABCD-EFGH-… Spaces, dashes and capitals do not matter."),
        widget=_share_input(),
    )


class BallotBoxOpenForm(forms.Form):
    """k shares, entered one after the other at the committee's desk, in one request: none is kept."""

    def __init__(self, *args, threshold: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.threshold = threshold
        for n in range(1, threshold + 1):
            self.fields[f"share_{n}"] = forms.CharField(
                label=_("Share of key holder %(n)d of %(k)d") % {"n": n, "k": threshold},
                max_length=80,
                required=False,
                widget=_share_input(),
            )

    def shares(self) -> list[str]:
        return [self.cleaned_data[f"share_{n}"] for n in range(1, self.threshold + 1)]
