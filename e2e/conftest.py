"""What the browser journeys share beyond the suite's fixtures: a template whose prompts
the suite can predict on its own."""

from __future__ import annotations

import uuid

import pytest

from domain.drafts import TemplateDraft

#: Built-in Jinja2 only, so flows.records.render_prompt predicts every prompt independently.
CHECKABLE_BODY = (
    "Record {{ index }}: write a short persona for {{ name }}, "
    "a {{ age }}-year-old {{ occupation | lower }} from {{ city }}."
)


@pytest.fixture
def checkable_template() -> TemplateDraft:
    """A uniquely named template over people.csv's columns whose prompts can be predicted."""
    return TemplateDraft(name=f"Persona check {uuid.uuid4().hex[:6]}", body=CHECKABLE_BODY)
