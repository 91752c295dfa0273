"""Template testing: previews of a template as typed, with their figures, and a syntax error
refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.drafts import TemplateDraft
from domain.platform_types import Seed
from fixtures.accounts import Account
from fixtures.data import data_facts, fake_people, seed_file_bytes, template_text
from flows.exports import read_seed_bytes, tokens_cost_usd
from flows.templates import (
    expect_syntax_error_refused,
    expected_previews,
    expected_tokens_per_record,
    preview_template,
)
from pages.templates import NewTemplatePage, TemplateEditorPage, TemplatesPage

pytestmark = [
    pytest.mark.journey,
    # About what the editor computes, not its layout; the phone project adds nothing here.
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Template testing"),
]

#: The body saved before the editor is opened. Built-in Jinja2 only, so the suite renders it
#: on its own; it differs from the checkable template everywhere, so a preview of the saved
#: body in place of the typed one cannot pass.
SAVED_BODY = (
    "Row {{ index + 1 }} of the test: {{ name | upper }} works as {{ occupation }} "
    "in {{ city }}, aged {{ age }} ({{ row | length }} fields)."
)
#: More rows than a test may render (20), so a preview past the rows asked for has a row to show.
OTHER_SEED_ROWS = 25


def _other_people(account: Account) -> tuple[Seed, list[dict]]:
    """A second seed of people with the same columns, so a wrong seed shows other prompts."""
    name = "zoë's other people.csv"
    content = seed_file_bytes(name, fake_people(OTHER_SEED_ROWS, seed=7))
    seed = account.api.upload_seed(Path(name), content=content)
    _, rows = read_seed_bytes(name, content)
    return seed, rows


@allure.story("Preview before saving")
@allure.severity(allure.severity_level.CRITICAL)
def test_testing_a_template_previews_the_typed_body_over_one_three_and_twenty_rows(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    seed_file: Callable[[str], Path],
    checkable_template: TemplateDraft,
) -> None:
    account = make_account()
    saved = account.api.create_template(name="Saved persona", body=SAVED_BODY)
    people = account.api.upload_seed(seed_file("people.csv"))
    people_rows = read_seed_bytes("people.csv", seed_file("people.csv").read_bytes())[1]
    others, other_rows = _other_people(account)
    page = page_for(account)

    editor = NewTemplatePage(page).open().expect_loaded()
    editor.fill(name=checkable_template.name)
    # Rows left as offered: the default of three.
    preview_template(
        editor, body=checkable_template.body, seed=people, seed_rows=people_rows, rows=None
    )
    with allure.step("Testing a new template saved nothing"):
        listed = account.api.templates()
        assert [t.id for t in listed] == [saved.id], (
            f"after testing a new template the account holds {[t.name for t in listed]}; "
            f"expected only {saved.name!r}"
        )

    # The saved template's editor, at the boundaries of Rows (1 and 20), over different seeds.
    editor = TemplateEditorPage(page).open(template_id=saved.id).expect_loaded()
    preview_template(
        editor, body=checkable_template.body, seed=others, seed_rows=other_rows, rows=1
    )
    preview_template(
        editor, body=checkable_template.body, seed=people, seed_rows=people_rows, rows=20
    )
    with allure.step("Testing saved nothing: the template keeps its saved body"):
        editor = TemplateEditorPage(page).open(template_id=saved.id).expect_loaded()
        expect(editor.body, "testing an edited body leaves the saved one").to_have_value(
            SAVED_BODY
        )
    with allure.step("The API tests the body it is sent, or else the saved one"):
        for body in (checkable_template.body, None):
            result = account.api.test_template(saved.id, seed_id=others.id, rows=2, body=body)
            expected = expected_previews(body or SAVED_BODY, other_rows, 2)
            got = [(p.row_index, p.prompt, p.tokens) for p in result.previews]
            want = [(index, p.prompt, p.tokens) for index, p in enumerate(expected)]
            assert got == want, (
                f"the API's test of the {'sent' if body else 'saved'} body previews {got}; "
                f"expected {want}"
            )
            tokens = expected_tokens_per_record(expected)
            assert result.tokens_per_record == tokens, (
                f"the API estimates {result.tokens_per_record} tokens per record; "
                f"expected the average {tokens}"
            )
            assert result.cost_per_record_usd == pytest.approx(tokens_cost_usd(tokens)), (
                f"the API estimates ${result.cost_per_record_usd} per record; "
                f"expected the price of {tokens} tokens"
            )


@allure.story("Syntax error")
@allure.severity(allure.severity_level.NORMAL)
def test_template_with_a_syntax_error_is_refused_and_not_saved(
    page_for: Callable[[Account], Page], make_account: Callable[..., Account]
) -> None:
    account = make_account()
    editor = NewTemplatePage(page_for(account)).open().expect_loaded()

    expect_syntax_error_refused(
        editor,
        name="Broken persona",
        body=template_text("broken_syntax.j2"),
        line=data_facts("templates/broken_syntax.j2")["error_line"],
    )

    with allure.step("Nothing was saved: the account still has no templates"):
        templates = TemplatesPage(editor.page).open().expect_loaded()
        expect(templates.empty_message).to_be_visible()
