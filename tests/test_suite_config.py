"""The suite's settings file: the committed file is valid, each kind of bad key is named, and
pytest-playwright's command-line flags win over the file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from fixtures.config import CommandLine, apply_command_line
from fixtures.settings import CONFIG_FILE_NAME, ConfigError, parse_config, read_config

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/suite") / CONFIG_FILE_NAME
PHONE = {"viewport": {"width": 412, "height": 839}, "is_mobile": True, "has_touch": True}
DEVICES = {"Pixel 7": PHONE, "Desktop Firefox": {"viewport": {"width": 1280, "height": 720}}}
# The plugins a pytester run needs to load and check the settings.
SUITE_PLUGINS = ["fixtures.config", "fixtures.reporting", "fixtures.browsers"]


@pytest.fixture
def suite_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester folder whose conftest loads the suite's plugins from this checkout."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(f"pytest_plugins = {SUITE_PLUGINS!r}")
    return pytester


def committed_config() -> dict[str, Any]:
    return json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8"))


def problems_of(raw: Any) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_config(raw, source=SOURCE, devices=DEVICES)
    return str(raised.value).splitlines()


def changed(path: str, value: Any) -> dict[str, Any]:
    """The committed config with the value at a dotted path (list items as `[n]`) replaced."""
    raw = copy.deepcopy(committed_config())
    *parents, last = path.replace("[", ".[").split(".")
    node: Any = raw
    for part in parents:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    if last.startswith("["):
        node[int(last[1:-1])] = value
    else:
        node[last] = value
    return raw


def test_the_committed_file_is_valid_and_names_the_three_projects() -> None:
    suite = read_config(ROOT / CONFIG_FILE_NAME)

    assert [p.name for p in suite.projects] == [
        "desktop-chromium",
        "desktop-firefox",
        "mobile-chromium",
    ]
    mobile = suite.project("mobile-chromium")
    assert mobile.is_mobile and mobile.browser == "chromium"
    assert mobile.context_args()["is_mobile"] is True
    assert suite.project("desktop-firefox").context_args() == {
        "viewport": {"width": 1280, "height": 800}
    }
    assert suite.base_url is None
    assert suite.use.trace == "retain-on-failure"
    assert suite.tti.budgets_ms.default == 2000
    assert suite.output_dir == ROOT / "test-results"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("colour", "blue", "colour: unknown key"),
        ("baseURL", "localhost:8000", 'baseURL: "localhost:8000" is not a http or https URL'),
        ("baseURL", 8000, "baseURL: expected a string or null, got a number"),
        ("webServer.command", [], "webServer.command: must not be empty"),
        ("webServer.command", 5, "webServer.command: expected a list"),
        ("webServer.command", "a 'b", "webServer.command: not a command a shell could split"),
        ("webServer.url", "localhost:3000", 'webServer.url: "localhost:3000" is not a http'),
        ("webServer.port", 70000, "webServer.port: must be at most 65535"),
        ("webServer.env", {"DEBUG": 1}, "webServer.env.DEBUG: expected a string, got a number"),
        ("webServer.perWorker", "no", "webServer.perWorker: expected true or false or null"),
        ("webServer.timeoutSeconds", 0, "webServer.timeoutSeconds: must be more than 0"),
        ("webServer.healthPath", "/healthz", "webServer.healthPath: unknown key"),
        ("outputDir", "", "outputDir: expected a non-empty string"),
        ("timeouts.actionMs", -1, "timeouts.actionMs: must be at least 1, got -1"),
        ("timeouts.expectMs", "5s", "timeouts.expectMs: expected a whole number, got a string"),
        ("timeouts.navigationMs", True, "timeouts.navigationMs: expected a whole number"),
        ("timeouts.testSeconds", -5, "timeouts.testSeconds: must be more than 0"),
        ("retries", -1, "retries: must be at least 0, got -1"),
        ("use.trace", "sometimes", 'use.trace: "sometimes" is not one of "on", "off"'),
        ("use.video", "always", 'use.video: "always" is not one of'),
        ("use.screenshot", "on-failure", 'use.screenshot: "on-failure" is not one of'),
        ("use.headless", "yes", "use.headless: expected true or false, got a string"),
        ("browsers.webkit", {"executablePath": "/x"}, "browsers.webkit: unknown key"),
        ("browsers.chromium.args", "--no-sandbox", "browsers.chromium.args: expected a list"),
        ("browsers.firefox.executablePath", None, "browsers.firefox.executablePath: expected"),
        ("connect.wsEndpoint", "http://grid:3000", 'connect.wsEndpoint: "http://grid:3000" is'),
        ("projects", [], "projects: must not be empty"),
        ("projects[0].browser", "safari", 'projects[0].browser: "safari" is not one of'),
        ("projects[0].name", "Desktop Chromium", 'projects[0].name: "Desktop Chromium" must'),
        ("projects[1].name", "desktop-chromium", 'projects[1].name: "desktop-chromium" is used'),
        ("projects[2].device", "Pixel 99", 'projects[2].device: unknown device "Pixel 99"'),
        ("projects[0].viewport", {"width": 1280}, "projects[0].viewport.height: missing"),
        ("projects[0].orientation", "portrait", "projects[0].orientation: unknown key"),
        ("tti.quietWindowMs", 0, "tti.quietWindowMs: must be at least 1"),
        ("tti.budgetsMs", {"dashboard": 1500}, "tti.budgetsMs.default: missing"),
        ("tti.budgetsMs", {"default": "2s"}, "tti.budgetsMs.default: expected a whole number"),
    ],
)
def test_a_bad_value_is_refused_with_its_key_path(path: str, value: Any, expected: str) -> None:
    problems = problems_of(changed(path, value))

    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith(f"{CONFIG_FILE_NAME}: ") for problem in problems)


def test_a_phone_profile_is_refused_outside_chromium() -> None:
    raw = changed("projects[1].device", "Pixel 7")
    del raw["projects"][1]["viewport"]

    assert problems_of(raw) == [
        (
            f'{CONFIG_FILE_NAME}: projects[1].device: "Pixel 7" is a phone profile (is_mobile), '
            "which only Chromium emulates"
        )
    ]


def test_a_project_cannot_have_both_a_device_and_a_viewport() -> None:
    problems = problems_of(changed("projects[2].viewport", {"width": 400, "height": 800}))

    assert problems == [
        f"{CONFIG_FILE_NAME}: projects[2].viewport: give either a device or a viewport, not both"
    ]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    raw = changed("use.trace", "sometimes")
    raw["retries"] = "twice"
    raw["projects"][2]["device"] = "Pixel 99"

    assert len(problems_of(raw)) == 3


def test_a_file_that_is_not_an_object_is_refused() -> None:
    assert problems_of([1, 2]) == [
        f"{CONFIG_FILE_NAME}: (top level): expected an object, got a list"
    ]


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_FILE_NAME
    path.write_text('{\n  "retries": 0,\n  "use": {,}\n}\n', encoding="utf-8")

    with pytest.raises(ConfigError, match=r"not valid JSON \(line 3, column"):
        read_config(path, devices=DEVICES)


def test_a_missing_file_says_where_it_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found at .*nowhere.json"):
        read_config(tmp_path / "nowhere.json", devices=DEVICES)


def test_leaving_optional_sections_out_gives_the_documented_defaults() -> None:
    raw = {"projects": [{"name": "only", "browser": "firefox"}]}

    suite = parse_config(raw, source=SOURCE, devices=DEVICES)

    assert suite.web_servers[0].command == ("python", "-m", "app")
    assert suite.timeouts.expect_ms == 5000
    assert (suite.use.trace, suite.use.screenshot, suite.use.video) == (
        "retain-on-failure",
        "only-on-failure",
        "off",
    )
    assert suite.output_dir == Path("/suite/test-results")
    assert suite.tti.quiet_window_ms == 5000
    assert suite.project("only").context_args() == {}


def test_command_line_flags_win_over_the_file() -> None:
    suite = parse_config(committed_config(), source=SOURCE, devices=DEVICES)
    flags = CommandLine(
        base_url="http://staging.example",
        tracing="on",
        video="retain-on-failure",
        screenshot="off",
        output="/tmp/elsewhere",
        headed=True,
        retries=2,
    )

    effective = apply_command_line(suite, flags)

    assert effective.base_url == "http://staging.example"
    assert (effective.use.trace, effective.use.video, effective.use.screenshot) == (
        "on",
        "retain-on-failure",
        "off",
    )
    assert effective.use.headless is False
    assert effective.output_dir == Path("/tmp/elsewhere")
    assert effective.retries == 2


def test_flags_not_given_leave_the_file_in_charge() -> None:
    raw = changed("baseURL", "https://deploy.example/")
    suite = parse_config(raw, source=SOURCE, devices=DEVICES)

    effective = apply_command_line(suite, CommandLine())

    assert effective == suite
    assert effective.base_url == "https://deploy.example"


def test_a_broken_file_stops_the_run_naming_the_key(suite_pytester: pytest.Pytester) -> None:
    pytester = suite_pytester
    raw = changed("projects[2].device", "Pixel 99")
    config_path = pytester.path / "broken.json"
    config_path.write_text(json.dumps(raw), encoding="utf-8")
    pytester.makepyfile("def test_nothing():\n    assert True\n")

    result = pytester.runpytest_subprocess("--suite-config", str(config_path), "-p", "no:xdist")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(['*broken.json: projects[[]2].device: unknown device "Pixel 99"'])


def test_the_file_sets_pytest_playwrights_options_unless_flags_were_given(
    suite_pytester: pytest.Pytester,
) -> None:
    pytester = suite_pytester
    pytester.makepyfile(
        """
        def test_options(pytestconfig, suite_config):
            option = pytestconfig.option
            print("OPTIONS", option.tracing, option.screenshot, option.video, option.timeout)
            print("SCREENSHOTS", suite_config.use.screenshot)
        """
    )
    # Copied so that the run finds it where it looks by default: at its root.
    (pytester.path / CONFIG_FILE_NAME).write_text(json.dumps(committed_config()))

    from_file = pytester.runpytest_subprocess("-s", "-p", "no:xdist")
    with_flags = pytester.runpytest_subprocess(
        "-s", "-p", "no:xdist", "--tracing", "off", "--timeout", "7"
    )

    # Failure screenshots are the reporting plugin's (fixtures/reporting.py), so
    # pytest-playwright is told to take none of its own.
    from_file.stdout.fnmatch_lines(
        ["*OPTIONS retain-on-failure off off 120.0*", "*SCREENSHOTS only-on-failure*"]
    )
    with_flags.stdout.fnmatch_lines(["*OPTIONS off off off 7.0*"])
    on = pytester.runpytest_subprocess("-s", "-p", "no:xdist", "--screenshot", "on")
    on.stdout.fnmatch_lines(["*OPTIONS retain-on-failure on off 120.0*"])
