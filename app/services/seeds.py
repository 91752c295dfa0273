"""Seed datasets: upload, list, read and delete."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.context import Platform
from app.errors import NotFound, PayloadTooLarge, ValidationFailed
from app.models import Seed
from app.seedfiles import ParsedSeed, SeedFileError, parse_seed_file

PREVIEW_ROWS = 10


def create_seed(platform: Platform, user_id: int, *, filename: str, data: bytes, name: str = ""):
    """Parse and store an upload; a refused file changes nothing that was stored."""
    if not filename:
        raise ValidationFailed({"file": "Choose a file to upload."})
    try:
        parsed: ParsedSeed = parse_seed_file(filename, data)
    except SeedFileError as error:
        message = error.message
        if error.too_large:
            raise PayloadTooLarge(message, fields={"file": message}) from None
        raise ValidationFailed({"file": message}, error.detail and f"{message} {error.detail}")
    display_name = (name or "").strip() or filename.rsplit("/", 1)[-1]
    if len(display_name) > 255:
        raise ValidationFailed({"name": "The name is longer than 255 characters."})
    with platform.db.write() as session:
        seed = Seed(
            user_id=user_id,
            name=display_name,
            format=parsed.format,
            columns_json=json.dumps(parsed.columns),
            row_count=len(parsed.rows),
            preview_json=json.dumps(parsed.rows[:PREVIEW_ROWS]),
            rows_json=json.dumps(parsed.rows),
        )
        session.add(seed)
        session.commit()
        return seed


def list_seeds(platform: Platform, user_id: int, *, page: int, per_page: int):
    with platform.db.read() as session:
        total = session.scalar(
            select(func.count()).select_from(Seed).where(Seed.user_id == user_id)
        )
        rows = session.scalars(
            select(Seed)
            .where(Seed.user_id == user_id)
            .order_by(Seed.created_at.desc(), Seed.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return rows, total


def all_seed_choices(platform: Platform, user_id: int) -> list[tuple[int, str]]:
    """(id, name) of every seed of the user, for select boxes."""
    with platform.db.read() as session:
        return list(
            session.execute(
                select(Seed.id, Seed.name).where(Seed.user_id == user_id).order_by(Seed.name)
            ).all()
        )


def get_seed(platform: Platform, user_id: int, seed_id: int) -> Seed:
    with platform.db.read() as session:
        seed = session.get(Seed, seed_id)
    if seed is None or seed.user_id != user_id:
        raise NotFound(f"Seed dataset {seed_id} was not found.")
    return seed


def delete_seed(platform: Platform, user_id: int, seed_id: int) -> None:
    with platform.db.write() as session:
        seed = session.get(Seed, seed_id)
        if seed is None or seed.user_id != user_id:
            raise NotFound(f"Seed dataset {seed_id} was not found.")
        session.delete(seed)
        session.commit()
