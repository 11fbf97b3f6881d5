"""Accessibility audit with axe-core (bundled by axe-playwright-python) for browser tests."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()

#: WCAG 2.2 A/AA rules plus axe's best practices (landmarks, headings).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


def serious_violations(page) -> list[str]:
    """Serious or critical axe violations on the current page, one readable line each (empty when clean)."""
    results = _AXE.run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") in {"serious", "critical"}:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return lines


def assert_accessible(page) -> None:
    """Fail with the list of serious/critical violations, if any."""
    problems = serious_violations(page)
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
