"""The admin form of the portal's Wagtail pages."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm


class NativeDateTimeInput(forms.DateTimeInput):
    """The browser's own date-and-time field (`<input type="datetime-local">`).

    Used for the publishing schedule: Wagtail's jQuery date picker stays open under the "Go live" field and covers
    the dialog's "Save schedule" button, so a click meant for the button picked a day of the calendar instead (typed
    5 December 08:00, saved 18 December). The browser's picker closes on any click outside it and shows dates the
    way the worker's browser is set up.
    """

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class PortalPageForm(WagtailAdminPageForm):
    """Every page type of the portal: the publishing schedule in native date-and-time fields."""

    schedule_fields = ("go_live_at", "expire_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.schedule_fields:
            if name in self.fields:
                self.fields[name].widget = NativeDateTimeInput()
