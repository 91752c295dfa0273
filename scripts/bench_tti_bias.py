"""Where the probe's light-page difference from Lighthouse comes from: one page, load by load.

    python scripts/bench_tti_bias.py --page docsify/light --browser chromium --loads 5

On a light page TTI is max(FCP, DCL, the end of the last long task), so a difference between
the probe and Lighthouse is a difference in one of those. Each load here is a first visit of
a corpus page (scripts/tti_corpus/) made one of several ways, alternating, and reads the
page's own FCP, DCL and navigation phases from the Performance API and — where the recorder
is in — the TTI it would report now (`max(last long task end, FCP, DCL)`, the lower bound a
light page's final TTI equals):

- `bench`: what a test does (and scripts/bench_tti.py did before it settled its pages): a
  new context, the recorder added, a new page, the navigation at once;
- `no-recorder`: the same without the recorder (its own cost, and that of an init script);
- `settled-context`: the recorder in, the page made, then one second before the navigation
  (the context's creation beside the load; `fixtures.tti.probe.settle_new_page`);
- `settled-context-debugger`: the page made ready as scripts/bench_tti.py makes it
  (`fixtures.tti.probe.prepare_measured_page`): in Chromium also under V8's debugger as
  Lighthouse puts its tab, in Firefox first showing a routed document of the page's site;
- `no-viewport`: the recorder in, `no_viewport=True` (the window's size, as Lighthouse with
  screen emulation off, instead of Playwright's emulated 1280×720);
- `second-navigation`: the recorder in, the page first opened on the same site, then the
  measured navigation (a renderer of that site already running);
- `settled-context-new-page`: the recorder in, one second, then the page made and the
  navigation at once (is it the context's creation or the page's?);
- `page-idle`: the recorder in, the page made, then the navigation once the new page's
  renderer has drawn a frame and gone idle (requestAnimationFrame, then requestIdleCallback);
- `devtools-tab`: no Playwright at all on the page: a tab of the same browser's default
  context, opened, settled for a second and navigated over a DevTools connection of its own,
  as Lighthouse drives its tab (scripts/tti_corpus/cdp.py); no recorder;
- `devtools-tab-playwright-setup`: the same tab, first sent the commands Playwright sends to
  set up a page of its own (`PLAYWRIGHT_PAGE_SETUP`, read from `DEBUG=pw:protocol`), so
  that the two `devtools-tab` variants part Playwright's set-up of a page from the rest of
  what it does;
- `devtools-tab+Runtime.enable+Network.enable` (any `+`-joined methods of that set-up, or of
  Lighthouse's debugger set-up, `fixtures.tti.probe.LIGHTHOUSE_DEBUGGER_SETUP`): the tab sent
  only those commands, to find which of them costs the time (`devtools-tab+Runtime.enable+
  Debugger.enable` is what Lighthouse's tab has on);
- `suite-tracing`: the recorder in, and a Playwright trace recording with screenshots,
  snapshots and sources, as pytest-playwright starts one in every context of a test when
  `trace` is `on` or `retain-on-failure` (the suite's default).
- Firefox only, `bidi-tab`: no Playwright at all on the page: a new user context and tab of a
  Firefox the script launches beside Playwright's (the same executable, headless, a fresh
  profile), settled for a second and navigated over a WebDriver BiDi session of its own
  (scripts/tti_corpus/bidi.py) that subscribes to no events; no recorder;
- `bidi-tab-subscribed`: the same, the session subscribed to the events Playwright's
  subscribes to (`PLAYWRIGHT_SUBSCRIPTIONS`): the remote agent reporting the page's events;
- `bidi-tab-second-navigation` and `bidi-tab-subscribed-second-navigation`: those tabs first
  navigated to the site's root, a document of the same site, then the measured navigation.

`--lighthouse N` adds N Lighthouse runs of the same page with its observed FCP and DCL.

`--without-default-args ARG,ARG` launches a second browser beside the first, without those of
Playwright's own launch arguments (Playwright's `ignore_default_args`), and loads every variant
in both in turn, as `<variant> -ARG...`: each of Playwright's arguments that Lighthouse's
chrome-launcher does not pass can be held to account this way, paired round by round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, sync_playwright
from tti_corpus.apps import APPS_BY_NAME
from tti_corpus.bidi import PLAYWRIGHT_SUBSCRIPTIONS, FirefoxOverBidi, load_in_bidi_tab
from tti_corpus.cdp import Command, DevToolsConnection, free_loopback_port, load_in_devtools_tab
from tti_corpus.lighthouse import run_lighthouse
from tti_corpus.measure import CORPUS_AUDITS
from tti_corpus.packages import fetch as fetch_package
from tti_corpus.server import CorpusServer

from fixtures.browsers import launch_args_for
from fixtures.settings import CONFIG_FILE_NAME, read_config
from fixtures.tti.probe import (
    LIGHTHOUSE_DEBUGGER_SETUP,
    SETTLED_PAGE_AGE_MS,
    RecorderSettings,
    install_recorder,
    prepare_measured_page,
    settle_new_page,
    timeline_from_snapshot,
)
from fixtures.tti.timeline import compute_tti

VARIANTS = (
    "bench",
    "no-recorder",
    "settled-context",
    "settled-context-debugger",
    "no-viewport",
    "second-navigation",
    "settled-context-new-page",
    "page-idle",
    "suite-tracing",
    "devtools-tab",
    "devtools-tab-playwright-setup",
)
BIDI_VARIANTS = (
    "bidi-tab",
    "bidi-tab-subscribed",
    "bidi-tab-second-navigation",
    "bidi-tab-subscribed-second-navigation",
)
# What Playwright 1.64 sends a new page's session before its first navigation (read with
# DEBUG=pw:protocol), less what needs ids of Playwright's own (the window's bounds, the frame
# the utility world is made in at once). The child targets are not held at their start:
# no one here would let them run.
PLAYWRIGHT_PAGE_SETUP: tuple[Command, ...] = (
    ("Page.enable", {}),
    ("Page.getFrameTree", {}),
    ("Log.enable", {}),
    ("Page.setLifecycleEventsEnabled", {"enabled": True}),
    ("Runtime.enable", {}),
    (
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "", "worldName": "__playwright_utility_world_page"},
    ),
    ("Network.enable", {}),
    (
        "Target.setAutoAttach",
        {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True},
    ),
    ("Emulation.setFocusEmulationEnabled", {"enabled": True}),
    (
        "Emulation.setDeviceMetricsOverride",
        {
            "mobile": False,
            "width": 1280,
            "height": 720,
            "screenWidth": 1280,
            "screenHeight": 720,
            "deviceScaleFactor": 1,
            "screenOrientation": {"angle": 0, "type": "landscapePrimary"},
        },
    ),
    (
        "Emulation.setEmulatedMedia",
        {
            "media": "",
            "features": [
                {"name": "prefers-color-scheme", "value": "light"},
                {"name": "prefers-reduced-motion", "value": "no-preference"},
                {"name": "forced-colors", "value": "none"},
                {"name": "prefers-contrast", "value": "no-preference"},
            ],
        },
    ),
)
_IDLE = "() => new Promise(r => requestAnimationFrame(() => requestIdleCallback(r)))"
LIGHTHOUSE_BIN = REPO / "node_modules" / ".bin" / "lighthouse"
# Long enough after load for a light page's paint and last long task to be recorded.
_AFTER_LOAD_MS = 1500

_READ = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const phases = ['responseStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventEnd',
                  'loadEventEnd'];
  const out = Object.fromEntries(phases.map(p => [p, n[p]]));
  out.fcp = fcp ? fcp.startTime : null;
  const r = window.__ttiRecorder;
  out.recorder = r ? r.snapshot() : null;
  return out;
}"""


def _is_devtools(variant: str) -> bool:
    return variant.startswith("devtools-tab")


def _setup_of(variant: str) -> tuple[Command, ...]:
    """The part of Playwright's page set-up a DevTools variant sends its tab."""
    if variant == "devtools-tab-playwright-setup":
        return PLAYWRIGHT_PAGE_SETUP
    chosen = variant.split("+")[1:]
    offered = (*PLAYWRIGHT_PAGE_SETUP, *LIGHTHOUSE_DEBUGGER_SETUP)
    if unknown := set(chosen) - {method for method, _ in offered}:
        raise SystemExit(
            f"{variant}: not in Playwright's page set-up nor Lighthouse's debugger set-up: "
            f"{sorted(unknown)}"
        )
    return tuple(command for command in offered if command[0] in chosen)


def load_once(
    browser: Browser,
    url: str,
    variant: str,
    settings: RecorderSettings,
    devtools: DevToolsConnection | None = None,
    bidi: dict[str, FirefoxOverBidi] | None = None,
) -> dict:
    """One first visit of `url`, made the `variant` way; the page's own figures."""
    if variant in BIDI_VARIANTS:
        assert bidi is not None, "a BiDi variant needs its own Firefox sessions"
        subscribed = "subscribed" if "subscribed" in variant else "bare"
        figures = load_in_bidi_tab(
            bidi[subscribed],
            url + f"?measured={time.monotonic_ns()}",
            _READ,
            settle_ms=SETTLED_PAGE_AGE_MS,
            after_load_ms=_AFTER_LOAD_MS,
            first_on_site=urljoin(url, "/") if variant.endswith("second-navigation") else None,
        )
    elif _is_devtools(variant):
        assert devtools is not None, "a DevTools variant needs the browser's debugging port"
        figures = load_in_devtools_tab(
            devtools,
            url + f"?measured={time.monotonic_ns()}",
            _READ,
            settle_ms=SETTLED_PAGE_AGE_MS,
            after_load_ms=_AFTER_LOAD_MS,
            setup=_setup_of(variant),
        )
    else:
        figures = _load_in_playwright_page(browser, url, variant, settings)
    snapshot = figures.pop("recorder")
    row: dict[str, Any] = {"variant": variant, **{k: _r(v) for k, v in figures.items()}}
    row["dcl"] = row.pop("domContentLoadedEventEnd")
    if snapshot is not None:
        result = compute_tti(timeline_from_snapshot(snapshot), settings.quiet_window_ms)
        row["tti_now"] = _r(result.tti_ms)
        row["longest_task"] = _r(max((t.duration_ms for t in result.longest_tasks), default=0))
        row["recorder_self_ms"] = _r(snapshot["recorderSelfMs"])
    return row


def _load_in_playwright_page(
    browser: Browser, url: str, variant: str, settings: RecorderSettings
) -> dict:
    """The page's figures (and the recorder's snapshot) of one load in a Playwright page."""
    context = browser.new_context(**({"no_viewport": True} if variant == "no-viewport" else {}))
    try:
        if variant == "suite-tracing":
            # What pytest-playwright's artifacts recorder does as a test's context is made.
            context.tracing.start(screenshots=True, snapshots=True, sources=True)
        if variant != "no-recorder":
            install_recorder(context, settings)
        if variant == "settled-context-new-page":
            time.sleep(1)  # the measurement itself: a context left alone for a second
        page = context.new_page()
        if variant == "settled-context":
            settle_new_page(page)
        if variant == "settled-context-debugger":
            prepare_measured_page(page, url)
        if variant == "page-idle":
            page.evaluate(_IDLE)
        if variant == "second-navigation":
            page.goto(url + "?first")
        page.goto(url + f"?measured={time.monotonic_ns()}")
        page.wait_for_function("ms => performance.now() > ms", arg=_AFTER_LOAD_MS, polling=100)
        figures = page.evaluate(_READ)
        if variant == "suite-tracing":
            context.tracing.stop()
    finally:
        context.close()
    return figures


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="docsify/light", help="<app>/<state> (docsify/light)")
    parser.add_argument("--browser", default="chromium", choices=("chromium", "firefox"))
    parser.add_argument("--loads", type=int, default=5, help="loads of each variant (5)")
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help=f"which (default: all but Firefox's {','.join(BIDI_VARIANTS)})",
    )
    parser.add_argument("--lighthouse", type=int, default=0, help="Lighthouse runs (0)")
    parser.add_argument("--json", type=Path, help="where to write every load")
    parser.add_argument(
        "--without-default-args",
        default="",
        help="a second browser without these of Playwright's launch arguments (comma-separated)",
    )
    args = parser.parse_args(argv)
    app_name, state = args.page.split("/")
    fetch_package(APPS_BY_NAME[app_name])
    variants = [v for v in args.variants.split(",") if v]
    suite = read_config(REPO / CONFIG_FILE_NAME)
    settings = RecorderSettings()
    rows: list[dict] = []
    load_at_start = os.getloadavg()[0]
    with CorpusServer() as server, sync_playwright() as playwright:
        url = server.url(app_name, state)
        engine = getattr(playwright, args.browser)
        own = Path(engine.executable_path).exists()
        launch = launch_args_for(
            args.browser, suite, {"headless": True}, own_browser_installed=own, remote=False
        )
        ports: dict[str, int] = {}

        def launched(suffix: str, **extra: Any) -> Browser:
            options = dict(launch)
            if any(_is_devtools(variant) for variant in variants):
                # A DevTools endpoint of our own beside Playwright's pipe, as Lighthouse uses.
                ports[suffix] = free_loopback_port()
                options["args"] = [
                    *options.get("args", []),
                    f"--remote-debugging-port={ports[suffix]}",
                ]
            return engine.launch(**options, **extra)

        browsers = {"": launched("")}
        left_out = [arg for arg in args.without_default_args.split(",") if arg]
        if left_out:
            suffix = " -" + " -".join(left_out)
            browsers[suffix] = launched(suffix, ignore_default_args=left_out)
        devtools = {suffix: DevToolsConnection(port) for suffix, port in ports.items()}
        own_firefoxes = ExitStack()
        bidi: dict[str, FirefoxOverBidi] = {}
        if any(variant in BIDI_VARIANTS for variant in variants):
            if args.browser != "firefox":
                raise SystemExit("the bidi-tab variants are Firefox's: --browser firefox")
            executable = suite.browsers["firefox"].executable_path
            bidi["bare"] = own_firefoxes.enter_context(FirefoxOverBidi(executable))
            bidi["subscribed"] = own_firefoxes.enter_context(FirefoxOverBidi(executable))
            bidi["subscribed"].subscribe(PLAYWRIGHT_SUBSCRIPTIONS)
        try:
            for browser in browsers.values():
                load_once(browser, url, "bench", settings)  # its own start-up, not counted
            if bidi:
                for variant in ("bidi-tab", "bidi-tab-subscribed"):  # their start-up too
                    load_once(browsers[""], url, variant, settings, bidi=bidi)
            for index in range(args.loads):
                # Rotated, so that no variant always follows the same one (a context closing
                # is work beside the next load too).
                for variant in (
                    variants[index % len(variants) :] + variants[: index % len(variants)]
                ):
                    for suffix, browser in _turns(browsers, index):
                        row = {
                            "load": index,
                            **load_once(
                                browser, url, variant, settings, devtools.get(suffix), bidi
                            ),
                        }
                        row["variant"] += suffix
                        rows.append(row)
                        print(json.dumps(row), flush=True)
        finally:
            own_firefoxes.close()
            for connection in devtools.values():
                connection.close()
            for browser in browsers.values():
                browser.close()
        for index in range(args.lighthouse):
            run = run_lighthouse(
                LIGHTHOUSE_BIN,
                suite.browsers["chromium"].executable_path,
                url + f"?measured={index}",
                CORPUS_AUDITS,
            )
            row = {
                "load": index,
                "variant": "lighthouse",
                "tti_now": _r(run.numeric("interactive")),
                "fcp": _r(run.observed("observedFirstContentfulPaint")),
                "dcl": _r(run.observed("observedDomContentLoaded")),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print(f"{args.page} in {args.browser}, median of {args.loads} loads each (ms):")
    print(f"{'variant':48} {'TTI now':>8} {'FCP':>7} {'DCL':>7} {'respStart':>9} {'domInt':>7}")
    shown = [v + suffix for v in variants for suffix in browsers]
    for variant in [*shown, *(["lighthouse"] if args.lighthouse else [])]:
        mine = [r for r in rows if r["variant"] == variant]
        print(
            f"{variant:48} "
            + " ".join(
                f"{_median(mine, key):>{width}}"
                for key, width in (
                    ("tti_now", 8),
                    ("fcp", 7),
                    ("dcl", 7),
                    ("responseStart", 9),
                    ("domInteractive", 7),
                )
            )
        )
    print(
        f"load average (1 min): {load_at_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


def _turns(browsers: dict[str, Browser], index: int) -> list[tuple[str, Browser]]:
    """The browsers in turn, the first of them alternating from round to round."""
    turns = list(browsers.items())
    return turns if index % 2 == 0 else turns[::-1]


def _median(rows: list[dict], key: str) -> str:
    values = [r[key] for r in rows if r.get(key) is not None]
    return f"{statistics.median(values):.0f}" if values else "-"


if __name__ == "__main__":
    raise SystemExit(main())
