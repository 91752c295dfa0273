"""Run the hybrid load at several sizes of protocol users and show how the platform scales.

    python scripts/load_scaling.py                         # 10, 50, 100, 200, 500 protocol
                                                           # users, 2 browser users throughout
    python scripts/load_scaling.py --users 10 50 --duration 90 --browsers 2
    python scripts/load_scaling.py --database postgresql   # the same on PostgreSQL

Each step is a real `pytest e2e -m load` on a copy of `playwright.config.json` whose `load`
section has the step's protocol users (everything else as configured: the crowd, the data,
the thresholds), with its own output folder; its `load-report.json` is read back. Per step:
the protocol users' throughput (HTTP requests a second) and p95s, the browsers' p95s, the
verdict, and the CPU of each group (platform, Locust, browsers, crowd, database) with the
machine's busy share. From these: throughput against linear scaling from the first step, the
knee (the most users with every p95 under its threshold) and, per step, whether the machine
or the platform was the limit (`limit_of`). Written to `test-results/load-scaling/`:
`scaling.md` (the table), `scaling.json` and `scaling.png` (the plot). Steps run one after
another; a step that misses a threshold still reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from progress import Progress

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = REPO_ROOT / "playwright.config.json"
REPORT_FILE = "load-report.json"
DEFAULT_USERS = (10, 50, 100, 200, 500)
CPU_GROUPS = ("platform", "Locust", "browsers", "crowd", "database", "suite")
#: The machine is the limit when its cores are this busy ...
MACHINE_BUSY_PERCENT = 90.0
# A tenth of the cores' time run for other guests: the step measured the host's neighbours.
MACHINE_STOLEN_PERCENT = 10.0
#: ... and the platform is, when its one process (one event loop, one GIL) takes this much
#: of the one core it can use.
PLATFORM_CORE_PERCENT = 85.0


def run_step(
    users: int, *, browsers: int, duration: float | None, database: str, out_root: Path,
    config_file: Path = CONFIG_FILE,
) -> tuple[dict[str, Any] | None, int]:  # fmt: skip
    """Run the load at one size; return its report (None if it wrote none) and exit code."""
    step_dir = out_root / f"protocol-{users}"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    load = {**config.get("load", {}), "protocolUsers": users, "browserUsers": browsers}
    # Start them in a tenth of the run at most, so that every step is mostly at full size.
    load["protocolSpawnRate"] = max(load.get("protocolSpawnRate", 10), users / 10)
    if duration is not None:
        load["durationSeconds"] = duration
    config["load"] = load
    config["outputDir"] = str(step_dir)
    # Beside the step's folder, not in it: pytest-playwright empties its output folder.
    out_root.mkdir(parents=True, exist_ok=True)
    config_path = out_root / f"{step_dir.name}.config.json"
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    command = [
        sys.executable, "-m", "pytest", "e2e/test_load.py", "-m", "load",
        "--suite-config", str(config_path), "--load-database", database,
        "-p", "no:cacheprovider", "-q",
    ]  # fmt: skip
    with open(out_root / f"{step_dir.name}.pytest.log", "wb") as log:
        code = subprocess.run(
            command, check=False, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        ).returncode
    report_path = step_dir / REPORT_FILE
    if not report_path.exists():
        return None, code
    return json.loads(report_path.read_text(encoding="utf-8")), code


def step_figures(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the scaling table needs of one run's report."""
    protocol = report.get("protocol") or {}
    routes = {r: f["p95"] for r, f in protocol.get("routes", {}).items() if f["p95"] is not None}
    ws = {n: f["p95"] for n, f in protocol.get("websocket", {}).items() if f["p95"] is not None}
    cpu = report.get("cpu") or {}
    misses = report["verdict"]["misses"]
    return {
        "protocol_users": report.get("protocol_users", 0),
        "browser_users": report["browser_users"],
        "throughput": protocol.get("requests_per_s", 0.0),
        "error_rate": protocol.get("error_rate"),
        "protocol_api_p95_ms": max(routes.values(), default=None),
        "protocol_api_p95_route": max(routes, key=routes.__getitem__, default=None),
        "protocol_ws_p95_ms": max(ws.values(), default=None),
        "browser_api_p95_ms": max(
            (v for v in report["api_p95_ms"].values() if v is not None), default=None
        ),
        "browser_ws_p95_ms": report["ws_p95_ms"],
        "tti_p95_ms": max(
            (v for v in report["tti_p95_ms"].values() if v is not None), default=None
        ),
        "lost": (report.get("delivery") or {}).get("lost"),
        "interactions_per_hour": (report.get("delivery") or {}).get("interactions_per_hour"),
        "p95_misses": [m["figure"] for m in misses if "p95" in m["figure"]],
        "passed": report["verdict"]["passed"],
        "misses": [f"{m['figure']} +{m['missed_by']:.0f}" for m in misses],
        "cpu": {g: cpu.get("percent_of_one_core", {}).get(g, 0.0) for g in CPU_GROUPS},
        "waited_s": {g: cpu.get("waited_for_cpu_seconds", {}).get(g, 0.0) for g in CPU_GROUPS},
        "machine_busy_percent": cpu.get("machine_busy_percent"),
        "machine_stolen_percent": cpu.get("machine_stolen_percent"),
        "reference_work_ms": cpu.get("reference_work_ms"),
        "other_processes_percent": cpu.get("other_processes_percent_of_one_core"),
        "cores": cpu.get("cores"),
    }


def against_linear(steps: Sequence[Mapping[str, Any]]) -> list[float | None]:
    """Each step's throughput as a share of linear scaling from the first step:
    throughput(n) / (throughput(first) * n / first users)."""
    if not steps or not steps[0]["throughput"]:
        return [None for _ in steps]
    first = steps[0]
    per_user = first["throughput"] / first["protocol_users"]
    return [
        round(step["throughput"] / (per_user * step["protocol_users"]), 3)
        if step["protocol_users"]
        else None
        for step in steps
    ]


def knee(steps: Sequence[Mapping[str, Any]]) -> int | None:
    """The most protocol users at which every p95 stayed under its threshold, counting only
    sizes up to the first that missed one (a later lucky pass is not capacity)."""
    best = None
    for step in sorted(steps, key=lambda s: s["protocol_users"]):
        if step["p95_misses"]:
            break
        best = step["protocol_users"]
    return best


def limit_of(step: Mapping[str, Any]) -> str:
    """Which ran out, from the CPU figures: the machine (its cores all busy while the platform
    had core to spare, or taken by the hypervisor for other guests), the platform (its one
    process near a full core), or neither."""
    platform = step["cpu"].get("platform", 0.0)
    busy = step["machine_busy_percent"] or 0.0
    stolen = step.get("machine_stolen_percent") or 0.0
    if stolen >= MACHINE_STOLEN_PERCENT:
        return f"machine (the hypervisor took {stolen:.0f}% of its cores for other guests)"
    if platform >= PLATFORM_CORE_PERCENT:
        return f"platform (its process at {platform:.0f}% of the one core it can use)"
    if busy >= MACHINE_BUSY_PERCENT:
        others = sorted(
            ((g, s) for g, s in step["cpu"].items() if g != "platform"), key=lambda gs: -gs[1]
        )
        top = ", ".join(f"{g} {s:.0f}%" for g, s in others[:2])
        outside = step.get("other_processes_percent") or 0.0
        return (
            f"machine ({busy:.0f}% busy; platform {platform:.0f}%, {top}, other processes "
            f"{outside:.0f}%)"
        )
    return "neither"


def markdown(steps: Sequence[Mapping[str, Any]]) -> str:
    """The scaling table in Markdown, for docs/load.md."""
    header = [
        "protocol users", "browser users", "req/s", "vs linear", "error rate",
        "protocol API p95 (worst)", "protocol WS p95", "browser API p95", "browser WS p95",
        "TTI p95", "lost", "interactions/h",
        *(f"CPU {g}" for g in CPU_GROUPS), "CPU other processes", "machine busy", "limit",
        "verdict",
    ]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for step, linear in zip(steps, against_linear(steps), strict=True):
        worst = step["protocol_api_p95_route"]
        cells = [
            str(step["protocol_users"]),
            str(step["browser_users"]),
            f"{step['throughput']:.1f}",
            "-" if linear is None else f"{100 * linear:.0f}%",
            "-" if step["error_rate"] is None else f"{100 * step['error_rate']:.2f}%",
            _ms(step["protocol_api_p95_ms"]) + (f" ({worst.split(' ', 1)[1]})" if worst else ""),
            _ms(step["protocol_ws_p95_ms"]),
            _ms(step["browser_api_p95_ms"]),
            _ms(step["browser_ws_p95_ms"]),
            _ms(step["tti_p95_ms"]),
            "-" if step["lost"] is None else str(step["lost"]),
            "-" if step["interactions_per_hour"] is None else str(step["interactions_per_hour"]),
            *(f"{step['cpu'][g]:.0f}% (waited {step['waited_s'][g]:.0f} s)" for g in CPU_GROUPS),
            f"{step['other_processes_percent'] or 0:.0f}%",
            f"{step['machine_busy_percent'] or 0:.0f}%",
            limit_of(step),
            "pass" if step["passed"] else "; ".join(step["misses"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: A CPU bar's width as a share of its step's users: on the log axis every bar is as wide.
_BAR_WIDTH_SHARE = 0.3


def plot(steps: Sequence[Mapping[str, Any]], path: Path, *, knee_users: int | None) -> Path:
    """Throughput against linear, p95s, and CPU per group, each against protocol users."""
    import matplotlib.pyplot as plt

    figure = scaling_figure(steps, knee_users=knee_users)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def scaling_figure(steps: Sequence[Mapping[str, Any]], *, knee_users: int | None) -> Any:
    """The plot's figure: three panels sharing one logarithmic axis of protocol users."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    users = [s["protocol_users"] for s in steps]
    figure, (rate, latency, cpu) = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    rate.plot(users, [s["throughput"] for s in steps], "o-", label="measured")
    if steps and steps[0]["throughput"]:
        per_user = steps[0]["throughput"] / steps[0]["protocol_users"]
        rate.plot(users, [per_user * u for u in users], "--", color="grey", label="linear")
    rate.set_ylabel("protocol req/s")
    rate.legend()
    for key, label in (
        ("protocol_api_p95_ms", "protocol API p95 (worst route)"),
        ("protocol_ws_p95_ms", "protocol WS p95"),
        ("browser_api_p95_ms", "browser API p95"),
        ("browser_ws_p95_ms", "browser WS p95"),
    ):
        latency.plot(users, [s[key] or float("nan") for s in steps], "o-", label=label)
    latency.axhline(200, color="tab:red", linestyle="--", label="API p95 limit")
    latency.axhline(50, color="tab:purple", linestyle=":", label="WS p95 limit")
    latency.set_yscale("log")
    latency.set_ylabel("ms")
    latency.legend(fontsize="small")
    bottom = [0.0] * len(steps)
    for group in CPU_GROUPS:
        shares = [s["cpu"][group] for s in steps]
        # At the users' counts themselves, not at category slots: the axis is shared and
        # logarithmic, so slots 0..4 would draw the bars left of the first step.
        widths = [u * _BAR_WIDTH_SHARE for u in users]
        cpu.bar(users, shares, width=widths, bottom=bottom, label=group)
        bottom = [b + x for b, x in zip(bottom, shares, strict=True)]
    cores = next((s["cores"] for s in steps if s["cores"]), None)
    if cores:
        cpu.axhline(100 * cores, color="black", linestyle="--", label=f"{cores} cores")
    cpu.set_ylabel("CPU, % of one core")
    cpu.set_xlabel("protocol users")
    cpu.legend(fontsize="small", ncol=4)
    cpu.set_xscale("log")
    cpu.set_xticks(users, [str(u) for u in users])
    for axis in (rate, latency):
        if knee_users is not None:
            axis.axvline(knee_users, color="tab:green", alpha=0.5, label="knee")
    rate.set_title(f"Scaling: knee at {knee_users} protocol users" if knee_users else "Scaling")
    figure.tight_layout()
    return figure


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=list(DEFAULT_USERS))
    parser.add_argument("--browsers", type=int, default=2, help="browser users in every step")
    parser.add_argument("--duration", type=float, default=None, help="s; default: the config's")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--config", type=Path, default=CONFIG_FILE, help="the config each step is a copy of"
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "test-results" / "load-scaling")
    args = parser.parse_args(argv)
    steps: list[dict[str, Any]] = []
    progress = Progress(total=len(args.users))
    for users in args.users:
        started = time.monotonic()
        progress.starting(f"{users} protocol users, {args.browsers} browser users …")
        report, code = run_step(
            users,
            browsers=args.browsers,
            duration=args.duration,
            database=args.database,
            out_root=args.out,
            config_file=args.config,
        )
        if report is None:
            progress.finished(
                f"{users} protocol users: no report (exit code {code}); see {args.out}"
            )
            continue
        steps.append(step_figures(report))
        verdict = "pass" if steps[-1]["passed"] else "; ".join(steps[-1]["misses"])
        elapsed = time.monotonic() - started
        progress.finished(f"{users} protocol users: {elapsed:.0f} s, {verdict}")
    knee_users = knee(steps)
    table = markdown(steps)
    print(table)
    print(f"knee: {knee_users} protocol users" if knee_users else "knee: none of the sizes")
    args.out.mkdir(parents=True, exist_ok=True)
    note = (
        f"\n\nknee: {knee_users} protocol users; database {args.database}; cores {os.cpu_count()}\n"
    )
    (args.out / "scaling.md").write_text(table + note, encoding="utf-8")
    (args.out / "scaling.json").write_text(
        json.dumps(
            {"steps": steps, "vs_linear": against_linear(steps), "knee": knee_users}, indent=2
        ),
        encoding="utf-8",
    )
    if steps:
        print(f"plot: {plot(steps, args.out / 'scaling.png', knee_users=knee_users)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
