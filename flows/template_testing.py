"""Template testing: render a template as typed over a few seed rows before saving it."""

from __future__ import annotations

import re
from typing import Any

import allure
from playwright.sync_api import expect

from flows.records import render_prompt
from pages.templates import NewTemplatePage, TemplateEditorPage, TestPanel

_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")
_COST_PER_RECORD = re.compile(r"^\s*\$\d+\.\d{4}\s*$")


def preview_template(
    editor: NewTemplatePage | TemplateEditorPage,
    *,
    body: str,
    seed_name: str,
    seed_rows: list[dict[str, Any]],
    rows: int,
) -> TestPanel:
    """Type `body`, test it over the first `rows` seed rows, and check the previews.

    Each preview must hold the prompt its seed row renders; the per-record estimates must
    be shown; the form must keep what was typed.
    """
    name_before = editor.name.input_value()
    with allure.step(f"Type the body and test it over {rows} rows of {seed_name!r}"):
        editor.fill(body=body)
        editor.test_panel.run(seed_name=seed_name, rows=rows)
    panel = editor.test_panel
    with allure.step(f"{rows} previews show the prompts the first {rows} seed rows render"):
        expect(panel.previews).to_have_count(rows)
        for index, seed_row in enumerate(seed_rows[:rows]):
            expect(panel.preview_prompt(index)).to_have_text(
                render_prompt(body, seed_row, index=index)
            )
    with allure.step("The tokens and cost per record are estimated"):
        expect(panel.tokens_per_record).to_have_text(_NUMBER)
        expect(panel.cost_per_record).to_have_text(_COST_PER_RECORD)
    with allure.step("The form keeps the name, body and row count as typed"):
        expect(editor.name).to_have_value(name_before)
        expect(editor.body).to_have_value(body)
        expect(panel.rows).to_have_value(str(rows))
    return panel


def expect_syntax_error_refused(
    editor: NewTemplatePage | TemplateEditorPage, *, name: str, body: str, line: int
) -> None:
    """Saving a body with a syntax error shows where it is and keeps the editor open."""
    with allure.step(f"Save a body with a syntax error on line {line}"):
        editor.fill(name=name, body=body)
        editor.save_button.click()
    with allure.step(f"The body is marked invalid: 'Syntax error on line {line}: …'"):
        expect(editor.body).to_have_attribute("aria-invalid", "true")
        expect(editor.form_errors.field_error("body")).to_have_text(
            re.compile(rf"^Syntax error on line {line}: .+")
        )
        expect(editor.body).to_have_accessible_description(
            re.compile(rf"Syntax error on line {line}: .+")
        )
        expect(editor.body).to_have_value(body)
