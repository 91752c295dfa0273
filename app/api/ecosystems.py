"""Ecosystems, characters, the simulation switch and the interaction history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.deps import PageDep, PlatformDep, RosterPageDep, UserDep, WriterDep
from app.serializers import character_document, interaction_document, page_meta
from app.services import ecosystems

router = APIRouter(tags=["observatory"])
CHARACTERS_BODY = "One character {name, species, traits} or {characters: [...]} (up to 1000)"


class EcosystemBody(BaseModel):
    name: str = ""
    visibility: str = "private"


class EcosystemChanges(BaseModel):
    name: str | None = None
    visibility: str | None = None


class SimulationBody(BaseModel):
    running: Any = None


@router.get("/ecosystems")
def list_ecosystems(platform: PlatformDep, user: UserDep, paging: PageDep) -> dict:
    """The user's ecosystems and every public one."""
    documents, total = ecosystems.list_ecosystems(
        platform, user.id, page=paging.page, per_page=paging.per_page
    )
    return {
        "data": documents,
        "meta": page_meta(page=paging.page, per_page=paging.per_page, total=total),
    }


@router.post("/ecosystems", status_code=201)
def create_ecosystem(body: EcosystemBody, platform: PlatformDep, user: WriterDep) -> dict:
    ecosystem_id = ecosystems.create_ecosystem(
        platform, user.id, name=body.name, visibility=body.visibility
    )
    return ecosystems.visible_ecosystem(platform, user.id, ecosystem_id)


@router.get("/ecosystems/{ecosystem_id}")
def get_ecosystem(ecosystem_id: int, platform: PlatformDep, user: UserDep) -> dict:
    return ecosystems.visible_ecosystem(platform, user.id, ecosystem_id)


@router.patch("/ecosystems/{ecosystem_id}")
def update_ecosystem(
    ecosystem_id: int, body: EcosystemChanges, platform: PlatformDep, user: WriterDep
) -> dict:
    return ecosystems.update_ecosystem(
        platform, user.id, ecosystem_id, body.model_dump(exclude_none=True)
    )


@router.delete("/ecosystems/{ecosystem_id}", status_code=204)
def delete_ecosystem(ecosystem_id: int, platform: PlatformDep, user: WriterDep) -> Response:
    ecosystems.delete_ecosystem(platform, user.id, ecosystem_id)
    return Response(status_code=204)


@router.get("/ecosystems/{ecosystem_id}/characters")
def list_characters(
    ecosystem_id: int, platform: PlatformDep, user: UserDep, paging: RosterPageDep
) -> dict:
    ecosystems.visible_ecosystem(platform, user.id, ecosystem_id)
    rows, total = ecosystems.roster_page(
        platform, ecosystem_id, page=paging.page, per_page=paging.per_page
    )
    return {
        "data": [character_document(row) for row in rows],
        "meta": page_meta(page=paging.page, per_page=paging.per_page, total=total),
    }


@router.post("/ecosystems/{ecosystem_id}/characters", status_code=201)
def add_characters(
    ecosystem_id: int,
    platform: PlatformDep,
    user: WriterDep,
    body: Annotated[dict[str, Any], Body(description=CHARACTERS_BODY)],
):
    """Add one character, or up to 1,000 at once under `characters`."""
    bulk = "characters" in body
    created = ecosystems.add_characters(
        platform, user.id, ecosystem_id, body["characters"] if bulk else [body]
    )
    if bulk:
        return JSONResponse({"data": created}, status_code=201)
    return created[0]


@router.post("/ecosystems/{ecosystem_id}/simulation")
def set_simulation(
    ecosystem_id: int, body: SimulationBody, platform: PlatformDep, user: WriterDep
) -> dict:
    """Start or pause the simulation."""
    return ecosystems.set_running(platform, user.id, ecosystem_id, body.running)


@router.get("/ecosystems/{ecosystem_id}/interactions")
def list_interactions(
    ecosystem_id: int, platform: PlatformDep, user: UserDep, paging: PageDep
) -> dict:
    """The interaction history, newest first."""
    ecosystems.visible_ecosystem(platform, user.id, ecosystem_id)
    rows, total = ecosystems.interactions_page(
        platform, ecosystem_id, page=paging.page, per_page=paging.per_page
    )
    return {
        "data": [interaction_document(row) for row in rows],
        "meta": page_meta(page=paging.page, per_page=paging.per_page, total=total),
    }
