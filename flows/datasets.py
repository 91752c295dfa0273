"""The dataset journey: template, seed data and job made through the UI, watched live,
then the export downloaded and checked against what was asked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import allure
from playwright.sync_api import Page, expect

from flows.jobs import expect_job_page_shows, read_job, run_wait_ms
from flows.live import expect_not_reloaded, mark_page_loaded
from flows.records import check_export, read_seed_rows, save_and_read_export
from pages.jobs import FORMAT_LABELS, JobPage, JobsPage, records_done_text
from pages.seeds import SeedPage, SeedsPage
from pages.templates import NewTemplatePage, TemplateEditorPage

#: How many distinct in-between progress values prove that progress arrives live.
MIN_LIVE_STEPS = 2


@dataclass(frozen=True)
class TemplateDraft:
    """A template as a person would type it."""

    name: str
    body: str


@dataclass(frozen=True)
class DatasetResult:
    """What the dataset journey made and downloaded."""

    job_page: JobPage
    records: list[dict[str, Any]]
    shown_cost_usd: float


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


def upload_seed(page: Page, seed_file: Path) -> SeedPage:
    """Upload a seed file and land on its detail, which counts its rows."""
    with allure.step(f"Upload the seed file {seed_file.name}"):
        seeds = SeedsPage(page).open().expect_loaded()
        seed = seeds.upload(seed_file)
        seed.expect_loaded()
        expect(seed.flash.root).to_have_text("Seed data uploaded.")
        expect(seed.row_count).to_have_text(str(len(read_seed_rows(seed_file))))
    return seed


def create_job(
    page: Page,
    *,
    template_name: str,
    seed_name: str,
    records: int,
    budget_usd: float,
    fmt: str = "jsonl",
    speed: int = 0,
) -> JobPage:
    """Fill the new-job form from the jobs list and land on the job's page."""
    with allure.step(
        f"Create a job for {records} {fmt} records from {template_name!r} and {seed_name!r}"
    ):
        new_job = JobsPage(page).open().expect_loaded().start_new()
        new_job.expect_loaded()
        new_job.fill(
            template_name=template_name,
            seed_name=seed_name,
            records=records,
            budget_usd=budget_usd,
            fmt=fmt,
            speed=speed,
        )
        job_page = new_job.create()
        job_page.expect_loaded()
        expect(job_page.progress).to_have_attribute("aria-valuemax", str(records))
    with allure.step("The platform stored the job exactly as it was entered"):
        job = read_job(job_page.page, job_page.job_id)
        stored = {key: job[key] for key in ("template_name", "seed_name", "records_total")}
        stored |= {
            "budget_usd": float(job["budget_usd"]),
            "format": job["format"],
            "records_per_second": float(job["records_per_second"]),
        }
        entered = {
            "template_name": template_name,
            "seed_name": seed_name,
            "records_total": records,
            "budget_usd": float(f"{budget_usd:.2f}"),
            "format": fmt,
            "records_per_second": float(speed),
        }
        assert stored == entered, (
            f"the new-job form entered {entered}; the platform stored {stored}"
        )
    return job_page


def watch_until_done(
    job_page: JobPage, *, total: int, final_status: str = "completed", timeout_ms: float
) -> None:
    """Watch the job to its end and prove its progress arrived live, with no reload.

    The progress bar must take at least MIN_LIVE_STEPS distinct values between 0 and
    `total` while this page stays loaded, then read `total` with the counts to match.
    """
    mark_page_loaded(job_page.page)
    seen_between: list[int] = []
    counts_between: set[int] = set()
    with allure.step("The page connects to the platform's live updates"):
        expect(job_page.live_status).to_have_text("Live")
    with allure.step("The progress bar climbs live while the job runs"):
        value = job_page.progress_value()
        assert value < total, (
            f"the job had already made all {total} records when its page went live, so "
            "nothing could be watched live: give it more records or a lower speed"
        )
        while value < total:
            try:
                expect(job_page.progress).not_to_have_attribute(
                    "aria-valuenow", str(value), timeout=timeout_ms
                )
            except AssertionError as error:
                raise AssertionError(
                    f"progress stopped at {value} of {total} records with the job "
                    f"{job_page.status.inner_text()!r}; values seen on the way: {seen_between}"
                ) from error
            new_value = job_page.progress_value()
            assert new_value > value, f"progress went back from {value} to {new_value}"
            value = new_value
            if 0 < value < total:
                if not seen_between and value <= total // 2:
                    _expect_running_controls(job_page)
                seen_between.append(value)
                done, _ = job_page.counts()
                if 0 < done < total:
                    counts_between.add(done)
        assert len(seen_between) >= MIN_LIVE_STEPS, (
            f"the progress bar jumped to {total} having shown only {seen_between} in between: "
            "progress is not arriving live"
        )
        assert counts_between, (
            f"the records-done counter never showed a count between 0 and {total} "
            "while the progress bar moved"
        )
    with allure.step(f"The job reads {final_status} with {total} of {total} records"):
        expect(job_page.status).to_have_text(final_status)
        expect(job_page.records_done).to_have_text(records_done_text(total, total))
        expect(job_page.cancel_button).to_be_hidden()
    job = read_job(job_page.page, job_page.job_id)
    assert (job["status"], job["records_done"]) == (final_status, total), (
        f"the job page shows {final_status} with {total} records; the platform says "
        f"{job['status']} with {job['records_done']}"
    )
    expect_job_page_shows(job_page, job, moment=f"after the job {final_status}, without a reload")
    with allure.step("All of it happened without reloading the page"):
        expect_not_reloaded(job_page.page, what="the job page")


def _expect_running_controls(job_page: JobPage) -> None:
    # Checked early in the run, so that the job cannot finish while they are read.
    with allure.step("While the job runs it offers Cancel job and no downloads"):
        expect(job_page.status, "the job page shows a running job").to_have_text("running")
        expect(job_page.cancel_button, "a running job offers Cancel job").to_be_visible()
        for fmt, label in FORMAT_LABELS.items():
            expect(
                job_page.download_link(fmt), f"a running job offers no Download {label}"
            ).to_be_hidden()


def download_export(job_page: JobPage, fmt: str) -> list[dict[str, Any]]:
    """Download the job's export in `fmt` from its page and return the parsed records."""
    with allure.step(f"Download the job's {fmt.upper()} export"):
        download = job_page.download(fmt)
        return save_and_read_export(download, job_id=job_page.job_id, fmt=fmt)


def create_dataset(
    page: Page,
    *,
    template: TemplateDraft,
    seed_file: Path,
    records: int,
    budget_usd: float,
    fmt: str,
    speed: int,
) -> DatasetResult:
    """The whole journey through the UI, ending with a checked export."""
    create_template(page, template)
    seed = upload_seed(page, seed_file)
    job_page = create_job(
        page,
        template_name=template.name,
        seed_name=seed.seed_name(),
        records=records,
        budget_usd=budget_usd,
        fmt=fmt,
        speed=speed,
    )
    watch_until_done(job_page, total=records, timeout_ms=run_wait_ms(records=records, speed=speed))
    shown_cost = job_page.cost_usd()
    exported = download_export(job_page, fmt)
    check_export(
        exported,
        expected_count=records,
        template_body=template.body,
        seed_rows=read_seed_rows(seed_file),
        job_cost_usd=read_job(job_page.page, job_page.job_id)["cost_usd"],
        cost_places=6,
    )
    return DatasetResult(job_page=job_page, records=exported, shown_cost_usd=shown_cost)
