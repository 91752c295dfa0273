"""Accessibility: axe-core on every screen of docs/screens.md (and the states that show
errors), in every project, desktop and mobile. Every violation is attached to the report;
serious and critical ones fail the journey, listed screen by screen. Beside axe, repeated
controls (a Delete button or a Download link per row) must carry names that say what they act
on: axe is satisfied by any name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import allure
import pytest
from playwright.sync_api import Page, expect

from flows.accessibility import AuditReport, audit_control_names, audit_screen
from flows.faults import DASHBOARD_DATA, DroppedConnection, job_data
from pages.base import BasePage
from pages.dashboard import DashboardPage
from pages.errors import NotFoundPage
from pages.exports import ExportsPage
from pages.jobs import JobPage, JobsPage, NewJobPage
from pages.login import LoginPage
from pages.observatory import EcosystemPage, ObservatoryPage
from pages.refresh import DashboardRefresh, JobRefresh
from pages.seeds import SeedPage, SeedsPage
from pages.signup import SignupPage
from pages.templates import NewTemplatePage, TemplateEditorPage, TemplatesPage

pytestmark = [
    pytest.mark.a11y,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Accessibility"),
]


@dataclass(frozen=True)
class Screen:
    """A screen (or a state of one) to audit: how to reach it and when it has settled."""

    name: str
    visit: Callable[[Page], object]


def _opened(page_class: type[BasePage], **params: object) -> Callable[[Page], BasePage]:
    def visit(page: Page) -> BasePage:
        return page_class(page).open(**params).expect_loaded()

    return visit


def _live_job(job_id: int) -> Callable[[Page], None]:
    def visit(page: Page) -> None:
        job_page = JobPage(page).open(job_id=job_id).expect_loaded()
        expect(job_page.live_status).to_have_text("Live")

    return visit


def _live_ecosystem(ecosystem_id: int) -> Callable[[Page], None]:
    def visit(page: Page) -> None:
        view = EcosystemPage(page).open(ecosystem_id=ecosystem_id).expect_loaded()
        expect(view.live_status).to_have_text("Live")

    return visit


def _refreshed_dashboard(page: Page) -> None:
    with page.expect_response(DASHBOARD_DATA) as data:
        dashboard = DashboardPage(page).open().expect_loaded()
    expect(dashboard.last_updated).to_have_attribute("datetime", data.value.json()["generated_at"])


def _stale_dashboard(page: Page) -> None:
    page.route(DASHBOARD_DATA, lambda route: DroppedConnection().answer(route))
    dashboard = DashboardPage(page).open().expect_loaded()
    expect(dashboard.stale_notice).to_be_visible()
    expect(DashboardRefresh(page).retry_now_button).to_be_visible()


def _job_refresh_failed(job_id: int) -> Callable[[Page], None]:
    def visit(page: Page) -> None:
        page.route(job_data(job_id), lambda route: DroppedConnection().answer(route))
        JobPage(page).open(job_id=job_id).expect_loaded()
        expect(JobRefresh(page).refresh_error.retry_button).to_be_visible()

    return visit


def _audit_all(page: Page, screens: list[Screen]) -> None:
    report = AuditReport()
    for screen in screens:
        with allure.step(f"Open {screen.name} and let it settle"):
            screen.visit(page)
        audit_screen(page, screen=screen.name, report=report)
        audit_control_names(page, screen=screen.name, report=report)
        page.unroute_all()
    if report.failing:
        pytest.fail("serious or critical accessibility violations:\n" + report.summary())


@allure.story("Every signed-in screen")
@allure.severity(allure.severity_level.CRITICAL)
def test_signed_in_screens_have_no_serious_accessibility_violations(
    page_for, make_account, make_template, make_seed, make_job, make_ecosystem
) -> None:
    account = make_account()
    # Two of everything, so that every list repeats its row controls and their names must
    # say which row they act on.
    template, _ = make_template(account), make_template(account)
    seed, _ = make_seed(account), make_seed(account, dataset_name="More people")
    job, _ = (
        make_job(account, template_id=template.id, seed_id=seed.id, records=5, until="completed")
        for _ in range(2)
    )
    ecosystem, _ = make_ecosystem(account, characters=3), make_ecosystem(account)
    screens = [
        Screen("/dashboard", _refreshed_dashboard),
        Screen("/templates", _opened(TemplatesPage)),
        Screen("/templates/new", _opened(NewTemplatePage)),
        Screen("/templates/{id}", _opened(TemplateEditorPage, template_id=template.id)),
        Screen("/seeds", _opened(SeedsPage)),
        Screen("/seeds/{id}", _opened(SeedPage, seed_id=seed.id)),
        Screen("/jobs", _opened(JobsPage)),
        Screen("/jobs/new", _opened(NewJobPage)),
        Screen("/jobs/{id}", _live_job(job.id)),
        Screen("/exports", _opened(ExportsPage)),
        Screen("/observatory", _opened(ObservatoryPage)),
        Screen("/observatory/{id}", _live_ecosystem(ecosystem.id)),
        Screen("/dashboard while its data is stale", _stale_dashboard),
        Screen("/jobs/{id} when its data request failed", _job_refresh_failed(job.id)),
        Screen("an unknown address (404)", _not_found),
    ]

    _audit_all(page_for(account), screens)


def _not_found(page: Page) -> None:
    page.goto("/templates/999999999")
    NotFoundPage(page).expect_loaded()


def _signup_with_errors(page: Page) -> None:
    signup = SignupPage(page).open().expect_loaded()
    signup.sign_up_button.click()
    expect(signup.email).to_have_attribute("aria-invalid", "true")


def _login_with_error(page: Page) -> None:
    login = LoginPage(page).open().expect_loaded()
    login.submit_credentials(email="nobody@example.com", password="not the password")
    expect(login.form_errors.form_error).to_be_visible()


@allure.story("Screens before logging in")
@allure.severity(allure.severity_level.CRITICAL)
def test_signed_out_screens_have_no_serious_accessibility_violations(page: Page) -> None:
    screens = [
        Screen("/signup", _opened(SignupPage)),
        Screen("/signup with field errors", _signup_with_errors),
        Screen("/login", _opened(LoginPage)),
        Screen("/login with a form error", _login_with_error),
        Screen("an unknown address (404), signed out", _not_found_signed_out),
    ]

    _audit_all(page, screens)


def _not_found_signed_out(page: Page) -> None:
    page.goto("/no-such-page")
    NotFoundPage(page).expect_loaded()
