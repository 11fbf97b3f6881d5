"""The Wagtail admin is not a second door: records that change through a service are read-only there.

A record with services (a meeting, a topic suggestion, an action point, an application, an idea...) changes only
through them: they refuse what the lifecycle forbids, tell the tenants concerned, and write the audit log. The
generic admin views would skip all of that, so an app registers `ServiceOnlyPermissionPolicy` for such a model
(Wagtail asks the policy before it shows a button or serves a view): nobody may add, edit or delete it in the admin,
except through the write actions the app's own admin views perform through its services (`writes`, e.g. the
meeting's edit view calls `meeting_update`). Listing and inspecting stay for whoever may view or change the model.

`StaffScreenLinks` adds, to a viewset's inspect or edit view, header buttons to the staff screens that do the
changes (the app's subclass gives them in `get_staff_links`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import cached_property
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy

WRITE_ACTIONS = frozenset({"add", "change", "delete", "publish", "lock", "unlock"})


class ServiceOnlyPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, minus every write action the app's services do not back in the admin."""

    def __init__(self, model: Any, *, writes: Iterable[str] = (), auth_model: Any = None):
        super().__init__(model, auth_model=auth_model)
        self.writes = frozenset(writes)

    def _allowed(self, action: str) -> bool:
        return action not in WRITE_ACTIONS or action in self.writes

    def user_has_permission(self, user: Any, action: str) -> bool:
        if not self._allowed(action):
            return False
        if action == "view":
            # Workers hold "change" on these models (for the views that go through services): they may look.
            return super().user_has_permission(user, "view") or super().user_has_permission(user, "change")
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]):
        allowed = {action for action in actions if self._allowed(action)}
        if "view" in allowed:
            allowed.add("change")
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)


class StaffScreenLinks:
    """Mixin for a Wagtail inspect (or edit) view: header buttons to the staff screens (`get_staff_links`)."""

    def get_staff_links(self, instance: Any, user: Any) -> list[tuple[str, str]]:
        """(label, url) of the staff screens that change `instance` through its services, for this user."""
        return []

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        for label, url in self.get_staff_links(self.object, self.request.user):
            buttons.append(HeaderButton(label, url=url, icon_name="arrow-right"))
        return buttons
