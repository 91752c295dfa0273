"""Every screen held against its reviewed baseline image, in every project: a person's glance.

What no role or text check sees: an element at the wrong size or place, a layout collapsing at
one width, text over other text, a style that no longer applies. Each test works in an account
of its own, with data of fixed names, so that a screen shows the same thing on every run; what
still differs between runs (ids, times, costs drawn per job, the user's name, other users'
public ecosystems) is masked or left out of a component shot. Baselines live per project
under `e2e/__screenshots__/`; `pytest e2e/test_visual.py --update-snapshots` rewrites those
that changed (review the diff before committing).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Locator, Page, expect

from domain.drafts import Dataset, TemplateDraft
from fixtures.accounts import Account
from fixtures.data import CHECKABLE_BODY, bad_seed_path, data_facts, template_text
from fixtures.visual.check import VisualCheck
from flows.bad_input import starts_with, upload_refused
from flows.dashboard import failing_dashboard_refreshes
from flows.jobs import create_job
from flows.mobile import unfold_navigation
from pages.base import BasePage
from pages.components import DataTable
from pages.dashboard import DashboardPage
from pages.exports import ExportsPage
from pages.jobs import JobPage, JobsPage, NewJobPage
from pages.login import LoginPage
from pages.observatory import ObservatoryPage
from pages.seeds import SeedsPage
from pages.signup import SignupPage
from pages.templates import NewTemplatePage, TemplatesPage

pytestmark = [allure.epic("Synthetic Data Studio"), allure.feature("Visual comparison")]

TEMPLATE = TemplateDraft(name="Visual persona", body=CHECKABLE_BODY)
SEED_NAME = "Visual people"
ECOSYSTEM = "Visual tide pool"
NAVIGATION_LINKS = ["Dashboard", "Templates", "Seed data", "Jobs", "Exports", "Observatory"]
#: A job of this many records at this speed is watched running before it completes.
RECORDS, SPEED = 6, 4


def _job_links(page: Page) -> Locator:
    # Job ids come from the platform's sequence, shared by every test that made a job.
    return page.get_by_role("link", name=re.compile(r"^Job #\d+$"))


def _everywhere(screen: BasePage) -> list[Locator]:
    """What differs between runs on every signed-in screen: the user's generated name."""
    return [screen.navigation.current_user]


def _column(table: DataTable, header: str) -> list[Locator]:
    """Every body row's cell under `header`."""
    return [table.cell(row, header) for row in table.rows.all()]


@pytest.fixture
def fresh(make_account: Callable[..., Account]) -> Account:
    """An account of the test's own: nothing another test made shows on its screens."""
    return make_account()


@pytest.fixture
def dataset(fresh: Account, make_dataset: Callable[..., Dataset]) -> Dataset:
    """A template and a seed of fixed names in the test's account."""
    return make_dataset(fresh, template=TEMPLATE, dataset_name=SEED_NAME)


@allure.story("Signing up and logging in, as typed and refused")
def test_sign_up_and_log_in_forms_look_right_empty_and_refused(
    page: Page, visual: VisualCheck
) -> None:
    signup = SignupPage(page).open().expect_loaded()
    visual.check(page, "signup")

    signup.email.fill("not-an-email")
    signup.display_name.fill("Visual Person")
    signup.password.fill("short")
    signup.sign_up_button.click()
    expect(signup.form_errors.field_error("password")).to_be_visible()
    visual.check(page, "signup-refused")

    login = LoginPage(page).open().expect_loaded()
    visual.check(page, "login")
    login.submit_credentials(email="nobody@example.invalid", password="wrong password 1")
    expect(login.form_errors.form_error).to_have_text("Wrong email or password.")
    visual.check(page, "login-wrong-password")


@allure.story("A new account's screens, before anything is made")
def test_every_screen_of_an_empty_account_looks_right(
    page_for: Callable[[Account], Page], fresh: Account, visual: VisualCheck
) -> None:
    page = page_for(fresh)
    dashboard = DashboardPage(page).open().expect_loaded()
    expect(dashboard.last_updated).not_to_be_empty()
    visual.check(page, "dashboard-empty", mask=[*_everywhere(dashboard), dashboard.last_updated])

    for screen, name in (
        (TemplatesPage, "templates-empty"),
        (SeedsPage, "seeds-empty"),
        (JobsPage, "jobs-empty"),
        (ExportsPage, "exports-empty"),
        (NewTemplatePage, "template-new"),
        (NewJobPage, "job-new-nothing-to-choose"),
    ):
        opened = screen(page).open().expect_loaded()
        visual.check(page, name, mask=_everywhere(opened))

    observatory = ObservatoryPage(page).open().expect_loaded()
    # The list shows every user's public ecosystems: only the form is this account's alone.
    form = page.get_by_role("main").locator("form").filter(has=observatory.create_button)
    visual.check(form, "observatory-form")


@allure.story("A filled account's screens, the job page live to its end")
def test_every_screen_of_a_filled_account_looks_right(
    page_for: Callable[[Account], Page], fresh: Account, dataset: Dataset, visual: VisualCheck
) -> None:
    page = page_for(fresh)
    job_page = create_job(
        page, template_name=TEMPLATE.name, seed_name=SEED_NAME, records=RECORDS,
        budget_usd=1.0, speed=SPEED,
    )  # fmt: skip
    with allure.step("The job page after its last live update arrived"):
        expect(job_page.live_status).to_have_text("Live")
        expect(job_page.status).to_have_text("completed", timeout=15_000)
        expect(job_page.download_link("csv")).to_be_visible()
        visual.check(page, "job-completed", mask=_job_masks(job_page))

    dashboard = DashboardPage(page).open().expect_loaded()
    table = dashboard.recent_jobs
    expect(table.rows).to_have_count(1)
    visual.check(
        page, "dashboard-filled",
        mask=[*_everywhere(dashboard), dashboard.last_updated, _job_links(page),
              *_column(table, "Cost")],
    )  # fmt: skip

    templates = TemplatesPage(page).open().expect_loaded()
    visual.check(
        page, "templates-filled", mask=[*_everywhere(templates), templates.updated(TEMPLATE.name)]
    )
    editor = templates.open_template(TEMPLATE.name).expect_loaded()
    editor.test_panel.run(seed_name=SEED_NAME, rows=2)
    expect(editor.test_panel.previews).to_have_count(2)
    visual.check(page, "template-tested", mask=_everywhere(editor), full_page=True)

    seeds = SeedsPage(page).open().expect_loaded()
    visual.check(page, "seeds-filled", mask=_everywhere(seeds))
    seed = seeds.open_seed(SEED_NAME).expect_loaded()
    uploaded = page.get_by_text(re.compile(r" uploaded "))
    visual.check(page, "seed-detail", mask=[*_everywhere(seed), uploaded], full_page=True)

    jobs = JobsPage(page).open().expect_loaded()
    visual.check(
        page, "jobs-filled",
        mask=[*_everywhere(jobs), _job_links(page), *_column(jobs.table, "Created"),
              *_column(jobs.table, "Cost")],
    )  # fmt: skip
    exports = ExportsPage(page).open().expect_loaded()
    visual.check(page, "exports-filled", mask=[*_everywhere(exports), _job_links(page)])

    new_job = NewJobPage(page).open().expect_loaded()
    expect(new_job.template).to_have_value(re.compile(r"\d+"))
    visual.check(page, "job-new", mask=_everywhere(new_job))


def _job_masks(job_page: JobPage) -> list[Locator]:
    # The job's id (in the heading and the "Job #N created." flash), the measured rate, and the
    # cost the stand-in model drew for this job.
    return [
        *_everywhere(job_page),
        job_page.main_heading,
        job_page.flash.root,
        job_page.records_per_second,
        job_page.cost,
    ]


@allure.story("Forms showing their errors")
@pytest.mark.bad_input
def test_forms_refusing_input_look_right(
    page_for: Callable[[Account], Page], fresh: Account, dataset: Dataset, visual: VisualCheck
) -> None:
    page = page_for(fresh)
    seeds = SeedsPage(page).open().expect_loaded()
    ragged = bad_seed_path("ragged.csv")
    upload_refused(
        seeds, ragged, message=starts_with(data_facts("bad/ragged.csv")["error_message"])
    )
    visual.check(page, "seeds-upload-refused", mask=_everywhere(seeds))

    editor = NewTemplatePage(page).open().expect_loaded()
    editor.fill(name="Broken", body=template_text("broken_syntax.j2"))
    editor.save_button.click()
    expect(editor.form_errors.field_error("body")).to_be_visible()
    visual.check(page, "template-syntax-error", mask=_everywhere(editor), full_page=True)


@allure.story("A fault notice: the dashboard's refreshes failing")
@pytest.mark.chaos
def test_the_dashboards_stale_notice_looks_right(
    page_for: Callable[[Account], Page], fresh: Account, visual: VisualCheck
) -> None:
    page = page_for(fresh)
    with failing_dashboard_refreshes(page):
        dashboard = DashboardPage(page).open().expect_loaded()
        expect(dashboard.stale_notice).to_be_visible()
        visual.check(
            page, "dashboard-stale", mask=[*_everywhere(dashboard), dashboard.last_updated]
        )


@allure.story("An ecosystem's roster")
def test_an_ecosystem_looks_right(
    page_for: Callable[[Account], Page],
    fresh: Account,
    make_ecosystem: Callable[..., dict],
    visual: VisualCheck,
) -> None:
    make_ecosystem(fresh, characters=4, name=ECOSYSTEM)
    page = page_for(fresh)
    observatory = ObservatoryPage(page).open().expect_loaded()
    # Its row is not shot: the list's column widths follow other users' public ecosystems.
    ecosystem = observatory.open_ecosystem(ECOSYSTEM).expect_loaded()
    expect(ecosystem.roster.table.rows).to_have_count(4)
    # The line under the heading names the owner, whose name is generated for each account.
    owner_line = page.get_by_text(re.compile(r" owned by "))
    visual.check(
        page, "ecosystem-paused", mask=[*_everywhere(ecosystem), owner_line], full_page=True
    )


@pytest.mark.mobile
@allure.story("The phone layout with its menu open")
def test_the_phone_menu_open_looks_right(
    page_for: Callable[[Account], Page], fresh: Account, visual: VisualCheck
) -> None:
    page = page_for(fresh)
    dashboard = DashboardPage(page).open().expect_loaded()
    unfold_navigation(dashboard.navigation, link_names=NAVIGATION_LINKS)
    visual.check(page, "menu-open", mask=[*_everywhere(dashboard), dashboard.last_updated])
