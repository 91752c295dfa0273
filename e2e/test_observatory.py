"""The observatory's screens: creating an ecosystem, the Ecosystems table's figures, adding
characters, paging the roster across its page size, and who may see which ecosystem."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.facts import ROSTER_PAGE_SIZE
from domain.platform_types import Ecosystem
from fixtures.accounts import Account
from fixtures.data import EcosystemWithHistory, fake_characters
from flows.observatory import (
    all_characters,
    expect_listed,
    expected_roster_row,
    open_ecosystem,
    walk_roster,
)
from pages.observatory import EcosystemPage, ObservatoryPage

pytestmark = [
    pytest.mark.journey,
    # Nothing here is about layout: the phone project would only repeat it.
    pytest.mark.desktop,
    allure.epic("Character observatory"),
    allure.feature("Ecosystems"),
]


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
def test_owner_adds_a_character_that_joins_the_roster_with_its_traits_as_typed(
    signed_in_page: Page, standard_account: Account, make_ecosystem: Callable[..., Ecosystem]
) -> None:
    owner, page = standard_account, signed_in_page
    made = make_ecosystem(owner, characters=2)
    ecosystem = open_ecosystem(page, made.id)
    # Capitals and a space inside a trait are kept; only the spaces around each are not.
    ada = {"name": "Ada Quill", "species": "Sea sprite", "traits": ["Quick Wit", "kind"]}

    ecosystem.add_character(name=ada["name"], species=ada["species"], traits=ada["traits"])

    with allure.step("The roster lists Ada Quill as typed and the count reads 3"):
        expect(ecosystem.character_count, "the count after adding a third").to_have_text("3")
        expect(ecosystem.roster.table.rows, "the roster after adding a third").to_have_count(3)
        stored = all_characters(page, made.id)[-1]
        shown = {row["Name"]: row for row in ecosystem.roster.read_rows()}
        assert shown.get(ada["name"]) == expected_roster_row(ada, stored), (
            f"the roster shows {shown.get(ada['name'])} for {ada}"
        )
        assert [getattr(stored, k) for k in ("name", "species", "traits")] == list(ada.values()), (
            f"the API stored {stored}; expected {ada}"
        )
    with allure.step("The Ecosystems table counts 3 characters"):
        observatory = ecosystem.navigation.go_to(ObservatoryPage).expect_loaded()
        expect_listed(
            observatory, name=made.name, owner=owner.display_name, visibility="Private",
            characters=3, running=False,
        )


@allure.story("Page through a large roster")
@allure.severity(allure.severity_level.NORMAL)
def test_roster_shows_every_character_on_the_right_page_across_the_page_size(
    signed_in_page: Page, standard_account: Account, make_ecosystem: Callable[..., Ecosystem]
) -> None:
    owner, page = standard_account, signed_in_page
    made = make_ecosystem(owner)
    characters: list[dict[str, Any]] = []
    # One full page, one past it, and one past two full pages (a middle page).
    for total in (ROSTER_PAGE_SIZE, ROSTER_PAGE_SIZE + 1, 2 * ROSTER_PAGE_SIZE + 1):
        with allure.step(f"A roster of {total} characters"):
            more = fake_characters(total, seed=total)[len(characters):]
            owner.api.add_characters(made.id, more)
            characters.extend(more)
            ecosystem = EcosystemPage(page).open(ecosystem_id=made.id).expect_loaded()
            walk_roster(ecosystem, made=characters)


@allure.story("Own and public ecosystems, with their figures")
@allure.severity(allure.severity_level.CRITICAL)
def test_ecosystems_table_lists_own_and_public_ecosystems_with_their_figures(
    page_for: Callable[[Account], Page],
    standard_account: Account,
    ecosystem_with_history: EcosystemWithHistory,
    make_ecosystem: Callable[..., Ecosystem],
) -> None:
    # The other user is the busy ecosystem's owner, an account no other test's figures see.
    me, other = standard_account, ecosystem_with_history.owner
    mine_private = make_ecosystem(me, characters=3, visibility="private")
    mine_public = make_ecosystem(me, characters=2, visibility="public")
    me.api.set_simulation(mine_public.id, running=True)
    theirs_public = make_ecosystem(other, characters=1, visibility="public")
    other.api.set_simulation(theirs_public.id, running=True)
    theirs_private = make_ecosystem(other, characters=5, visibility="private")
    expected = [
        (mine_private, me, "Private", 3, False),
        (mine_public, me, "Public", 2, True),
        (theirs_public, other, "Public", 1, True),
    ]

    observatory = ObservatoryPage(page_for(me)).open().expect_loaded()

    with allure.step("Own ecosystems and the other user's public one, with their figures"):
        for made, owner, visibility, characters, running in expected:
            expect_listed(
                observatory, name=made.name, owner=owner.display_name,
                visibility=visibility, characters=characters, running=running,
            )
    with allure.step("The other user's private ecosystem is not listed"):
        expect(
            observatory.table.row_with_link(theirs_private.name),
            "another user's private ecosystem is listed",
        ).to_have_count(0)
    with allure.step("The API lists the same figures"):
        listed = {e.id: e for e in me.api.ecosystems(per_page=100)}
        assert theirs_private.id not in listed, "the API lists another user's private one"
        for made, owner, _visibility, characters, running in expected:
            got = listed.get(made.id)
            want = {"owner_name": owner.display_name, "character_count": characters,
                    "running": running}
            assert {k: getattr(got, k, None) for k in want} == want, f"the API lists {got}; expected {want}"
    with allure.step("The other user's public ecosystem opens read-only with its roster"):
        ecosystem = observatory.open_ecosystem(theirs_public.name).expect_loaded()
        expect(ecosystem.main_heading).to_have_text(theirs_public.name)
        expect(ecosystem.character_count, "its count is the one character").to_have_text("1")
        expect(ecosystem.roster.table.rows, "its roster is the one character").to_have_count(1)
        expect(ecosystem.start_button.or_(ecosystem.pause_button)).to_have_count(0)
        expect(ecosystem.add_character_button, "a visitor may not add characters").to_have_count(0)
