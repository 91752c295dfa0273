"""Attacks through the browser: other users' data by link and by API, script in names,
forms without their CSRF token, the session cookie, password guessing, a cookie reused
after logout, and hostile export links."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account
from fixtures.data import bad_seed_path
from flows.attacks import (
    OwnedResource,
    cannot_download_export,
    cannot_open_by_link,
    cannot_use_by_api,
    csrf_token_of,
    expect_form_refused,
    expect_no_file,
    expect_no_script_ran,
    expect_rate_limited,
    fail_logins_until_limited,
    session_cookie,
    strip_csrf_tokens,
    submit_login,
    watching_for_scripts,
)
from flows.faults import DASHBOARD_DATA
from flows.observatory import open_ecosystem
from pages.dashboard import DashboardPage
from pages.exports import ExportsPage
from pages.jobs import JobPage, JobsPage, NewJobPage
from pages.login import LoginPage
from pages.observatory import ObservatoryPage
from pages.seeds import SeedsPage
from pages.templates import TemplateEditorPage, TemplatesPage

pytestmark = [
    pytest.mark.security,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Security"),
]

ATTACKS: dict[str, Any] = json.loads(bad_seed_path("attacks.json").read_text(encoding="utf-8"))
PAYLOADS: list[str] = [payload["text"] for payload in ATTACKS["script_payloads"]]
#: The platform's login limit: failures allowed in a minute before it answers 429.
ALLOWED_LOGIN_FAILURES = 5
LISTING_SCREENS = (TemplatesPage, SeedsPage, JobsPage, ExportsPage, ObservatoryPage)


@dataclass(frozen=True)
class OwnersData:
    """A first user and what they own."""

    owner: Account
    template: dict[str, Any]
    seed: dict[str, Any]
    job: dict[str, Any]
    ecosystem: dict[str, Any]

    def resources(self) -> list[OwnedResource]:
        """Each owned thing with its page and API addresses."""
        template, seed, job, ecosystem = self.template, self.seed, self.job, self.ecosystem
        return [
            _owned("template", template["name"], page="templates", api="templates", of=template),
            _owned("seed", seed["name"], page="seeds", api="seeds", of=seed),
            # A job cannot be deleted; cancelling it is the change a stranger must not make.
            _owned("job", template["name"], page="jobs", api="jobs", of=job, write="POST /cancel"),
            _owned(
                "private ecosystem",
                ecosystem["name"],
                page="observatory",
                api="ecosystems",
                of=ecosystem,
            ),
        ]


def _owned(
    kind: str, name: str, *, page: str, api: str, of: dict[str, Any], write: str = "DELETE"
) -> OwnedResource:
    """`of`'s addresses: `/{page}/{id}` on screen, `/api/v1/{api}/{id}` in the API, and the
    write call (`METHOD` or `METHOD /suffix`) on the API address."""
    api_path = f"/api/v1/{api}/{of['id']}"
    method, _, suffix = write.partition(" ")
    return OwnedResource(
        kind=kind,
        name=name,
        page_path=f"/{page}/{of['id']}",
        api_path=api_path,
        write=(method, api_path + suffix),
    )


@pytest.fixture
def owners_data(make_account, make_template, make_seed, make_job, make_ecosystem) -> OwnersData:
    """A first user with a template, a seed, a finished job and a private ecosystem."""
    owner = make_account()
    template = make_template(owner, name="Owner's secret template")
    seed = make_seed(owner, dataset_name="Owner's secret seed")
    job = make_job(
        owner, template_id=template["id"], seed_id=seed["id"], records=5, until="completed"
    )
    ecosystem = make_ecosystem(owner, name="Owner's secret ecosystem", visibility="private")
    return OwnersData(owner, template, seed, job, ecosystem)


@allure.story("Another user's data")
@allure.severity(allure.severity_level.BLOCKER)
def test_second_user_cannot_open_the_first_users_data_by_link(
    owners_data: OwnersData, page_for, make_account
) -> None:
    page = page_for(make_account())

    for resource in owners_data.resources():
        cannot_open_by_link(page, resource)
    cannot_download_export(
        page, job_id=owners_data.job["id"], owner_job_name=owners_data.template["name"]
    )
    with allure.step("None of it is listed on the second user's screens"):
        for screen in LISTING_SCREENS:
            screen(page).open().expect_loaded()
            for resource in owners_data.resources():
                expect(
                    page.get_by_role("main"),
                    f"{screen.path} lists the other user's {resource.kind}",
                ).not_to_contain_text(resource.name)


@allure.story("Another user's data")
@allure.severity(allure.severity_level.BLOCKER)
def test_second_user_cannot_read_change_or_delete_the_first_users_data_by_api(
    owners_data: OwnersData, page_for, make_account
) -> None:
    page = page_for(make_account())
    token = csrf_token_of(page)

    for resource in owners_data.resources():
        cannot_use_by_api(page, resource, csrf_token=token)
    with allure.step("Export the other user's job by API: 404, no file"):
        expect_no_file(
            page.request.get(f"/api/v1/jobs/{owners_data.job['id']}/export"),
            what="another user's export",
            statuses=(404,),
        )
    with allure.step("The first user still has all of it"):
        for resource in owners_data.resources():
            path = resource.api_path.removeprefix("/api/v1")
            answer = owners_data.owner.api.request("GET", path).json()
            assert answer["id"], f"the owner's {resource.kind} is gone"


@allure.story("Script in names")
@allure.severity(allure.severity_level.CRITICAL)
def test_script_in_template_names_shows_as_text_and_never_runs(
    page_for, make_account, make_template, make_seed, make_job
) -> None:
    account = make_account()
    seed = make_seed(account)
    templates = [make_template(account, name=payload) for payload in PAYLOADS]
    jobs = [
        make_job(
            account, template_id=template["id"], seed_id=seed["id"], records=2, until="completed"
        )
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
                editor = TemplateEditorPage(page).open(template_id=template["id"]).expect_loaded()
                expect_no_script_ran(page, watch, where=f"/templates/{template['id']}")
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
                row = jobs_page.row_for(job["id"])
                expect(jobs_page.table.cell(row, "Template")).to_have_text(payload)
            for job, payload in zip(jobs, PAYLOADS, strict=True):
                JobPage(page).open(job_id=job["id"]).expect_loaded()
                expect_no_script_ran(page, watch, where=f"/jobs/{job['id']}")
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
                row = dashboard.recent_job_row(job["id"])
                expect(dashboard.recent_jobs.cell(row, "Template")).to_have_text(payload)


@allure.story("Script in names")
@allure.severity(allure.severity_level.CRITICAL)
def test_script_in_character_names_shows_as_text_live_and_on_reload(
    page_for, make_account, make_ecosystem
) -> None:
    account = make_account()
    ecosystem = make_ecosystem(account, name=PAYLOADS[0])
    account.api.add_characters(
        ecosystem["id"],
        [{"name": payload, "species": "sprite", "traits": ["sly"]} for payload in PAYLOADS],
    )
    page = page_for(account)

    with watching_for_scripts(page) as watch:
        with allure.step("The roster shows each character's name as text"):
            view = open_ecosystem(page, ecosystem["id"])
            expect(view.main_heading).to_have_text(PAYLOADS[0])
            for payload in PAYLOADS:
                expect(view.roster.row(payload)).to_have_count(1)
        with allure.step("Interactions between them arrive live and read as text"):
            shown = view.feed.items.count()
            account.api.set_simulation(ecosystem["id"], running=True)
            expect(view.feed.items, "no interaction arrived live").not_to_have_count(shown)
            newest = view.feed.newest_summary()
            assert any(payload in newest for payload in PAYLOADS), (
                f"the newest interaction {newest!r} does not name the characters as typed"
            )
            expect_no_script_ran(page, watch, where="the live interaction feed")
        with allure.step("After a reload the server-rendered feed reads as text too"):
            account.api.set_simulation(ecosystem["id"], running=False)
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
            listing.delete(template["name"])
        assert answer.value.status == 403, f"the tokenless form was answered {answer.value.status}"
        expect_form_refused(page)
    with allure.step("Post the new-template form without a token: 403"):
        forged = page.request.post(
            "/templates/new", form={"name": "Forged template", "body": "Forged {{ name }}"}
        )
        assert forged.status == 403, f"a tokenless form post was answered {forged.status}"
    with allure.step("Call the API without the X-CSRF-Token header: 403 csrf_failed"):
        call = page.request.delete(f"/api/v1/templates/{template['id']}")
        assert call.status == 403, f"a tokenless API call was answered {call.status}"
        assert call.json()["error"]["code"] == "csrf_failed"
    with allure.step("Nothing changed: the template is there, the forged one is not"):
        listing = TemplatesPage(page).open().expect_loaded()
        expect(listing.table.row(template["name"])).to_have_count(1)
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
        allowed_failures=ALLOWED_LOGIN_FAILURES,
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
        path = hostile["path"].format(own_job_id=own_job["id"])
        with allure.step(f"{hostile['id']}: {path}"):
            expect_no_file(
                signed_in_page.request.get(path),
                what=path,
                statuses=tuple(hostile["statuses"]),
                markers=tuple(ATTACKS["file_markers"]),
            )
