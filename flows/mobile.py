"""The phone-sized screen: the navigation folds behind "Menu" and the feed stacks."""

from __future__ import annotations

import allure
from playwright.sync_api import Locator, expect

from pages.components import Navigation
from pages.observatory import EcosystemPage

#: Sub-pixel rounding differs between engines; a pixel of slack is not a layout change.
_LAYOUT_SLACK_PX = 1.0


def unfold_navigation(navigation: Navigation, *, link_names: list[str]) -> None:
    """The links hide behind a collapsed "Menu" button until it is pressed."""
    with allure.step("The navigation links are folded behind a collapsed Menu button"):
        expect(navigation.menu_button, "a narrow screen shows a Menu button").to_be_visible()
        expect(
            navigation.menu_button, "the Menu button starts collapsed"
        ).to_have_attribute("aria-expanded", "false")
        for name in link_names:
            expect(navigation.link(name), f"a folded menu hides {name}").to_be_hidden()
    with allure.step("Pressing Menu expands it and shows every link"):
        navigation.menu_button.click()
        expect(
            navigation.menu_button, "Menu pressed says it is expanded"
        ).to_have_attribute("aria-expanded", "true")
        controlled = navigation.menu_button.get_attribute("aria-controls")
        assert controlled, "the Menu button does not say which list it controls"
        for name in link_names:
            expect(navigation.link(name), f"Menu pressed shows the {name} link").to_be_visible()


def fold_navigation(navigation: Navigation, *, link_names: list[str]) -> None:
    """Pressing an expanded "Menu" again collapses it and hides the links."""
    with allure.step("Pressing Menu again collapses it and hides the links"):
        navigation.menu_button.click()
        expect(
            navigation.menu_button, "Menu pressed twice says it is collapsed"
        ).to_have_attribute("aria-expanded", "false")
        for name in link_names:
            expect(navigation.link(name), f"Menu pressed twice hides {name}").to_be_hidden()


def _box(locator: Locator, what: str) -> dict[str, float]:
    # Both boxes are read at the same scroll position, so they compare even off-screen.
    box = locator.bounding_box()
    assert box is not None, f"the {what} is not laid out"
    return box


def expect_feed_under_roster(ecosystem: EcosystemPage) -> None:
    """On a narrow screen the interaction feed sits below the roster, not beside it."""
    with allure.step("The interaction feed is stacked under the roster"):
        expect(ecosystem.roster.region).to_be_visible()
        roster = _box(ecosystem.roster.region, "roster")
        feed = _box(ecosystem.feed.root, "interaction feed")
        assert feed["y"] >= roster["y"] + roster["height"] - _LAYOUT_SLACK_PX, (
            f"the feed starts at y={feed['y']:.0f}, above the roster's bottom "
            f"y={roster['y'] + roster['height']:.0f}: it is not stacked under it"
        )


def expect_feed_beside_roster(ecosystem: EcosystemPage) -> None:
    """On a wide screen the interaction feed sits to the right of the roster."""
    with allure.step("The interaction feed sits beside the roster"):
        expect(ecosystem.roster.region).to_be_visible()
        # The roster's box, not its table: a table wider than its column scrolls inside it.
        roster = _box(ecosystem.roster.region, "roster")
        feed = _box(ecosystem.feed.root, "interaction feed")
        assert feed["x"] >= roster["x"] + roster["width"] - _LAYOUT_SLACK_PX, (
            f"the feed starts at x={feed['x']:.0f}, left of the roster's right edge "
            f"x={roster['x'] + roster['width']:.0f}: they are not side by side"
        )
