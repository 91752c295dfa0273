"""Reading seed files and exports, and checking an export against what the job was asked for."""

from __future__ import annotations

import csv
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import allure
from jinja2 import Environment, StrictUndefined
from playwright.sync_api import Download

#: The fields every exported record carries, per docs/screens.md.
RECORD_FIELDS = frozenset({"index", "seed_row", "prompt", "completion", "tokens", "cost_usd"})

#: Half a unit in the fourth decimal, the precision costs are shown at, plus a millionth of a
#: dollar for the float rounding of a running total.
COST_TOLERANCE = Decimal("0.000051")

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
    return _TEMPLATES.from_string(template_body).render(variables)


def read_export(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The records of an export file, with numbers and seed rows decoded."""
    text = path.read_text(encoding="utf-8")
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    records: list[dict[str, Any]] = []
    for row in csv.DictReader(text.splitlines(keepends=True)):
        record: dict[str, Any] = dict(row)
        # CSV carries everything as text; seed_row is JSON text per the contract.
        record["index"] = int(row["index"])
        record["tokens"] = int(row["tokens"])
        record["cost_usd"] = float(row["cost_usd"])
        record["seed_row"] = json.loads(row["seed_row"])
        records.append(record)
    return records


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


def check_export(
    records: list[dict[str, Any]],
    *,
    expected_count: int,
    template_body: str,
    seed_rows: list[dict[str, Any]],
    job_cost_usd: float,
) -> None:
    """Check an export record by record against what the job was asked for and what it cost.

    `job_cost_usd` is the job's cost as the platform reports it; the records' costs must add
    up to it at the four decimals costs are shown with.
    """
    with allure.step(
        f"The export holds exactly {expected_count} records, indexed 0..{expected_count - 1}"
    ):
        indices = [record.get("index") for record in records]
        assert indices == list(range(expected_count)), _describe_indices(indices, expected_count)
    with allure.step("Every record carries its fields, a seed row and the prompt that row renders"):
        for record in records:
            _check_record(record, template_body=template_body, seed_rows=seed_rows)
    with allure.step(f"The records' costs add up to the job's cost ${job_cost_usd:.4f}"):
        total = sum((Decimal(str(record["cost_usd"])) for record in records), Decimal(0))
        shown = Decimal(f"{job_cost_usd:.4f}")
        assert abs(total - shown) <= COST_TOLERANCE, (
            f"the records' costs add up to ${total}, but the job's cost is ${shown}"
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
    assert record["seed_row"] in seed_rows, (
        f"record {index} names a seed row that is not in the seed file: {record['seed_row']}"
    )
    expected_prompt = render_prompt(template_body, record["seed_row"], index=index)
    assert record["prompt"] == expected_prompt, (
        f"record {index}'s prompt {record['prompt']!r} is not what its seed row renders: "
        f"{expected_prompt!r}"
    )
    assert isinstance(record["completion"], str) and record["completion"].strip(), (
        f"record {index} has an empty completion"
    )
    assert isinstance(record["tokens"], int) and record["tokens"] > 0, (
        f"record {index} has {record['tokens']!r} tokens"
    )
    assert record["cost_usd"] >= 0, f"record {index} costs {record['cost_usd']}"
