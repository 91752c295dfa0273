"""Ecosystems and their characters: visibility, ownership, roster and feed."""

from __future__ import annotations

import json

from sqlalchemy import func, insert, or_, select

from app.context import Platform
from app.errors import Forbidden, NotFound, ValidationFailed, check_fields
from app.models import Character, Ecosystem, Interaction, User
from app.serializers import ecosystem_document

VISIBILITIES = ("private", "public")
ROSTER_PAGE = 50
MAX_BULK = 1000
MAX_TRAITS = 10


def _validate_ecosystem(name, visibility) -> tuple[str, str]:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Enter a name for the ecosystem."
    elif len(name) > 120:
        errors["name"] = "The name is longer than 120 characters."
    if visibility not in VISIBILITIES:
        errors["visibility"] = "Choose Private or Public."
    check_fields(errors)
    return name, visibility


def create_ecosystem(platform: Platform, user_id: int, *, name, visibility="private") -> int:
    name, visibility = _validate_ecosystem(name, visibility)
    with platform.db.write() as session:
        ecosystem = Ecosystem(owner_id=user_id, name=name, visibility=visibility)
        session.add(ecosystem)
        session.commit()
        return ecosystem.id


def visible_ecosystem(platform: Platform, user_id: int, ecosystem_id: int) -> dict:
    """The ecosystem document when the user may watch it; 404 otherwise."""
    with platform.db.read() as session:
        row = session.execute(
            select(Ecosystem, User.display_name)
            .join(User, User.id == Ecosystem.owner_id)
            .where(Ecosystem.id == ecosystem_id)
        ).first()
        if row is None or (row[0].owner_id != user_id and row[0].visibility != "public"):
            raise NotFound(f"Ecosystem {ecosystem_id} was not found.")
        count = session.scalar(
            select(func.count())
            .select_from(Character)
            .where(Character.ecosystem_id == ecosystem_id)
        )
    return ecosystem_document(row[0], owner_name=row[1], character_count=count)


def owned_ecosystem(platform: Platform, user_id: int, ecosystem_id: int) -> dict:
    """The ecosystem when the user owns it: 404 when private or unknown, 403 when public."""
    document = visible_ecosystem(platform, user_id, ecosystem_id)
    if document["owner_id"] != user_id:
        raise Forbidden("Only the owner can change this ecosystem.")
    return document


def list_ecosystems(platform: Platform, user_id: int, *, page: int, per_page: int):
    """The user's own ecosystems and every public one, newest first."""
    visible = or_(Ecosystem.owner_id == user_id, Ecosystem.visibility == "public")
    counts = (
        select(Character.ecosystem_id, func.count().label("characters"))
        .group_by(Character.ecosystem_id)
        .subquery()
    )
    with platform.db.read() as session:
        total = session.scalar(select(func.count()).select_from(Ecosystem).where(visible))
        rows = session.execute(
            select(Ecosystem, User.display_name, func.coalesce(counts.c.characters, 0))
            .join(User, User.id == Ecosystem.owner_id)
            .outerjoin(counts, counts.c.ecosystem_id == Ecosystem.id)
            .where(visible)
            .order_by(Ecosystem.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    documents = [
        ecosystem_document(ecosystem, owner_name=owner, character_count=count)
        for ecosystem, owner, count in rows
    ]
    return documents, total


def update_ecosystem(platform: Platform, user_id: int, ecosystem_id: int, changes: dict) -> dict:
    current = owned_ecosystem(platform, user_id, ecosystem_id)
    name, visibility = _validate_ecosystem(
        changes.get("name", current["name"]), changes.get("visibility", current["visibility"])
    )
    with platform.db.write() as session:
        ecosystem = session.get(Ecosystem, ecosystem_id)
        ecosystem.name, ecosystem.visibility = name, visibility
        session.commit()
    return visible_ecosystem(platform, user_id, ecosystem_id)


def delete_ecosystem(platform: Platform, user_id: int, ecosystem_id: int) -> None:
    owned_ecosystem(platform, user_id, ecosystem_id)
    platform.simulations.stop(ecosystem_id)
    with platform.db.write() as session:
        session.delete(session.get(Ecosystem, ecosystem_id))
        session.commit()


def _clean_character(item, position: int | None) -> tuple[dict, dict[str, str]]:
    prefix = "" if position is None else f"characters[{position}]."
    if not isinstance(item, dict):
        return {}, {prefix.rstrip(".") or "characters": "Each character must be an object."}
    name = str(item.get("name") or "").strip()
    species = str(item.get("species") or "").strip()
    traits = item.get("traits") or []
    if isinstance(traits, str):
        traits = traits.split(",")
    errors = {}
    if not name:
        errors[prefix + "name"] = "Enter the character's name."
    elif len(name) > 80:
        errors[prefix + "name"] = "The name is longer than 80 characters."
    if not species:
        errors[prefix + "species"] = "Enter the character's species."
    elif len(species) > 80:
        errors[prefix + "species"] = "The species is longer than 80 characters."
    if not isinstance(traits, list):
        errors[prefix + "traits"] = "Traits must be a list of words."
        traits = []
    traits = [str(trait).strip() for trait in traits if str(trait).strip()]
    if len(traits) > MAX_TRAITS or any(len(trait) > 40 for trait in traits):
        errors[prefix + "traits"] = f"At most {MAX_TRAITS} traits of up to 40 characters each."
    return {"name": name, "species": species, "traits": traits}, errors


def add_characters(platform: Platform, user_id: int, ecosystem_id: int, items: list) -> list[dict]:
    """Add one or many characters (up to 1,000 at once); all or nothing."""
    owned_ecosystem(platform, user_id, ecosystem_id)
    if not isinstance(items, list) or not items:
        raise ValidationFailed({"characters": "Send at least one character."})
    if len(items) > MAX_BULK:
        raise ValidationFailed({"characters": f"Send at most {MAX_BULK:,} characters at once."})
    single = len(items) == 1
    cleaned, errors = [], {}
    for position, item in enumerate(items):
        character, item_errors = _clean_character(item, None if single else position)
        cleaned.append(character)
        errors.update(item_errors)
    check_fields(errors)
    with platform.db.write() as session:
        created = session.execute(
            insert(Character).returning(Character.id, sort_by_parameter_order=True),
            [
                {
                    "ecosystem_id": ecosystem_id,
                    "name": item["name"],
                    "species": item["species"],
                    "traits_json": json.dumps(item["traits"]),
                    "energy": 80,
                    "reputation": 0,
                }
                for item in cleaned
            ],
        )
        ids = [row[0] for row in created]
        session.commit()
    return [
        {**item, "id": character_id, "energy": 80, "reputation": 0}
        for character_id, item in zip(ids, cleaned, strict=True)
    ]


def roster_page(platform: Platform, ecosystem_id: int, *, page: int, per_page: int = ROSTER_PAGE):
    with platform.db.read() as session:
        total = session.scalar(
            select(func.count())
            .select_from(Character)
            .where(Character.ecosystem_id == ecosystem_id)
        )
        rows = session.scalars(
            select(Character)
            .where(Character.ecosystem_id == ecosystem_id)
            .order_by(Character.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return rows, total


def recent_interactions(platform: Platform, ecosystem_id: int, *, limit: int) -> list:
    """The newest interactions, without counting the whole history."""
    with platform.db.read() as session:
        return session.scalars(
            select(Interaction)
            .where(Interaction.ecosystem_id == ecosystem_id)
            .order_by(Interaction.id.desc())
            .limit(limit)
        ).all()


def interactions_page(platform: Platform, ecosystem_id: int, *, page: int, per_page: int):
    with platform.db.read() as session:
        total = session.scalar(
            select(func.count())
            .select_from(Interaction)
            .where(Interaction.ecosystem_id == ecosystem_id)
        )
        rows = session.scalars(
            select(Interaction)
            .where(Interaction.ecosystem_id == ecosystem_id)
            .order_by(Interaction.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return rows, total


def set_running(platform: Platform, user_id: int, ecosystem_id: int, running) -> dict:
    if not isinstance(running, bool):
        raise ValidationFailed({"running": "Send running as true or false."})
    owned_ecosystem(platform, user_id, ecosystem_id)
    with platform.db.write() as session:
        session.get(Ecosystem, ecosystem_id).running = running
        session.commit()
    if running:
        platform.simulations.start(ecosystem_id)
    else:
        platform.simulations.stop(ecosystem_id)
    return visible_ecosystem(platform, user_id, ecosystem_id)
