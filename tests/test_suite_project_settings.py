"""Per-project settings: a project may change what its tests record, their timeouts, locale,
time zone, colour scheme and signed-in role, their retries, and which tests it runs; the
command line still wins."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fixtures.config import CommandLine, apply_command_line, use_for
from fixtures.settings import CONFIG_FILE_NAME, ConfigError, Project, Timeouts, parse_config

ROOT = Path(__file__).resolve().parent.parent
SUITE_PLUGINS = ["fixtures.config", "fixtures.retries", "fixtures.reporting", "fixtures.browsers"]
PROBE_TESTS = """
import pytest


@pytest.mark.smoke
def test_smoke(browser_name, pytestconfig, request):
    option = pytestconfig.option
    flaky = request.node.get_closest_marker("flaky")
    reruns = flaky.kwargs["reruns"] if flaky else None
    print("RECORDS", request.node.name, option.tracing, option.video, option.screenshot, reruns)


def test_plain(browser_name):
    pass


@pytest.mark.chaos
def test_chaos(browser_name):
    pass
"""
GERMAN = {
    "name": "german-chromium",
    "browser": "chromium",
    "viewport": {"width": 800, "height": 600},
    "use": {"trace": "on", "video": "retain-on-failure", "locale": "de-DE", "actionMs": 3000},
    "retries": 2,
    "select": "smoke or chaos",
    "deselect": "chaos",
}


def file_with(*projects: dict[str, Any]) -> dict[str, Any]:
    config = json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8"))
    config["projects"] = [config["projects"][0], *projects]
    return config


@pytest.fixture
def suite_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(f"pytest_plugins = {SUITE_PLUGINS!r}")
    (pytester.path / CONFIG_FILE_NAME).write_text(json.dumps(file_with(GERMAN)))
    pytester.makepyfile(test_probe=PROBE_TESTS)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:xdist", "-p", "no:randomly", "-s", *args)


def test_a_project_runs_only_the_tests_its_marker_expressions_keep(
    suite_pytester: pytest.Pytester,
) -> None:
    result = suite_pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:xdist")

    collected = sorted(line for line in result.stdout.lines if "::" in line)
    assert collected == [
        "test_probe.py::test_chaos[desktop-chromium]",
        "test_probe.py::test_plain[desktop-chromium]",
        "test_probe.py::test_smoke[desktop-chromium]",
        "test_probe.py::test_smoke[german-chromium]",
    ]


def test_a_projects_recording_and_retries_apply_to_its_tests_only(
    suite_pytester: pytest.Pytester,
) -> None:
    result = run(suite_pytester, "-k", "smoke")

    result.stdout.fnmatch_lines_random(
        [
            "*RECORDS test_smoke?desktop-chromium? retain-on-failure off off None*",
            "*RECORDS test_smoke?german-chromium? on retain-on-failure off 2*",
        ]
    )


def test_the_command_line_wins_over_a_project(suite_pytester: pytest.Pytester) -> None:
    result = run(suite_pytester, "-k", "smoke", "--tracing", "off", "--retries", "0")

    result.stdout.fnmatch_lines(
        ["*RECORDS test_smoke?german-chromium? off retain-on-failure off None*"]
    )


def test_a_projects_locale_timeouts_and_role_reach_its_contexts() -> None:
    project = Project.model_validate(
        {**GERMAN, "use": {**GERMAN["use"], "timezoneId": "Europe/Berlin", "colorScheme": "dark"}}
    )

    assert project.context_args() == {
        "viewport": {"width": 800, "height": 600},
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        "color_scheme": "dark",
    }
    timeouts = project.timeouts(Timeouts())
    assert (timeouts.action_ms, timeouts.navigation_ms) == (3000, Timeouts().navigation_ms)
    assert (
        Project.model_validate({**GERMAN, "use": {"role": "low-budget"}}).use.role == "low-budget"
    )


def test_use_for_takes_the_flag_then_the_project_then_the_file() -> None:
    suite = parse_config(file_with(GERMAN), source=Path(CONFIG_FILE_NAME), devices={})
    german = suite.project("german-chromium")
    flag = CommandLine(tracing="off")

    from_project = use_for(german, suite, CommandLine())
    # As at start-up: the flags are first applied to the file's settings.
    from_flag = use_for(german, apply_command_line(suite, flag), flag)

    assert (from_project.trace, from_project.video, from_project.screenshot) == (
        "on",
        "retain-on-failure",
        suite.use.screenshot,
    )
    assert from_flag.trace == "off"


def test_a_broken_marker_expression_is_refused_with_its_key() -> None:
    with pytest.raises(ConfigError) as refused:
        parse_config(
            file_with({**GERMAN, "select": "smoke and ("}),
            source=Path(CONFIG_FILE_NAME),
            devices={},
        )

    assert "projects[1].select: not a marker expression (as for -m)" in str(refused.value)


LAUNCH_PROBE = """
def test_launch(browser_type_launch_args, request):
    print("HEADLESS", request.node.callspec.id, browser_type_launch_args["headless"])
"""


@pytest.fixture
def launch_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Two projects of one engine, the second headed, and a probe of their launch options."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(
        f"pytest_plugins = {SUITE_PLUGINS!r}\n"
        "from fixtures.playwright_integration import browser_type_launch_args, connect_options\n"
    )
    headed = {"name": "headed-chromium", "browser": "chromium", "use": {"headless": False}}
    (pytester.path / CONFIG_FILE_NAME).write_text(json.dumps(file_with(headed)))
    pytester.makepyfile(test_launch=LAUNCH_PROBE)
    return pytester


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), ["*HEADLESS desktop-chromium True", "*HEADLESS headed-chromium False"]),
        (("--headed",), ["*HEADLESS desktop-chromium False", "*HEADLESS headed-chromium False"]),
    ],
)
def test_a_project_may_show_its_browsers_window_and_headed_wins(
    launch_pytester: pytest.Pytester, flags: tuple[str, ...], expected: list[str]
) -> None:
    # Both projects launch chromium: each gets launch options of its own, not the other's.
    result = run(launch_pytester, *flags)

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines_random(expected)
