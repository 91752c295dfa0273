"""Reporting: a failing browser test leaves its screenshot, trace, console log and page URL in
the Allure results, every test carries epic/feature/story/severity labels, and
`environment.properties` names the browser and project that ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures.config import CONFIG_FILE_NAME

ROOT = Path(__file__).resolve().parent.parent
SUITE_PLUGINS = ["fixtures.config", "fixtures.reporting", "fixtures.browsers"]
PROBE_TESTS = """
import allure
import pytest
from playwright.sync_api import expect


@pytest.mark.smoke
def test_heading_reads_right(page):
    with page.expect_event("pageerror"):
        page.set_content(
            "<script>console.warn('about to render');"
            " setTimeout(() => { throw new Error('late') })</script><h1>Wrong</h1>"
        )
    expect(page.get_by_role("heading")).to_have_text("Right", timeout=300)


@allure.feature("Chosen feature")
@pytest.mark.journey
def test_labelled_by_hand():
    assert 1 + 1 == 2
"""


@pytest.fixture(scope="module")
def allure_results(
    pytester_module_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Run the probe tests once in Chromium and read back what Allure was given."""
    results = tmp_path_factory.mktemp("allure-results")
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider"]
    command += ["--rootdir", str(pytester_module_dir), "--project", "desktop-chromium"]
    command += ["--alluredir", str(results)]
    completed = subprocess.run(
        command,
        cwd=pytester_module_dir,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    tests = {}
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        tests[result["name"]] = result
    return {"dir": results, "tests": tests, "output": completed.stdout + completed.stderr}


@pytest.fixture(scope="module")
def pytester_module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the suite's root, holding only the probe tests."""
    folder = tmp_path_factory.mktemp("reporting-probe")
    (folder / "conftest.py").write_text(
        f"pytest_plugins = {SUITE_PLUGINS!r}\n"
        # As the root conftest does, less `base_url`: the probe opens no platform page.
        "from fixtures.playwright_integration import (  # noqa: F401\n"
        "    browser, browser_context_args, browser_type_launch_args, connect_options,\n"
        "    new_context,\n"
        ")\n"
    )
    (folder / CONFIG_FILE_NAME).write_text((ROOT / CONFIG_FILE_NAME).read_text())
    (folder / "test_probe.py").write_text(PROBE_TESTS)
    return folder


def labels_of(result: dict[str, Any]) -> dict[str, str]:
    return {
        label["name"]: label["value"]
        for label in result["labels"]
        if label["name"] in ("epic", "feature", "story", "severity")
    }


def test_a_failing_browser_test_attaches_screenshot_trace_console_and_url(
    allure_results: dict[str, Any],
) -> None:
    result = allure_results["tests"].get("test_heading_reads_right[desktop-chromium]")
    assert result is not None, allure_results["output"]
    attachments = {item["name"]: item for item in result["attachments"]}

    assert result["status"] == "failed"
    assert attachments["Screenshot"]["type"] == "image/png"
    trace = attachments["Playwright trace (open with: playwright show-trace)"]
    # Allure 3's own type for traces: opened in its trace viewer, downloaded as a zip.
    assert trace["type"] == "application/vnd.allure.playwright-trace"
    assert trace["source"].endswith(".zip")
    console = (allure_results["dir"] / attachments["Browser console"]["source"]).read_text()
    assert "[warning] about to render" in console
    assert "[pageerror] late" in console
    urls = (allure_results["dir"] / attachments["Page URL"]["source"]).read_text()
    assert urls == "page 1: about:blank"


def test_labels_are_derived_unless_the_test_sets_them(allure_results: dict[str, Any]) -> None:
    failing = allure_results["tests"]["test_heading_reads_right[desktop-chromium]"]
    by_hand = allure_results["tests"]["test_labelled_by_hand"]

    labels = labels_of(failing)

    # A test file at the root has no area folder; the epic is then the root folder's name.
    assert labels.pop("epic").startswith("Reporting probe")
    assert labels == {"feature": "Probe", "story": "Heading reads right", "severity": "critical"}
    assert labels_of(by_hand)["feature"] == "Chosen feature"
    assert labels_of(by_hand)["severity"] == "normal"
    assert labels_of(by_hand)["story"] == "Labelled by hand"


def test_environment_properties_name_the_browser_and_project(
    allure_results: dict[str, Any],
) -> None:
    properties = (allure_results["dir"] / "environment.properties").read_text()

    assert "Browser.chromium=" in properties
    assert "Project.desktop-chromium=chromium " in properties
    assert "viewport 1280x800" in properties
