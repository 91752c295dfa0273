"""Turning rows into the JSON documents of the API (and of WebSocket payloads)."""

from __future__ import annotations

import json
from datetime import datetime

from app.models import Character, Ecosystem, Interaction, Job, Seed, Template, User


def iso(moment: datetime | None) -> str | None:
    """UTC timestamps as ISO 8601 with a Z."""
    return None if moment is None else moment.isoformat(timespec="milliseconds") + "Z"


def money(value: float) -> float:
    return round(value, 6)


def user_document(user: User, *, spent_usd: float) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "monthly_budget_usd": money(user.monthly_budget_usd),
        "spent_usd": money(spent_usd),
    }


def template_document(template: Template) -> dict:
    return {
        "id": template.id,
        "name": template.name,
        "body": template.body,
        "created_at": iso(template.created_at),
        "updated_at": iso(template.updated_at),
    }


def seed_document(seed: Seed, *, with_preview: bool = False) -> dict:
    document = {
        "id": seed.id,
        "name": seed.name,
        "format": seed.format,
        "rows": seed.row_count,
        "columns": json.loads(seed.columns_json),
        "created_at": iso(seed.created_at),
    }
    if with_preview:
        document["preview"] = json.loads(seed.preview_json)[:10]
    return document


def job_document(job: Job) -> dict:
    return {
        "id": job.id,
        "template_id": job.template_id,
        "template_name": job.template_name,
        "seed_id": job.seed_id,
        "seed_name": job.seed_name,
        "status": job.status,
        "records_total": job.records_total,
        "records_done": job.records_done,
        "cost_usd": money(job.cost_usd),
        "budget_usd": money(job.budget_usd),
        "format": job.format,
        "records_per_second": job.records_per_second,
        "error": job.error,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
    }


def ecosystem_document(ecosystem: Ecosystem, *, owner_name: str, character_count: int) -> dict:
    return {
        "id": ecosystem.id,
        "name": ecosystem.name,
        "visibility": ecosystem.visibility,
        "owner_id": ecosystem.owner_id,
        "owner_name": owner_name,
        "character_count": character_count,
        "running": ecosystem.running,
        "created_at": iso(ecosystem.created_at),
    }


def character_document(character: Character) -> dict:
    return {
        "id": character.id,
        "name": character.name,
        "species": character.species,
        "traits": json.loads(character.traits_json),
        "energy": character.energy,
        "reputation": character.reputation,
    }


def interaction_document(interaction: Interaction) -> dict:
    return {
        "ecosystem_id": interaction.ecosystem_id,
        "id": interaction.id,
        "kind": interaction.kind,
        "summary": interaction.summary,
        "actor": {
            "id": interaction.actor_id,
            "name": interaction.actor_name,
            "energy": interaction.actor_energy,
            "reputation": interaction.actor_reputation,
        },
        "target": {
            "id": interaction.target_id,
            "name": interaction.target_name,
            "energy": interaction.target_energy,
            "reputation": interaction.target_reputation,
        },
        "created_at": iso(interaction.created_at),
    }


def page_meta(*, page: int, per_page: int, total: int) -> dict:
    return {
        "pagination": {
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": max(1, -(-total // per_page)),
        }
    }
