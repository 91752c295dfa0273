"""The observatory's screens: creating an ecosystem, adding characters, paging the roster,
and who may see which ecosystem."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account
from flows.observatory import open_ecosystem
from pages.observatory import ObservatoryPage

pytestmark = [
    pytest.mark.journey,
    allure.epic("Character observatory"),
    allure.feature("Ecosystems"),
]

#: The roster shows this many characters a page, per docs/screens.md.
ROSTER_PAGE_SIZE = 50


@allure.story("Create an ecosystem")
@allure.severity(allure.severity_level.CRITICAL)
def test_user_creates_an_ecosystem_that_starts_paused_and_empty(
    page_for: Callable[[Account], Page], make_account: Callable[..., Account]
) -> None:
    name = f"Tide pools {uuid.uuid4().hex[:6]}"
    observatory = ObservatoryPage(page_for(make_account())).open().expect_loaded()

    ecosystem = observatory.create(name=name, visibility="Public")

    ecosystem.expect_loaded()
    expect(ecosystem.main_heading).to_have_text(name)
    expect(ecosystem.simulation_status).to_have_text("paused")
    expect(ecosystem.character_count).to_have_text("0")
    expect(ecosystem.start_button).to_be_visible()


@allure.story("Add a character")
@allure.severity(allure.severity_level.NORMAL)
def test_owner_adds_a_character_that_joins_the_roster(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_ecosystem: Callable[..., dict],
) -> None:
    owner = make_account()
    ecosystem = open_ecosystem(page_for(owner), make_ecosystem(owner, characters=2)["id"])

    ecosystem.add_character(name="Ada Quill", species="sprite", traits=["witty", "kind"])

    with allure.step("The roster lists Ada Quill and the count reads 3"):
        expect(ecosystem.character_count).to_have_text("3")
        row = ecosystem.roster.row("Ada Quill")
        expect(ecosystem.roster.table.cell(row, "Species")).to_have_text("sprite")
        expect(ecosystem.roster.table.cell(row, "Traits")).to_have_text("witty, kind")


@allure.story("Page through a large roster")
@allure.severity(allure.severity_level.NORMAL)
def test_roster_of_more_than_fifty_characters_is_paged(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_ecosystem: Callable[..., dict],
) -> None:
    owner = make_account()
    ecosystem = open_ecosystem(
        page_for(owner), make_ecosystem(owner, characters=ROSTER_PAGE_SIZE + 5)["id"]
    )

    expect(ecosystem.roster.table.rows).to_have_count(ROSTER_PAGE_SIZE)
    expect(ecosystem.roster.page_indicator).to_have_text("Page 1 of 2")
    ecosystem.roster.next_page()

    expect(ecosystem.roster.page_indicator).to_have_text("Page 2 of 2")
    expect(ecosystem.roster.table.rows).to_have_count(5)


@allure.story("Private ecosystems stay private")
@allure.severity(allure.severity_level.CRITICAL)
def test_another_user_sees_public_ecosystems_but_not_private_ones(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_ecosystem: Callable[..., dict],
) -> None:
    owner, visitor = make_account(), make_account()
    public = make_ecosystem(owner, visibility="public")
    private = make_ecosystem(owner, visibility="private")

    observatory = ObservatoryPage(page_for(visitor)).open().expect_loaded()

    expect(observatory.table.row_with_link(public["name"])).to_have_count(1)
    expect(observatory.table.row_with_link(private["name"])).to_have_count(0)
