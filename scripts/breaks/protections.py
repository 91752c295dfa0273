"""Breaks that remove one protection: authorisation, escaping, CSRF, recovery."""

from __future__ import annotations

from breaks import Break, one_edit

BREAKS: tuple[Break, ...] = (
    one_edit(
        "authz-template",
        "/templates/{id}",
        "protection",
        "a template is found by id whoever owns it",
        path="app/services/templates.py",
        # get_template only: the read path both the screen and the API use.
        old="        template = session.get(Template, template_id)\n"
        "    if template is None or template.user_id != user_id:\n",
        new="        template = session.get(Template, template_id)\n    if template is None:\n",
    ),
    one_edit(
        "escape",
        "every page",
        "protection",
        "pages are rendered without HTML escaping",
        path="app/web/common.py",
        old='autoescape=select_autoescape(["html"])',
        new="autoescape=False",
    ),
    one_edit(
        "csrf-forms",
        "every form",
        "protection",
        "forms are accepted without their CSRF token",
        path="app/web/common.py",
        old="    if not tokens_match(session_of(request).csrf_token, token):\n",
        new="    if False:\n",
    ),
    one_edit(
        "csrf-api",
        "API",
        "protection",
        "API writes are accepted without the X-CSRF-Token header",
        path="app/api/deps.py",
        old='    if not tokens_match(session_of(request).csrf_token, request.headers.get("x-csrf-token")):\n',
        new="    if False:\n",
    ),
    one_edit(
        "resume",
        "worker",
        "state",
        "a resumed job starts again from record 0 instead of its checkpoint",
        path="app/worker.py",
        old="        done, cost = job.records_done, job.cost_usd\n",
        new="        done, cost = 0, 0.0\n",
    ),
    one_edit(
        "stale",
        "/dashboard",
        "state",
        "a failed dashboard refresh blanks the figures and shows no stale notice",
        path="app/web/static/js/dashboard.js",
        old="    failures += 1;\n    stale.hidden = false;\n",
        new="    failures += 1;\n    summary.replaceChildren();\n    stale.hidden = true;\n",
    ),
)
