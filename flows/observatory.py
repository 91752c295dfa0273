"""Observatory in real time: two users watch the same ecosystem and see the same interactions."""

from __future__ import annotations

import re
from dataclasses import dataclass

import allure
from playwright.sync_api import Page, expect

from flows.live import expect_not_reloaded, mark_page_loaded
from pages.observatory import EcosystemPage

_SUMMARY = re.compile(r"^(?P<actor>.+?) (?:greeted|traded with|dueled|allied with) (?P<target>.+)$")


@dataclass(frozen=True)
class Interaction:
    """One line of the interaction feed, split into who acted on whom."""

    summary: str
    actor: str
    target: str

    @classmethod
    def parse(cls, summary: str) -> Interaction:
        """Read "Ada greeted Bob" into its parts."""
        match = _SUMMARY.match(summary.strip())
        assert match is not None, f"the feed shows {summary!r}, which is not an interaction"
        return cls(summary=summary.strip(), actor=match["actor"], target=match["target"])


def open_ecosystem(page: Page, ecosystem_id: int) -> EcosystemPage:
    """Open an ecosystem's page, wait until it is subscribed to the ecosystem's interactions,
    and mark it, so a later reload would show."""
    ecosystem = EcosystemPage(page).open(ecosystem_id=ecosystem_id).expect_loaded()
    # Interactions broadcast before the page subscribes never reach it.
    expect(ecosystem.live_status).to_have_text("Live")
    mark_page_loaded(page)
    return ecosystem


def watch_ecosystem_together(
    owner_page: Page, visitor_page: Page, *, ecosystem_id: int
) -> tuple[Interaction, Interaction]:
    """The owner starts the simulation; both feeds show each other's newest interaction live.

    Returns the interaction first read in the owner's feed and the one first read in the
    visitor's, each of which the other feed was shown to hold.
    """
    with allure.step("The owner and a second user open the same ecosystem"):
        owner = open_ecosystem(owner_page, ecosystem_id)
        visitor = open_ecosystem(visitor_page, ecosystem_id)
        expect(visitor.start_button, "a visitor was offered the owner's controls").to_have_count(0)
        expect(owner.simulation_status).to_have_text("paused")
        roster_before = {
            name: visitor.roster.row(name).inner_text()
            for name in visitor.roster.table.column_values("Name")
        }
    with allure.step("The owner starts the simulation"):
        owner.start_simulation()
        # Starting is a form post, so the owner's page loads afresh: wait for it to
        # subscribe again, and only then mark it.
        expect(owner.simulation_status).to_have_text("running")
        expect(owner.pause_button).to_be_visible()
        expect(owner.live_status).to_have_text("Live")
        mark_page_loaded(owner_page)
        shown_at_load = owner.feed.items.count()
    with allure.step("An interaction arriving live in the owner's feed reaches the visitor"):
        # A new item proves the owner's page is receiving; the newest is then one it got live,
        # never one broadcast while it was reloading.
        expect(
            owner.feed.items, "no interaction arrived live in the owner's feed"
        ).not_to_have_count(shown_at_load)
        seen_by_owner = Interaction.parse(owner.feed.newest_summary())
        expect(
            visitor.feed.item(seen_by_owner.summary).first,
            f"the visitor's feed never showed {seen_by_owner.summary!r}",
        ).to_be_visible()
        expect(visitor.simulation_status).to_have_text("running")
    with allure.step("The visitor's newest interaction is in the owner's feed too"):
        # Read once the visitor shows the owner's live item, so it is no older than that.
        seen_by_visitor = Interaction.parse(visitor.feed.newest_summary())
        expect(
            owner.feed.item(seen_by_visitor.summary).first,
            f"the owner's feed never showed {seen_by_visitor.summary!r}",
        ).to_be_visible()
    with allure.step(f"The visitor's roster row of {seen_by_owner.actor} changes live"):
        expect(
            visitor.roster.row(seen_by_owner.actor),
            f"{seen_by_owner.actor}'s energy and reputation never changed in the visitor's roster",
        ).not_to_have_text(roster_before[seen_by_owner.actor])
    with allure.step("Neither page was reloaded"):
        expect_not_reloaded(owner_page, what="the owner's ecosystem page")
        expect_not_reloaded(visitor_page, what="the visitor's ecosystem page")
    with allure.step("The owner pauses the simulation"):
        owner.pause_simulation()
        expect(owner.simulation_status).to_have_text("paused")
    return seen_by_owner, seen_by_visitor
