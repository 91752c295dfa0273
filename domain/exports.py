"""Reading an export's records from its text, as docs/screens.md describes both formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any


def parse_export(text: str, fmt: str) -> list[dict[str, Any]]:
    """The records of an export's text, with numbers and seed rows decoded."""
    if fmt == "jsonl":
        # JSON Lines separates records by "\n" only; other line breaks belong to a record.
        lines = [line for line in text.split("\n") if line.strip()]
        return [
            _decoded(f"JSONL line {number}", json.loads, line)
            for number, line in enumerate(lines, start=1)
        ]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records: list[dict[str, Any]] = []
    for row in reader:
        where = f"the CSV record ending on line {reader.line_num}"
        # A field quoted wrongly spills into extra columns (under None) or leaves some empty.
        assert None not in row and None not in row.values(), (
            f"{where} does not split into the columns {reader.fieldnames}: {row}"
        )
        record: dict[str, Any] = dict(row)
        # CSV carries everything as text; seed_row is JSON text per the contract.
        record["index"] = _decoded(f"{where}: index", int, row["index"])
        record["tokens"] = _decoded(f"{where}: tokens", int, row["tokens"])
        record["cost_usd"] = _decoded(f"{where}: cost_usd", float, row["cost_usd"])
        record["seed_row"] = _decoded(f"{where}: seed_row", json.loads, row["seed_row"])
        records.append(record)
    return records


def _decoded(where: str, decode: Callable[[str], Any], text: str) -> Any:
    try:
        return decode(text)
    except ValueError as error:
        raise AssertionError(f"{where} cannot be read ({error}): {text[:200]!r}") from None
