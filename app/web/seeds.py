"""Seed data pages: upload, list, detail, delete."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from app.api.seeds import MAX_REQUEST_BYTES, TOO_LARGE, read_upload
from app.errors import AppError
from app.seedfiles import SeedFileError, parse_seed_file
from app.services import seeds as service
from app.web.common import (
    PageUser,
    check_form_token,
    platform_of,
    redirect,
    render,
)

router = APIRouter()


def _list(request: Request, user, *, errors=None, detail=None, status_code: int = 200):
    rows, _ = service.list_seeds(platform_of(request), user.id, page=1, per_page=1000)
    context = {
        "seeds": [(seed, json.loads(seed.columns_json)) for seed in rows],
        "errors": errors or {},
        "file_detail": detail,
    }
    return render(request, "seeds.html", context, user=user, status_code=status_code)


@router.get("/seeds")
def list_page(request: Request, user: PageUser):
    return _list(request, user)


@router.post("/seeds")
async def upload(
    request: Request,
    user: PageUser,
    file: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form()] = "",
):
    check_form_token(request, csrf_token)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_REQUEST_BYTES:
        return await run_in_threadpool(
            _list, request, user, errors={"file": TOO_LARGE}, status_code=413
        )
    filename, data = await read_upload(file)
    try:
        seed = await run_in_threadpool(
            service.create_seed, platform_of(request), user.id, filename=filename, data=data
        )
    except AppError as error:
        detail = _detail(filename, data) if error.status == 422 else None
        return await run_in_threadpool(
            _list, request, user, errors=error.fields, detail=detail, status_code=error.status
        )
    return redirect(request, f"/seeds/{seed.id}", flash="Seed data uploaded.")


def _detail(filename: str, data: bytes) -> str | None:
    try:
        parse_seed_file(filename, data)
    except SeedFileError as error:
        return error.detail
    return None


@router.get("/seeds/{seed_id}")
def detail_page(seed_id: int, request: Request, user: PageUser):
    seed = service.get_seed(platform_of(request), user.id, seed_id)
    context = {
        "seed": seed,
        "columns": json.loads(seed.columns_json),
        "preview": json.loads(seed.preview_json)[:10],
    }
    return render(request, "seed_detail.html", context, user=user)


@router.post("/seeds/{seed_id}/delete")
def delete(seed_id: int, request: Request, user: PageUser, csrf_token: Annotated[str, Form()] = ""):
    check_form_token(request, csrf_token)
    seed = service.get_seed(platform_of(request), user.id, seed_id)
    service.delete_seed(platform_of(request), user.id, seed_id)
    return redirect(request, "/seeds", flash=f"Seed data {seed.name} deleted.")
