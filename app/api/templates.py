"""Templates and the template test."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from app.api.deps import PageDep, PlatformDep, UserDep, WriterDep
from app.serializers import page_meta, template_document
from app.services import templates

router = APIRouter(tags=["templates"])


class TemplateBody(BaseModel):
    name: str = ""
    body: str = ""


class TemplateTestBody(BaseModel):
    seed_id: int | None = None
    rows: int = 3
    body: str | None = None


@router.get("/templates")
def list_templates(platform: PlatformDep, user: UserDep, paging: PageDep) -> dict:
    rows, total = templates.list_templates(
        platform, user.id, page=paging.page, per_page=paging.per_page
    )
    return {
        "data": [template_document(row) for row in rows],
        "meta": page_meta(page=paging.page, per_page=paging.per_page, total=total),
    }


@router.post("/templates", status_code=201)
def create_template(body: TemplateBody, platform: PlatformDep, user: WriterDep) -> dict:
    template = templates.create_template(platform, user.id, name=body.name, body=body.body)
    return template_document(template)


@router.get("/templates/{template_id}")
def get_template(template_id: int, platform: PlatformDep, user: UserDep) -> dict:
    return template_document(templates.get_template(platform, user.id, template_id))


@router.put("/templates/{template_id}")
def update_template(
    template_id: int, body: TemplateBody, platform: PlatformDep, user: WriterDep
) -> dict:
    template = templates.update_template(
        platform, user.id, template_id, name=body.name, body=body.body
    )
    return template_document(template)


@router.delete("/templates/{template_id}", status_code=204)
def delete_template(template_id: int, platform: PlatformDep, user: WriterDep) -> Response:
    templates.delete_template(platform, user.id, template_id)
    return Response(status_code=204)


@router.post("/templates/{template_id}/test")
def test_template(
    template_id: int, body: TemplateTestBody, platform: PlatformDep, user: WriterDep
) -> dict:
    """Render the saved body (or `body`, unsaved) against the first rows of a seed."""
    saved = templates.get_template(platform, user.id, template_id)
    return templates.test_template(
        platform,
        user.id,
        body=saved.body if body.body is None else body.body,
        seed_id=body.seed_id,
        rows=body.rows,
    )
