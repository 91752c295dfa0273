"""Observatory in real time: the owner starts and pauses the simulation, and a second user
watching the same public ecosystem sees every interaction arrive live, in the feed and in the
roster, while the owner's Ecosystems table follows the simulation's state."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page

from fixtures.accounts import Account
from fixtures.data import EcosystemWithHistory
from flows.observatory import feed_line, watch_ecosystem_together

pytestmark = [
    pytest.mark.journey,
    # Nothing here is about layout: the phone project would only repeat it.
    pytest.mark.desktop,
    allure.epic("Character observatory"),
    allure.feature("Observatory in real time"),
]


@allure.story("Two users, one public ecosystem")
@allure.severity(allure.severity_level.CRITICAL)
def test_a_visitor_sees_every_interaction_live_in_the_feed_and_the_roster(
    page_for: Callable[[Account], Page],
    standard_account: Account,
    ecosystem_with_history: EcosystemWithHistory,
) -> None:
    history = ecosystem_with_history

    live = watch_ecosystem_together(
        page_for(history.owner),
        page_for(standard_account),
        ecosystem_id=history.ecosystem.id,
        ecosystem_name=history.ecosystem.name,
        owner_name=history.owner.display_name,
        characters=len(history.characters),
    )

    allure.attach("\n".join(feed_line(i) for i in live), name="interactions seen live")
