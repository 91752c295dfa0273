"""Exports: download one from a job's page, read seed files and exports, and check an export
record by record against what the job was made from."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import allure
from jinja2 import Environment, StrictUndefined, Template
from playwright.sync_api import Download, Page

from domain.drafts import RecordSource
from domain.exports import parse_export
from domain.facts import SHOWN_COST_PLACES, STORED_COST_SLACK, cost_sum_tolerance
from pages.jobs import JobPage

#: The fields every exported record carries, per docs/screens.md.
RECORD_FIELDS = frozenset({"index", "seed_row", "prompt", "completion", "tokens", "cost_usd"})

_TEMPLATES = Environment(undefined=StrictUndefined, autoescape=False)


def read_seed_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a seed file (.csv or .jsonl), as dictionaries."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return list(csv.DictReader(text.splitlines()))


def render_prompt(template_body: str, seed_row: dict[str, Any], *, index: int) -> str:
    """The prompt a template body should produce for the seed row of record `index`.

    An independent rendering with plain Jinja2: the seed's columns, `row` and `index` are
    variables. It knows none of the platform's own filters (title, slug, mask, pick), so a
    journey that checks prompts writes its template with Jinja2's built-in filters only.
    """
    variables = {key: value for key, value in seed_row.items() if str(key).isidentifier()}
    variables.update(row=seed_row, index=index)
    return _compiled(template_body).render(variables)


@cache
def _compiled(template_body: str) -> Template:
    # Compiling costs a millisecond or two; an export of thousands of records reuses one.
    return _TEMPLATES.from_string(template_body)


def read_export(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The records of an export file, with numbers and seed rows decoded."""
    return parse_export(path.read_text(encoding="utf-8"), fmt)


def save_and_read_export(download: Download, *, job_id: int, fmt: str) -> list[dict[str, Any]]:
    """Save a finished download, check its file name, and return its records."""
    expected_name = f"job-{job_id}-records.{fmt}"
    assert download.suggested_filename == expected_name, (
        f"the export was named {download.suggested_filename!r}, expected {expected_name!r}"
    )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / download.suggested_filename
        # save_as works for local and remote browsers alike, unlike download.path().
        download.save_as(target)
        allure.attach.file(str(target), name=expected_name, extension=fmt)
        return read_export(target, fmt)


def fetch_export(page: Page, href: str, *, job_id: int, fmt: str) -> list[dict[str, Any]]:
    """Fetch what a download link points at with the page's session; check its file name."""
    origin = re.match(r"^[a-z]+://[^/]+", page.url)
    assert origin is not None, f"the page is at {page.url}, not on the platform"
    response = page.request.get(href if "://" in href else origin.group(0) + href)
    assert response.ok, f"job #{job_id}'s {fmt} download link answered {response.status}"
    expected_name = f"job-{job_id}-records.{fmt}"
    disposition = response.headers.get("content-disposition", "")
    assert f'filename="{expected_name}"' in disposition, (
        f"job #{job_id}'s {fmt} download link gives the file {disposition!r}, "
        f"expected {expected_name!r}"
    )
    return parse_export(response.text(), fmt)


def check_export(
    records: list[dict[str, Any]],
    source: RecordSource,
    *,
    expected_count: int,
    job_cost_usd: float,
    cost_places: int = SHOWN_COST_PLACES,
) -> None:
    """Check an export record by record against what the job was made from and what it cost.

    Record i must use seed row i mod len(source.seed_rows), render the prompt the suite predicts,
    count the tokens of its prompt and completion, and cost those tokens at the price.
    `job_cost_usd` is the job's cost as the platform reports it, to `cost_places` decimals
    (4 as shown on screen, 6 from the API); the records' costs must add up to it at that
    precision.
    """
    with allure.step(
        f"The export holds exactly {expected_count} records, indexed 0..{expected_count - 1}"
    ):
        indices = [record.get("index") for record in records]
        assert indices == list(range(expected_count)), _describe_indices(indices, expected_count)
    with allure.step("Every record carries its fields, its seed row, its prompt and its price"):
        for record in records:
            _check_record(record, template_body=source.template_body, seed_rows=source.seed_rows)
    with allure.step(f"The records' costs add up to the job's cost ${job_cost_usd}"):
        total = sum((Decimal(str(record["cost_usd"])) for record in records), Decimal(0))
        reported = Decimal(f"{job_cost_usd:.{cost_places}f}")
        assert abs(total - reported) <= cost_sum_tolerance(cost_places), (
            f"the records' costs add up to ${total}, but the job's cost is ${reported}"
        )


def _describe_indices(indices: list[Any], expected_count: int) -> str:
    expected = set(range(expected_count))
    missing = sorted(expected - set(indices))
    unexpected = sorted({str(index) for index in indices} - {str(index) for index in expected})
    duplicated = sorted({str(index) for index in indices if indices.count(index) > 1})
    problems = [
        f"{label} {values[:20]}"
        for label, values in (
            ("missing indices", missing),
            ("unexpected indices", unexpected),
            ("duplicated indices", duplicated),
        )
        if values
    ]
    return (
        f"the export holds {len(indices)} records, expected {expected_count} indexed "
        f"0..{expected_count - 1}: " + ("; ".join(problems) or "the indices are out of order")
    )


def _check_record(
    record: dict[str, Any], *, template_body: str, seed_rows: list[dict[str, Any]]
) -> None:
    index = record.get("index")
    assert set(record) == RECORD_FIELDS, (
        f"record {index} has fields {sorted(record)}, expected {sorted(RECORD_FIELDS)}"
    )
    expected_row = seed_rows[index % len(seed_rows)]
    assert record["seed_row"] == expected_row, (
        f"record {index} carries the seed row {record['seed_row']}; records go through the "
        f"seed rows in order, so it should carry row {index % len(seed_rows)}: {expected_row}"
    )
    expected_prompt = render_prompt(template_body, record["seed_row"], index=index)
    assert record["prompt"] == expected_prompt, (
        f"record {index}'s prompt {record['prompt']!r} is not what its seed row renders: "
        f"{expected_prompt!r}"
    )
    assert isinstance(record["completion"], str) and record["completion"].strip(), (
        f"record {index} has an empty completion"
    )
    expected_tokens = count_tokens(record["prompt"]) + count_tokens(record["completion"])
    assert record["tokens"] == expected_tokens, (
        f"record {index} counts {record['tokens']!r} tokens; its prompt and completion hold "
        f"{expected_tokens}"
    )
    expected_cost = Decimal(str(tokens_cost_usd(record["tokens"])))
    assert abs(Decimal(str(record["cost_usd"])) - expected_cost) <= STORED_COST_SLACK, (
        f"record {index} costs ${record['cost_usd']} for {record['tokens']} tokens; at "
        f"${PRICE_PER_1K_TOKENS} per 1,000 tokens it should cost ${expected_cost:.9f}"
    )


# --- seed files and template tests, read and predicted by the suite itself -----------------

#: The price per 1,000 tokens the platform charges: its default of $0.002, unless the server the
#: suite starts inherits APP_PRICE_PER_1K_TOKENS from this environment.
PRICE_PER_1K_TOKENS = float(os.environ.get("APP_PRICE_PER_1K_TOKENS") or 0.002)

#: app/llm.py's documented rule: every word and every punctuation mark is one token.
_TOKEN = re.compile(r"\w+|[^\w\s]")


def read_seed_bytes(filename: str, data: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of a seed file as uploaded: CSV with a header row, or JSON Lines.

    UTF-8 with or without a byte-order mark; CSV fields may be quoted (commas, newlines);
    column names are read without the spaces around them; blank lines hold no row; the
    columns of a JSON Lines file are its keys in the order they first appear.
    """
    text = data.decode("utf-8-sig")
    if filename.endswith(".jsonl"):
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        columns = list(dict.fromkeys(str(key) for row in rows for key in row))
        return columns, rows
    records = [fields for fields in csv.reader(io.StringIO(text, newline="")) if fields]
    columns = [name.strip() for name in records[0]]
    return columns, [dict(zip(columns, fields, strict=True)) for fields in records[1:]]


def count_tokens(text: str) -> int:
    """Tokens of `text` by the platform's documented rule (words and punctuation marks)."""
    return len(_TOKEN.findall(text))


def completion_tokens(run: int | str, index: int) -> int:
    """Tokens of the stand-in model's completion for record `index` of `run`.

    app/llm.py: the completion is 20 to 40 words and a full stop, each one token, the word
    count drawn first from a generator seeded with "RUN:INDEX" (template tests use the run
    "preview"); the words themselves do not change the count.
    """
    return random.Random(f"{run}:{index}").randint(20, 40) + 1


def preview_tokens(prompt: str, index: int) -> int:
    """Tokens of a "Test template" preview: its prompt plus the completion of record `index`."""
    return count_tokens(prompt) + completion_tokens("preview", index)


def tokens_cost_usd(tokens: int) -> float:
    """What `tokens` tokens cost at the platform's price."""
    return tokens * PRICE_PER_1K_TOKENS / 1000


def download_export(job_page: JobPage, fmt: str) -> list[dict[str, Any]]:
    """Download the job's export in `fmt` from its page and return the parsed records."""
    with allure.step(f"Download the job's {fmt.upper()} export"):
        download = job_page.download(fmt)
        return save_and_read_export(download, job_id=job_page.job_id, fmt=fmt)
