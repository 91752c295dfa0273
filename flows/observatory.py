"""Observatory journeys: the ecosystems list, paging a roster, and watching interactions live.

Every figure is held against what the suite expects on its own: the characters it added in the
order it added them, the page count it computes from the page size, the feed's lines written
from each interaction's kind and the two characters' names, and the messages the page received.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import allure
from playwright.sync_api import Page, expect

from domain.facts import FEED_SIZE, ROSTER_PAGE_SIZE
from domain.platform_types import Character, Listed, Me, parse
from flows.live import ReceivedInteractions, expect_not_reloaded, mark_page_loaded
from pages.observatory import EcosystemPage, ObservatoryPage

#: The verb of each kind of interaction, as the feed writes it ("Ada traded with Bob").
VERBS = {"greet": "greeted", "trade": "traded with", "duel": "dueled", "ally": "allied with"}
#: Live interactions the two viewers watch before the owner pauses.
LIVE_INTERACTIONS = 3
#: The history of `ecosystem_with_history` grows at two interactions a second from the moment
#: a test first asks for it; alone, a test waits the half minute a full feed takes.
HISTORY_WAIT_MS = 40_000


def feed_line(interaction: dict[str, Any]) -> str:
    """The feed's line for an interaction document, from its kind and the two names alone."""
    verb = VERBS.get(interaction["kind"])
    assert verb is not None, f"an interaction of unknown kind {interaction['kind']!r}"
    return f"{interaction['actor']['name']} {verb} {interaction['target']['name']}"


def roster_pages(characters: int) -> int:
    """How many roster pages `characters` characters fill: one at least, a part page counts."""
    return max(1, math.ceil(characters / ROSTER_PAGE_SIZE))


def expected_roster_row(made: dict[str, Any], stored: Character | None) -> dict[str, str]:
    """The row of a character the test made, with the energy and reputation the API holds."""
    return {
        "Name": made["name"],
        "Species": made["species"],
        "Traits": ", ".join(made["traits"]),
        "Energy": str(stored.energy if stored else None),
        "Reputation": str(stored.reputation if stored else None),
    }


def _api(page: Page, method: str, path: str, **kwargs: Any) -> bytes:
    # The API as the browser's own session sees it (the page's cookies), for held-against reads.
    if method != "GET":
        token = parse(Me, _api(page, "GET", "/me"), what="GET /api/v1/me").csrf_token
        kwargs["headers"] = {"X-CSRF-Token": token}
    answer = page.request.fetch(f"/api/v1{path}", method=method, **kwargs)
    assert answer.ok, f"{method} /api/v1{path} answered {answer.status}: {answer.text()}"
    return answer.body()


def all_characters(page: Page, ecosystem_id: int) -> list[Character]:
    """Every character the API lists for the ecosystem, page after page."""
    characters: list[Character] = []
    number = 1
    while True:
        path = f"/ecosystems/{ecosystem_id}/characters?page={number}"
        answer = parse(Listed[Character], _api(page, "GET", path), what=f"GET /api/v1{path}")
        characters.extend(answer.data)
        if not answer.data or answer.meta is None or number >= answer.meta.pagination.pages:
            return characters
        number += 1


def newest_interactions(page: Page, ecosystem_id: int) -> list[dict[str, Any]]:
    """The API's newest interactions of the ecosystem, as many as the feed keeps.

    As the API wrote them, not typed: each is held, whole, against the WebSocket message the
    page received for it, which arrives as plain JSON.
    """
    path = f"/ecosystems/{ecosystem_id}/interactions?per_page={FEED_SIZE}"
    return json.loads(_api(page, "GET", path))["data"]


def set_simulation(page: Page, ecosystem_id: int, *, running: bool) -> None:
    """Start or pause the simulation through the API, as the page's user."""
    _api(page, "POST", f"/ecosystems/{ecosystem_id}/simulation", data={"running": running})


def open_ecosystem(page: Page, ecosystem_id: int) -> EcosystemPage:
    """Open an ecosystem's page, wait until it is subscribed to the ecosystem's interactions,
    and mark it, so a later reload would show."""
    ecosystem = EcosystemPage(page).open(ecosystem_id=ecosystem_id).expect_loaded()
    # Interactions broadcast before the page subscribes never reach it.
    expect(ecosystem.live_status).to_have_text("Live")
    mark_page_loaded(page)
    return ecosystem


def expect_listed(
    observatory: ObservatoryPage,
    *,
    name: str,
    owner: str,
    visibility: str,
    characters: int,
    running: bool,
) -> None:
    """The Ecosystems table has one row for `name`, and each of its cells reads as expected."""
    row = observatory.table.row_with_link(name)
    expect(row, f"the Ecosystems table lists {name!r} once").to_have_count(1)
    expected = {
        "Owner": owner,
        "Visibility": visibility,
        "Characters": str(characters),
        "Simulation": "running" if running else "paused",
    }
    for column, text in expected.items():
        expect(
            observatory.table.cell(row, column),
            f"the Ecosystems table's {column} cell of {name!r}",
        ).to_have_text(text)


def walk_roster(ecosystem: EcosystemPage, *, made: Sequence[dict[str, Any]]) -> None:
    """Page through the whole roster with Next page, checking every row of every page against
    the characters made (in the order added, the platform's order) and the API; on the last
    page, step back once with Previous page."""
    stored = all_characters(ecosystem.page, ecosystem.ecosystem_id)
    by_name = {character.name: character for character in stored}
    # The screen's own figures first; the API's listing is held against the same order after.
    expected_rows = [expected_roster_row(m, by_name.get(m["name"])) for m in made]
    pages = roster_pages(len(made))
    expect(ecosystem.character_count, "the character count is the characters added").to_have_text(
        str(len(made))
    )
    for number in range(1, pages + 1):
        with allure.step(f"Roster page {number} of {pages} shows its characters"):
            _expect_roster_page(ecosystem, number=number, pages=pages, rows=expected_rows)
            if number < pages:
                ecosystem.roster.next_page()
    if pages > 1:
        with allure.step("Previous page goes back one page"):
            ecosystem.roster.previous_page()
            _expect_roster_page(ecosystem, number=pages - 1, pages=pages, rows=expected_rows)
    assert [c.name for c in stored] == [c["name"] for c in made], (
        f"the API's roster pages list {len(stored)} characters in another order than the "
        f"{len(made)} added"
    )


def _expect_roster_page(
    ecosystem: EcosystemPage, *, number: int, pages: int, rows: list[dict[str, str]]
) -> None:
    roster = ecosystem.roster
    first = (number - 1) * ROSTER_PAGE_SIZE
    wanted = rows[first : first + ROSTER_PAGE_SIZE]
    expect(roster.page_indicator, f"the roster of {len(rows)} characters is paged").to_have_text(
        f"Page {number} of {pages}"
    )
    expect(roster.table.rows, f"page {number} holds {len(wanted)} characters").to_have_count(
        len(wanted)
    )
    expect(
        roster.previous_link, f"page {number} of {pages} offers Previous page only after page 1"
    ).to_have_count(0 if number == 1 else 1)
    expect(
        roster.next_link, f"page {number} of {pages} offers Next page only before the last"
    ).to_have_count(0 if number == pages else 1)
    shown = roster.read_rows()
    for position, (got, want) in enumerate(zip(shown, wanted, strict=True), start=first + 1):
        assert got == want, (
            f"roster page {number} shows character #{position} as {got}; expected {want}"
        )


def watch_ecosystem_together(
    owner_page: Page,
    visitor_page: Page,
    *,
    ecosystem_id: int,
    ecosystem_name: str,
    owner_name: str,
    characters: int,
) -> list[dict[str, Any]]:
    """The owner pauses and starts the simulation, and the Ecosystems table follows; a visitor,
    never reloading, sees every interaction arrive: on top of the feed with its line, the
    oldest dropped past the feed's size, and both characters' Energy and Reputation in the
    roster. Returns what the visitor's page received."""
    received = ReceivedInteractions.record(visitor_page)
    with allure.step("The owner opens the running ecosystem and its feed is full"):
        # An earlier project's run of this journey in the same session left it paused.
        set_simulation(owner_page, ecosystem_id, running=True)
        owner = open_ecosystem(owner_page, ecosystem_id)
        expect(owner.feed.items, f"the feed fills up to {FEED_SIZE} interactions").to_have_count(
            FEED_SIZE, timeout=HISTORY_WAIT_MS
        )
    with allure.step("The owner pauses: the feed shows the newest interactions, newest first"):
        owner.pause_simulation()
        expect(owner.simulation_status, "pausing reads paused").to_have_text("paused")
        expect(owner.start_button, "a paused simulation offers Start").to_be_visible()
        history = newest_interactions(owner_page, ecosystem_id)
        stored = {c.id: c for c in all_characters(owner_page, ecosystem_id)}
        history_lines = [feed_line(document) for document in history]
        expect(
            owner.feed.items, "the feed shows the newest interactions, newest first"
        ).to_have_text(history_lines)
        for document in history:
            assert document["summary"] == feed_line(document), (
                f"the API says {document['summary']!r} for a {document['kind']} of "
                f"{document['actor']['name']} and {document['target']['name']}"
            )
        _expect_roster_stats(owner, stored, what="the owner's roster after pausing")
    with allure.step("A visitor opens the paused ecosystem and sees the same feed"):
        visitor = open_ecosystem(visitor_page, ecosystem_id)
        expect(visitor.start_button, "a visitor was offered the owner's controls").to_have_count(0)
        expect(visitor.simulation_status).to_have_text("paused")
        expect(visitor.feed.items, "the visitor's feed is the owner's").to_have_text(history_lines)
    with allure.step("The owner starts the simulation"):
        owner.start_simulation()
        expect(owner.simulation_status, "starting reads running").to_have_text("running")
        expect(owner.pause_button, "a running simulation offers Pause").to_be_visible()
    with allure.step("The visitor's page shows the simulation running, live"):
        received.wait_for(1)
        expect(visitor.simulation_status, "the visitor's page says running").to_have_text("running")
    with allure.step("The Ecosystems table says running"):
        observatory = owner.navigation.go_to(ObservatoryPage).expect_loaded()
        expect_listed(
            observatory,
            name=ecosystem_name,
            owner=owner_name,
            visibility="Public",
            characters=characters,
            running=True,
        )
    with allure.step(f"After {LIVE_INTERACTIONS} live interactions the owner pauses"):
        received.wait_for(max(LIVE_INTERACTIONS, len(received.all()) + 1))
        # Right after a tick, so the pause falls between two of them.
        set_simulation(owner_page, ecosystem_id, running=False)
    with allure.step("The visitor's feed holds each live interaction on top, the oldest dropped"):
        live = _expect_feed_settled(visitor, received, history_lines)
    with allure.step("Each interaction the page received is the one the API stored"):
        _expect_received_as_stored(live, owner_page, ecosystem_id)
    with allure.step("The roster rows of every character that met show its latest figures"):
        for interaction in live:
            for side in ("actor", "target"):
                met = interaction[side]
                stored[met["id"]] = replace(
                    stored[met["id"]], energy=met["energy"], reputation=met["reputation"]
                )
        _expect_roster_stats(visitor, stored, what="the visitor's roster, updated live")
        expect_not_reloaded(visitor_page, what="the visitor's ecosystem page")
    with allure.step("The owner, reloading, sees the feed the visitor saw live"):
        owner = open_ecosystem(owner_page, ecosystem_id)
        expect(owner.feed.items, "both viewers see the same feed").to_have_text(
            visitor.feed.texts()
        )
    return live


def _expect_roster_stats(
    ecosystem: EcosystemPage, stored: dict[int, Character], *, what: str
) -> None:
    for character in stored.values():
        for column, value in (("Energy", character.energy), ("Reputation", character.reputation)):
            expect(
                ecosystem.roster.table.cell(ecosystem.roster.row(character.name), column),
                f"{what}: {character.name}'s {column} is {value}",
            ).to_have_text(str(value))


def _expect_feed_settled(
    ecosystem: EcosystemPage, received: ReceivedInteractions, history_lines: list[str]
) -> list[dict[str, Any]]:
    """Wait until the feed is the received interactions, newest first, over the history it
    loaded with, cut to the feed's size; returns the received interactions."""
    # The pause may still let one tick's message through: check again while messages arrive.
    for _ in range(3):
        live = received.all()
        expected = ([feed_line(i) for i in reversed(live)] + history_lines)[:FEED_SIZE]
        try:
            expect(
                ecosystem.feed.items,
                f"the feed shows the {len(live)} live interactions on top of the ones it loaded "
                f"with, newest first, {FEED_SIZE} kept",
            ).to_have_text(expected)
        except AssertionError:
            if len(received.all()) == len(live):
                raise
            continue
        if len(received.all()) == len(live):
            return live
    raise AssertionError("interactions kept arriving after the simulation was paused")


def _expect_received_as_stored(live: list[dict[str, Any]], page: Page, ecosystem_id: int) -> None:
    stored = {document["id"]: document for document in newest_interactions(page, ecosystem_id)}
    ids = [interaction["id"] for interaction in live]
    assert ids == sorted(ids), f"the page received interactions out of order: {ids}"
    for interaction in live:
        assert interaction["ecosystem_id"] == ecosystem_id, (
            f"the page received an interaction of ecosystem {interaction['ecosystem_id']}"
        )
        assert interaction == stored.get(interaction["id"]), (
            f"the page received {interaction}; the API stored {stored.get(interaction['id'])}"
        )
        assert interaction["summary"] == feed_line(interaction), (
            f"the message says {interaction['summary']!r} for a {interaction['kind']}"
        )
