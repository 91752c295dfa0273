"""Lighthouse on one URL, as the TTI benchmark runs it (the calibration pages and the corpus).

`npm ci` installs the version package.json pins; it drives the system Chromium
(`CHROME_PATH`), headless, with the closed-network flags the suite's Chromium gets, on the
provided (unthrottled) machine, desktop form factor, no screen emulation.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic"
)
SETTINGS_FLAGS = (
    "--throttling-method=provided",
    "--screenEmulation.disabled",
    "--form-factor=desktop",
)


@dataclass(frozen=True)
class LighthouseReport:
    """One Lighthouse run: its report (None when it failed), wall time and error."""

    report: dict[str, Any] | None
    wall_s: float
    error: str | None

    def numeric(self, audit: str) -> float | None:
        if self.report is None:
            return None
        return self.report["audits"].get(audit, {}).get("numericValue")

    def observed(self, metric: str) -> float | None:
        """A figure of the `metrics` audit (observedFirstContentfulPaint, ...), if it ran."""
        if self.report is None:
            return None
        details = self.report["audits"].get("metrics", {}).get("details", {})
        items = details.get("items") or [{}]
        return items[0].get(metric)


def run_lighthouse(
    lighthouse: Path, chrome_path: str, url: str, audits: tuple[str, ...] = ("interactive",)
) -> LighthouseReport:
    """Lighthouse on `url`, only `audits` (so it spends no time on the others)."""
    with tempfile.TemporaryDirectory(prefix="bench-tti-") as scratch:
        report_path = Path(scratch) / "report.json"
        command = [
            str(lighthouse),
            url,
            "--output=json",
            f"--output-path={report_path}",
            f"--only-audits={','.join(audits)}",
            *SETTINGS_FLAGS,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        started = time.perf_counter()
        completed = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": chrome_path},
            capture_output=True,
            text=True,
            check=False,
        )
        wall_s = time.perf_counter() - started
        if completed.returncode != 0 or not report_path.exists():
            tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
            return LighthouseReport(None, wall_s, f"exit {completed.returncode}: {tail}")
        report = json.loads(report_path.read_text(encoding="utf-8"))
    audit = report["audits"].get("interactive", {})
    error = audit.get("errorMessage") or report.get("runtimeError", {}).get("message")
    return LighthouseReport(report, wall_s, error)
