"""Breaks only a person's glance notices: every role, name, text and value stays right, and the
screen looks wrong (a colour lost, a layout collapsed, text over text, a menu unreadable).

The visual checks of `e2e/test_visual.py` are what notice them.
"""

from __future__ import annotations

from breaks import one_edit

CSS = "app/web/static/app.css"

BREAKS = (
    one_edit(
        "look-completed-status-not-green",
        "/jobs/{id}",
        "css",
        "a completed job's status is shown in plain ink instead of green, like a running one",
        path=CSS,
        old=".status-completed { color: var(--ok); }\n",
        new="",
    ),
    one_edit(
        "look-field-error-grey",
        "every form",
        "css",
        "the message under a refused field is grey, not red: it reads like a hint",
        path=CSS,
        old=".field-error { color: var(--danger); margin: 0; font-size: .9rem; }",
        new=".field-error { color: var(--muted); margin: 0; font-size: .9rem; }",
    ),
    one_edit(
        "look-summary-tiles-stacked",
        "/dashboard",
        "css",
        "the dashboard's three summary tiles stack down the page instead of sitting in a row",
        path=CSS,
        old=".tiles { display: grid;",
        new=".tiles { display: block;",
    ),
    one_edit(
        "look-heading-overlaps-content",
        "every page",
        "css",
        "every page's heading is drawn over the first line of what follows it",
        path=CSS,
        old="h1 { font-size: 1.6rem; margin: 0 0 1rem; }",
        new="h1 { font-size: 1.6rem; margin: 0 0 -1.4rem; }",
    ),
    one_edit(
        "look-sign-up-button-plain",
        "/signup",
        "markup",
        'the "Sign up" button loses its primary style and looks like any secondary button',
        path="app/web/templates/signup.html",
        old='<button type="submit" class="primary">Sign up</button>',
        new='<button type="submit">Sign up</button>',
    ),
    one_edit(
        "look-open-menu-see-through",
        "every page",
        "css",
        "the phone menu opens without its dark panel: white links over the page, unreadable",
        path=CSS,
        old="top: 3rem; right: .5rem; left: .5rem; background: #111827;",
        new="top: 3rem; right: .5rem; left: .5rem;",
    ),
)
