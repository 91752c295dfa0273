"""Accessibility: axe-core over a settled screen, and moving through a screen by keyboard.

Every audit attaches all of axe's violations to the Allure report as JSON, whatever their
impact; the journeys fail only on the serious and critical ones.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import allure
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

#: The impacts that fail a journey; "minor" and "moderate" are reported only.
FAILING_IMPACTS = frozenset({"serious", "critical"})
#: How many Tab presses may separate two controls on the longest screen.
MAX_TABS = 60

_AXE = Axe()
_TARGET = "__keyboardTarget"


@dataclass
class AuditReport:
    """The failing violations found on each screen audited so far."""

    failing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per failing rule and screen, with the elements it names."""
        lines = []
        for screen, violations in self.failing.items():
            for violation in violations:
                targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
                lines.append(
                    f"{screen}: {violation['id']} ({violation['impact']}) "
                    f"{violation['help']} — {targets}"
                )
        return "\n".join(lines)


def audit_screen(page: Page, *, screen: str, report: AuditReport) -> list[dict[str, Any]]:
    """Run axe over the page as it is now; attach every violation and remember failing ones.

    The caller waits for the screen to settle first (its heading, its live parts).
    """
    with allure.step(f"axe-core audits {screen}"):
        violations = _AXE.run(page).response["violations"]
        allure.attach(
            json.dumps(violations, indent=2),
            name=f"axe violations: {screen}",
            attachment_type=allure.attachment_type.JSON,
        )
        failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
        if failing:
            report.failing[screen] = failing
    return violations


_CONTROL_LINE = re.compile(r'^\s*- (?P<role>link|button) "(?P<name>(?:[^"\\]|\\.)*)"')
_URL_LINE = re.compile(r"^\s*- /url: (?P<url>.+)$")


def controls_sharing_a_name(snapshot: str) -> list[str]:
    """Controls in an ARIA snapshot whose accessible names do not tell them apart.

    Two buttons of one name on a screen act on different things (a "Delete" per row) unless
    the name says which; two links of one name are fine only when they lead to the same place.
    A person using a screen reader's list of links or buttons hears only these names.
    """
    targets: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    lines = snapshot.splitlines()
    for number, line in enumerate(lines):
        control = _CONTROL_LINE.match(line)
        if control is None:
            continue
        url = None
        if control["role"] == "link" and number + 1 < len(lines):
            found = _URL_LINE.match(lines[number + 1])
            url = found["url"].strip() if found else None
        targets[(control["role"], control["name"])].append(url)
    problems = []
    for (role, name), urls in targets.items():
        if len(urls) > 1 and (role == "button" or len(set(urls)) > 1):
            places = f" leading to {sorted({str(u) for u in urls})}" if role == "link" else ""
            problems.append(f'{len(urls)} {role}s are all named "{name}"{places}')
    return problems


def audit_control_names(page: Page, *, screen: str, report: AuditReport) -> list[str]:
    """Note every group of repeated controls in `<main>` whose names do not say what they act on."""
    with allure.step(f"Repeated controls on {screen} carry names that tell them apart"):
        problems = controls_sharing_a_name(page.locator("main").aria_snapshot())
        if problems:
            report.failing.setdefault(screen, []).append(
                {
                    "id": "control-names-alike",
                    "impact": "serious",
                    "help": "; ".join(problems),
                    "nodes": [],
                }
            )
    return problems


def tab_to(page: Page, target: Locator, *, what: str) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through the page;
    the focus must show a visible indicator when it gets there."""
    # Resolved once and kept by the page: finding an element by its role on every press
    # would cost more than the presses themselves.
    target.evaluate(f"(element) => {{ window.{_TARGET} = element; }}")
    for _ in range(MAX_TABS):
        if page.evaluate(f"() => document.activeElement === window.{_TARGET}"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"{MAX_TABS} presses of Tab never reached {what}")
    expect_visible_focus(page, what=what)


def expect_visible_focus(page: Page, *, what: str) -> None:
    """The focused element matches `:focus-visible` and draws an outline around itself."""
    outline = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                focusVisible: element.matches(':focus-visible'),
                style: style.outlineStyle,
                width: parseFloat(style.outlineWidth) || 0,
            };
        }"""
    )
    assert outline["focusVisible"], f"{what} has the focus but no :focus-visible indicator"
    assert outline["style"] != "none" and outline["width"] >= 2, (
        f"{what} shows no visible focus outline ({outline['style']} {outline['width']}px)"
    )


def press_on(page: Page, target: Locator, key: str, *, what: str) -> None:
    """Tab to `target` and press `key` on it (Enter for links and buttons, Space for boxes)."""
    tab_to(page, target, what=what)
    page.keyboard.press(key)


def type_into(page: Page, target: Locator, text: str, *, what: str, replace: bool = False) -> None:
    """Tab to a field and type `text`; with `replace`, select what it holds first."""
    tab_to(page, target, what=what)
    if replace:
        page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
