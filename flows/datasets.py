"""The dataset journey: template, seed data and job made through the UI, watched live,
then the export downloaded and checked against what was asked.

Composed of the steps of each domain (flows/templates.py, seeds.py, jobs.py, exports.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from domain.drafts import RecordSource, TemplateDraft
from domain.facts import API_COST_PLACES
from flows.exports import check_export, download_export, read_seed_rows
from flows.jobs import create_job, read_job, run_wait_ms, watch_until_done
from flows.seeds import upload_seed
from flows.templates import create_template
from pages.jobs import JobPage


@dataclass(frozen=True)
class DatasetResult:
    """What the dataset journey made and downloaded."""

    job_page: JobPage
    records: list[dict[str, Any]]
    shown_cost_usd: float


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
        RecordSource(template.body, read_seed_rows(seed_file)),
        expected_count=records,
        job_cost_usd=read_job(job_page.page, job_page.job_id).cost_usd,
        cost_places=API_COST_PLACES,
    )
    return DatasetResult(job_page=job_page, records=exported, shown_cost_usd=shown_cost)
