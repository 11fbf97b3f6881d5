"""Walk the URLconf: every route of the site, filled with real objects, requested as each role.

`routes()` lists every URL pattern `get_resolver()` knows (ours, allauth's, Wagtail's admin and page serving...),
`addresses()` turns one into concrete paths with the values a `Fill` gives for its parameters, `TableWrites` tells
which database tables a request wrote to. Used by `test_staff_two_factor.py` (the second factor on every staff
URL, per role) and `test_get_writes_nothing.py` (no GET writes, per role).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

OUR_APPS = ("portal", "home", "meetings", "projectcall", "elections")
CSP = "Content-Security-Policy"


@dataclass(frozen=True)
class Route:
    """One URL pattern with the prefixes of the resolvers above it."""

    pieces: tuple[object, ...]  # the pattern objects from the root to the view, language prefix included
    view_name: str  # "namespace:name", or "" for an unnamed pattern
    callback: Callable

    @property
    def text(self) -> str:
        return "".join(str(piece) for piece in self.pieces)

    @property
    def is_admin(self) -> bool:
        return self.text.startswith("admin/")

    @property
    def model(self):
        """The model a Wagtail viewset's view works on (None for other views)."""
        model = getattr(self.callback, "view_initkwargs", {}).get("model") or getattr(
            getattr(self.callback, "view_class", None), "model", None
        )
        return model if hasattr(model, "_meta") else None

    @property
    def is_ours(self) -> bool:
        """A view of our apps, or a Wagtail viewset view over one of our models."""
        module = getattr(self.callback, "__module__", "") or ""
        model = self.model
        return module.split(".")[0] in OUR_APPS or (model is not None and model._meta.app_label in OUR_APPS)

    @property
    def parameters(self) -> list[str]:
        names = []
        for piece in self.pieces:
            if isinstance(piece, RoutePattern):
                names += re.findall(r"<(?:\w+:)?(\w+)>", piece._route)
            elif isinstance(piece, RegexPattern):
                regex = piece._regex
                names += [name or str(index) for index, name in enumerate(_group_names(regex))]
        return names

    @property
    def label(self) -> str:
        return self.view_name or self.text


def _group_names(regex: str) -> list[str]:
    """The capturing groups of a regex, in order: their name, or "" when unnamed."""
    names = []
    i = 0
    while i < len(regex):
        if regex[i] == "\\":
            i += 2
            continue
        if regex[i] == "(":
            named = re.match(r"\(\?P<(\w+)>", regex[i:])
            if named:
                names.append(named.group(1))
            elif not regex[i:].startswith("(?"):
                names.append("")
        i += 1
    return names


def _fill_regex(regex: str, values: list[str]) -> str:
    """A path matching `regex`: each outermost capturing group replaced by the next value."""
    out, i, values = [], 0, list(values)
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            out.append(regex[i + 1])
            i += 2
            continue
        if char == "(" and not regex[i:].startswith("(?:"):
            depth, j = 0, i
            while j < len(regex):
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0:
                    break
                j += 1
            out.append(values.pop(0))
            i = j + 1
            continue
        if char not in "^$":
            out.append(char)
        i += 1
    return "".join(out)


def _walk(patterns, pieces=(), namespace="") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, (*pieces, pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield Route((*pieces, pattern.pattern), name, pattern.callback)


def routes() -> list[Route]:
    """Every route of the URLconf, in the order Django tries them (language prefix: English)."""
    with translation.override("en"):
        return list(_walk(get_resolver().url_patterns))


def path_for(route: Route, values: dict[str, str]) -> str:
    """The concrete path of `route` with `values` for its parameters."""
    parts = []
    with translation.override("en"):
        for piece in route.pieces:
            if isinstance(piece, LocalePrefixPattern):
                parts.append(str(piece))
            elif isinstance(piece, RoutePattern):
                parts.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), piece._route))
            else:
                names = _group_names(piece._regex)
                group_values = [str(values[name or str(n)]) for n, name in enumerate(names)]
                parts.append(_fill_regex(piece._regex, group_values))
    return "/" + "".join(parts)


def _resolve(path: str):
    with translation.override("en"):
        return resolve(path)


@dataclass
class Address:
    route: Route
    path: str


@dataclass
class Fill:
    """Values for the parameters of routes: per view name and parameter, or per parameter for every view.

    A value is a list: the route is requested once per combination (several objects in different states).
    """

    by_view: dict[str, dict[str, list]] = field(default_factory=dict)
    by_parameter: dict[str, list] = field(default_factory=dict)
    by_model: Callable[[type, str], list] | None = None

    def values(self, route: Route, parameter: str) -> list | None:
        per_view = self.by_view.get(route.label, {})
        if parameter in per_view:
            return per_view[parameter]
        if self.by_model is not None and route.model is not None:
            found = self.by_model(route.model, parameter)
            if found is not None:
                return found
        return self.by_parameter.get(parameter)


def addresses(route: Route, fill: Fill) -> tuple[list[Address], list[str]]:
    """The paths to request for `route`, and the parameters `fill` had no value for."""
    parameters = route.parameters
    choices, missing = [], []
    for parameter in parameters:
        values = fill.values(route, parameter)
        if not values:
            missing.append(parameter)
        choices.append(values or [])
    if missing:
        return [], missing
    found = []
    for combination in itertools.product(*choices):
        path = path_for(route, dict(zip(parameters, combination, strict=True)))
        match = _resolve(path)
        assert match.func == route.callback, f"{path} resolves to {match.view_name}, not {route.label}"
        found.append(Address(route, path))
    return found, []


#: Dummy values for parameters whose pattern accepts only some words.
DUMMY_BY_NAME = {"fmt": "csv", "kind": "letters"}


def dummy_values(route: Route, regex_value: str = "1") -> dict[str, str]:
    """Values that merely resolve (for checks made before a view looks anything up)."""
    values = {}
    for piece in route.pieces:
        if isinstance(piece, RoutePattern):
            for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", piece._route):
                values[name] = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000000"}.get(
                    converter, DUMMY_BY_NAME.get(name, "x")
                )
        if isinstance(piece, RegexPattern):
            for index, name in enumerate(_group_names(piece._regex)):
                values[name or str(index)] = DUMMY_BY_NAME.get(name, regex_value)
    return values


def dummy_address(route: Route) -> Address | None:
    """One path for `route` built from dummy values, if it resolves back to the route's view (a route that an
    earlier one shadows has none)."""
    for regex_value in ("1", ""):
        try:
            path = path_for(route, dummy_values(route, regex_value))
            if _resolve(path).func == route.callback:
                return Address(route, path)
        except Exception:  # noqa: BLE001, S112 - try the next set of values
            continue
    return None


class TableWrites:
    """Rows inserted, updated or deleted per table by the current transaction so far (PostgreSQL's
    `pg_stat_xact_user_tables`, which also counts writes of rolled-back savepoints: an attempted write shows)."""

    QUERY = (
        "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
        "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    )

    @classmethod
    def snapshot(cls) -> dict[str, tuple[int, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(cls.QUERY)
            return {name: (ins, upd, dele) for name, ins, upd, dele in cursor.fetchall()}

    @staticmethod
    def difference(before: dict, after: dict) -> dict[str, str]:
        changed = {}
        for table, counts in after.items():
            old = before.get(table, (0, 0, 0))
            if counts != old:
                ins, upd, dele = (new - was for new, was in zip(counts, old, strict=True))
                changed[table] = f"+{ins} ~{upd} -{dele}"
        return changed


@dataclass
class Visit:
    """What one request did: its status, where it redirected, the tables it wrote to, what it queued."""

    address: Address
    status: int
    location: str
    writes: dict[str, str]
    on_commit: int
    csp: str = ""

    def __str__(self) -> str:
        extra = f" -> {self.location}" if self.location else ""
        return f"{self.address.path} ({self.address.route.label}): {self.status}{extra}"


def visit(client, address: Address, method: str = "get", *, watch: bool = True) -> Visit:
    """Request `address` with `client`; with `watch`, note the tables written and the callbacks queued for the
    commit (two more queries per request)."""
    from django.test import TestCase

    if not watch:
        response = getattr(client, method)(address.path)
        return Visit(
            address, response.status_code, response.get("Location", ""), {}, 0, response.get(CSP, "")
        )
    before = TableWrites.snapshot()
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = getattr(client, method)(address.path)
    after = TableWrites.snapshot()
    return Visit(
        address=address,
        status=response.status_code,
        location=response.get("Location", ""),
        writes=TableWrites.difference(before, after),
        on_commit=len(callbacks),
        csp=response.get(CSP, ""),
    )
