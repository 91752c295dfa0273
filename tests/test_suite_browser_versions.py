"""The system browsers' versions: a run stops at once, in one line, when Debian's chromium or
firefox-esr is older than the major versions known to work with the pinned Playwright, and
says so in one line and goes on when it is newer."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from fixtures.browsers import BrowserVersionProblem, browser_version, unknown_browser_version
from fixtures.settings import CONFIG_FILE_NAME, SuiteConfig, parse_config, playwright_catalogue

ROOT = Path(__file__).resolve().parent.parent
PLAYWRIGHT = f"Playwright {version('playwright')}"


def fake_browser(folder: Path, prints: str) -> Path:
    """An executable that answers `--version` as a browser would."""
    browser = folder / "browser"
    browser.write_text(f"#!/bin/sh\necho '{prints}'\n")
    browser.chmod(0o755)
    return browser


def suite_expecting(tmp_path: Path, *, firefox: list[int], path: str = "/usr/bin/firefox-esr"):
    raw = json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8"))
    raw["browsers"]["firefox"]["majorVersions"] = firefox
    raw["browsers"]["firefox"]["executablePath"] = path
    return parse_config(raw, source=tmp_path / CONFIG_FILE_NAME, devices={"Pixel 7": {}})


def test_the_version_is_read_from_what_the_browser_prints(tmp_path: Path) -> None:
    firefox = fake_browser(tmp_path, "Mozilla Firefox 153.8.0esr")

    assert browser_version(str(firefox)) == "153.8.0"
    assert browser_version(str(tmp_path / "absent")) is None


def test_a_listed_major_version_passes(tmp_path: Path) -> None:
    suite = suite_expecting(tmp_path, firefox=[152, 153])

    assert unknown_browser_version("firefox", suite, version_of=lambda _: "153.8.0") is None


def test_an_older_major_version_stops_the_run_naming_found_and_expected(tmp_path: Path) -> None:
    suite = suite_expecting(tmp_path, firefox=[153])

    problem = unknown_browser_version("firefox", suite, version_of=lambda _: "140.0.1")

    assert problem == BrowserVersionProblem(
        f"firefox 140.0.1 at /usr/bin/firefox-esr is not a version known to work with "
        f"{PLAYWRIGHT}, which expects firefox 153: install that, or add 140 to "
        f"browsers.firefox.majorVersions in {CONFIG_FILE_NAME} once the suite passes with it",
        stops_the_run=True,
    )


def test_a_newer_major_version_is_a_warning_and_the_run_goes_on(tmp_path: Path) -> None:
    suite = suite_expecting(tmp_path, firefox=[153])

    problem = unknown_browser_version("firefox", suite, version_of=lambda _: "154.0.1")

    assert problem == BrowserVersionProblem(
        f"firefox 154.0.1 at /usr/bin/firefox-esr is not a version known to work with "
        f"{PLAYWRIGHT}, which expects firefox 153: the run goes on; add 154 to "
        f"browsers.firefox.majorVersions in {CONFIG_FILE_NAME} once the suite passes with it",
        stops_the_run=False,
    )


def test_a_browser_that_prints_no_version_is_named(tmp_path: Path) -> None:
    suite = suite_expecting(tmp_path, firefox=[153])

    problem = unknown_browser_version("firefox", suite, version_of=lambda _: None)

    assert problem == BrowserVersionProblem(
        f"/usr/bin/firefox-esr --version printed no version; {PLAYWRIGHT} is known to work "
        "with firefox 153",
        stops_the_run=True,
    )


def test_no_listed_versions_means_no_check(tmp_path: Path) -> None:
    suite = suite_expecting(tmp_path, firefox=[])

    def never(_: str) -> str:
        raise AssertionError("the browser was asked its version")

    assert unknown_browser_version("firefox", suite, version_of=never) is None


def test_the_committed_config_lists_this_machines_browsers() -> None:
    # The versions the suite runs with here must be the ones it claims to know.
    suite: SuiteConfig = parse_config(
        json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8")),
        source=ROOT / CONFIG_FILE_NAME,
        devices={"Pixel 7": {}},
    )
    for engine in ("chromium", "firefox"):
        if Path(suite.browsers[engine].executable_path).exists():
            assert unknown_browser_version(engine, suite) is None


def test_a_run_with_an_older_firefox_stops_before_any_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    firefox = suite_run_with_firefox(pytester, monkeypatch, "Mozilla Firefox 140.0.1esr")

    result = pytester.runpytest_subprocess("--browser", "firefox", "-p", "no:xdist")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(
        [
            "*no tests ran*",
            f"*firefox 140.0.1 at {firefox} is not a version known to work with {PLAYWRIGHT},*",
        ]
    )


def test_a_run_with_a_newer_firefox_warns_in_one_line_and_goes_on(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    firefox = suite_run_with_firefox(pytester, monkeypatch, "Mozilla Firefox 160.0.1esr")

    # Collecting is enough: the check runs once the run knows its projects, before any browser.
    result = pytester.runpytest_subprocess("--browser", "firefox", "-p", "no:xdist", "--co")

    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            (
                f"warning: firefox 160.0.1 at {firefox} is not a version known to work with "
                f"{PLAYWRIGHT}, which expects firefox 153: the run goes on; *"
            ),
            "*1 test collected*",
        ]
    )


def suite_run_with_firefox(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, prints: str
) -> Path:
    """A scratch suite whose Firefox is a fake printing `prints`, and one test in a browser."""
    if playwright_catalogue().has_own_browser("firefox"):
        # fixtures/browsers.py checks only a system browser's version; with Playwright's own
        # Firefox there is no check to see.
        pytest.skip("Playwright's own Firefox is installed: no system browser's version is checked")
    firefox = fake_browser(pytester.path, prints)
    raw = json.loads((ROOT / CONFIG_FILE_NAME).read_text(encoding="utf-8"))
    raw["browsers"]["firefox"]["executablePath"] = str(firefox)
    (pytester.path / CONFIG_FILE_NAME).write_text(json.dumps(raw))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(
        'pytest_plugins = ["fixtures.config", "fixtures.reporting", "fixtures.browsers"]'
    )
    pytester.makepyfile(test_probe="def test_in_a_browser(page):\n    pass\n")
    return firefox
