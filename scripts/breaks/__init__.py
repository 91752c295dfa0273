"""The catalogue of deliberate platform bugs, one module per area of `docs/screens.md`.

Each entry is a realistic mistake a developer could make in `app/` (an off-by-one, a wrong
filter, a dropped event, a lost normalisation, a markup or style regression, a removed
protection), written as exact text replacements. `scripts/deliberate_breaks.py` applies one
at a time in a throwaway worktree and runs the whole default Chromium selection to see
whether anything notices; `tests/test_suite_breaks.py` keeps every entry applicable.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The kinds of mistake the catalogue spreads over.
KINDS = (
    "protection",  # a check removed: authorisation, escaping, CSRF
    "off-by-one",
    "wrong-filter",  # a wrong status set, owner filter or query condition
    "wrong-field",  # one value shown or stored in place of another
    "update-not-sent",  # a change made but not pushed, or a screen not refreshed
    "event-dropped",  # a pushed event ignored by a screen
    "truncation",
    "rounding",
    "normalisation",  # input not trimmed, not case-folded, not decoded
    "validation",  # a rule's boundary or class moved
    "markup",  # an element, role, label or accessible name wrong
    "css",  # a style regression
    "state",  # a status machine or recovery step wrong
)


@dataclass(frozen=True)
class Edit:
    """`old` becomes `new` in `path` (relative to the repository); `old` occurs exactly once."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Break:
    """One bug: what a user would see, the screen or rule it belongs to, and its edits."""

    name: str
    screen: str  # a path of docs/screens.md ("/jobs/{id}"), "API", "WebSocket" or "worker"
    kind: str
    what: str
    edits: tuple[Edit, ...]


def one_edit(name: str, screen: str, kind: str, what: str, *, path: str, old: str, new: str) -> Break:
    """A break made by a single replacement, the common case."""
    return Break(name=name, screen=screen, kind=kind, what=what, edits=(Edit(path, old, new),))
