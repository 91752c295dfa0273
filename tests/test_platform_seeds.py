"""Seed data: CSV and JSONL uploads, and every kind of refused file."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PEOPLE_CSV


def _upload_error(user, content: bytes | str, filename: str, status: int = 422) -> str:
    response = user.post("/seeds", files={"file": (filename, content)})
    assert response.status_code == status, response.text
    return response.json()["error"]["fields"]["file"]


def test_csv_upload_reports_rows_columns_and_preview(user):
    seed = user.make_seed(PEOPLE_CSV, "people.csv")
    detail = user.ok("GET", f"/seeds/{seed.id}")

    assert seed.rows == 3
    assert seed.columns == ["name", "city", "card"]
    assert seed.name == "people.csv"
    assert detail["preview"][1] == {
        "name": "grace hopper",
        "city": "New York",
        "card": "5500000000000004",
    }


def test_jsonl_upload_collects_columns_from_every_row(user):
    lines = [{"name": "Ada", "age": 36}, {"name": "Bob", "city": "Paris"}]
    content = "\n".join(json.dumps(line) for line in lines) + "\n"

    seed = user.make_seed(content, "people.jsonl")

    assert seed.rows == 2
    assert seed.columns == ["name", "age", "city"]
    assert user.ok("GET", f"/seeds/{seed.id}")["preview"][0] == {"name": "Ada", "age": 36}


def test_large_preview_is_limited_to_ten_rows(user):
    content = "n\n" + "".join(f"{index}\n" for index in range(25))

    seed = user.make_seed(content, "numbers.csv")

    assert seed.rows == 25
    assert len(user.ok("GET", f"/seeds/{seed.id}")["preview"]) == 10


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"name,city\n", "header-only.csv", "The file has no data rows."),
        (
            b"name,city\nAda,London\n\xff\xfeBob,Paris\n",
            "latin.csv",
            "The file is not valid UTF-8.",
        ),
        (
            b"name,city\nAda,London\nBob\n",
            "ragged.csv",
            "Row 2, column city: expected 2 fields, found 1.",
        ),
        (
            b"name,city\nAda,London,extra\n",
            "wide.csv",
            "Row 1, column 3: expected 2 fields, found 3.",
        ),
        (b'{"name": "Ada"}\n{"name": Bob}\n', "bad.jsonl", "Row 2, column 10: Expecting value."),
        (
            b'{"name": "Ada"}\n[1, 2]\n',
            "list.jsonl",
            "Row 2, column 1: each line must be a JSON object.",
        ),
        (b"name\nAda\n", "people.txt", "Upload a .csv or .jsonl file."),
    ],
    ids=[
        "empty",
        "no-rows",
        "not-utf8",
        "ragged-short",
        "ragged-long",
        "invalid-json",
        "not-an-object",
        "wrong-extension",
    ],
)
def test_malformed_files_are_refused_with_the_place_at_fault(user, content, filename, message):
    assert _upload_error(user, content, filename) == message


def test_non_utf8_error_names_the_byte_offset(user):
    response = user.post("/seeds", files={"file": ("latin.csv", b"name\nJos\xe9\n")})

    assert "offset 8" in response.json()["error"]["message"]


def test_a_file_over_5_mb_is_refused_as_too_large(user):
    row = "x" * 99 + "\n"
    content = "name\n" + row * (5 * 1024 * 1024 // len(row) + 10)

    assert _upload_error(user, content, "big.csv", status=413) == "The file is larger than 5 MB."


def test_a_refused_upload_leaves_earlier_uploads_untouched(user):
    first = user.make_seed()

    _upload_error(user, b"name,city\nAda\n", "ragged.csv")

    listed = user.ok("GET", "/seeds")
    assert [seed["id"] for seed in listed["data"]] == [first.id]
    assert user.ok("GET", f"/seeds/{first.id}")["rows"] == 3


def test_seed_can_be_deleted(user):
    seed = user.make_seed()

    assert user.delete(f"/seeds/{seed.id}").status_code == 204
    assert user.get(f"/seeds/{seed.id}").status_code == 404
