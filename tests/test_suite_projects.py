"""Projects across browsers: which projects a run covers, test ids, markers, and how each
project's browser is launched and its contexts are made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.browsers import (
    CONNECT_ENV,
    CONNECT_ENV_ALIAS,
    connect_endpoint,
    connect_extras,
    context_args_for,
    launch_args_for,
    missing_system_browser,
)
from fixtures.config import select_projects
from fixtures.settings import CONFIG_FILE_NAME, Project, SuiteConfig, parse_config

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"viewport": {"width": 412, "height": 839}, "is_mobile": True, "has_touch": True}
SCREEN = {"width": 1280, "height": 800}
DESKTOP = Project(name="desktop-chromium", browser="chromium", viewport=SCREEN)
FIREFOX = Project(name="desktop-firefox", browser="firefox", viewport=SCREEN)
# Validated with a device catalogue, as the file's projects are, so that it keeps the profile.
MOBILE = Project.model_validate(
    {"name": "mobile-chromium", "browser": "chromium", "device": "Pixel 7"},
    context={"devices": {"Pixel 7": PHONE}},
)
PROJECTS = (DESKTOP, FIREFOX, MOBILE)
SUITE_PLUGINS = ["fixtures.config", "fixtures.reporting", "fixtures.browsers"]
PROBE_TESTS = """
import pytest

def test_everywhere(page):
    pass

@pytest.mark.mobile
def test_on_phones(page):
    pass

@pytest.mark.desktop
def test_on_desktops(page):
    pass

def test_without_a_browser():
    pass
"""


def suite_with_browsers(tmp_path: Path, *, chromium: Path, firefox: Path) -> SuiteConfig:
    raw = json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8"))
    raw["browsers"]["chromium"]["executablePath"] = str(chromium)
    raw["browsers"]["firefox"]["executablePath"] = str(firefox)
    return parse_config(raw, source=tmp_path / CONFIG_FILE_NAME, devices={"Pixel 7": PHONE})


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    browser = tmp_path / "browser"
    browser.write_text("")
    return browser


def test_a_plain_run_covers_every_project() -> None:
    assert select_projects(PROJECTS, browsers=[], names=[]) == PROJECTS


def test_browser_narrows_to_the_projects_of_that_engine() -> None:
    assert select_projects(PROJECTS, browsers=["chromium"], names=[]) == (DESKTOP, MOBILE)
    assert select_projects(PROJECTS, browsers=["firefox"], names=[]) == (FIREFOX,)


def test_project_picks_projects_by_name_and_may_repeat() -> None:
    assert select_projects(PROJECTS, browsers=[], names=["mobile-chromium"]) == (MOBILE,)
    assert select_projects(PROJECTS, browsers=[], names=["mobile-chromium", "desktop-firefox"]) == (
        FIREFOX,
        MOBILE,
    )
    assert select_projects(
        PROJECTS, browsers=["chromium"], names=["mobile-chromium", "desktop-firefox"]
    ) == (MOBILE,)


def test_an_unknown_project_name_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError, match="--project tablet: no such project"):
        select_projects(PROJECTS, browsers=[], names=["tablet"])


def test_a_selection_that_leaves_nothing_to_run_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError, match="no project .* runs in --browser webkit"):
        select_projects(PROJECTS, browsers=["webkit"], names=[])


def test_a_context_gets_its_projects_screen_under_pytest_playwrights_arguments() -> None:
    base = {"base_url": "http://127.0.0.1:5000"}

    assert context_args_for(DESKTOP, "chromium", base) == {
        "viewport": {"width": 1280, "height": 800},
        "base_url": "http://127.0.0.1:5000",
    }
    assert context_args_for(MOBILE, "chromium", base)["is_mobile"] is True


def test_the_device_flag_replaces_the_projects_screen() -> None:
    tablet = {"viewport": {"width": 800, "height": 1280}, "is_mobile": True}

    context_args = context_args_for(DESKTOP, "chromium", tablet)

    assert context_args["viewport"] == {"width": 800, "height": 1280}
    assert context_args["is_mobile"] is True


def test_phone_emulation_is_only_applied_in_chromium() -> None:
    context_args = context_args_for(FIREFOX, "firefox", {**PHONE})

    assert "is_mobile" not in context_args
    assert context_args["viewport"] == PHONE["viewport"]


def test_the_system_browser_is_launched_when_playwrights_own_is_absent(
    tmp_path: Path, installed: Path
) -> None:
    suite = suite_with_browsers(tmp_path, chromium=installed, firefox=installed)

    chromium = launch_args_for("chromium", suite, {}, own_browser_installed=False, remote=False)
    firefox = launch_args_for("firefox", suite, {}, own_browser_installed=False, remote=False)

    assert chromium["executable_path"] == str(installed)
    assert "--no-sandbox" in chromium["args"] and "--disable-quic" in chromium["args"]
    assert chromium["headless"] is True
    assert firefox == {
        "executable_path": str(installed),
        "channel": "moz-firefox",
        "headless": True,
    }


def test_playwrights_own_browser_a_channel_flag_or_a_remote_server_skip_the_fallback(
    tmp_path: Path, installed: Path
) -> None:
    suite = suite_with_browsers(tmp_path, chromium=installed, firefox=installed)

    own = launch_args_for("chromium", suite, {}, own_browser_installed=True, remote=False)
    channel = launch_args_for(
        "chromium", suite, {"channel": "chrome"}, own_browser_installed=False, remote=False
    )
    remote = launch_args_for("firefox", suite, {}, own_browser_installed=False, remote=True)

    assert own == {"headless": True}
    assert channel == {"headless": True, "channel": "chrome"}
    assert remote == {"headless": True}


def test_headed_and_slowmo_flags_win_over_the_file(tmp_path: Path, installed: Path) -> None:
    suite = suite_with_browsers(tmp_path, chromium=installed, firefox=installed)
    flags = {"headless": False, "slow_mo": 250}

    launch_args = launch_args_for(
        "chromium", suite, flags, own_browser_installed=False, remote=False
    )

    assert launch_args["headless"] is False and launch_args["slow_mo"] == 250


def test_a_missing_system_browser_is_one_line_naming_the_package(tmp_path: Path) -> None:
    suite = suite_with_browsers(
        tmp_path, chromium=tmp_path / "no-chromium", firefox=tmp_path / "no-firefox"
    )

    assert missing_system_browser("firefox", suite) == (
        f"firefox not found at {tmp_path / 'no-firefox'}: "
        "install it with: apt-get install -y firefox-esr"
    )
    assert missing_system_browser("chromium", suite).endswith("apt-get install -y chromium")
    assert "playwright install webkit" in missing_system_browser("webkit", suite)


def test_the_environment_endpoint_wins_over_the_files(tmp_path: Path, installed: Path) -> None:
    suite = suite_with_browsers(tmp_path, chromium=installed, firefox=installed)
    with_file = parse_config(
        {"projects": [{"name": "p", "browser": "chromium"}], "connect": {"wsEndpoint": "ws://a:1"}},
        source=tmp_path / CONFIG_FILE_NAME,
        devices={},
    )

    assert connect_endpoint(suite, {}) is None
    assert connect_endpoint(with_file, {}) == "ws://a:1"
    assert connect_endpoint(with_file, {CONNECT_ENV: "ws://b:2"}) == "ws://b:2"
    assert connect_endpoint(with_file, {CONNECT_ENV_ALIAS: "ws://c:3"}) == "ws://c:3"
    both = {CONNECT_ENV: "ws://b:2", CONNECT_ENV_ALIAS: "ws://c:3"}
    assert connect_endpoint(with_file, both) == "ws://b:2"


def test_playwright_tests_connection_variables_give_headers_and_exposed_network() -> None:
    assert connect_extras({}) == {"expose_network": "<loopback>"}
    given = {
        "PW_TEST_CONNECT_HEADERS": '{"x-token": "secret"}',
        "PW_TEST_CONNECT_EXPOSE_NETWORK": "*",
    }
    assert connect_extras(given) == {"expose_network": "*", "headers": {"x-token": "secret"}}
    with pytest.raises(pytest.UsageError, match="PW_TEST_CONNECT_HEADERS must be a JSON object"):
        connect_extras({"PW_TEST_CONNECT_HEADERS": '["x"]'})
    with pytest.raises(pytest.UsageError, match="PW_TEST_CONNECT_HEADERS is not JSON"):
        connect_extras({"PW_TEST_CONNECT_HEADERS": "x-token: secret"})


@pytest.fixture
def suite_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester folder with the suite's settings and project plugins, and probe tests."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(f"pytest_plugins = {SUITE_PLUGINS!r}")
    (pytester.path / CONFIG_FILE_NAME).write_text(
        (ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8")
    )
    pytester.makepyfile(test_probe=PROBE_TESTS)
    return pytester


def collected(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:xdist", *args)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str() + result.stderr.str()
    return [line for line in result.stdout.lines if "::" in line]


def test_every_browser_test_runs_once_per_project_with_the_project_in_its_id(
    suite_pytester: pytest.Pytester,
) -> None:
    ids = collected(suite_pytester)

    assert sorted(ids) == [
        "test_probe.py::test_everywhere[desktop-chromium]",
        "test_probe.py::test_everywhere[desktop-firefox]",
        "test_probe.py::test_everywhere[mobile-chromium]",
        "test_probe.py::test_on_desktops[desktop-chromium]",
        "test_probe.py::test_on_desktops[desktop-firefox]",
        "test_probe.py::test_on_phones[mobile-chromium]",
        "test_probe.py::test_without_a_browser",
    ]


def test_browser_and_project_flags_narrow_the_collected_tests(
    suite_pytester: pytest.Pytester,
) -> None:
    chromium = collected(suite_pytester, "--browser", "chromium")
    mobile = collected(suite_pytester, "--project", "mobile-chromium")

    assert not [test_id for test_id in chromium if "firefox" in test_id]
    assert len(chromium) == 5
    assert sorted(mobile) == [
        "test_probe.py::test_everywhere[mobile-chromium]",
        "test_probe.py::test_on_phones[mobile-chromium]",
        "test_probe.py::test_without_a_browser",
    ]


def test_only_browser_without_a_reason_is_refused(suite_pytester: pytest.Pytester) -> None:
    suite_pytester.makepyfile(
        test_reasonless="""
        import pytest

        @pytest.mark.only_browser("chromium")
        def test_something(page):
            pass
        """
    )

    result = suite_pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:xdist")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_something*only_browser needs a reason*"])
