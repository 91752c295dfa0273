"""Breaks that remove one protection: authorisation, escaping, CSRF, recovery; and one that
blinds the platform's own account of its time (Server-Timing), which load runs rely on."""

from __future__ import annotations

from breaks import Break, Edit, one_edit

_PROTECTIONS: tuple[Break, ...] = (
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

#: What a broadcast from the worker's threads needs in the hub; each break using it brings it.
_BROADCAST = Edit(
    "app/realtime.py",
    "    def publish_to_user_threadsafe(self, user_id: int, kind: str, payload: dict) -> None:\n",
    "    def publish_to_all_threadsafe(self, kind: str, payload: dict) -> None:\n"
    "        if self.loop is not None and not self.loop.is_closed():\n"
    "            text = encode_message(kind, payload)\n"
    "            for user_id in list(self._by_user):\n"
    "                self.loop.call_soon_threadsafe(self.send_to_user, user_id, text)\n"
    "\n"
    "    def publish_to_user_threadsafe(self, user_id: int, kind: str, payload: dict) -> None:\n",
)

AUTHORISATION: tuple[Break, ...] = (
    one_edit(
        "authz-seed-reference",
        "/templates/{id}",
        "protection",
        "a job and a template test may use another user's seed dataset by its id",
        path="app/services/templates.py",
        # load_seed_rows only: the seed read behind POST /jobs and the template test.
        old="        seed = session.get(Seed, seed_key)\n"
        "        if seed is None or seed.user_id != user_id:\n",
        new="        seed = session.get(Seed, seed_key)\n        if seed is None:\n",
    ),
    one_edit(
        "authz-job-template",
        "/jobs/new",
        "protection",
        "a job may be created from another user's template by its id",
        path="app/services/jobs.py",
        old="    if template is None or template.user_id != user_id:\n"
        "        raise NotFound(\n"
        '            f"Template {key} was not found.",\n',
        new="    if template is None:\n"
        "        raise NotFound(\n"
        '            f"Template {key} was not found.",\n',
    ),
    Break(
        name="authz-export",
        screen="/exports",
        kind="protection",
        what="the export reads the job straight from the database: anyone's job downloads",
        edits=(
            Edit(
                "app/api/jobs.py",
                "from app.errors import ValidationFailed\n",
                "from app.errors import NotFound, ValidationFailed\nfrom app.models import Job\n",
            ),
            Edit(
                "app/api/jobs.py",
                "    job = jobs.get_job(platform, user.id, job_id)\n"
                "    export_format = format or job.format\n",
                "    with platform.db.read() as session:\n"
                "        job = session.get(Job, job_id)\n"
                "    if job is None:\n"
                '        raise NotFound(f"Job {job_id} was not found.")\n'
                "    export_format = format or job.format\n",
            ),
        ),
    ),
    one_edit(
        "authz-cancel",
        "/jobs/{id}",
        "protection",
        "cancelling looks the job up by id alone: another user's job is cancelled, then 404",
        path="app/services/jobs.py",
        old='    """Stop a queued or running job; it keeps the records made so far."""\n'
        "    job = get_job(platform, user_id, job_id)\n",
        new='    """Stop a queued or running job; it keeps the records made so far."""\n'
        "    with platform.db.read() as session:\n"
        "        job = session.get(Job, job_id)\n"
        "    if job is None:\n"
        '        raise NotFound(f"Job {job_id} was not found.")\n',
    ),
    one_edit(
        "authz-public-writes",
        "/observatory/{id}",
        "protection",
        "the owner check guards private ecosystems only: anyone changes a public one",
        path="app/services/ecosystems.py",
        old='    if document["owner_id"] != user_id:\n',
        new='    if document["visibility"] == "private" and document["owner_id"] != user_id:\n',
    ),
    one_edit(
        "authz-public-simulation",
        "/observatory/{id}",
        "protection",
        "anyone who may watch a public ecosystem may start or pause its simulation",
        path="app/services/ecosystems.py",
        old="    owned_ecosystem(platform, user_id, ecosystem_id)\n"
        "    with platform.db.write() as session:\n"
        "        session.get(Ecosystem, ecosystem_id).running = running\n",
        new="    visible_ecosystem(platform, user_id, ecosystem_id)\n"
        "    with platform.db.write() as session:\n"
        "        session.get(Ecosystem, ecosystem_id).running = running\n",
    ),
    one_edit(
        "authz-public-characters",
        "/observatory/{id}",
        "protection",
        "anyone who may watch a public ecosystem may add characters to it",
        path="app/services/ecosystems.py",
        old='    """Add one or many characters (up to 1,000 at once); all or nothing."""\n'
        "    owned_ecosystem(platform, user_id, ecosystem_id)\n",
        new='    """Add one or many characters (up to 1,000 at once); all or nothing."""\n'
        "    visible_ecosystem(platform, user_id, ecosystem_id)\n",
    ),
    one_edit(
        "authz-roster",
        "API",
        "protection",
        "the characters of any ecosystem, private ones too, are listed by its id",
        path="app/api/ecosystems.py",
        old="    ecosystems.visible_ecosystem(platform, user.id, ecosystem_id)\n"
        "    rows, total = ecosystems.roster_page(\n",
        new="    rows, total = ecosystems.roster_page(\n",
    ),
    one_edit(
        "authz-interactions",
        "API",
        "protection",
        "the interaction history of any ecosystem, private ones too, is listed by its id",
        path="app/api/ecosystems.py",
        old="    ecosystems.visible_ecosystem(platform, user.id, ecosystem_id)\n"
        "    rows, total = ecosystems.interactions_page(\n",
        new="    rows, total = ecosystems.interactions_page(\n",
    ),
    one_edit(
        "authz-template-test-form",
        "/templates/{id}",
        "protection",
        "the editor's Test template form skips the template's owner check (it renders the body "
        "as typed anyway), so it answers for another user's template id",
        path="app/web/templates.py",
        old="    service.get_template(platform_of(request), user.id, template_id)\n"
        "    return _test(request, user, template_id, _form(name, body, seed_id, rows))\n",
        new="    return _test(request, user, template_id, _form(name, body, seed_id, rows))\n",
    ),
    one_edit(
        "authz-ws-subscribe",
        "WebSocket",
        "protection",
        "a topic someone already watches is joined without the visibility check",
        path="app/api/ws.py",
        # The kind of shortcut a crowd of subscribers tempts: the first one was checked.
        old="        if not await _may_watch(platform, connection.user_id, topic):\n",
        new="        if not platform.hub.subscriber_count(topic) and not await _may_watch(\n"
        "            platform, connection.user_id, topic\n"
        "        ):\n",
    ),
    Break(
        name="authz-ws-progress",
        screen="WebSocket",
        kind="protection",
        what="job.progress goes to every open socket, other users' too",
        edits=(
            _BROADCAST,
            Edit(
                "app/worker.py",
                "    platform.hub.publish_to_user_threadsafe("
                '''job.user_id, "job.progress", payload)\n''',
                '    platform.hub.publish_to_all_threadsafe("job.progress", payload)\n',
            ),
        ),
    ),
    Break(
        name="authz-ws-dashboard",
        screen="WebSocket",
        kind="protection",
        what="dashboard.changed (an empty nudge) goes to every open socket, other users' too",
        edits=(
            _BROADCAST,
            Edit(
                "app/worker.py",
                "        platform.hub.publish_to_user_threadsafe("
                '''job.user_id, "dashboard.changed", {})\n''',
                '        platform.hub.publish_to_all_threadsafe("dashboard.changed", {})\n',
            ),
        ),
    ),
    one_edit(
        "authz-observatory-list",
        "/observatory",
        "wrong-filter",
        "the observatory lists every ecosystem, other users' private ones too",
        path="app/services/ecosystems.py",
        # The count keeps its filter; only the rows' query lost it.
        old="            .outerjoin(counts, counts.c.ecosystem_id == Ecosystem.id)\n"
        "            .where(visible)\n",
        new="            .outerjoin(counts, counts.c.ecosystem_id == Ecosystem.id)\n",
    ),
    one_edit(
        "authz-exports-list",
        "/exports",
        "wrong-filter",
        "the exportable filter replaces the owner filter: every user's exports are listed",
        path="app/services/jobs.py",
        old="        conditions += [Job.status.in_(EXPORTABLE_STATUSES), Job.records_done > 0]\n",
        new="        conditions = [Job.status.in_(EXPORTABLE_STATUSES), Job.records_done > 0]\n",
    ),
    one_edit(
        "authz-seed-choices",
        "/jobs/new",
        "wrong-filter",
        "the seed comboboxes (new job, template test) offer every user's seed datasets",
        path="app/services/seeds.py",
        old="select(Seed.id, Seed.name).where(Seed.user_id == user_id).order_by(Seed.name)",
        new="select(Seed.id, Seed.name).order_by(Seed.name)",
    ),
    one_edit(
        "authz-dashboard-running",
        "/dashboard",
        "wrong-filter",
        "the dashboard's running jobs count every user's queued and running jobs",
        path="app/services/dashboard.py",
        old='            .where(Job.user_id == user_id, Job.status.in_(("queued", "running")))\n',
        new='            .where(Job.status.in_(("queued", "running")))\n',
    ),
    one_edit(
        "authz-dashboard-recent",
        "/dashboard",
        "wrong-filter",
        "the dashboard's recent jobs are every user's newest jobs",
        path="app/services/dashboard.py",
        old="            select(Job).where(Job.user_id == user_id).order_by(Job.id.desc())"
        ".limit(RECENT_JOBS)\n",
        new="            select(Job).order_by(Job.id.desc()).limit(RECENT_JOBS)\n",
    ),
    one_edit(
        "authz-delete-seed",
        "API",
        "protection",
        "DELETE /seeds/{id} deletes another user's seed dataset",
        path="app/services/seeds.py",
        old="        seed = session.get(Seed, seed_id)\n"
        "        if seed is None or seed.user_id != user_id:\n"
        '            raise NotFound(f"Seed dataset {seed_id} was not found.")\n'
        "        session.delete(seed)\n",
        new="        seed = session.get(Seed, seed_id)\n"
        "        if seed is None:\n"
        '            raise NotFound(f"Seed dataset {seed_id} was not found.")\n'
        "        session.delete(seed)\n",
    ),
    Break(
        name="authz-seed-forbidden",
        screen="/seeds/{id}",
        kind="protection",
        what="another user's seed answers 403 naming it, where an unknown one answers 404",
        edits=(
            Edit(
                "app/services/seeds.py",
                "from app.errors import NotFound, PayloadTooLarge, ValidationFailed\n",
                "from app.errors import Forbidden, NotFound, PayloadTooLarge, ValidationFailed\n",
            ),
            Edit(
                "app/services/seeds.py",
                "    if seed is None or seed.user_id != user_id:\n"
                '        raise NotFound(f"Seed dataset {seed_id} was not found.")\n'
                "    return seed\n",
                "    if seed is None:\n"
                '        raise NotFound(f"Seed dataset {seed_id} was not found.")\n'
                "    if seed.user_id != user_id:\n"
                '        raise Forbidden(f"{seed.name} belongs to another account.")\n'
                "    return seed\n",
            ),
        ),
    ),
)

SERVER_TIMING: tuple[Break, ...] = (
    one_edit(
        "server-timing-zero",
        "API",
        "state",
        "Server-Timing says every answer took no time (the start time is taken at the end)",
        path="app/timing.py",
        old="                took_ms = (time.perf_counter() - started) * 1000\n",
        new="                took_ms = (time.perf_counter() - time.perf_counter()) * 1000\n",
    ),
)

BREAKS: tuple[Break, ...] = _PROTECTIONS + AUTHORISATION + SERVER_TIMING
