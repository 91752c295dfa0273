"""pytest plugin of scripts/bench_vs_playwright_test.py: each test's setup, call and teardown
times, written as JSON to BENCH_PHASES, so that the benchmark can say where time goes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

_PHASES: dict[str, dict[str, float]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _PHASES.setdefault(report.nodeid, {})[report.when] = report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    Path(os.environ["BENCH_PHASES"]).write_text(json.dumps(_PHASES), encoding="utf-8")
