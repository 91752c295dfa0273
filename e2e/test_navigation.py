"""Smoke: a signed-in user reaches every section from the main navigation, and can log out."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account
from pages.base import BasePage
from pages.dashboard import DashboardPage
from pages.exports import ExportsPage
from pages.jobs import JobsPage
from pages.login import LoginPage
from pages.observatory import ObservatoryPage
from pages.seeds import SeedsPage
from pages.templates import TemplatesPage

pytestmark = [
    pytest.mark.smoke,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Navigation"),
]

SECTIONS: tuple[type[BasePage], ...] = (
    TemplatesPage,
    SeedsPage,
    JobsPage,
    ExportsPage,
    ObservatoryPage,
    DashboardPage,
)


@allure.story("Every section from the main navigation")
@allure.severity(allure.severity_level.CRITICAL)
def test_signed_in_user_reaches_every_section_from_the_navigation(
    signed_in_page: Page, standard_account: Account
) -> None:
    screen: BasePage = DashboardPage(signed_in_page).open().expect_loaded()

    for section in SECTIONS:
        with allure.step(f"Follow the navigation link {section.nav_label!r}"):
            screen = screen.navigation.go_to(section)
            screen.expect_loaded()
            expect(screen.navigation.current_user).to_have_text(standard_account.display_name)


@allure.story("Log out")
@allure.severity(allure.severity_level.CRITICAL)
def test_logged_out_user_is_sent_to_the_login_screen(
    page_for: Callable[[Account], Page], make_account: Callable[..., Account]
) -> None:
    page = page_for(make_account())
    dashboard = DashboardPage(page).open().expect_loaded()

    dashboard.navigation.log_out()

    LoginPage(page).expect_loaded()
    with allure.step("The dashboard now asks for a login"):
        page.goto(DashboardPage.path)
        LoginPage(page).expect_loaded()
