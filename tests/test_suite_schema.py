"""The committed JSON Schema of the settings file: it is the model's, and the committed file
meets it (editors check the file against it, so a stale schema would mislead them)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fixtures.settings import CONFIG_FILE_NAME, SCHEMA_FILE_NAME, json_schema

ROOT = Path(__file__).resolve().parent.parent


def committed(name: str) -> dict:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


def test_the_committed_schema_is_the_models_current_schema() -> None:
    assert committed(SCHEMA_FILE_NAME) == json_schema(), (
        f"{SCHEMA_FILE_NAME} is stale: rewrite it with `python -m fixtures.settings`"
    )


def test_the_committed_file_names_the_schema() -> None:
    assert committed(CONFIG_FILE_NAME)["$schema"] == f"./{SCHEMA_FILE_NAME}"


def test_the_committed_file_meets_the_schema() -> None:
    # check-jsonschema is the suite's own checker (it checks the CI workflow too); the
    # jsonschema package, which it is built on, is the fallback.
    checker = shutil.which("check-jsonschema")
    if checker:
        result = subprocess.run(
            [checker, "--schemafile", SCHEMA_FILE_NAME, CONFIG_FILE_NAME],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(committed(CONFIG_FILE_NAME), committed(SCHEMA_FILE_NAME))


def test_the_schema_refuses_what_the_model_refuses() -> None:
    # The schema is only worth committing if it catches mistakes; one per kind of rule.
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(committed(SCHEMA_FILE_NAME))
    config = committed(CONFIG_FILE_NAME)
    for key, value in [
        ("colour", "blue"),
        ("retries", -1),
        ("baseURL", "localhost:8000"),
        ("projects", []),
        ("webServer", {"command": []}),
        ("webServer", [{"port": 0}]),
        ("tti", {"budgetsMs": {"dashboard": 1500}}),
    ]:
        assert not validator.is_valid({**config, key: value}), (key, value)
