"""Retries that tell the truth (fixtures/retries.py): a test that fails and then passes is
reported flaky in the terminal, the JUnit file and Allure, and can fail the run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from fixtures.retries import tracing_for
from fixtures.settings import CONFIG_FILE_NAME

ROOT = Path(__file__).resolve().parent.parent
SUITE_PLUGINS = ["fixtures.config", "fixtures.retries"]
PROBE_TESTS = """
from pathlib import Path

ATTEMPTS = Path(__file__).with_name("attempts")


def test_flaky(pytestconfig):
    ATTEMPTS.write_text(ATTEMPTS.read_text() + "x" if ATTEMPTS.exists() else "x")
    print("TRACING", len(ATTEMPTS.read_text()), pytestconfig.option.tracing)
    assert len(ATTEMPTS.read_text()) > 1, "fails on its first attempt"


def test_steady():
    assert True
"""
ALWAYS_FAILS = """
def test_broken():
    assert False, "fails every time"
"""


@pytest.fixture
def suite_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester folder with the suite's settings and retries plugins and the probe tests."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(f"pytest_plugins = {SUITE_PLUGINS!r}")
    write_config(pytester)
    pytester.makepyfile(test_probe=PROBE_TESTS)
    return pytester


def write_config(pytester: pytest.Pytester, **changes: Any) -> None:
    config = json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8"))
    config["retries"] = changes.pop("retries", 0)
    config["use"] |= changes
    (pytester.path / CONFIG_FILE_NAME).write_text(json.dumps(config))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:xdist", "-p", "no:randomly", "-s", *args)


def junit_properties(path: Path, name: str) -> list[dict[str, str]]:
    """The properties of each testcase called `name` (an attempt run again is one of them)."""
    cases = [c for c in ElementTree.parse(path).getroot().iter("testcase") if c.get("name") == name]
    return [
        {prop.get("name"): prop.get("value") for prop in case.iter("property")} for case in cases
    ]


def allure_attempts(results: Path, name: str) -> list[dict[str, Any]]:
    found = [json.loads(path.read_text()) for path in results.glob("*-result.json")]
    return sorted((r for r in found if r["name"] == name), key=lambda r: r["start"])


def test_a_test_that_passes_on_a_retry_is_counted_and_listed_as_flaky(
    suite_pytester: pytest.Pytester,
) -> None:
    result = run(suite_pytester, "--retries", "1")

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.stdout.fnmatch_lines(
        ["*FLAKY test_probe.py::test_flaky (passed on attempt 2)*", "*2 passed, 1 rerun, 1 flaky*"]
    )


def test_the_junit_file_and_allure_say_flaky_and_keep_both_attempts(
    suite_pytester: pytest.Pytester,
) -> None:
    junit, results = suite_pytester.path / "junit.xml", suite_pytester.path / "allure"

    run(suite_pytester, "--retries", "1", f"--junitxml={junit}", f"--alluredir={results}")

    failed_attempt, passed_attempt = junit_properties(junit, "test_flaky")
    assert failed_attempt["attempt"] == "1"
    assert "fails on its first attempt" in failed_attempt["attempt_failed"]
    assert passed_attempt == {"flaky": "true", "attempts": "2"}
    assert junit_properties(junit, "test_steady") == [{}]
    first, second = allure_attempts(results, "test_flaky")
    assert (first["status"], second["status"]) == ("failed", "passed")
    assert "fails on its first attempt" in first["statusDetails"]["message"]
    assert second["statusDetails"]["flaky"] is True
    assert first["historyId"] == second["historyId"]
    (steady,) = allure_attempts(results, "test_steady")
    assert "flaky" not in steady.get("statusDetails", {})


def test_retries_come_from_the_file_and_the_flag_wins(suite_pytester: pytest.Pytester) -> None:
    write_config(suite_pytester, retries=1)

    from_file = run(suite_pytester)
    (suite_pytester.path / "attempts").unlink()
    flag_off = run(suite_pytester, "--retries", "0")

    from_file.stdout.fnmatch_lines(["*2 passed, 1 rerun, 1 flaky*"])
    assert flag_off.ret == pytest.ExitCode.TESTS_FAILED
    flag_off.stdout.fnmatch_lines(["*1 failed, 1 passed*"])
    flag_off.stdout.no_fnmatch_line("*, 1 flaky*")


def test_fail_on_flaky_tests_fails_a_run_whose_only_failure_was_retried_away(
    suite_pytester: pytest.Pytester,
) -> None:
    result = run(suite_pytester, "--retries", "1", "--fail-on-flaky-tests")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*1 flaky*"])


def test_a_test_failing_every_attempt_is_failed_not_flaky(
    suite_pytester: pytest.Pytester,
) -> None:
    suite_pytester.makepyfile(test_probe=ALWAYS_FAILS)

    result = run(suite_pytester, "--retries", "2")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*1 failed, 2 rerun*"])
    result.stdout.no_fnmatch_line("*, 1 flaky*")


def test_flaky_tests_are_reported_by_the_xdist_controller(
    suite_pytester: pytest.Pytester,
) -> None:
    result = suite_pytester.runpytest_subprocess("-n", "1", "-p", "no:randomly", "--retries", "1")

    result.stdout.fnmatch_lines(["*FLAKY test_probe.py::test_flaky*", "*1 flaky*"])


@pytest.mark.parametrize(
    ("mode", "first", "second"),
    [
        ("on-first-retry", "off", "on"),
        ("retain-on-first-failure", "retain-on-failure", "off"),
        ("retain-on-failure-and-retries", "retain-on-failure", "on"),
        ("retain-on-failure", "retain-on-failure", "retain-on-failure"),
    ],
)
def test_attempt_dependent_trace_modes_set_each_attempts_tracing(
    suite_pytester: pytest.Pytester, mode: str, first: str, second: str
) -> None:
    write_config(suite_pytester, trace=mode)

    result = run(suite_pytester, "--retries", "1")

    result.stdout.fnmatch_lines([f"*TRACING 1 {first}*", f"*TRACING 2 {second}*"])


def test_later_retries_keep_the_mode_of_the_first_retry_or_stop_recording() -> None:
    assert [tracing_for("on-first-retry", attempt) for attempt in (1, 2, 3, 4)] == [
        "off",
        "on",
        "off",
        "off",
    ]
    assert tracing_for("retain-on-failure-and-retries", 5) == "on"
    assert tracing_for("off", 3) == "off"
