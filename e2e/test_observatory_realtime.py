"""Observatory in real time: two people watching one ecosystem see the same interactions live."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page

from fixtures.accounts import Account
from flows.observatory import watch_ecosystem_together

pytestmark = [
    pytest.mark.journey,
    allure.epic("Character observatory"),
    allure.feature("Observatory in real time"),
]


@allure.story("Two users, one public ecosystem")
@allure.severity(allure.severity_level.CRITICAL)
def test_two_users_watching_a_public_ecosystem_see_the_same_interactions_live(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_ecosystem: Callable[..., dict],
) -> None:
    owner, visitor = make_account(), make_account()
    ecosystem = make_ecosystem(owner, characters=6, visibility="public")

    seen_by_owner, seen_by_visitor = watch_ecosystem_together(
        page_for(owner), page_for(visitor), ecosystem_id=ecosystem["id"]
    )

    allure.attach(
        f"owner saw first: {seen_by_owner.summary}\nvisitor saw first: {seen_by_visitor.summary}",
        name="shared interactions",
    )
