"""The templates list: names as entered, Updated after a save, and deleting one by its name."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account
from flows.templates import delete_template_by_name, expect_templates_listed, save_edited_template
from pages.templates import TemplatesPage

pytestmark = [
    pytest.mark.journey,
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Templates"),
]

#: Each name a prefix of the next, so a button or link found by a loose name hits two rows; the
#: last is long and not ASCII, as a list cell would be tempted to shorten or fold it.
NAMES = (
    "Persona",
    "Persona 2",
    "Persona 2 — Zoë's «long» brief for São Paulo's customer-support desk, revision one",
)
RENAMED = "Persona 2 révisée"
NEW_BODY = "Write a short note for {{ name }} in {{ city }}."


@allure.story("List, save and delete")
@allure.severity(allure.severity_level.CRITICAL)
def test_templates_list_follows_a_save_and_deletes_exactly_the_template_named(
    page_for: Callable[[Account], Page], make_account: Callable[..., Account]
) -> None:
    account = make_account()
    made = [
        account.api.create_template(name=name, body=f"Template {number}: {{{{ name }}}}.")
        for number, name in enumerate(NAMES, start=1)
    ]
    listing = TemplatesPage(page_for(account)).open().expect_loaded()
    expect_templates_listed(listing, made)

    editor = listing.open_template(NAMES[1])
    editor.expect_loaded()
    with allure.step(f"The editor of {NAMES[1]!r} shows its saved name and body"):
        expect(editor.name, "the editor shows the template's name").to_have_value(NAMES[1])
        expect(editor.body, "the editor shows the template's body").to_have_value(made[1].body)
    save_edited_template(editor, name=RENAMED, body=NEW_BODY)

    with allure.step("The API holds the saved name and body, updated later than before"):
        edited = account.api.template(made[1].id)
        assert (edited.name, edited.body) == (RENAMED, NEW_BODY), (
            f"after saving, the API holds {edited.name!r} / {edited.body!r}; "
            f"expected {RENAMED!r} / {NEW_BODY!r}"
        )
        assert edited.updated_at > made[1].updated_at, (
            f"saving the template left its updated time at {edited.updated_at} "
            f"(it was {made[1].updated_at} before)"
        )
    listing = editor.navigation.go_to(TemplatesPage).expect_loaded()
    with allure.step(f"The list shows {RENAMED!r} in place of {NAMES[1]!r}"):
        expect(listing.name_link(NAMES[1]), "the old name is gone from the list").to_have_count(0)
    current = [made[0], edited, made[2]]
    expect_templates_listed(listing, current)

    delete_template_by_name(listing, NAMES[0])
    remaining = current[1:]
    expect_templates_listed(listing, remaining)
    with allure.step("The API lists exactly the two templates not deleted"):
        listed = account.api.templates()
        assert sorted(t.id for t in listed) == sorted(t.id for t in remaining), (
            f"after deleting {NAMES[0]!r} the API lists {[t.name for t in listed]}; "
            f"expected {[t.name for t in remaining]}"
        )
