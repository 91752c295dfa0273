"""The dataset journey with the keyboard alone: Tab to each control, type, press Enter or
Space; no pointer anywhere. Each control reached must show where the focus is."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import allure
from playwright.sync_api import Locator, Page, expect

from domain.drafts import TemplateDraft
from flows.accessibility import press_on, tab_to, type_into
from flows.exports import save_and_read_export
from pages.base import BasePage
from pages.jobs import JobPage, JobsPage, NewJobPage, records_done_text
from pages.seeds import SeedPage, SeedsPage
from pages.templates import NewTemplatePage, TemplateEditorPage, TemplatesPage

ScreenT = TypeVar("ScreenT", bound=BasePage)


def go_to_by_keyboard(screen: BasePage, target: type[ScreenT]) -> ScreenT:
    """Follow the main navigation's link to `target`, unfolding "Menu" first where folded."""
    page = screen.page
    navigation = screen.navigation
    with allure.step(f"Keyboard: follow the navigation to {target.nav_label}"):
        if navigation.is_folded():
            press_on(page, navigation.menu_button, "Enter", what='the "Menu" button')
            expect(navigation.menu_button).to_have_attribute("aria-expanded", "true")
        press_on(
            page, navigation.link(target.nav_label), "Enter", what=f"the {target.nav_label} link"
        )
        return target(page).expect_loaded()


def write_template_by_keyboard(page: Page, template: TemplateDraft) -> TemplateEditorPage:
    """From the templates screen: New template, type name and body, save."""
    with allure.step(f"Keyboard: write and save the template {template.name!r}"):
        templates = TemplatesPage(page).open().expect_loaded()
        press_on(page, templates.new_template_link, "Enter", what='the "New template" link')
        editor = NewTemplatePage(page).expect_loaded()
        type_into(page, editor.name, template.name, what="the Name field")
        type_into(page, editor.body, template.body, what="the Body field")
        press_on(page, editor.save_button, "Enter", what='the "Save template" button')
        saved = TemplateEditorPage(page).expect_loaded()
        expect(saved.flash.root).to_have_text("Template saved.")
        expect(saved.body).to_have_value(template.body)
    return saved


def upload_seed_by_keyboard(screen: BasePage, seed_file: Path) -> SeedPage:
    """Open the seed screen, choose the file with Space on the file input, press Upload."""
    page = screen.page
    seeds = go_to_by_keyboard(screen, SeedsPage)
    with allure.step(f"Keyboard: choose {seed_file.name} and upload it"):
        tab_to(page, seeds.seed_file, what="the Seed file input")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(seed_file)
        press_on(page, seeds.upload_button, "Enter", what='the "Upload" button')
        seed = SeedPage(page).expect_loaded()
        expect(seed.flash.root).to_have_text("Seed data uploaded.")
    return seed


def create_job_by_keyboard(
    screen: BasePage, *, template_name: str, seed_name: str, records: int, budget_usd: str
) -> JobPage:
    """From the jobs screen: New job, keep the only template and seed, type the numbers,
    pick CSV with the arrow keys, create."""
    page = screen.page
    jobs = go_to_by_keyboard(screen, JobsPage)
    with allure.step(f"Keyboard: create a job of {records} CSV records"):
        press_on(page, jobs.new_job_link, "Enter", what='the "New job" link')
        new_job = NewJobPage(page).expect_loaded()
        tab_to(page, new_job.template, what="the Template list")
        assert _chosen_label(new_job.template) == template_name
        tab_to(page, new_job.seed_dataset, what="the Seed dataset list")
        assert _chosen_label(new_job.seed_dataset) == seed_name
        type_into(page, new_job.records, str(records), what="the Records field", replace=True)
        type_into(page, new_job.budget, budget_usd, what="the Budget field", replace=True)
        tab_to(page, new_job.output_format, what="the Output format list")
        page.keyboard.press("ArrowDown")
        expect(new_job.output_format).to_have_value("csv")
        press_on(page, new_job.create_button, "Enter", what='the "Create job" button')
        return JobPage(page).expect_loaded()


def _chosen_label(select: Locator) -> str:
    return select.evaluate("(element) => element.selectedOptions[0]?.text ?? ''").strip()


def download_by_keyboard(job_page: JobPage, *, total: int, fmt: str) -> list[dict[str, Any]]:
    """Wait for the job to complete, then Tab to its download link and press Enter."""
    page = job_page.page
    with allure.step(f"The job completes with {total} records"):
        expect(job_page.status).to_have_text("completed")
        expect(job_page.records_done).to_have_text(records_done_text(total, total))
    with allure.step(f"Keyboard: download the {fmt.upper()} export"):
        link = job_page.download_link(fmt)
        tab_to(page, link, what=f"the Download {fmt.upper()} link")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        return save_and_read_export(download.value, job_id=job_page.job_id, fmt=fmt)
