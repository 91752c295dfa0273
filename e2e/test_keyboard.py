"""The dataset journey with the keyboard alone, from the templates screen to the downloaded
export: every control reached with Tab shows a visible focus, and no pointer is used."""

from __future__ import annotations

import uuid

import allure
import pytest

from domain.drafts import RecordSource, TemplateDraft
from flows.exports import check_export, read_seed_rows
from flows.keyboard import (
    create_job_by_keyboard,
    download_by_keyboard,
    upload_seed_by_keyboard,
    write_template_by_keyboard,
)

pytestmark = [
    pytest.mark.a11y,
    pytest.mark.journey,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Accessibility"),
]


@allure.story("Keyboard only")
@allure.severity(allure.severity_level.CRITICAL)
def test_dataset_journey_can_be_completed_with_the_keyboard_alone(
    page_for, make_account, seed_file
) -> None:
    # A fresh account: its only template and seed are the ones the journey makes, so the
    # new-job form's lists need no choosing.
    page = page_for(make_account())
    # Short, because every character is a key press; built-in Jinja only, so that the
    # export's prompts can be predicted.
    template = TemplateDraft(
        name=f"Keys {uuid.uuid4().hex[:6]}", body="Hi {{ name }} of {{ city }}."
    )
    people = seed_file("people.csv")
    records = 12

    editor = write_template_by_keyboard(page, template)
    seed = upload_seed_by_keyboard(editor, people)
    job_page = create_job_by_keyboard(
        seed,
        template_name=template.name,
        seed_name=seed.seed_name(),
        records=records,
        budget_usd="5",
    )
    exported = download_by_keyboard(job_page, total=records, fmt="csv")

    check_export(
        exported,
        RecordSource(template.body, read_seed_rows(people)),
        expected_count=records,
        job_cost_usd=job_page.cost_usd(),
    )
