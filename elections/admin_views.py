"""The Wagtail admin's views of elections and polling stations, wired to the services: the admin is not a second
door. Creating, changing and deleting go through `elections.services` (logged, refused once the rules are frozen);
a frozen election opens read-only (its inspect view), with the way to a correction on the election desk."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views import generic

from . import services
from .models import SETTINGS, Election


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """`form_valid` calls `save_instance` (a service) and shows its refusal on the form instead of saving."""

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as error:
            _add_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        response = self.save_action()
        return self.run_after_hook() or response


def _settings(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields if name in SETTINGS}


class ElectionCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return services.election_create(actor=self.request.user, **_settings(self.form))


class ElectionEditView(ServiceFormMixin, generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        election = get_object_or_404(Election, pk=unquote(str(kwargs[self.pk_url_kwarg])))
        if election.rules_frozen:
            messages.warning(
                request,
                _(
                    "The rules of this election are frozen since voting opened. A correction (closing time, "
                    "complaint period, public text) needs a reason: use “Correct the rules” on the election desk."
                ),
                buttons=[
                    messages.button(
                        reverse("elections:manage_rules", kwargs={"slug": election.slug}),
                        _("Correct the rules"),
                    )
                ],
            )
            return redirect(self.inspect_url_name, election.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        return services.election_settings_update(
            election=self.object, changes=_settings(self.form), actor=self.request.user
        )


class ElectionDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            services.election_delete(election=self.object, actor=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(self.index_url_name)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class StationCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return services.polling_station_save(station=self.form.instance, actor=self.request.user)


class StationEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self):
        return services.polling_station_save(station=self.form.instance, actor=self.request.user)


class StationDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            services.polling_station_delete(station=self.object, actor=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(self.index_url_name)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())
