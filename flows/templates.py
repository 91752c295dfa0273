"""Templates: write one in the editor, test it as typed over a few seed rows, save, list and
delete it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import allure
from playwright.sync_api import Page, expect

from domain.drafts import TemplateDraft
from domain.facts import TEMPLATE_TEST_ROWS
from domain.platform_types import Seed, Template
from flows.exports import preview_tokens, render_prompt, tokens_cost_usd
from pages.templates import NewTemplatePage, TemplateEditorPage, TemplatesPage, TestPanel


@dataclass(frozen=True)
class ExpectedPreview:
    """What one preview must show: the prompt its seed row renders, its tokens and cost."""

    prompt: str
    tokens: int
    cost: str


def usd4(amount: float) -> str:
    """A cost as the platform shows costs: a dollar sign and four decimals."""
    return f"${amount:,.4f}"


def expected_previews(
    body: str, seed_rows: list[dict[str, Any]], rows: int
) -> list[ExpectedPreview]:
    """The previews of `body` over seed rows 0..rows-1, predicted by the suite on its own."""
    previews = []
    for index, seed_row in enumerate(seed_rows[:rows]):
        prompt = render_prompt(body, seed_row, index=index)
        tokens = preview_tokens(prompt, index)
        previews.append(ExpectedPreview(prompt, tokens, usd4(tokens_cost_usd(tokens))))
    return previews


def _tokens_and_cost(preview: ExpectedPreview) -> re.Pattern[str]:
    # The preview's text ends with "… N tokens · $C"; the prompt above it may hold anything.
    return re.compile(
        rf"(?<!\d){preview.tokens} tokens\b.*{re.escape(preview.cost)}\s*$", re.DOTALL
    )


def expected_tokens_per_record(previews: list[ExpectedPreview]) -> int:
    """The estimate per record: the previews' average tokens, rounded to a whole token."""
    return round(sum(preview.tokens for preview in previews) / len(previews))


def preview_template(
    editor: NewTemplatePage | TemplateEditorPage,
    *,
    body: str,
    seed: Seed,
    seed_rows: list[dict[str, Any]],
    rows: int | None,
) -> TestPanel:
    """Type `body`, test it over the first `rows` rows of `seed` and check every figure shown.

    `rows=None` leaves the Rows field as the screen offers it, which must be the default 3.
    Each preview must hold the prompt its seed row renders with its tokens and cost; the
    per-record estimates must be the previews' average; the form must keep what was typed.
    """
    panel = editor.test_panel
    name_before = editor.name.input_value()
    if rows is None:
        expect(panel.rows, "the Rows field offers the default row count").to_have_value(
            str(TEMPLATE_TEST_ROWS)
        )
    count = TEMPLATE_TEST_ROWS if rows is None else rows
    expected = expected_previews(body, seed_rows, count)
    assert len(expected) == count, f"the seed has {len(seed_rows)} rows, fewer than {count}"
    with allure.step(f"Type the body and test it over {count} rows of {seed.name!r}"):
        editor.fill(body=body)
        panel.run(seed_name=seed.name, rows=rows)
    with allure.step(f"{count} previews show the prompts of seed rows 0..{count - 1}"):
        expect(panel.previews, f"testing over {count} rows shows {count} previews").to_have_count(
            count
        )
        expect(
            panel.preview_prompts,
            f"the previews hold the prompts the typed body renders for seed rows 0..{count - 1}",
        ).to_have_text([preview.prompt for preview in expected])
        # to_have_text compares with whitespace folded; a prompt is shown exactly as rendered.
        shown = panel.preview_prompts.all_text_contents()
        for index, (text, preview) in enumerate(zip(shown, expected, strict=True)):
            assert text == preview.prompt, (
                f"preview {index + 1} shows the prompt {text!r}; the typed body renders "
                f"{preview.prompt!r} for seed row {index}"
            )
    with allure.step("Each preview shows its own tokens and cost"):
        expect(
            panel.previews,
            "each preview shows the tokens of its prompt and completion, and their cost",
        ).to_have_text([_tokens_and_cost(preview) for preview in expected])
    with allure.step("The estimates per record are the previews' average"):
        tokens_per_record = expected_tokens_per_record(expected)
        expect(
            panel.tokens_per_record,
            f"tokens per record is the average of the previews' tokens "
            f"{[preview.tokens for preview in expected]}",
        ).to_have_text(str(tokens_per_record))
        expect(
            panel.cost_per_record,
            f"cost per record is the price of {tokens_per_record} tokens at four decimals",
        ).to_have_text(usd4(tokens_cost_usd(tokens_per_record)))
    with allure.step("The form keeps the name, body, seed and row count as typed"):
        expect(editor.name, "testing keeps the name as typed").to_have_value(name_before)
        expect(editor.body, "testing keeps the body as typed").to_have_value(body)
        expect(panel.rows, "testing keeps the row count").to_have_value(str(count))
        expect(panel.seed_dataset, "testing keeps the seed dataset chosen").to_have_value(
            str(seed.id)
        )
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


def updated_text(moment: datetime) -> str:
    """An API timestamp (in UTC) as the templates list shows it."""
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def expect_templates_listed(listing: TemplatesPage, templates: list[Template]) -> None:
    """The list shows exactly `templates` (as the API reads them): names, Updated, Delete NAME."""
    names = [template.name for template in templates]
    with allure.step(f"The templates list shows exactly {names}"):
        expect(listing.names, f"the templates list shows {len(names)} templates").to_have_count(
            len(names)
        )
        shown = sorted(text.strip() for text in listing.names.all_text_contents())
        assert shown == sorted(names), (
            f"the templates list shows the names {shown}; expected exactly {sorted(names)}"
        )
        for template in templates:
            name = template.name
            expect(listing.name_link(name), f"the list links {name!r} once").to_have_count(1)
            expect(
                listing.delete_button(name),
                f"the row of {name!r} has one button named 'Delete {name}'",
            ).to_have_count(1)
            expect(
                listing.updated(name), f"the Updated cell of {name!r} shows when it was saved"
            ).to_have_text(updated_text(template.updated_at))


def save_edited_template(editor: TemplateEditorPage, *, name: str, body: str) -> TemplateEditorPage:
    """Change the name and body of a saved template and save it; the editor keeps them."""
    template_id = editor.template_id
    with allure.step(f"Rename the template to {name!r}, change its body and save it"):
        editor.fill(name=name, body=body)
        saved = editor.save()
        saved.expect_loaded()
    with allure.step("The editor says it saved and shows the saved name and body"):
        expect(saved.flash.root, "saving a template says so").to_have_text("Template saved.")
        assert saved.template_id == template_id, (
            f"saving template {template_id} landed on the editor of template {saved.template_id}"
        )
        expect(saved.name, "the editor shows the saved name").to_have_value(name)
        expect(saved.body, "the editor shows the saved body").to_have_value(body)
    return saved


def delete_template_by_name(listing: TemplatesPage, name: str) -> None:
    """Press "Delete NAME" on the templates list and see that row go."""
    with allure.step(f"Delete the template {name!r} from the list"):
        listing.delete(name)
        listing.expect_loaded()
        expect(
            listing.name_link(name), f"the deleted template {name!r} is gone from the list"
        ).to_have_count(0)


def create_template(page: Page, template: TemplateDraft) -> TemplateEditorPage:
    """Write and save a template through the editor."""
    with allure.step(f"Create the template {template.name!r} in the editor"):
        editor = NewTemplatePage(page).open().expect_loaded()
        editor.fill(name=template.name, body=template.body)
        saved = editor.save()
        saved.expect_loaded()
        expect(saved.flash.root).to_have_text("Template saved.")
        expect(saved.name).to_have_value(template.name)
    return saved
