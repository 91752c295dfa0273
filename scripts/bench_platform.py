"""Benchmark the platform: p95 server time of every screen and API call the journeys use,
WebSocket delivery latency, and unthrottled generation speed.

It starts the platform on a fresh database (or uses --base-url), fills it through the API with
10,000 generated records (one unthrottled job, whose started_at/finished_at give the records per
second) and an ecosystem of 1,000 characters, then times each call sequentially over loopback
and measures how long WebSocket events take from `sent_at` to arrival on this machine.

    python scripts/bench_platform.py [--requests 100] [--json bench.json]

Targets: p95 < 200 ms per call, WebSocket delivery < 50 ms, >= 500 records per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fixtures.server import PlatformProcess

P95_TARGET_MS = 200.0
WS_TARGET_MS = 50.0
RECORDS_PER_SECOND_TARGET = 500.0
PASSWORD = "benchmark password 123"
TEMPLATE = (
    "Write a {{ tone | pick }} product note for {{ name | title }} ({{ city | slug }}), "
    "customer card {{ card | mask }}, about {{ topic }}."
)


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def seed_csv(rows: int) -> str:
    topics = ["pricing", "shipping", "returns", "warranty", "setup", "support"]
    lines = ["name,city,card,topic,tone"]
    for index in range(rows):
        lines.append(
            f"person {index},City {index % 17},{4000000000000000 + index},"
            f'{topics[index % len(topics)]},"friendly,formal,playful"'
        )
    return "\n".join(lines) + "\n"


class Bench:
    def __init__(self, base_url: str, *, requests: int) -> None:
        self.base_url = base_url
        self.requests = requests
        self.api = httpx.Client(base_url=f"{base_url}/api/v1", timeout=120)
        self.pages = httpx.Client(base_url=base_url, timeout=120)
        self.timings: dict[str, list[float]] = {}
        self.facts: dict = {}

    # --- set-up ---------------------------------------------------------------------------
    def sign_in(self) -> None:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.test"
        self.email = email
        body = {"email": email, "password": PASSWORD, "display_name": "Bench"}
        self.api.post("/auth/signup", json=body).raise_for_status()
        self.api.post("/auth/login", json={"email": email, "password": PASSWORD}).raise_for_status()
        self.csrf = self.api.get("/me").json()["csrf_token"]
        self.api.headers["X-CSRF-Token"] = self.csrf
        self.pages.cookies = self.api.cookies
        self.call("PATCH", "/me", json={"monthly_budget_usd": 100000})

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.api.request(method, path, **kwargs)
        if response.is_error:
            raise SystemExit(f"{method} {path} failed: {response.status_code} {response.text}")
        return response.json() if response.content else {}

    def fill(self, *, records: int, characters: int) -> None:
        self.template = self.call("POST", "/templates", json={"name": "Bench", "body": TEMPLATE})
        self.seed = self.api.post("/seeds", files={"file": ("bench.csv", seed_csv(200))}).json()
        job = self.call(
            "POST",
            "/jobs",
            json={
                "template_id": self.template["id"],
                "seed_id": self.seed["id"],
                "records": records,
                "budget_usd": 1000,
                "format": "jsonl",
                "records_per_second": 0,
            },
        )
        job = self.wait_for_job(job["id"], timeout=max(120, records / 50))
        if job["status"] != "completed" or job["records_done"] != records:
            raise SystemExit(f"the fill job ended {job['status']} with {job['records_done']}")
        started = datetime.fromisoformat(job["started_at"].rstrip("Z"))
        finished = datetime.fromisoformat(job["finished_at"].rstrip("Z"))
        seconds = (finished - started).total_seconds()
        self.job = job
        self.facts["generation"] = {
            "records": records,
            "seconds": round(seconds, 3),
            "records_per_second": round(records / seconds, 1),
        }
        ecosystem = self.call(
            "POST", "/ecosystems", json={"name": "Big meadow", "visibility": "public"}
        )
        for start in range(0, characters, 1000):
            batch = [
                {"name": f"Critter {index}", "species": "ant", "traits": ["busy", "small"]}
                for index in range(start, min(characters, start + 1000))
            ]
            self.call(
                "POST", f"/ecosystems/{ecosystem['id']}/characters", json={"characters": batch}
            )
        self.ecosystem = ecosystem
        # Running from now on: the feed and the interaction list fill while pages are timed.
        self.call("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": True})

    def wait_for_job(self, job_id: int, *, timeout: float) -> dict:
        # A benchmark script, not a test: polling the job is the simplest faithful wait here.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.call("GET", f"/jobs/{job_id}")
            if job["status"] not in ("queued", "running"):
                return job
            time.sleep(0.2)
        raise SystemExit(f"job {job_id} did not finish within {timeout} s")

    # --- HTTP timings ---------------------------------------------------------------------
    def time_calls(self, name: str, send: Callable[[], httpx.Response], count: int | None = None):
        samples = []
        for _ in range(count or self.requests):
            started = time.perf_counter()
            response = send()
            response.read()
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise SystemExit(f"{name} answered {response.status_code}: {response.text[:300]}")
        self.timings[name] = samples

    def measure_http(self) -> None:
        template_id, seed_id = self.template["id"], self.seed["id"]
        job_id, ecosystem_id = self.job["id"], self.ecosystem["id"]
        anonymous = httpx.Client(base_url=self.base_url)
        page_paths = [
            "/dashboard",
            "/templates",
            "/templates/new",
            f"/templates/{template_id}",
            "/seeds",
            f"/seeds/{seed_id}",
            "/jobs",
            "/jobs/new",
            f"/jobs/{job_id}",
            "/exports",
            "/observatory",
            f"/observatory/{ecosystem_id}",
            f"/observatory/{ecosystem_id}?page=20",
        ]
        for path in ("/login", "/signup"):
            self.time_calls(f"GET {path}", lambda path=path: anonymous.get(path))
        for path in page_paths:
            self.time_calls(f"GET {path}", lambda path=path: self.pages.get(path))
        api_paths = [
            "/me",
            "/dashboard",
            "/templates",
            f"/templates/{template_id}",
            "/seeds",
            f"/seeds/{seed_id}",
            "/jobs",
            f"/jobs/{job_id}",
            "/ecosystems",
            f"/ecosystems/{ecosystem_id}",
            f"/ecosystems/{ecosystem_id}/characters?page=10&per_page=50",
            f"/ecosystems/{ecosystem_id}/interactions",
        ]
        for path in api_paths:
            self.time_calls(f"GET /api/v1{path}", lambda path=path: self.api.get(path))
        self.time_calls(
            "POST /api/v1/templates/{id}/test",
            lambda: self.api.post(
                f"/templates/{template_id}/test", json={"seed_id": seed_id, "rows": 3}
            ),
        )
        self.time_calls(
            "POST /api/v1/jobs",
            lambda: self.api.post(
                "/jobs",
                json={
                    "template_id": template_id,
                    "seed_id": seed_id,
                    "records": 1,
                    "budget_usd": 1,
                },
            ),
        )
        self.time_calls(
            "POST /api/v1/auth/login",
            lambda: anonymous.post(
                "/api/v1/auth/login", json={"email": self.email, "password": PASSWORD}
            ),
            count=min(self.requests, 30),
        )
        small_job = self.call(
            "POST",
            "/jobs",
            json={"template_id": template_id, "seed_id": seed_id, "records": 100, "budget_usd": 5},
        )
        small_id = self.wait_for_job(small_job["id"], timeout=60)["id"]
        for export_format in ("jsonl", "csv"):
            self.time_calls(
                f"GET /api/v1/jobs/{{id}}/export?format={export_format} (100 records)",
                lambda f=export_format: self.api.get(f"/jobs/{small_id}/export?format={f}"),
            )
        for export_format in ("jsonl", "csv"):
            self.time_calls(
                f"GET /api/v1/jobs/{{id}}/export?format={export_format} (10k records)",
                lambda f=export_format: self.api.get(f"/jobs/{job_id}/export?format={f}"),
                count=min(self.requests, 10),
            )

    # --- WebSocket latency ----------------------------------------------------------------
    def start_event_sources(self, *, ecosystems: int, jobs: int) -> None:
        """More producers, so that enough events arrive in a few seconds: running simulations
        (2 interactions a second each) and throttled jobs (progress every 100 ms each)."""
        self.topics = [f"ecosystem:{self.ecosystem['id']}"]
        self.small_ecosystems = []
        for number in range(ecosystems):
            ecosystem = self.call(
                "POST", "/ecosystems", json={"name": f"Pond {number}", "visibility": "public"}
            )
            cast = [{"name": f"Frog {index}", "species": "frog"} for index in range(10)]
            self.call(
                "POST", f"/ecosystems/{ecosystem['id']}/characters", json={"characters": cast}
            )
            self.call("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": True})
            self.small_ecosystems.append(ecosystem["id"])
            self.topics.append(f"ecosystem:{ecosystem['id']}")
        self.event_jobs = [
            self.call(
                "POST",
                "/jobs",
                json={
                    "template_id": self.template["id"],
                    "seed_id": self.seed["id"],
                    "records": 100_000,
                    "budget_usd": 1000,
                    "records_per_second": 50,
                },
            )["id"]
            for _ in range(jobs)
        ]

    def stop_event_sources(self) -> None:
        for job_id in self.event_jobs:
            self.call("POST", f"/jobs/{job_id}/cancel")
        for ecosystem_id in [self.ecosystem["id"], *self.small_ecosystems]:
            self.call("POST", f"/ecosystems/{ecosystem_id}/simulation", json={"running": False})

    def viewer_cookie(self) -> str:
        """The session cookie of a second user, who watches the public ecosystems."""
        viewer = httpx.Client(base_url=f"{self.base_url}/api/v1", timeout=60)
        email = f"viewer-{uuid.uuid4().hex[:8]}@example.test"
        body = {"email": email, "password": PASSWORD, "display_name": "Viewer"}
        viewer.post("/auth/signup", json=body).raise_for_status()
        viewer.post("/auth/login", json={"email": email, "password": PASSWORD}).raise_for_status()
        return "; ".join(f"{name}={value}" for name, value in viewer.cookies.items())

    async def measure_websocket(
        self, *, subscribers: int, samples: int, cookie: str, kinds: tuple[str, ...], label: str
    ) -> None:
        """Latency = this machine's clock at receipt − the server's `sent_at` (same clock)."""
        url = self.base_url.replace("http://", "ws://") + "/ws"
        sockets = [
            await connect(url, additional_headers={"Cookie": cookie}, proxy=None, compression=None)
            for _ in range(subscribers)
        ]
        latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
        wanted = samples * subscribers
        deadline = time.monotonic() + 60

        async def listen(socket) -> None:
            while time.monotonic() < deadline:
                if all(len(values) >= wanted for values in latencies.values()):
                    return
                try:
                    raw = await asyncio.wait_for(socket.recv(), timeout=1)
                except TimeoutError:
                    continue
                received = time.time() * 1000
                message = json.loads(raw)
                if message["type"] in latencies:
                    latencies[message["type"]].append(received - message["sent_at"])

        try:
            listeners = [asyncio.create_task(listen(socket)) for socket in sockets]
            for socket in sockets:
                for topic in self.topics:
                    await socket.send(json.dumps({"subscribe": topic}))
            await asyncio.gather(*listeners)
        finally:
            for socket in sockets:
                await socket.close()
        for kind, values in latencies.items():
            if values:
                self.timings[f"WS {kind} ({label})"] = values

    def stop_simulation(self) -> None:
        self.call("POST", f"/ecosystems/{self.ecosystem['id']}/simulation", json={"running": False})


def summarise(timings: dict[str, list[float]]) -> list[dict]:
    rows = []
    for name, samples in timings.items():
        target = WS_TARGET_MS if name.startswith("WS ") else P95_TARGET_MS
        p95 = percentile(samples, 0.95)
        rows.append(
            {
                "name": name,
                "samples": len(samples),
                "p50_ms": round(percentile(samples, 0.5), 2),
                "p95_ms": round(p95, 2),
                "max_ms": round(max(samples), 2),
                "target_ms": target,
                "ok": p95 < target,
            }
        )
    return rows


def print_table(rows: list[dict], generation: dict) -> None:
    width = max(len(row["name"]) for row in rows)
    print(
        f"{'measurement'.ljust(width)}  {'n':>4}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  target"
    )
    for row in rows:
        verdict = "ok" if row["ok"] else "MISSED"
        print(
            f"{row['name'].ljust(width)}  {row['samples']:>4}  {row['p50_ms']:>8.2f}  "
            f"{row['p95_ms']:>8.2f}  {row['max_ms']:>8.2f}  p95 < {row['target_ms']:.0f} {verdict}"
        )
    rate = generation["records_per_second"]
    verdict = "ok" if rate >= RECORDS_PER_SECOND_TARGET else "MISSED"
    print(
        f"\nunthrottled generation: {generation['records']} records in {generation['seconds']} s "
        f"= {rate} records/s (target >= {RECORDS_PER_SECOND_TARGET:.0f}) {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", help="benchmark a running platform instead of a fresh one")
    parser.add_argument("--requests", type=int, default=100, help="samples per call")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--characters", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=50, help="WebSocket clients")
    parser.add_argument("--ws-samples", type=int, default=100)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    server = None if args.base_url else PlatformProcess().start()
    base_url = args.base_url or server.url
    try:
        bench = Bench(base_url, requests=args.requests)
        bench.sign_in()
        print(f"filling {base_url}: {args.records} records, {args.characters} characters…")
        bench.fill(records=args.records, characters=args.characters)
        print("timing HTTP calls…")
        bench.measure_http()
        print("timing WebSocket delivery…")
        bench.start_event_sources(ecosystems=10, jobs=5)
        owner_cookie = "; ".join(f"{name}={value}" for name, value in bench.api.cookies.items())
        asyncio.run(
            bench.measure_websocket(
                subscribers=1,
                samples=args.ws_samples,
                cookie=owner_cookie,
                kinds=("interaction", "job.progress"),
                label="1 socket of the owner",
            )
        )
        # Fan-out: many sockets of a viewer subscribed to the same public ecosystems.
        asyncio.run(
            bench.measure_websocket(
                subscribers=args.subscribers,
                samples=args.ws_samples,
                cookie=bench.viewer_cookie(),
                kinds=("interaction",),
                label=f"{args.subscribers} sockets of a viewer",
            )
        )
        bench.stop_event_sources()
    finally:
        if server is not None:
            server.close()
    rows = summarise(bench.timings)
    # Other work on the machine skews every figure; the load average says how much there was.
    machine = {
        "cpus": os.cpu_count(),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
    }
    print()
    print_table(rows, bench.facts["generation"])
    print(f"machine: {machine}")
    all_ok = all(row["ok"] for row in rows) and (
        bench.facts["generation"]["records_per_second"] >= RECORDS_PER_SECOND_TARGET
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "generation": bench.facts["generation"],
                    "measurements": rows,
                    "machine": machine,
                    "all_ok": all_ok,
                },
                indent=2,
            )
        )
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
