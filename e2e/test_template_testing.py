"""Template testing: previews of a template as typed, and a syntax error refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account
from fixtures.data import data_facts, template_text
from flows.datasets import TemplateDraft
from flows.records import read_seed_rows
from flows.template_testing import expect_syntax_error_refused, preview_template
from pages.templates import NewTemplatePage, TemplatesPage

pytestmark = [
    pytest.mark.journey,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Template testing"),
]


@allure.story("Preview before saving")
@allure.severity(allure.severity_level.CRITICAL)
def test_testing_a_template_previews_its_prompts_without_saving_it(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_seed: Callable[..., dict],
    seed_file: Callable[[str], Path],
    checkable_template: TemplateDraft,
) -> None:
    account = make_account()
    seed = make_seed(account, name="people.csv")
    editor = NewTemplatePage(page_for(account)).open().expect_loaded()
    editor.fill(name=checkable_template.name)

    preview_template(
        editor,
        body=checkable_template.body,
        seed_name=seed["name"],
        seed_rows=read_seed_rows(seed_file("people.csv")),
        rows=4,
    )

    with allure.step("Testing saved nothing: the account still has no templates"):
        templates = TemplatesPage(editor.page).open().expect_loaded()
        expect(templates.empty_message).to_be_visible()


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
