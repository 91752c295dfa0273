"""Forms refusing bad input: the message sits next to the field it is about, what was typed
stays, and nothing that was stored before is lost. The cases come from
`fixtures/data/v1/bad/input_classes.json`, whose values `concrete()` turns into text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import allure
from playwright.sync_api import Locator, expect

from pages.base import path_pattern
from pages.components import FormErrors, fill_number
from pages.jobs import NewJobPage
from pages.seeds import SeedsPage
from pages.signup import SignupPage

SIGNUP_FIELDS = ("email", "display_name", "password")


def concrete(value: Any, *, tag: str) -> Any:
    """A data-file value made real: `{"repeat", "times", "prefix"?, "suffix"?}` becomes the
    string, `{tag}` / `{TAG}` become the test's unique tag; lists and objects recursively."""
    if isinstance(value, str):
        return value.replace("{tag}", tag).replace("{TAG}", tag.upper())
    if isinstance(value, list):
        return [concrete(item, tag=tag) for item in value]
    if isinstance(value, dict):
        if "repeat" in value:
            text = value.get("prefix", "") + value["repeat"] * value["times"]
            return concrete(text + value.get("suffix", ""), tag=tag)
        return {key: concrete(item, tag=tag) for key, item in value.items()}
    return value


def type_into(field: Locator, value: str) -> None:
    """Replace what a text field holds with `value`, exactly as given."""
    # A refused form comes back filled in, and Firefox over WebDriver BiDi appends on fill():
    # emptied first, the field holds exactly what the case types.
    field.clear()
    field.fill(value)


def expect_field_error(
    errors: FormErrors, control: Locator, *, field: str, message: str | re.Pattern[str]
) -> None:
    """`control` is marked invalid, and its error is visible, placed right after it and named
    in its `aria-describedby`, so both eyes and screen readers find it next to the field."""
    error = errors.field_error(field)
    expect(error, f"the error shown for {field!r} says what is wrong").to_have_text(message)
    expect(error, f"the error of {field!r} can be seen").to_be_visible()
    expect(control, f"{field!r} is marked invalid").to_have_attribute("aria-invalid", "true")
    expect(control, f"{field!r} points at its error in aria-describedby").to_have_attribute(
        "aria-describedby", re.compile(rf"(^|\s){re.escape(field)}-error(\s|$)")
    )
    follows = control.evaluate("(element) => element.nextElementSibling?.id ?? null")
    assert follows == f"{field}-error", (
        f"the error of {field!r} is not placed right after its field (next is {follows!r})"
    )


def expect_field_valid(errors: FormErrors, control: Locator, *, field: str) -> None:
    """`control` carries no error."""
    expect(errors.field_error(field), f"{field!r} shows no error").to_have_count(0)
    expect(control, f"{field!r} is not marked invalid").not_to_have_attribute(
        "aria-invalid", "true"
    )


def expect_fields(
    errors: FormErrors,
    controls: Mapping[str, Locator],
    *,
    messages: Mapping[str, str | re.Pattern[str]],
    typed: Mapping[str, str],
) -> None:
    """Each field of `messages` shows its error, every other control shows none, and each
    control of `typed` still holds what was typed."""
    for field, message in messages.items():
        expect_field_error(errors, controls[field], field=field, message=message)
    for field in controls.keys() - messages.keys():
        expect_field_valid(errors, controls[field], field=field)
    for field, value in typed.items():
        kept = f"{field!r} keeps what was typed after the refusal"
        expect(controls[field], kept).to_have_value(value)


def starts_with(message: str) -> re.Pattern[str]:
    """A message pattern for a data-file message that the platform continues (an amount)."""
    return re.compile(rf"^{re.escape(message)}")


def sign_up_refused(
    signup: SignupPage, typed: Mapping[str, str], *, errors: Mapping[str, str], case: str
) -> None:
    """Sign up with `typed`: refused on the same form, each bad field saying why, email and
    name kept as typed and the password not echoed back."""
    with allure.step(f"Sign up with {case}: refused with {dict(errors)}"):
        for field in SIGNUP_FIELDS:
            type_into(getattr(signup, field), typed[field])
        signup.sign_up_button.click()
        refused = f"a sign-up with {case} is refused on the sign-up form"
        expect(signup.page, refused).to_have_url(path_pattern(signup.path))
        signup.expect_loaded()
        controls = {field: getattr(signup, field) for field in SIGNUP_FIELDS}
        expect_fields(
            signup.form_errors,
            controls,
            messages=errors,
            typed={"email": typed["email"], "display_name": typed["display_name"]},
        )
        expect(signup.password, "the refused password is not sent back").to_have_value("")


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
    errors: Mapping[str, str],
    records_per_second: str = "0",
    chosen: Mapping[str, int],
) -> None:
    """Submit the new-job form with bad numbers (as typed): each bad field says why, the
    others say nothing, and the typed values and the choices (`chosen` ids) stay."""
    with allure.step(
        f"Create a job of {records!r} records, budget {budget_usd!r}, speed "
        f"{records_per_second!r}: refused"
    ):
        new_job.template.select_option(label=template_name)
        new_job.seed_dataset.select_option(label=seed_name)
        # Typed as given: the page object's fill() would round the budget to cents.
        fill_number(new_job.records, records)
        fill_number(new_job.budget, budget_usd)
        fill_number(new_job.speed, records_per_second)
        new_job.create_button.click()
        new_job.expect_loaded()
    controls = {
        "records": new_job.records,
        "budget_usd": new_job.budget,
        "records_per_second": new_job.speed,
    }
    with allure.step(f"Messages next to {', '.join(errors)}; the typed values stay"):
        expect_fields(
            new_job.form_errors,
            controls,
            messages={field: starts_with(message) for field, message in errors.items()},
            typed={
                "records": records,
                "budget_usd": budget_usd,
                "records_per_second": records_per_second,
            },
        )
        expect(new_job.template, "the refused form keeps the template chosen").to_have_value(
            str(chosen["template_id"])
        )
        expect(new_job.seed_dataset, "the refused form keeps the seed chosen").to_have_value(
            str(chosen["seed_id"])
        )


def tampered_choice_refused(
    form_errors: FormErrors, select: Locator, submit: Locator, *, field: str, value: str,
    message: str,
) -> None:
    """Send a choice the form does not offer (an edited page, a stale form, a script): the
    chosen option's value is replaced by `value` before submitting. The platform must refuse it
    with `message` next to the select, not store it and not fold it into an offered one."""
    with allure.step(f"Submit {field} {value!r}, which the form does not offer: refused"):
        select.evaluate(
            "(element, value) => { element.options[element.selectedIndex].value = value; }", value
        )
        submit.click()
        expect_field_error(form_errors, select, field=field, message=message)
