"""Streaming a job's records as JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy import select

from app.context import Platform
from app.models import Record

BATCH = 500
COLUMNS = ("index", "seed_row", "prompt", "completion", "tokens", "cost_usd")


def _batches(platform: Platform, job_id: int) -> Iterator[list[tuple]]:
    # A short read per batch, so a slow download never holds a transaction open.
    after = -1
    while True:
        with platform.db.read() as session:
            rows = session.execute(
                select(
                    Record.index,
                    Record.seed_row,
                    Record.prompt,
                    Record.completion,
                    Record.tokens,
                    Record.cost_usd,
                )
                .where(Record.job_id == job_id, Record.index > after)
                .order_by(Record.index)
                .limit(BATCH)
            ).all()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def stream_jsonl(platform: Platform, job_id: int) -> Iterator[str]:
    for rows in _batches(platform, job_id):
        yield "".join(
            json.dumps(
                {
                    "index": index,
                    "seed_row": json.loads(seed_row),
                    "prompt": prompt,
                    "completion": completion,
                    "tokens": tokens,
                    "cost_usd": cost,
                },
                ensure_ascii=False,
            )
            + "\n"
            for index, seed_row, prompt, completion, tokens, cost in rows
        )


def stream_csv(platform: Platform, job_id: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    for rows in _batches(platform, job_id):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(rows)
        yield buffer.getvalue()


def export_filename(job_id: int, export_format: str) -> str:
    return f"job-{job_id}-records.{export_format}"
