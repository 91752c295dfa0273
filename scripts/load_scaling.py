"""Run the load journey at several sizes and print how each figure grows.

    python scripts/load_scaling.py                      # 1, 5, 10, 20 users at 1,000
                                                        # connections, and 10 users at 100
    python scripts/load_scaling.py --users 1 5 --connections 100

Each case is a real `pytest e2e -m load` run on a copy of `playwright.config.json` whose
`load` section has the case's sizes (everything else as configured), with its own output
folder; its `load-report.json` is read back. The table holds the figures the browsers saw,
the CPU of the browsers against the server process and the load generators, the machine's
busy share and its load average, so that a miss can be put down to the platform or to the
machine. Cases run one after another; a case that misses a threshold still reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from progress import Progress

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = REPO_ROOT / "playwright.config.json"
REPORT_FILE = "load-report.json"


def cases(users: list[int], connections: list[int], *, default_users: int) -> list[tuple[int, int]]:
    """Every user count at the largest connection count, then every other connection count
    at the configured user count: how each figure grows along each axis."""
    most = max(connections)
    chosen = [(count, most) for count in users]
    chosen += [(default_users, other) for other in connections if other != most]
    return list(dict.fromkeys(chosen))


def run_case(users: int, connections: int, out_root: Path) -> tuple[dict[str, Any] | None, int]:
    """Run the load test at one size; return its report (None if it wrote none) and exit code."""
    case_dir = out_root / f"users-{users}-connections-{connections}"
    config = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    config["load"] = {
        **config.get("load", {}),
        "browserUsers": users,
        "extraConnections": connections,
    }
    config["outputDir"] = str(case_dir)
    # Beside the case's folder, not in it: pytest-playwright empties its output folder.
    out_root.mkdir(parents=True, exist_ok=True)
    config_path = out_root / f"{case_dir.name}.config.json"
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    command = [
        sys.executable, "-m", "pytest", "e2e/test_load.py", "-m", "load",
        "--suite-config", str(config_path), "-p", "no:cacheprovider", "-q",
    ]  # fmt: skip
    with open(out_root / f"{case_dir.name}.pytest.log", "wb") as log:
        code = subprocess.run(
            command, check=False, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        ).returncode
    report_path = case_dir / REPORT_FILE
    if not report_path.exists():
        return None, code
    return json.loads(report_path.read_text(encoding="utf-8")), code


def row(report: dict[str, Any]) -> list[str]:
    """The table's cells for one report."""
    api = report["api_p95_ms"]
    worst_route = max(api, key=lambda route: api[route] or 0) if api else None
    cpu = report.get("cpu", {})
    share = cpu.get("percent_of_one_core", {})
    crowd = report.get("crowd_ws_delivery_ms") or {}
    tti = report["tti_p95_ms"]
    return [
        str(report["browser_users"]),
        f"{report['extra_connections_subscribed']}/{report['extra_connections']}",
        f"{report['journeys_completed']}/{report['journeys_attempted']}",
        str(len(report["user_errors"])),
        f"{_ms(api[worst_route])} ({worst_route.split(' ', 1)[1]})" if worst_route else "-",
        _ms(report["ws_p95_ms"]),
        _ms(crowd.get("p95")),
        " / ".join(f"{_ms(tti.get(screen))}" for screen in ("dashboard", "ecosystem")),
        _cpu(cpu, "browsers"),
        _cpu(cpu, "server"),
        f"{share.get('load generators', 0):.0f}%",
        f"{share.get('suite', 0):.0f}%",
        f"{cpu.get('other_processes_percent_of_one_core') or 0:.0f}%",
        f"{cpu.get('machine_busy_percent', 0):.0f}%",
        " ".join(f"{x:.1f}" for x in cpu.get("load_average_end", [])),
        "pass"
        if report["verdict"]["passed"]
        else "; ".join(
            f"{miss['figure']} +{miss['missed_by']:.0f}" for miss in report["verdict"]["misses"]
        ),
    ]


HEADER = [
    "browser users", "extra connections", "journeys", "user errors", "worst API p95",
    "WS p95 (browsers)", "WS p95 (crowd)", "TTI p95 dashboard / ecosystem", "CPU browsers",
    "CPU server", "CPU load generators", "CPU suite", "CPU other processes", "machine busy", "load average (1/5/15)",
    "verdict",
]  # fmt: skip


def markdown(rows: list[list[str]]) -> str:
    """The table in Markdown, for the README."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def _cpu(cpu: dict[str, Any], group: str) -> str:
    share = cpu.get("percent_of_one_core", {}).get(group, 0)
    waited = cpu.get("waited_for_cpu_seconds", {}).get(group)
    return f"{share:.0f}%" + ("" if waited is None else f" (waited {waited:.0f} s)")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--connections", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "test-results" / "load-scaling")
    args = parser.parse_args(argv)
    default_users = (
        json.loads(CONFIG_FILE.read_text(encoding="utf-8")).get("load", {}).get("browserUsers", 10)
    )
    rows = []
    todo = cases(args.users, args.connections, default_users=default_users)
    progress = Progress(total=len(todo))
    for users, connections in todo:
        started = time.monotonic()
        case = f"{users} browser users, {connections} extra connections"
        progress.starting(f"{case} …")
        report, code = run_case(users, connections, args.out)
        elapsed = time.monotonic() - started
        if report is None:
            progress.finished(f"{case}: no report (pytest exit code {code}); see {args.out}")
            continue
        rows.append(row(report))
        progress.finished(f"{case}: done in {elapsed:.0f} s, exit code {code}: {rows[-1][-1]}")
    table = markdown(rows)
    print(table)
    (args.out / "scaling.md").write_text(table + f"\n\ncores: {os.cpu_count()}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
