"""Parsing uploaded seed files (CSV with a header row, or JSON Lines)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

MAX_SEED_BYTES = 5 * 1024 * 1024
ACCEPTED_SUFFIXES = (".csv", ".jsonl")


class SeedFileError(Exception):
    """The file is refused; `message` is shown next to the file input."""

    def __init__(self, message: str, *, too_large: bool = False, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.too_large = too_large
        self.detail = detail


@dataclass
class ParsedSeed:
    format: str
    columns: list[str]
    rows: list[dict]


def parse_seed_file(filename: str, data: bytes) -> ParsedSeed:
    """Validate and parse an upload; raises SeedFileError naming what is wrong and where."""
    if len(data) > MAX_SEED_BYTES:
        raise SeedFileError("The file is larger than 5 MB.", too_large=True)
    if not data.strip():
        raise SeedFileError("The file is empty.")
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ACCEPTED_SUFFIXES:
        raise SeedFileError("Upload a .csv or .jsonl file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SeedFileError(
            "The file is not valid UTF-8.",
            detail=f"The first invalid byte is at offset {error.start}.",
        ) from None
    parsed = _parse_csv(text) if suffix == ".csv" else _parse_jsonl(text)
    if not parsed.rows:
        raise SeedFileError("The file has no data rows.")
    return parsed


def _parse_csv(text: str) -> ParsedSeed:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise SeedFileError(f"Header row: {error}.") from None
    if not header:
        raise SeedFileError("The file is empty.")
    columns = [name.strip() for name in header]
    for position, name in enumerate(columns, start=1):
        if not name:
            raise SeedFileError(f"Header row, column {position}: the column name is empty.")
        if name in columns[: position - 1]:
            raise SeedFileError(f"Header row, column {position}: duplicate column name {name}.")
    rows: list[dict] = []
    row_number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise SeedFileError(f"Row {row_number + 1}, column 1: {error}.") from None
        if not fields:
            continue
        row_number += 1
        if len(fields) > len(columns):
            raise SeedFileError(
                f"Row {row_number}, column {len(columns) + 1}: expected {len(columns)} fields, "
                f"found {len(fields)}."
            )
        if len(fields) < len(columns):
            raise SeedFileError(
                f"Row {row_number}, column {columns[len(fields)]}: expected {len(columns)} "
                f"fields, found {len(fields)}."
            )
        rows.append(dict(zip(columns, fields, strict=True)))
    return ParsedSeed(format="csv", columns=columns, rows=rows)


def _parse_jsonl(text: str) -> ParsedSeed:
    columns: dict[str, None] = {}
    rows: list[dict] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        row_number = len(rows) + 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise SeedFileError(f"Row {row_number}, column {error.colno}: {error.msg}.") from None
        if not isinstance(value, dict):
            raise SeedFileError(f"Row {row_number}, column 1: each line must be a JSON object.")
        for key in value:
            columns.setdefault(str(key), None)
        rows.append(value)
    return ParsedSeed(format="jsonl", columns=list(columns), rows=rows)
