"""Forms of the meetings app. Validation of the lifecycle lives in services; forms check shapes only."""

from __future__ import annotations

import datetime

from captcha.fields import CaptchaField
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Building, Department, Neighbourhood, Person, Site

from .models import ActionPoint, AgendaItem, Meeting, TopicSuggestion

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
]
WEEKS = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last"))]
MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    """Details of one meeting (planning or adjusting)."""

    class Meta:
        model = Meeting
        fields = [
            "neighbourhood",
            "sites",
            "title",
            "date",
            "starts_at",
            "ends_at",
            "place_name",
            "place_address",
            "accessibility",
            "online_url",
            "languages",
            "proposal_deadline",
            "invitation_days",
        ]
        widgets = {
            "date": DateInput(),
            "proposal_deadline": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "sites": forms.CheckboxSelectMultiple(),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal_deadline"].required = False
        self.fields["proposal_deadline"].help_text = _("Left empty: two weeks before the meeting.")
        self.fields["sites"].queryset = Site.objects.select_related("neighbourhood")
        if self.instance.pk:
            self.fields["neighbourhood"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("date") and not data.get("proposal_deadline"):
            from .models import default_proposal_days

            data["proposal_deadline"] = data["date"] - datetime.timedelta(days=default_proposal_days())
            self.instance.proposal_deadline = data["proposal_deadline"]
        return data


class SeriesForm(forms.Form):
    """A year of monthly meetings in one step: 'the second Tuesday of each month, 18:00-20:00'."""

    neighbourhood = forms.ModelChoiceField(Neighbourhood.objects.all(), label=_("Neighbourhood"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    first_month = forms.TypedChoiceField(choices=MONTHS, coerce=int, label=_("First month"))
    months = forms.IntegerField(label=_("Number of months"), min_value=1, max_value=24, initial=12)
    week = forms.TypedChoiceField(choices=WEEKS, coerce=int, label=_("Which week of the month"))
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label=_("Day of the week"))
    starts_at = forms.TimeField(label=_("Start time"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("End time"), widget=TimeInput())
    place_name = forms.CharField(label=_("Place"), max_length=200)
    place_address = forms.CharField(label=_("Address of the place"), max_length=300)
    accessibility = forms.CharField(
        label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    languages = forms.ChoiceField(choices=Meeting.Languages.choices, label=_("Languages of the meeting"))
    skip_months = forms.TypedMultipleChoiceField(
        choices=MONTHS,
        coerce=int,
        required=False,
        label=_("No meeting in"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example the summer holidays."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year + (1 if today.month == 12 else 0)
        self.fields["first_month"].initial = 1 if today.month == 12 else today.month + 1

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "department", "presenter", "estimated_minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
            self.fields["department"].required = True
            self.fields["department"].empty_label = None
        self.fields["estimated_minutes"].min_value = 1
        self.fields["estimated_minutes"].widget.attrs.update({"min": 1, "max": 180})


class SuggestionForm(forms.Form):
    """A tenant suggests a topic. Anonymous visitors also solve a captcha and may leave an e-mail address."""

    neighbourhood = forms.ModelChoiceField(Neighbourhood.objects.all(), label=_("Your neighbourhood"))
    building = forms.ModelChoiceField(
        Building.objects.select_related("site"),
        label=_("Building (optional)"),
        required=False,
        help_text=_("If the topic is about one building."),
    )
    title = forms.CharField(label=_("Your topic"), max_length=200, help_text=_("In a few words."))
    description = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, anonymous: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if anonymous:
            self.fields["contact_email"] = forms.EmailField(
                label=_("Your e-mail (optional)"),
                required=False,
                help_text=_("Only to tell you what happens to your topic. Never published."),
            )
            self.fields["captcha"] = CaptchaField(
                label=_("Type the letters you see in the picture"),
                error_messages={"invalid": _("The letters do not match the picture. Please try again.")},
            )

    def clean(self):
        data = super().clean()
        building, hood = data.get("building"), data.get("neighbourhood")
        if building and hood and building.site.neighbourhood_id != hood.pk:
            self.add_error("building", _("This building is not in the chosen neighbourhood."))
        return data


class PaperSuggestionForm(SuggestionForm):
    """A worker types in a topic from a paper note; the tenant, if known, gets the answer by their usual channel."""

    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=_("Tenant (optional)"),
        required=False,
        widget=forms.NumberInput,
        help_text=_("Number of the person in the register, to send them the answer."),
    )
    contact_name = forms.CharField(label=_("Name on the note (optional)"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, anonymous=False, **kwargs)
        self.fields["person"].queryset = Person.objects.all()


class SuggestionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (TopicSuggestion.Status.SCHEDULED, _("Put it on the agenda of a meeting")),
            (TopicSuggestion.Status.MERGED, _("Join it to an existing agenda item")),
            (TopicSuggestion.Status.DECLINED, _("Do not keep it")),
        ],
        widget=forms.RadioSelect,
    )
    meeting = forms.ModelChoiceField(Meeting.objects.none(), label=_("Meeting"), required=False)
    merge_into = forms.ModelChoiceField(AgendaItem.objects.none(), label=_("Agenda item"), required=False)
    answer = forms.CharField(
        label=_("Message to the tenant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the topic is not kept: explain why."),
    )

    def __init__(self, *args, suggestion: TopicSuggestion, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.filter(
            neighbourhood_id=suggestion.neighbourhood_id,
            status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED],
            date__gte=timezone.localdate(),
        ).select_related("neighbourhood")
        self.fields["meeting"].queryset = meetings
        self.fields["merge_into"].queryset = AgendaItem.objects.filter(
            meeting__in=meetings, status=AgendaItem.Status.ACCEPTED
        ).select_related("meeting")
        self.fields["merge_into"].label_from_instance = lambda item: (
            f"{item.meeting.date:%d/%m/%Y} – {item.title}"
        )


class AttendanceForm(forms.Form):
    tenants_present = forms.IntegerField(label=_("Number of tenants present"), min_value=0, max_value=5000)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.building_fields = []
        for building in buildings:
            name = f"building_{building.pk}"
            self.fields[name] = forms.IntegerField(
                label=str(building), min_value=0, max_value=5000, required=False
            )
            self.building_fields.append((building, name))

    def per_building(self) -> dict:
        return {b: self.cleaned_data.get(name) or 0 for b, name in self.building_fields}


class MinutesForm(forms.Form):
    """The draft minutes: introduction, then per agenda item what was said and decided (fields built per item)."""

    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Who led the meeting, general remarks. No personal matters: follow them up individually."
        ),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_fields = []
        for item in items:
            summary, decisions = f"summary_{item.pk}", f"decisions_{item.pk}"
            self.fields[summary] = forms.CharField(
                label=_("What was said"),
                required=False,
                initial=item.summary,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[decisions] = forms.CharField(
                label=_("Decisions"),
                required=False,
                initial=item.decisions,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.item_fields.append((item, self[summary], self[decisions]))

    def items_data(self) -> dict[int, dict[str, str]]:
        return {
            item.pk: {
                "summary": self.cleaned_data.get(f"summary_{item.pk}", ""),
                "decisions": self.cleaned_data.get(f"decisions_{item.pk}", ""),
            }
            for item, _s, _d in self.item_fields
        }


class ActionPointForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["agenda_item", "description", "department", "responsible", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.items.accepted()
        self.fields["agenda_item"].required = False
        self.fields["department"].queryset = Department.objects.all()


class ActionPointStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionPoint.Status.choices, label=_("Status"))
    note = forms.CharField(
        label=_("News for the tenants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What happened, in plain words. Published on the action points page."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the tenants invited)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to send the minutes back."),
    )


class SpeakerForm(forms.Form):
    name = forms.CharField(
        label=_("Who asks to speak"),
        max_length=80,
        help_text=_("A first name or a short description. Deleted after the meeting."),
    )
