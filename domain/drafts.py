"""Test data as a person would type it, shared by flows, fixtures and tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateDraft:
    """A template as a person would type it."""

    name: str
    body: str
