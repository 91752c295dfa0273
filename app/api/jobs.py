"""Jobs, cancellation and exports."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.api.deps import PageDep, PlatformDep, UserDep, WriterDep
from app.errors import ValidationFailed
from app.serializers import job_document, page_meta
from app.services import exports, jobs

router = APIRouter(tags=["jobs"])
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


class JobBody(BaseModel):
    template_id: int | None = None
    seed_id: int | None = None
    records: int | None = None
    budget_usd: float | None = None
    format: str = "jsonl"
    records_per_second: float = 0


@router.get("/jobs")
def list_jobs(platform: PlatformDep, user: UserDep, paging: PageDep) -> dict:
    rows, total = jobs.list_jobs(platform, user.id, page=paging.page, per_page=paging.per_page)
    return {
        "data": [job_document(row) for row in rows],
        "meta": page_meta(page=paging.page, per_page=paging.per_page, total=total),
    }


@router.post("/jobs", status_code=201)
def create_job(body: JobBody, platform: PlatformDep, user: WriterDep) -> dict:
    """Queue a job; the worker starts it at once."""
    job = jobs.create_job(
        platform,
        user.id,
        template_id=body.template_id,
        seed_id=body.seed_id,
        records=body.records,
        budget_usd=body.budget_usd,
        records_per_second=body.records_per_second,
        output_format=body.format,
    )
    return job_document(jobs.get_job(platform, user.id, job.id))


@router.get("/jobs/{job_id}")
def get_job(job_id: int, platform: PlatformDep, user: UserDep) -> dict:
    return job_document(jobs.get_job(platform, user.id, job_id))


@router.post("/jobs/{job_id}/cancel")
def cancel_job(job_id: int, platform: PlatformDep, user: WriterDep) -> dict:
    """Stop the job within a second; the records made so far are kept."""
    return job_document(jobs.cancel_job(platform, user.id, job_id))


@router.get("/jobs/{job_id}/export")
def export_job(
    job_id: int,
    platform: PlatformDep,
    user: UserDep,
    format: str | None = Query(None, description="jsonl or csv; defaults to the job's format"),
) -> StreamingResponse:
    """Stream the job's records: index, seed_row, prompt, completion, tokens, cost_usd."""
    job = jobs.get_job(platform, user.id, job_id)
    export_format = format or job.format
    if export_format not in MEDIA_TYPES:
        raise ValidationFailed({"format": "Choose jsonl or csv."})
    jobs.check_exportable(job)
    stream = exports.stream_jsonl if export_format == "jsonl" else exports.stream_csv
    filename = exports.export_filename(job.id, export_format)
    return StreamingResponse(
        stream(platform, job.id),
        media_type=MEDIA_TYPES[export_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
