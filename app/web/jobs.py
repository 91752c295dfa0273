"""Jobs pages (list, new, detail with live progress) and the exports page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from app.errors import AppError
from app.models import utcnow
from app.services import jobs as service
from app.services.seeds import all_seed_choices
from app.services.templates import list_templates
from app.web.common import (
    PageUser,
    check_form_token,
    page_number,
    platform_of,
    redirect,
    render,
)

router = APIRouter()
FormText = Annotated[str, Form()]
JOBS_PER_PAGE = 50
DEFAULT_FORM = {
    "records": "100",
    "budget_usd": "1.00",
    "records_per_second": "0",
    "format": "jsonl",
}


@router.get("/jobs")
def list_page(request: Request, user: PageUser, page: str | None = None):
    number = page_number(page)
    rows, total = service.list_jobs(
        platform_of(request), user.id, page=number, per_page=JOBS_PER_PAGE
    )
    pages = max(1, -(-total // JOBS_PER_PAGE))
    context = {"jobs": rows, "page": number, "pages": pages}
    return render(request, "jobs.html", context, user=user)


def _new_form(request: Request, user, *, form: dict, errors=None, status_code: int = 200):
    platform = platform_of(request)
    templates, _ = list_templates(platform, user.id, page=1, per_page=1000)
    context = {
        "form": form,
        "errors": errors or {},
        "templates": [(template.id, template.name) for template in templates],
        "seeds": all_seed_choices(platform, user.id),
    }
    return render(request, "job_new.html", context, user=user, status_code=status_code)


@router.get("/jobs/new")
def new_page(request: Request, user: PageUser, template_id: str = "", seed_id: str = ""):
    form = {**DEFAULT_FORM, "template_id": template_id, "seed_id": seed_id}
    return _new_form(request, user, form=form)


@router.post("/jobs/new")
def create(
    request: Request,
    user: PageUser,
    template_id: FormText = "",
    seed_id: FormText = "",
    records: FormText = "",
    budget_usd: FormText = "",
    records_per_second: FormText = "0",
    format: FormText = "jsonl",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    form = {
        "template_id": template_id,
        "seed_id": seed_id,
        "records": records,
        "budget_usd": budget_usd,
        "records_per_second": records_per_second,
        "format": format,
    }
    try:
        job = service.create_job(
            platform_of(request),
            user.id,
            template_id=template_id,
            seed_id=seed_id,
            records=records,
            budget_usd=budget_usd,
            records_per_second=records_per_second or 0,
            output_format=format,
        )
    except AppError as error:
        status = 422 if error.status == 404 else error.status
        return _new_form(request, user, form=form, errors=error.fields, status_code=status)
    return redirect(request, f"/jobs/{job.id}", flash=f"Job #{job.id} created.")


@router.get("/jobs/{job_id}")
def detail_page(job_id: int, request: Request, user: PageUser):
    job = service.get_job(platform_of(request), user.id, job_id)
    return render(request, "job_detail.html", {"job": job, "rate": _average_rate(job)}, user=user)


def _average_rate(job) -> float:
    """Records per second over the job's run so far (0 before it starts)."""
    if job.started_at is None:
        return 0.0
    end = job.finished_at or utcnow()
    seconds = (end - job.started_at).total_seconds()
    return round(job.records_done / seconds, 1) if seconds > 0 else 0.0


@router.post("/jobs/{job_id}/cancel")
def cancel(job_id: int, request: Request, user: PageUser, csrf_token: FormText = ""):
    check_form_token(request, csrf_token)
    try:
        job = service.cancel_job(platform_of(request), user.id, job_id)
    except AppError as error:
        if error.status == 404:
            raise
        return redirect(request, f"/jobs/{job_id}", flash=error.message)
    return redirect(request, f"/jobs/{job_id}", flash=f"Job #{job.id} {job.status}.")


@router.get("/exports")
def exports_page(request: Request, user: PageUser, page: str | None = None):
    number = page_number(page)
    rows, total = service.list_jobs(
        platform_of(request), user.id, page=number, per_page=JOBS_PER_PAGE, exportable=True
    )
    pages = max(1, -(-total // JOBS_PER_PAGE))
    return render(
        request, "exports.html", {"jobs": rows, "page": number, "pages": pages}, user=user
    )
