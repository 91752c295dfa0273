"""Seed datasets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from app.api.deps import PageDep, PlatformDep, UserDep, WriterDep
from app.errors import PayloadTooLarge
from app.seedfiles import MAX_SEED_BYTES
from app.serializers import page_meta, seed_document
from app.services import seeds

router = APIRouter(tags=["seed data"])
# Multipart framing around a 5 MB file stays well under this.
MAX_REQUEST_BYTES = MAX_SEED_BYTES + 64 * 1024
TOO_LARGE = "The file is larger than 5 MB."


def refuse_oversized_request(request: Request) -> None:
    """Answer 413 before reading a body that cannot hold an acceptable file."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_REQUEST_BYTES:
        raise PayloadTooLarge(TOO_LARGE, fields={"file": TOO_LARGE})


async def read_upload(upload: UploadFile | None) -> tuple[str, bytes]:
    """The file name and at most 5 MB + 1 byte of content (enough to tell it is too big)."""
    if upload is None or not upload.filename:
        return "", b""
    return upload.filename, await upload.read(MAX_SEED_BYTES + 1)


@router.get("/seeds")
def list_seeds(platform: PlatformDep, user: UserDep, paging: PageDep) -> dict:
    rows, total = seeds.list_seeds(platform, user.id, page=paging.page, per_page=paging.per_page)
    return {
        "data": [seed_document(row) for row in rows],
        "meta": page_meta(page=paging.page, per_page=paging.per_page, total=total),
    }


@router.post("/seeds", status_code=201)
async def upload_seed(
    request: Request,
    platform: PlatformDep,
    user: WriterDep,
    file: Annotated[UploadFile | None, File()] = None,
    name: Annotated[str, Form()] = "",
) -> dict:
    """Upload a CSV (with a header row) or JSONL file of at most 5 MB."""
    refuse_oversized_request(request)
    filename, data = await read_upload(file)
    seed = await run_in_threadpool(
        seeds.create_seed, platform, user.id, filename=filename, data=data, name=name
    )
    return seed_document(seed)


@router.get("/seeds/{seed_id}")
def get_seed(seed_id: int, platform: PlatformDep, user: UserDep) -> dict:
    return seed_document(seeds.get_seed(platform, user.id, seed_id), with_preview=True)


@router.delete("/seeds/{seed_id}", status_code=204)
def delete_seed(seed_id: int, platform: PlatformDep, user: WriterDep) -> Response:
    seeds.delete_seed(platform, user.id, seed_id)
    return Response(status_code=204)
