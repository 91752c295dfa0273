"""What the platform's JSON API answers, as typed values (the documents of app/serializers.py).

`fixtures/api.py` `PlatformApi` validates every answer into one of these frozen dataclasses, so
a test reads `job.status` and `dataset.template.id`, and an answer missing a field, carrying
one of the wrong type or one not listed here fails where it is read, naming the field.
Timestamps are the API's ISO 8601 UTC strings, read as aware datetimes.

`parse` validates an answer's JSON text with pydantic in strict mode (no "5" for 5), the one
third-party package of this layer, so that the client and a flow reading an answer with the
page's own session read it alike. `__pydantic_config__` is the dict pydantic reads its
settings from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from domain.exports import parse_export

T = TypeVar("T")

#: Every document here refuses fields it does not list: a new field is a change of contract, and
#: one that should never leave the platform (a password hash, another user's data) is noticed.
_CLOSED = {"extra": "forbid"}


@dataclass(frozen=True)
class User:
    """An account as `POST /auth/signup` and `PATCH /me` answer it."""

    __pydantic_config__ = _CLOSED

    id: int
    email: str
    display_name: str
    monthly_budget_usd: float
    spent_usd: float


@dataclass(frozen=True)
class Me(User):
    """The signed-in user (`GET /me`, `POST /auth/login`), with the session's CSRF token."""

    csrf_token: str


@dataclass(frozen=True)
class Template:
    """A stored template."""

    __pydantic_config__ = _CLOSED

    id: int
    name: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Preview:
    """One seed row rendered by "Test template"."""

    __pydantic_config__ = _CLOSED

    row_index: int
    seed_row: dict[str, Any]
    prompt: str
    tokens: int
    cost_usd: float


@dataclass(frozen=True)
class TemplateTest:
    """The answer of `POST /templates/{id}/test`: previews and the estimate per record."""

    __pydantic_config__ = _CLOSED

    previews: list[Preview]
    tokens_per_record: int
    cost_per_record_usd: float


@dataclass(frozen=True)
class Seed:
    """A stored seed dataset, as the list and an upload answer it."""

    __pydantic_config__ = _CLOSED

    id: int
    name: str
    format: str
    rows: int
    columns: list[str]
    created_at: datetime


@dataclass(frozen=True)
class SeedDetail(Seed):
    """One seed dataset as `GET /seeds/{id}` answers it, with its first rows."""

    preview: list[dict[str, Any]]


@dataclass(frozen=True)
class Job:
    """A generation job's state."""

    __pydantic_config__ = _CLOSED

    id: int
    template_id: int | None
    template_name: str
    seed_id: int | None
    seed_name: str
    status: str
    records_total: int
    records_done: int
    cost_usd: float
    budget_usd: float
    format: str
    records_per_second: float
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class JobProgress(Job):
    """A job as the WebSocket's `job.progress` push carries it, with the rate it runs at."""

    records_per_second_actual: float


@dataclass(frozen=True)
class Alert:
    """A dashboard alert: the budget (no job) or a job that stopped or failed."""

    __pydantic_config__ = _CLOSED

    kind: str
    message: str
    job_id: int | None = None


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures as the platform computes them."""

    __pydantic_config__ = _CLOSED

    running_jobs: int
    records_today: int
    spent_usd: float
    monthly_budget_usd: float
    budget_used_percent: float
    recent_jobs: list[Job]
    alerts: list[Alert]
    generated_at: datetime


@dataclass(frozen=True)
class Ecosystem:
    """An ecosystem of the observatory, with its owner and character count."""

    __pydantic_config__ = _CLOSED

    id: int
    name: str
    visibility: str
    owner_id: int
    owner_name: str
    character_count: int
    running: bool
    created_at: datetime


@dataclass(frozen=True)
class Character:
    """A character of an ecosystem's roster."""

    __pydantic_config__ = _CLOSED

    id: int
    name: str
    species: str
    traits: list[str]
    energy: int
    reputation: int


@dataclass(frozen=True)
class Party:
    """One side of an interaction: the character and its energy and reputation after it."""

    __pydantic_config__ = _CLOSED

    id: int
    name: str
    energy: int
    reputation: int


@dataclass(frozen=True)
class Interaction:
    """Two characters' meeting in a simulating ecosystem, as stored and as pushed live."""

    __pydantic_config__ = _CLOSED

    ecosystem_id: int
    id: int
    kind: str
    summary: str
    actor: Party
    target: Party
    created_at: datetime


@dataclass(frozen=True)
class Export:
    """A downloaded export: the file as it came, its content type and file name."""

    body: bytes
    content_type: str
    filename: str

    @property
    def format(self) -> str:
        """`jsonl` or `csv`, by the file's name."""
        return self.filename.rsplit(".", 1)[-1]

    @property
    def text(self) -> str:
        """The file as text (UTF-8)."""
        return self.body.decode("utf-8")

    def records(self) -> list[dict[str, Any]]:
        """The file's records, with numbers and seed rows decoded (CSV's too)."""
        return parse_export(self.text, self.format)


@dataclass(frozen=True)
class Pagination:
    """Where a page of a list answer sits."""

    __pydantic_config__ = _CLOSED

    page: int
    per_page: int
    total: int
    pages: int


@dataclass(frozen=True)
class PageMeta:
    """The `meta` beside a paged list answer."""

    __pydantic_config__ = _CLOSED

    pagination: Pagination


@dataclass(frozen=True)
class Listed(Generic[T]):
    """A list answer, `{"data": [...]}`, with `meta` when it is one page of a longer list."""

    __pydantic_config__ = _CLOSED

    data: list[T]
    meta: PageMeta | None = None


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def parse(kind: type[T], text: str | bytes, *, what: str) -> T:
    """`text` (JSON) validated strictly into `kind`; `what` names the answer in the error."""
    try:
        return _adapter(kind).validate_json(text, strict=True)
    except ValidationError as error:
        error.add_note(f"in the platform's answer to {what}")
        raise
