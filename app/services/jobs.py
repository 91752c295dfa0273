"""Jobs: validation and creation, reading, cancelling."""

from __future__ import annotations

import math

from sqlalchemy import func, select

from app import llm
from app.context import Platform
from app.errors import Conflict, NotFound, ValidationFailed, check_fields
from app.models import Job, Template
from app.prompts import PromptRenderError, compile_prompt, render_prompt
from app.services.templates import load_seed_rows

ACTIVE_STATUSES = ("queued", "running")
EXPORTABLE_STATUSES = ("completed", "cancelled", "budget_exceeded", "failed")
FORMATS = ("jsonl", "csv")
MAX_RECORDS = 1_000_000
MAX_SPEED = 10_000
# Rows rendered to find a lower bound of one record's cost at creation.
COST_PROBE_ROWS = 100


def _number(value, *, integer: bool) -> float | int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if integer:
        return int(number) if number.is_integer() else None
    return number


def _validate(records, budget_usd, records_per_second, output_format) -> tuple:
    errors: dict[str, str] = {}
    record_count = _number(records, integer=True)
    if record_count is None:
        errors["records"] = "Enter the number of records as a whole number."
    elif record_count < 1:
        errors["records"] = "Records must be at least 1."
    elif record_count > MAX_RECORDS:
        errors["records"] = f"Records must be at most {MAX_RECORDS:,}."
    budget = _number(budget_usd, integer=False)
    if budget is None:
        errors["budget_usd"] = "Enter the budget as a number of dollars."
    elif budget <= 0:
        errors["budget_usd"] = "The budget must be more than $0.00."
    elif budget > 100_000:
        errors["budget_usd"] = "The budget must be at most $100,000."
    speed = _number(records_per_second if records_per_second != "" else 0, integer=False)
    if speed is None:
        errors["records_per_second"] = "Enter the speed as a number of records per second."
    elif speed < 0:
        errors["records_per_second"] = "The speed cannot be negative (0 means unthrottled)."
    elif speed > MAX_SPEED:
        errors["records_per_second"] = f"The speed must be at most {MAX_SPEED:,} per second."
    if output_format not in FORMATS:
        errors["format"] = "Choose JSONL or CSV."
    return errors, record_count, budget, speed


def create_job(
    platform: Platform,
    user_id: int,
    *,
    template_id,
    seed_id,
    records,
    budget_usd,
    records_per_second=0,
    output_format: str = "jsonl",
) -> Job:
    """Validate, store the job as queued and hand it to the worker."""
    errors, record_count, budget, speed = _validate(
        records, budget_usd, records_per_second, output_format
    )
    template = _own_template(platform, user_id, template_id, errors)
    seed = seed_rows = None
    if seed_id in (None, ""):
        errors["seed_id"] = "Choose a seed dataset."
    check_fields(errors)
    seed, seed_rows = load_seed_rows(platform, user_id, seed_id)
    compiled = compile_prompt(template.body)
    probe = min(len(seed_rows), record_count, COST_PROBE_ROWS)
    try:
        fewest_tokens = min(
            llm.count_tokens(render_prompt(compiled, seed_rows[index], index))
            for index in range(probe)
        )
    except PromptRenderError as error:
        raise ValidationFailed({"template_id": f"The template fails on the seed data: {error}"})
    lowest_record_cost = llm.cost_usd(
        fewest_tokens + llm.MIN_COMPLETION_TOKENS, platform.settings.price_per_1k_tokens
    )
    if budget < lowest_record_cost:
        check_fields(
            {
                "budget_usd": "The budget is below the cost of one record "
                f"(${max(lowest_record_cost, 0.0001):.4f})."
            }
        )
    with platform.db.write() as session:
        job = Job(
            user_id=user_id,
            template_id=template.id,
            seed_id=seed.id,
            template_name=template.name,
            template_body=template.body,
            seed_name=seed.name,
            status="queued",
            records_total=record_count,
            budget_usd=budget,
            format=output_format,
            records_per_second=speed,
        )
        session.add(job)
        session.commit()
    platform.jobs.start(job.id)
    return job


def _own_template(platform: Platform, user_id: int, template_id, errors: dict) -> Template | None:
    key = _number(template_id, integer=True)
    if key is None:
        errors["template_id"] = "Choose a template."
        return None
    with platform.db.read() as session:
        template = session.get(Template, key)
    if template is None or template.user_id != user_id:
        raise NotFound(
            f"Template {key} was not found.",
            fields={"template_id": "Choose one of your templates."},
        )
    return template


def get_job(platform: Platform, user_id: int, job_id: int) -> Job:
    with platform.db.read() as session:
        job = session.get(Job, job_id)
    if job is None or job.user_id != user_id:
        raise NotFound(f"Job {job_id} was not found.")
    return job


def list_jobs(
    platform: Platform, user_id: int, *, page: int, per_page: int, exportable: bool = False
):
    """A page of the user's jobs, newest first, with the total count."""
    conditions = [Job.user_id == user_id]
    if exportable:
        conditions += [Job.status.in_(EXPORTABLE_STATUSES), Job.records_done > 0]
    with platform.db.read() as session:
        total = session.scalar(select(func.count()).select_from(Job).where(*conditions))
        rows = session.scalars(
            select(Job)
            .where(*conditions)
            .order_by(Job.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return rows, total


def cancel_job(platform: Platform, user_id: int, job_id: int) -> Job:
    """Stop a queued or running job; it keeps the records made so far."""
    job = get_job(platform, user_id, job_id)
    if job.status not in ACTIVE_STATUSES:
        raise Conflict(f"Job {job_id} is already {job.status.replace('_', ' ')}.")
    platform.jobs.cancel(job_id)
    return get_job(platform, user_id, job_id)


def check_exportable(job: Job) -> None:
    """Raise Conflict when the job has nothing to export yet."""
    if job.records_done == 0:
        raise Conflict(f"Job {job.id} has no records yet.", code="no_records")
    if job.status in ACTIVE_STATUSES:
        raise Conflict(f"Job {job.id} is still {job.status}; export it once it has stopped.")
