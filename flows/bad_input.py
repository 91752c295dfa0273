"""Forms refusing bad input: the message sits next to the field it is about, and nothing
that was stored before is lost."""

from __future__ import annotations

import re
from pathlib import Path

import allure
from playwright.sync_api import Locator, expect

from pages.components import FormErrors, fill_number
from pages.jobs import NewJobPage
from pages.seeds import SeedsPage


def expect_field_error(
    errors: FormErrors, control: Locator, *, field: str, message: str | re.Pattern[str]
) -> None:
    """`control` is marked invalid, and its error is placed right after it and named in its
    `aria-describedby`, so both eyes and screen readers find it next to the field."""
    error = errors.field_error(field)
    expect(error, f"no error message for {field!r}").to_have_text(message)
    expect(control, f"{field!r} is not marked invalid").to_have_attribute("aria-invalid", "true")
    expect(control, f"{field!r} does not point at its error").to_have_attribute(
        "aria-describedby", re.compile(rf"(^|\s){re.escape(field)}-error(\s|$)")
    )
    follows = control.evaluate("(element) => element.nextElementSibling?.id ?? null")
    assert follows == f"{field}-error", (
        f"the error of {field!r} is not placed right after its field (next is {follows!r})"
    )


def expect_field_valid(errors: FormErrors, control: Locator, *, field: str) -> None:
    """`control` carries no error."""
    expect(errors.field_error(field)).to_have_count(0)
    expect(control).not_to_have_attribute("aria-invalid", "true")


def upload_refused(seeds: SeedsPage, path: Path, *, message: str | re.Pattern[str]) -> None:
    """Upload a bad file: the platform answers with the file input's error, on the same form."""
    with allure.step(f"Upload {path.name}: refused with {message!r} next to the file input"):
        seeds.choose_file(path)
        seeds.upload_button.click()
        seeds.expect_loaded()
        expect_field_error(seeds.form_errors, seeds.seed_file, field="file", message=message)


def job_refused(
    new_job: NewJobPage,
    *,
    template_name: str,
    seed_name: str,
    records: str,
    budget_usd: str,
    errors: dict[str, str],
) -> None:
    """Submit the new-job form with bad numbers (as typed): each bad field says why, and the
    typed values stay."""
    with allure.step(f"Create a job of {records} records with a ${budget_usd} budget: refused"):
        new_job.template.select_option(label=template_name)
        new_job.seed_dataset.select_option(label=seed_name)
        # Typed as given: the page object's fill() would round the budget to cents.
        fill_number(new_job.records, records)
        fill_number(new_job.budget, budget_usd)
        new_job.create_button.click()
        new_job.expect_loaded()
    controls = {"records": new_job.records, "budget_usd": new_job.budget}
    with allure.step(f"Messages next to {', '.join(errors)}; the typed values stay"):
        for field, message in errors.items():
            expect_field_error(
                new_job.form_errors,
                controls[field],
                field=field,
                message=re.compile(rf"^{re.escape(message)}"),
            )
        for field in controls.keys() - errors.keys():
            expect_field_valid(new_job.form_errors, controls[field], field=field)
        expect(new_job.records).to_have_value(records)
        expect(new_job.budget).to_have_value(budget_usd)
