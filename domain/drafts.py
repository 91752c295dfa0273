"""Test data as a person would type it, shared by flows, fixtures and tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.platform_types import Seed, Template


@dataclass(frozen=True)
class TemplateDraft:
    """A template as a person would type it."""

    name: str
    body: str


@dataclass(frozen=True)
class RecordSource:
    """What a job's records are made from: the template's body and the seed's rows in order.

    Enough for the suite to predict every record (flows/exports.py `check_export`).
    """

    template_body: str
    seed_rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Dataset(RecordSource):
    """A template and a seed stored in one account, ready for jobs (fixture `make_dataset`)."""

    #: The template and the seed as the API made them.
    template: Template
    seed: Seed

    @property
    def sources(self) -> dict[str, int]:
        """The ids a job is made from: `make_job(**dataset.sources, ...)`."""
        return {"template_id": self.template.id, "seed_id": self.seed.id}
