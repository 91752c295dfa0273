"""Attacks through the browser: other users' data by every API call, form, link, reference,
list and WebSocket message that takes or shows its id; script in names, forms without their
CSRF token, the session cookie, password guessing, a cookie reused after logout, and hostile
export links."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.facts import LOGIN_FAILURE_LIMIT
from domain.platform_types import Ecosystem, Job, Seed, Template
from fixtures.accounts import Account
from fixtures.data import bad_seed_path, fake_people, template_text
from flows.attacks import (
    TARGET,
    Attempt,
    SocketProbe,
    any_of,
    cannot_download_export,
    cannot_open_by_link,
    cannot_watch,
    csrf_token_of,
    expect_form_refused,
    expect_no_file,
    expect_no_script_ran,
    expect_rate_limited,
    fail_logins_until_limited,
    refused_like_a_missing_id,
    session_cookie,
    strip_csrf_tokens,
    submit_login,
    watching_for_scripts,
)
from flows.faults import DASHBOARD_DATA
from flows.observatory import open_ecosystem
from pages.base import BasePage
from pages.dashboard import DashboardPage
from pages.exports import ExportsPage
from pages.jobs import JobPage, JobsPage, NewJobPage
from pages.login import LoginPage
from pages.observatory import EcosystemPage, ObservatoryPage
from pages.seeds import SeedsPage
from pages.templates import NewTemplatePage, TemplateEditorPage, TemplatesPage

pytestmark = [
    pytest.mark.security,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Security"),
]

ATTACKS: dict[str, Any] = json.loads(bad_seed_path("attacks.json").read_text(encoding="utf-8"))
PAYLOADS: list[str] = [payload["text"] for payload in ATTACKS["script_payloads"]]
#: A running job's pace: slow enough to run through the whole test, fast enough to publish often.
RUNNING_JOB = {"records": 5000, "records_per_second": 5, "budget_usd": 100.0}


@dataclass(frozen=True)
class OwnersData:
    """A first user and what they own: each kind of resource, in the states that matter."""

    owner: Account
    template: Template
    seed: Seed
    #: Stopped at its budget with records: exportable, and an alert on the owner's dashboard.
    job: Job
    #: Still running (at a few records a second) while the second user tries everything.
    running_job: Job
    ecosystem: Ecosystem
    #: Public, simulation running: the second user may watch and read it, never change it.
    public: Ecosystem
    #: What none of the second user's answers may hold: names, contents, the owner's email.
    secrets: tuple[str, ...]

    def ids(self) -> dict[str, int]:
        """The id of each resource, by the name the table gives its kind."""
        return {
            "template": self.template.id,
            "seed": self.seed.id,
            "job": self.job.id,
            "running job": self.running_job.id,
            "private ecosystem": self.ecosystem.id,
            "public ecosystem": self.public.id,
        }

    def as_the_owner_reads_it(self) -> dict[str, Any]:
        """Each resource as its owner reads it through the API, less what changes by itself."""
        api, ids = self.owner.api, self.ids()
        running = api.job(ids["running job"])
        characters = api.characters(ids["public ecosystem"], per_page=100)
        me = api.me()
        return {
            "template": api.template(ids["template"]),
            "seed": api.seed(ids["seed"]),
            "job": api.job(ids["job"]),
            "running job": {
                "template_id": running.template_id,
                "seed_id": running.seed_id,
                "budget_usd": running.budget_usd,
                "still running": running.status in ("queued", "running", "completed"),
            },
            "private ecosystem": api.ecosystem(ids["private ecosystem"]),
            "public ecosystem": api.ecosystem(ids["public ecosystem"]),
            "public characters": [(c.id, c.name, c.species) for c in characters],
            "account": {"email": me.email, "monthly_budget_usd": me.monthly_budget_usd},
        }


@dataclass(frozen=True)
class StrangersData:
    """The second user, with a template, a seed and a finished job of their own."""

    stranger: Account
    template: Template
    seed: Seed
    job: Job


@pytest.fixture
def owners_data(make_account, make_template, make_seed, make_job, make_ecosystem) -> OwnersData:
    """A first user with one of everything (see `OwnersData`)."""
    owner = make_account()
    mark = uuid.uuid4().hex[:8]
    body_marker, city = f"Ownerbody{mark}", f"Ownercity{mark}"
    template = make_template(
        owner, name=f"Owner template {mark}", body=template_text("persona.j2") + body_marker
    )
    rows = [{**person, "city": city} for person in fake_people(5)]
    seed = make_seed(owner, name="owner.csv", rows=rows, dataset_name=f"Owner seed {mark}")
    ids = {"template_id": template.id, "seed_id": seed.id}
    estimate = owner.api.test_template(template.id, seed_id=seed.id, rows=5)
    # A budget of about four records: the job stops at it with records to export.
    job = make_job(
        owner,
        **ids,
        records=50,
        budget_usd=round(estimate.cost_per_record_usd * 4, 6),
        until="budget_exceeded",
    )
    running_job = make_job(owner, **ids, **RUNNING_JOB, until="running")
    ecosystem = make_ecosystem(owner, name=f"Owner private ecosystem {mark}")
    hero = f"Ownerhero{mark}"
    owner.api.add_characters(ecosystem.id, [{"name": hero, "species": "elf", "traits": []}])
    public = make_ecosystem(owner, characters=3, name=f"Public {mark}", visibility="public")
    owner.api.set_simulation(public.id, running=True)
    secrets = (template.name, body_marker, seed.name, city, ecosystem.name, hero, owner.email)
    return OwnersData(owner, template, seed, job, running_job, ecosystem, public, secrets)


@pytest.fixture
def strangers_data(make_account, make_template, make_seed, make_job) -> StrangersData:
    """A second user with data of their own, so that their lists are not trivially empty."""
    stranger = make_account()
    mark = uuid.uuid4().hex[:8]
    template = make_template(stranger, name=f"Stranger template {mark}")
    seed = make_seed(stranger, dataset_name=f"Stranger seed {mark}")
    job = make_job(stranger, template_id=template.id, seed_id=seed.id, records=3, until="completed")
    return StrangersData(stranger, template, seed, job)


def authorisation_table(mine: StrangersData) -> list[Attempt]:
    """Every API call, form and reference that takes the id of another user's resource.

    `TARGET` marks where the other user's id goes; the second user's own ids fill the rest, so
    that only the reference under test is foreign.
    """
    own_template, own_seed = mine.template.id, mine.seed.id
    job = {"records": 1, "budget_usd": 1.0, "format": "jsonl", "records_per_second": 0}
    job_form = {**job, "budget_usd": "1.00"}
    editor = {"name": "Taken over", "body": "Taken {{ name }}", "seed_id": own_seed, "rows": 3}
    unsaved_test = {**editor, "seed_id": TARGET}
    hero = {"name": "Intruder", "species": "imp", "traits": ["sly"]}
    hero_form = {"name": "Intruder", "species": "imp", "traits": "sly"}
    public = "public ecosystem"
    # Writes to a public ecosystem: a stranger sees that it exists, so 403 is the honest answer.
    forbidden = {"refusal": 403, "like_missing": False}
    return [
        Attempt("template", "GET", "/api/v1/templates/{id}"),
        Attempt("template", "PUT", "/api/v1/templates/{id}", json={"name": "x", "body": "x"}),
        Attempt("template", "DELETE", "/api/v1/templates/{id}"),
        Attempt("template", "POST", "/api/v1/templates/{id}/test", json={"seed_id": own_seed}),
        Attempt(
            "template",
            "POST",
            "/api/v1/templates/{id}/test",
            json={"seed_id": own_seed, "body": "Unsaved {{ name }}"},
        ),
        Attempt(
            "template",
            "POST",
            "/api/v1/jobs",
            json={**job, "template_id": TARGET, "seed_id": own_seed},
            field="template_id",
        ),
        Attempt("template", "POST", "/templates/{id}", form=editor),
        Attempt("template", "POST", "/templates/{id}/test", form=editor),
        Attempt("template", "POST", "/templates/{id}/delete", form={}),
        Attempt(
            "template",
            "POST",
            "/jobs/new",
            form={**job_form, "template_id": TARGET, "seed_id": own_seed},
            refusal=422,
            field="template_id",
        ),
        Attempt("seed", "GET", "/api/v1/seeds/{id}"),
        Attempt("seed", "DELETE", "/api/v1/seeds/{id}"),
        Attempt(
            "seed",
            "POST",
            f"/api/v1/templates/{own_template}/test",
            json={"seed_id": TARGET, "rows": 3},
            field="seed_id",
        ),
        Attempt(
            "seed",
            "POST",
            "/api/v1/jobs",
            json={**job, "template_id": own_template, "seed_id": TARGET},
            field="seed_id",
        ),
        Attempt("seed", "POST", "/seeds/{id}/delete", form={}),
        Attempt("seed", "POST", "/templates/new/test", form=unsaved_test, field="seed_id"),
        Attempt(
            "seed", "POST", f"/templates/{own_template}/test", form=unsaved_test, field="seed_id"
        ),
        Attempt(
            "seed",
            "POST",
            "/jobs/new",
            form={**job_form, "template_id": own_template, "seed_id": TARGET},
            refusal=422,
            field="seed_id",
        ),
        Attempt("job", "GET", "/api/v1/jobs/{id}"),
        Attempt("job", "GET", "/api/v1/jobs/{id}/export"),
        Attempt("job", "GET", "/api/v1/jobs/{id}/export?format=jsonl"),
        Attempt("job", "GET", "/api/v1/jobs/{id}/export?format=csv"),
        Attempt("job", "POST", "/api/v1/jobs/{id}/cancel"),
        Attempt("running job", "GET", "/api/v1/jobs/{id}"),
        Attempt("running job", "POST", "/api/v1/jobs/{id}/cancel"),
        Attempt("running job", "POST", "/jobs/{id}/cancel", form={}),
        Attempt("private ecosystem", "GET", "/api/v1/ecosystems/{id}"),
        Attempt("private ecosystem", "PATCH", "/api/v1/ecosystems/{id}", json={"name": "Mine"}),
        Attempt(
            "private ecosystem", "PATCH", "/api/v1/ecosystems/{id}", json={"visibility": "public"}
        ),
        Attempt("private ecosystem", "DELETE", "/api/v1/ecosystems/{id}"),
        Attempt("private ecosystem", "GET", "/api/v1/ecosystems/{id}/characters"),
        Attempt("private ecosystem", "POST", "/api/v1/ecosystems/{id}/characters", json=hero),
        Attempt(
            "private ecosystem",
            "POST",
            "/api/v1/ecosystems/{id}/characters",
            json={"characters": [hero, hero]},
        ),
        Attempt(
            "private ecosystem",
            "POST",
            "/api/v1/ecosystems/{id}/simulation",
            json={"running": True},
        ),
        Attempt("private ecosystem", "GET", "/api/v1/ecosystems/{id}/interactions"),
        Attempt("private ecosystem", "POST", "/observatory/{id}/characters", form=hero_form),
        Attempt("private ecosystem", "POST", "/observatory/{id}/simulation", form={"running": 1}),
        Attempt(public, "PATCH", "/api/v1/ecosystems/{id}", json={"name": "Mine"}, **forbidden),
        Attempt(
            public,
            "PATCH",
            "/api/v1/ecosystems/{id}",
            json={"visibility": "private"},
            **forbidden,
        ),
        Attempt(public, "DELETE", "/api/v1/ecosystems/{id}", **forbidden),
        Attempt(public, "POST", "/api/v1/ecosystems/{id}/characters", json=hero, **forbidden),
        Attempt(
            public,
            "POST",
            "/api/v1/ecosystems/{id}/characters",
            json={"characters": [hero, hero]},
            **forbidden,
        ),
        Attempt(
            public,
            "POST",
            "/api/v1/ecosystems/{id}/simulation",
            json={"running": False},
            **forbidden,
        ),
        Attempt(public, "POST", "/observatory/{id}/characters", form=hero_form, **forbidden),
        Attempt(public, "POST", "/observatory/{id}/simulation", form={"running": 0}, **forbidden),
    ]


@allure.story("Another user's data")
@allure.severity(allure.severity_level.BLOCKER)
@pytest.mark.desktop
def test_second_user_cannot_read_change_or_use_the_first_users_data_by_api_form_or_socket(
    owners_data: OwnersData, strangers_data: StrangersData, page_for
) -> None:
    mine, theirs = strangers_data, owners_data
    ids = theirs.ids()
    before = theirs.as_the_owner_reads_it()
    page = page_for(mine.stranger)
    token = csrf_token_of(page)

    for attempt in authorisation_table(mine):
        refused_like_a_missing_id(
            page.request,
            attempt,
            target_id=ids[attempt.resource],
            secrets=theirs.secrets,
            csrf_token=token,
        )

    with allure.step("The other user's public ecosystem can be read"):
        public_id = theirs.public.id
        read = page.request.get(f"/api/v1/ecosystems/{public_id}")
        assert read.ok and read.json()["name"] == theirs.public.name, (
            f"another user's public ecosystem answered {read.status}: {read.text()[:200]}"
        )
        roster = page.request.get(f"/api/v1/ecosystems/{public_id}/characters").json()["data"]
        assert len(roster) == theirs.public.character_count, (
            f"another user's public roster lists {len(roster)} characters, "
            f"expected {theirs.public.character_count}"
        )
        feed = page.request.get(f"/api/v1/ecosystems/{public_id}/interactions")
        assert feed.ok, f"another user's public interactions answered {feed.status}"

    with allure.step("The socket: no private topic, the public one live, no one else's jobs"):
        private = ids["private ecosystem"]
        # The owner watching their private ecosystem: a topic with a subscriber already.
        owners_view = EcosystemPage(page_for(theirs.owner)).open(ecosystem_id=private)
        expect(owners_view.live_status, "the owner's ecosystem page is live").to_have_text("Live")
        page.goto(TemplatesPage.path)
        probe = SocketProbe(page).open()
        progress_before = theirs.owner.api.job(theirs.running_job.id).records_done
        cannot_watch(probe, topic=f"ecosystem:{TARGET}", target_id=private, secrets=theirs.secrets)
        topic = f"ecosystem:{public_id}"
        since = probe.send({"subscribe": topic})
        probe.wait_for("subscribed", since=since, where={"topic": topic}, what=f"watching {topic}")
        # Interactions pace the wait while the other user's job publishes its progress.
        for _ in range(20):
            since = len(probe.messages())
            probe.wait_for(
                "interaction",
                since=since,
                where={"ecosystem_id": public_id},
                what=f"the live feed of another user's public {topic}",
            )
            progress = theirs.owner.api.job(theirs.running_job.id).records_done
            if progress >= progress_before + 2:
                break
        assert progress >= progress_before + 2, "the other user's job made no progress"
        # The owner's own socket proves the platform pushed a dashboard nudge and a progress
        # event for the running job; anything sent to every socket is then already queued to
        # the second user's, ahead of the pong below.
        owner_probe = SocketProbe(owners_view.page).open()
        owner_probe.wait_for("dashboard.changed", what="the owner's nudge while their job runs")
        owner_probe.wait_for(
            "job.progress",
            where={"id": theirs.running_job.id},
            what="the owner's progress event of their running job",
        )
        since = probe.send({"ping": "barrier"})
        probe.wait_for("pong", since=since, what="the ping after the other user's progress")
        foreign = [
            message
            for message in probe.messages()
            if message["type"] == "dashboard.changed"
            or (message["type"] == "job.progress" and message["payload"]["id"] != mine.job.id)
        ]
        assert not foreign, (
            f"the second user's socket received the other user's events: {foreign[:3]}"
        )

    with allure.step("The second user's lists, dashboard and account hold only their own"):
        api = mine.stranger.api
        # The first (and, at 100 a page, only) page of each list.
        for path, lister, own in (
            ("/templates", api.templates, [mine.template.id]),
            ("/seeds", api.seeds, [mine.seed.id]),
            ("/jobs", api.jobs, [mine.job.id]),
        ):
            listed = [item.id for item in lister(per_page=100)]
            assert listed == own, f"GET /api/v1{path} lists {listed}; expected only {own}"
        ecosystems = [item.id for item in api.ecosystems(per_page=100)]
        assert public_id in ecosystems and theirs.ecosystem.id not in ecosystems, (
            f"GET /api/v1/ecosystems lists {ecosystems}: expected the other user's public "
            f"ecosystem {public_id} and not their private one {theirs.ecosystem.id}"
        )
        own_job = api.job(mine.job.id)
        dashboard = api.dashboard()
        shown = {
            key: getattr(dashboard, key) for key in ("running_jobs", "records_today", "alerts")
        }
        expected = {"running_jobs": 0, "records_today": own_job.records_done, "alerts": []}
        assert shown == expected, f"the dashboard data counts {shown}; expected {expected}"
        recent = [job.id for job in dashboard.recent_jobs]
        assert recent == [mine.job.id], (
            f"the dashboard's recent jobs are {recent}; expected only job {mine.job.id}"
        )
        assert dashboard.spent_usd == pytest.approx(own_job.cost_usd, abs=1e-6), (
            f"the dashboard counts ${dashboard.spent_usd} spent; the second user's only "
            f"job cost ${own_job.cost_usd}"
        )
        me = api.me().email
        assert me == mine.stranger.email, f"GET /api/v1/me answers {me}, not the signed-in user"
        # The owner's budget is in the snapshot: changing one's own must not touch theirs.
        api.set_monthly_budget(42.0)

    with allure.step("As its owner reads it, nothing of the first user's changed"):
        after = theirs.as_the_owner_reads_it()
        changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
        assert not changed, f"the second user's attempts changed the owner's data: {changed}"


@allure.story("Another user's data")
@allure.severity(allure.severity_level.BLOCKER)
@pytest.mark.desktop
def test_second_user_sees_nothing_of_the_first_users_data_on_any_screen(
    owners_data: OwnersData, strangers_data: StrangersData, page_for
) -> None:
    mine, theirs = strangers_data, owners_data
    page = page_for(mine.stranger)
    ids = theirs.ids()

    for kind, path in (
        ("template", "/templates/{id}"),
        ("seed", "/seeds/{id}"),
        ("job", "/jobs/{id}"),
        ("running job", "/jobs/{id}"),
        ("private ecosystem", "/observatory/{id}"),
    ):
        cannot_open_by_link(page, kind=kind, path=path, target_id=ids[kind], secrets=theirs.secrets)
    cannot_download_export(page, job_id=ids["job"], owner_job_name=theirs.template.name)

    with allure.step("The other user's public ecosystem can be watched, without owner tools"):
        view = EcosystemPage(page).open(ecosystem_id=ids["public ecosystem"])
        expect(view.main_heading).to_have_text(theirs.public.name)
        expect(view.roster.table.rows).to_have_count(theirs.public.character_count)
        expect(view.simulation_status).to_have_text("running")
        for control in (view.start_button, view.pause_button, view.add_character_button):
            expect(control, "a stranger is offered an owner's control").to_have_count(0)

    their_jobs = re.compile(rf"^Job #({ids['job']}|{ids['running job']})$")

    def shows_none_of_theirs(screen: BasePage) -> None:
        main = page.get_by_role("main")
        leaks = f"{screen.path} shows a name or contents of the other user's"
        expect(main, leaks).not_to_contain_text(any_of(theirs.secrets))
        links = main.get_by_role("link", name=their_jobs)
        expect(links, f"{screen.path} links to the other user's job").to_have_count(0)

    with allure.step("Each listing screen shows the second user's own data and none of theirs"):
        templates = TemplatesPage(page).open().expect_loaded()
        shows_none_of_theirs(templates)
        expect(templates.names, "/templates lists").to_have_text([mine.template.name])
        seeds = SeedsPage(page).open().expect_loaded()
        shows_none_of_theirs(seeds)
        expect(seeds.table.rows, "/seeds lists the second user's seeds alone").to_have_count(1)
        for screen in (JobsPage, ExportsPage):
            listing = screen(page).open().expect_loaded()
            shows_none_of_theirs(listing)
            expect(listing.row_for(mine.job.id), f"{screen.path} lists").to_have_count(1)
            expect(listing.table.rows, f"{screen.path} lists one job").to_have_count(1)
        observatory = ObservatoryPage(page).open().expect_loaded()
        shows_none_of_theirs(observatory)
        expect(
            observatory.table.row_with_link(theirs.public.name),
            "the observatory lists another user's public ecosystem",
        ).to_have_count(1)

    with allure.step("The dashboard counts only the second user's own jobs"):
        dashboard = DashboardPage(page).open().expect_loaded()
        shows_none_of_theirs(dashboard)
        # The other user has a job running and one stopped at its budget right now.
        expect(
            dashboard.running_jobs_count, "running jobs count the second user's alone (none)"
        ).to_have_text("0")
        expect(
            dashboard.records_today_count, "records today count the second user's job alone"
        ).to_have_text(str(mine.job.records_done))
        expect(dashboard.recent_jobs.rows, "recent jobs list one job").to_have_count(1)
        expect(dashboard.recent_job_row(mine.job.id), "recent jobs list").to_have_count(1)
        expect(dashboard.alerts, "the dashboard alerts about another user's job").to_have_count(0)

    with allure.step("The comboboxes offer only the second user's templates and seeds"):
        # The other user's ids in the address must not preselect or reveal anything either.
        new_job = NewJobPage(page)
        page.goto(f"{NewJobPage.path}?template_id={ids['template']}&seed_id={ids['seed']}")
        new_job.expect_loaded()
        shows_none_of_theirs(new_job)
        expect(
            new_job.template.get_by_role("option"), "the new job's Template options are"
        ).to_have_text([mine.template.name])
        expect(
            new_job.seed_dataset.get_by_role("option"), "the new job's Seed dataset options are"
        ).to_have_text([mine.seed.name])
        own = {"template_id": mine.template.id}
        for editor, params in ((NewTemplatePage, {}), (TemplateEditorPage, own)):
            panel = editor(page).open(**params).expect_loaded().test_panel
            expect(panel.seed_options, f"{editor.path} offers").to_have_text([mine.seed.name])


@allure.story("Script in names")
@allure.severity(allure.severity_level.CRITICAL)
def test_script_in_template_names_shows_as_text_and_never_runs(
    page_for, make_account, make_template, make_seed, make_job
) -> None:
    account = make_account()
    seed = make_seed(account)
    templates = [make_template(account, name=payload) for payload in PAYLOADS]
    jobs = [
        make_job(account, template_id=template.id, seed_id=seed.id, records=2, until="completed")
        for template in templates
    ]
    page = page_for(account)

    # On each screen: first that nothing ran, then that the payload reads as typed.
    with watching_for_scripts(page) as watch:
        with allure.step("Templates: each name is a link reading the payload"):
            listing = TemplatesPage(page).open().expect_loaded()
            expect_no_script_ran(page, watch, where=TemplatesPage.path)
            for payload in PAYLOADS:
                expect(
                    listing.table.root.get_by_role("link", name=payload, exact=True),
                    f"no link reads {payload!r}",
                ).to_be_visible()
        with allure.step("The editor holds each name as the Name field's value"):
            for template, payload in zip(templates, PAYLOADS, strict=True):
                editor = TemplateEditorPage(page).open(template_id=template.id).expect_loaded()
                expect_no_script_ran(page, watch, where=f"/templates/{template.id}")
                expect(editor.name).to_have_value(payload)
        with allure.step("New job: each name is an option of the Template list"):
            new_job = NewJobPage(page).open().expect_loaded()
            expect_no_script_ran(page, watch, where=NewJobPage.path)
            for payload in PAYLOADS:
                expect(
                    new_job.template.get_by_role("option", name=payload, exact=True),
                    f"no option reads {payload!r}",
                ).to_be_attached()
        with allure.step("Jobs and each job's page show the template's name as text"):
            jobs_page = JobsPage(page).open().expect_loaded()
            expect_no_script_ran(page, watch, where=JobsPage.path)
            for job, payload in zip(jobs, PAYLOADS, strict=True):
                row = jobs_page.row_for(job.id)
                expect(jobs_page.table.cell(row, "Template")).to_have_text(payload)
            for job, payload in zip(jobs, PAYLOADS, strict=True):
                JobPage(page).open(job_id=job.id).expect_loaded()
                expect_no_script_ran(page, watch, where=f"/jobs/{job.id}")
                expect(
                    page.get_by_role("link", name=payload, exact=True), f"no link reads {payload!r}"
                ).to_be_visible()
        with allure.step("The dashboard renders recent jobs from its data request as text"):
            with page.expect_response(DASHBOARD_DATA) as data:
                dashboard = DashboardPage(page).open().expect_loaded()
            # The data's time stamp on screen means the script has redrawn the table from it.
            expect(dashboard.last_updated).to_have_attribute(
                "datetime", data.value.json()["generated_at"]
            )
            expect_no_script_ran(page, watch, where=DashboardPage.path)
            for job, payload in zip(jobs, PAYLOADS, strict=True):
                row = dashboard.recent_job_row(job.id)
                expect(dashboard.recent_jobs.cell(row, "Template")).to_have_text(payload)


@allure.story("Script in names")
@allure.severity(allure.severity_level.CRITICAL)
def test_script_in_character_names_shows_as_text_live_and_on_reload(
    page_for, make_account, make_ecosystem
) -> None:
    account = make_account()
    ecosystem = make_ecosystem(account, name=PAYLOADS[0])
    account.api.add_characters(
        ecosystem.id,
        [{"name": payload, "species": "sprite", "traits": ["sly"]} for payload in PAYLOADS],
    )
    page = page_for(account)

    with watching_for_scripts(page) as watch:
        with allure.step("The roster shows each character's name as text"):
            view = open_ecosystem(page, ecosystem.id)
            expect(view.main_heading).to_have_text(PAYLOADS[0])
            for payload in PAYLOADS:
                expect(view.roster.row(payload)).to_have_count(1)
        with allure.step("Interactions between them arrive live and read as text"):
            shown = view.feed.items.count()
            account.api.set_simulation(ecosystem.id, running=True)
            expect(view.feed.items, "no interaction arrived live").not_to_have_count(shown)
            newest = view.feed.newest_summary()
            assert any(payload in newest for payload in PAYLOADS), (
                f"the newest interaction {newest!r} does not name the characters as typed"
            )
            expect_no_script_ran(page, watch, where="the live interaction feed")
        with allure.step("After a reload the server-rendered feed reads as text too"):
            account.api.set_simulation(ecosystem.id, running=False)
            page.reload()
            view.expect_loaded()
            expect(view.feed.item(newest).first).to_be_visible()
            expect_no_script_ran(page, watch, where="the reloaded ecosystem page")


@allure.story("CSRF")
@allure.severity(allure.severity_level.BLOCKER)
def test_forms_and_api_calls_without_their_csrf_token_are_refused_and_change_nothing(
    page_for, make_account, make_template
) -> None:
    account = make_account()
    template = make_template(account, name="Kept template")
    page = page_for(account)

    with allure.step("Delete a template from a form stripped of its token: 403"):
        listing = TemplatesPage(page).open().expect_loaded()
        strip_csrf_tokens(page)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            listing.delete(template.name)
        assert answer.value.status == 403, f"the tokenless form was answered {answer.value.status}"
        expect_form_refused(page)
    with allure.step("Post the new-template form without a token: 403"):
        forged = page.request.post(
            "/templates/new", form={"name": "Forged template", "body": "Forged {{ name }}"}
        )
        assert forged.status == 403, f"a tokenless form post was answered {forged.status}"
    with allure.step("Call the API without the X-CSRF-Token header: 403 csrf_failed"):
        call = page.request.delete(f"/api/v1/templates/{template.id}")
        assert call.status == 403, f"a tokenless API call was answered {call.status}"
        assert call.json()["error"]["code"] == "csrf_failed"
    with allure.step("Nothing changed: the template is there, the forged one is not"):
        listing = TemplatesPage(page).open().expect_loaded()
        expect(listing.table.row(template.name)).to_have_count(1)
        expect(listing.table.row("Forged template")).to_have_count(0)


@allure.story("Session cookie")
@allure.severity(allure.severity_level.CRITICAL)
def test_session_cookie_set_at_login_is_http_only_and_same_site(page: Page, make_account) -> None:
    account = make_account()

    LoginPage(page).open().expect_loaded().log_in(
        email=account.email, password=account.password
    ).expect_loaded()

    cookie = session_cookie(page.context)
    assert cookie["httpOnly"] is True, f"the session cookie is not HttpOnly: {cookie}"
    assert cookie["sameSite"] == "Lax", f"the session cookie is SameSite={cookie['sameSite']}"
    script_view = page.evaluate("() => document.cookie")
    assert "session=" not in script_view, "page scripts can read the session cookie"


@allure.story("Password guessing")
@allure.severity(allure.severity_level.CRITICAL)
def test_repeated_wrong_passwords_are_rate_limited_with_when_to_retry(
    page: Page, make_account
) -> None:
    account = make_account()
    login = LoginPage(page).open().expect_loaded()

    fail_logins_until_limited(
        login,
        email=account.email,
        wrong_password=account.password + "-guess",
        allowed_failures=LOGIN_FAILURE_LIMIT,
    )

    with allure.step("While limited, even the right password is refused"):
        status, headers = submit_login(login, email=account.email, password=account.password)
        expect_rate_limited(login, status, headers)
        login.expect_loaded()


@allure.story("Logout")
@allure.severity(allure.severity_level.CRITICAL)
def test_a_cookie_copied_before_logout_is_useless_afterwards(
    page_for, make_account, new_context
) -> None:
    page = page_for(make_account())
    dashboard = DashboardPage(page).open().expect_loaded()
    stolen = session_cookie(page.context)

    with allure.step("The user logs out"):
        dashboard.navigation.log_out()
        LoginPage(page).expect_loaded()
    thief = new_context().new_page()
    thief.context.add_cookies([stolen])
    with allure.step("The API answers the copied cookie 401"):
        me = thief.request.get("/api/v1/me")
        assert me.status == 401, f"the copied cookie still reads /api/v1/me ({me.status})"
    with allure.step("A browser with the copied cookie is sent to log in"):
        thief.goto(DashboardPage.path)
        LoginPage(thief).expect_loaded()


@allure.story("Hostile export links")
@allure.severity(allure.severity_level.CRITICAL)
def test_export_links_with_traversal_or_unknown_ids_get_no_file(
    signed_in_page: Page, make_job
) -> None:
    own_job = make_job(records=2, until="completed")

    for hostile in ATTACKS["export_paths"]:
        path = hostile["path"].format(own_job_id=own_job.id)
        with allure.step(f"{hostile['id']}: {path}"):
            expect_no_file(
                signed_in_page.request.get(path),
                what=path,
                statuses=tuple(hostile["statuses"]),
                markers=tuple(ATTACKS["file_markers"]),
            )
