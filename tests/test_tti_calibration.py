"""The calibration server: its pages carry their schedule, and truth reports round-trip."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from fixtures.tti.calibration import CALIBRATION_PAGES, CalibrationServer
from fixtures.tti.calibration.schedules import calibration_page


@pytest.fixture(scope="module")
def server() -> Iterator[CalibrationServer]:
    with CalibrationServer() as running:
        yield running


def test_every_calibration_page_is_served_with_its_schedule(server: CalibrationServer):
    for page in CALIBRATION_PAGES:
        response = httpx.get(server.page_url(page.name, run="r1"))

        assert response.status_code == 200
        assert json.dumps(page.to_json_dict()).replace("</", "<\\/") in response.text
        assert 'window.__calibrationRun = "r1"' in response.text
        assert "window.__calibrationReport = false" in response.text
        assert response.headers["cache-control"] == "no-store"


def test_a_page_for_a_browser_the_suite_cannot_read_reports_its_truth(server: CalibrationServer):
    url = server.page_url("one-late-task", run="r4", report=True)

    assert "window.__calibrationReport = true" in httpx.get(url).text


def test_the_calibration_set_covers_the_cases_the_probe_must_get_right():
    names = {page.name for page in CALIBRATION_PAGES}

    assert {
        "no-long-tasks",
        "one-late-task",
        "clustered-tasks",
        "network-busy-past-last-task",
        "task-after-quiet-gap",
    } <= names
    gap_page = calibration_page("task-after-quiet-gap")
    assert gap_page.tasks[1].after_previous and gap_page.tasks[1].at_ms == 4900


def test_a_reported_truth_is_handed_back_for_its_run(server: CalibrationServer):
    report = {"page": "one-late-task", "truthMs": 1701.5, "tasks": []}

    posted = httpx.post(f"{server.base_url}/truth?run=r2", content=json.dumps(report))

    assert posted.status_code == 204
    assert server.truth("r2", timeout_s=1) == report
    assert httpx.get(f"{server.base_url}/truth?run=r2").json() == report


def test_an_unreported_run_has_no_truth(server: CalibrationServer):
    assert server.truth("never", timeout_s=0.05) is None
    assert httpx.get(f"{server.base_url}/truth?run=never").status_code == 404


def test_the_slow_endpoint_answers_no_sooner_than_asked(server: CalibrationServer):
    started = time.perf_counter()

    response = httpx.get(f"{server.base_url}/slow?ms=200")

    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_unknown_pages_are_not_found(server: CalibrationServer):
    assert httpx.get(f"{server.base_url}/page/nope").status_code == 404
    with pytest.raises(KeyError):
        server.page_url("nope", run="r3")
