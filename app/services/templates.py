"""Templates: CRUD and the "test template" preview."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app import llm
from app.context import Platform
from app.errors import NotFound, ValidationFailed, check_fields
from app.models import Seed, Template, utcnow
from app.prompts import PromptRenderError, check_syntax, compile_prompt, render_prompt

MAX_BODY_CHARS = 20_000
MAX_TEST_ROWS = 20


def _validate(name: str, body: str) -> tuple[str, str]:
    name = (name or "").strip()
    body = body or ""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for the template."
    elif len(name) > 120:
        errors["name"] = "The name is longer than 120 characters."
    if not body.strip():
        errors["body"] = "Enter the template body."
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = f"The body is longer than {MAX_BODY_CHARS:,} characters."
    else:
        syntax_error = check_syntax(body)
        if syntax_error:
            errors["body"] = syntax_error
    check_fields(errors)
    return name, body


def list_templates(platform: Platform, user_id: int, *, page: int, per_page: int):
    """A page of the user's templates, newest first, and the total count."""
    with platform.db.read() as session:
        total = session.scalar(
            select(func.count()).select_from(Template).where(Template.user_id == user_id)
        )
        rows = session.scalars(
            select(Template)
            .where(Template.user_id == user_id)
            .order_by(Template.updated_at.desc(), Template.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return rows, total


def get_template(platform: Platform, user_id: int, template_id: int) -> Template:
    with platform.db.read() as session:
        template = session.get(Template, template_id)
    if template is None or template.user_id != user_id:
        raise NotFound(f"Template {template_id} was not found.")
    return template


def create_template(platform: Platform, user_id: int, *, name: str, body: str) -> Template:
    name, body = _validate(name, body)
    with platform.db.write() as session:
        template = Template(user_id=user_id, name=name, body=body)
        session.add(template)
        session.commit()
        return template


def update_template(
    platform: Platform, user_id: int, template_id: int, *, name: str, body: str
) -> Template:
    get_template(platform, user_id, template_id)
    name, body = _validate(name, body)
    with platform.db.write() as session:
        template = session.get(Template, template_id)
        if template is None or template.user_id != user_id:
            raise NotFound(f"Template {template_id} was not found.")
        template.name, template.body, template.updated_at = name, body, utcnow()
        session.commit()
        return template


def delete_template(platform: Platform, user_id: int, template_id: int) -> None:
    with platform.db.write() as session:
        template = session.get(Template, template_id)
        if template is None or template.user_id != user_id:
            raise NotFound(f"Template {template_id} was not found.")
        session.delete(template)
        session.commit()


def load_seed_rows(platform: Platform, user_id: int, seed_id, *, field: str = "seed_id"):
    """The seed's rows, or a field error naming `field` when it is not one of the user's."""
    try:
        seed_key = int(seed_id)
    except (TypeError, ValueError):
        raise ValidationFailed({field: "Choose a seed dataset."}) from None
    with platform.db.read() as session:
        seed = session.get(Seed, seed_key)
        if seed is None or seed.user_id != user_id:
            raise NotFound(
                f"Seed dataset {seed_key} was not found.",
                fields={field: "Choose one of your seed datasets."},
            )
        return seed, json.loads(seed.rows_json)


def test_template(platform: Platform, user_id: int, *, body: str, seed_id, rows) -> dict:
    """Render `body` against the first rows of a seed: previews, tokens and cost per record."""
    errors: dict[str, str] = {}
    try:
        row_count = int(rows)
        if not 1 <= row_count <= MAX_TEST_ROWS:
            errors["rows"] = f"Rows must be between 1 and {MAX_TEST_ROWS}."
    except (TypeError, ValueError):
        errors["rows"] = f"Rows must be a whole number between 1 and {MAX_TEST_ROWS}."
    if not (body or "").strip():
        errors["body"] = "Enter the template body."
    elif syntax_error := check_syntax(body):
        errors["body"] = syntax_error
    if seed_id in (None, ""):
        errors["seed_id"] = "Choose a seed dataset."
    check_fields(errors)
    _, seed_rows = load_seed_rows(platform, user_id, seed_id)
    compiled = compile_prompt(body)
    price = platform.settings.price_per_1k_tokens
    previews = []
    for index, row in enumerate(seed_rows[:row_count]):
        try:
            prompt = render_prompt(compiled, row, index)
        except PromptRenderError as error:
            raise ValidationFailed({"body": f"Row {index + 1}: {error}"}) from None
        tokens = llm.count_tokens(prompt) + llm.count_tokens(llm.complete("preview", index))
        previews.append(
            {
                "row_index": index,
                "seed_row": row,
                "prompt": prompt,
                "tokens": tokens,
                "cost_usd": llm.cost_usd(tokens, price),
            }
        )
    tokens_per_record = round(sum(p["tokens"] for p in previews) / len(previews))
    return {
        "previews": previews,
        "tokens_per_record": tokens_per_record,
        "cost_per_record_usd": llm.cost_usd(tokens_per_record, price),
    }
