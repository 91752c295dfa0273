"""Phone-sized and desktop layouts: the navigation folds behind "Menu" and the observatory's
feed stacks under the roster on a phone, and sits beside it on a desktop."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.platform_types import Ecosystem
from fixtures.data import EcosystemWithHistory
from flows.mobile import (
    expect_feed_beside_roster,
    expect_feed_under_roster,
    fold_navigation,
    unfold_navigation,
)
from pages.dashboard import DashboardPage
from pages.jobs import JobsPage
from pages.observatory import EcosystemPage, ObservatoryPage

pytestmark = [
    allure.epic("Synthetic Data Studio"),
    allure.feature("Responsive layout"),
]

NAVIGATION_LINKS = ["Dashboard", "Templates", "Seed data", "Jobs", "Exports", "Observatory"]
#: docs/screens.md: the links fold behind "Menu" at 640 px wide or less.
NARROWEST_DESKTOP_PX = 641


@pytest.mark.mobile
@pytest.mark.journey
@allure.story("A phone user gets around")
@allure.severity(allure.severity_level.CRITICAL)
def test_phone_user_unfolds_the_menu_to_reach_the_observatory_and_sees_the_feed_stacked(
    signed_in_page: Page, ecosystem_with_history: EcosystemWithHistory
) -> None:
    # Another user's public ecosystem whose feed is filling up: the phone's everyday view.
    name = ecosystem_with_history.ecosystem.name
    dashboard = DashboardPage(signed_in_page).open().expect_loaded()

    unfold_navigation(dashboard.navigation, link_names=NAVIGATION_LINKS)
    fold_navigation(dashboard.navigation, link_names=NAVIGATION_LINKS)
    unfold_navigation(dashboard.navigation, link_names=NAVIGATION_LINKS)
    observatory = dashboard.navigation.go_to(ObservatoryPage).expect_loaded()
    ecosystem = observatory.open_ecosystem(name).expect_loaded()
    expect(ecosystem.feed.items.first, "the busy ecosystem's feed shows").to_be_visible()

    expect_feed_under_roster(ecosystem)
    with allure.step("The folded menu still leads on to the jobs"):
        ecosystem.navigation.go_to(JobsPage).expect_loaded()


@pytest.mark.desktop
@allure.story("A desktop user sees roster and feed side by side")
@allure.severity(allure.severity_level.NORMAL)
def test_desktop_shows_the_feed_beside_the_roster_with_no_menu_button(
    signed_in_page: Page, make_ecosystem: Callable[..., Ecosystem]
) -> None:
    ecosystem_data = make_ecosystem(characters=4)
    ecosystem = EcosystemPage(signed_in_page).open(ecosystem_id=ecosystem_data.id)
    ecosystem.expect_loaded()

    expect_feed_beside_roster(ecosystem)
    with allure.step("Every navigation link shows without a Menu button"):
        expect(ecosystem.navigation.menu_button).to_be_hidden()
        for name in NAVIGATION_LINKS:
            expect(ecosystem.navigation.link(name)).to_be_visible()
    with allure.step("At 640 px wide the phone layout takes over"):
        signed_in_page.set_viewport_size({"width": NARROWEST_DESKTOP_PX - 1, "height": 800})
        unfold_navigation(ecosystem.navigation, link_names=NAVIGATION_LINKS)
        expect_feed_under_roster(ecosystem)
    with allure.step("At 641 px the desktop layout is back"):
        signed_in_page.set_viewport_size({"width": NARROWEST_DESKTOP_PX, "height": 800})
        expect(ecosystem.navigation.menu_button, "no Menu button above 640 px").to_be_hidden()
        expect_feed_beside_roster(ecosystem)
