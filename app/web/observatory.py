"""Observatory pages: the ecosystem list and an ecosystem's roster and live feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from app.errors import AppError
from app.serializers import character_document, interaction_document
from app.services import ecosystems as service
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
FEED_SIZE = 50


def _list(request: Request, user, *, form=None, errors=None, status_code: int = 200):
    documents, _ = service.list_ecosystems(platform_of(request), user.id, page=1, per_page=500)
    context = {
        "ecosystems": documents,
        "form": form or {"visibility": "private"},
        "errors": errors or {},
    }
    return render(request, "observatory.html", context, user=user, status_code=status_code)


@router.get("/observatory")
def list_page(request: Request, user: PageUser):
    return _list(request, user)


@router.post("/observatory")
def create(
    request: Request,
    user: PageUser,
    name: FormText = "",
    visibility: FormText = "private",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    try:
        ecosystem_id = service.create_ecosystem(
            platform_of(request), user.id, name=name, visibility=visibility
        )
    except AppError as error:
        form = {"name": name, "visibility": visibility}
        return _list(request, user, form=form, errors=error.fields, status_code=error.status)
    return redirect(request, f"/observatory/{ecosystem_id}", flash="Ecosystem created.")


def _detail(
    request: Request,
    user,
    ecosystem_id: int,
    *,
    page: int = 1,
    form=None,
    errors=None,
    status_code: int = 200,
):
    platform = platform_of(request)
    ecosystem = service.visible_ecosystem(platform, user.id, ecosystem_id)
    pages = max(1, -(-ecosystem["character_count"] // service.ROSTER_PAGE))
    page = min(page, pages)
    roster, _ = service.roster_page(platform, ecosystem_id, page=page)
    feed = service.recent_interactions(platform, ecosystem_id, limit=FEED_SIZE)
    context = {
        "ecosystem": ecosystem,
        "is_owner": ecosystem["owner_id"] == user.id,
        "roster": [character_document(character) for character in roster],
        "feed": [interaction_document(interaction) for interaction in feed],
        "page": page,
        "pages": pages,
        "form": form or {},
        "errors": errors or {},
    }
    return render(request, "ecosystem.html", context, user=user, status_code=status_code)


@router.get("/observatory/{ecosystem_id}")
def detail_page(ecosystem_id: int, request: Request, user: PageUser, page: str | None = None):
    return _detail(request, user, ecosystem_id, page=page_number(page))


@router.post("/observatory/{ecosystem_id}/characters")
def add_character(
    ecosystem_id: int,
    request: Request,
    user: PageUser,
    name: FormText = "",
    species: FormText = "",
    traits: FormText = "",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    item = {"name": name, "species": species, "traits": traits}
    try:
        service.add_characters(platform_of(request), user.id, ecosystem_id, [item])
    except AppError as error:
        if error.status in (403, 404):
            raise
        return _detail(
            request, user, ecosystem_id, form=item, errors=error.fields, status_code=error.status
        )
    return redirect(request, f"/observatory/{ecosystem_id}", flash=f"{name.strip()} added.")


@router.post("/observatory/{ecosystem_id}/simulation")
def toggle_simulation(
    ecosystem_id: int,
    request: Request,
    user: PageUser,
    running: FormText = "",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    ecosystem = service.set_running(platform_of(request), user.id, ecosystem_id, running == "1")
    message = "Simulation started." if ecosystem["running"] else "Simulation paused."
    return redirect(request, f"/observatory/{ecosystem_id}", flash=message)
