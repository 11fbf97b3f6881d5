"""What the views of elections share: the election a page is about, and service refusals shown to the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Election


def errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def public_election(slug: str, user: Any) -> Election:
    election = get_object_or_404(Election, slug=slug)
    if election.status == Election.Status.DRAFT and not permissions.can_handle_candidacies(user):
        raise Http404
    return election


def staff_election(request: HttpRequest, slug: str, check: Callable[[Any], bool]) -> Election:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not check(request.user):
        raise PermissionDenied
    return get_object_or_404(Election, slug=slug)
