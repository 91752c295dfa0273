"""`webServer` as in Playwright Test (fixtures/platform.py): any command, waited on by port or
by URL, with its env and cwd; a server already running reused or refused; one that exits
failing the run once with its output; several servers; one shared by all xdist workers."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures.server import ServerProcess, answers, free_port
from fixtures.settings import CONFIG_FILE_NAME, ConfigError, parse_config

ROOT = Path(__file__).resolve().parent.parent
SUITE_PLUGINS = ["fixtures.config", "fixtures.platform"]
PYTHON = shlex.quote(sys.executable)
# A server that answers every GET with how it was started: its arguments, folder, variables.
ECHO_SERVER = """
import http.server, json, os, sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ["PORT"])


class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        about = {"argv": sys.argv[1:], "cwd": os.getcwd(), "pid": os.getpid(), "path": self.path}
        about["greeting"] = os.environ.get("GREETING")
        body = json.dumps(about).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


print("echo server listening on", port, flush=True)
http.server.HTTPServer(("127.0.0.1", port), Echo).serve_forever()
"""
# Each test writes what every server of `webServer` answered into a file of its own.
PROBE_TESTS = """
import json, os
from pathlib import Path

import httpx
import pytest


@pytest.mark.parametrize("n", range(int(os.environ.get("PROBES", "1"))))
def test_probe(platform, n):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    answers = [httpx.get(url + "/probe").json() for url in platform.server_urls]
    seen = {"base_url": platform.base_url, "urls": platform.server_urls, "answers": answers}
    Path(f"seen-{worker}-{n}.json").write_text(json.dumps(seen))
"""


@pytest.fixture
def suite_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester folder with the settings and platform plugins, the echo server and probes."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest(f"pytest_plugins = {SUITE_PLUGINS!r}")
    pytester.makepyfile(test_probe=PROBE_TESTS)
    (pytester.path / "echo.py").write_text(ECHO_SERVER)
    return pytester


def write_config(pytester: pytest.Pytester, web_server: Any) -> None:
    config = {"webServer": web_server, "projects": [{"name": "only", "browser": "chromium"}]}
    (pytester.path / CONFIG_FILE_NAME).write_text(json.dumps(config))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", *args)


def seen(pytester: pytest.Pytester) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(pytester.path.glob("seen-*.json"))]


def test_a_command_is_started_waited_on_by_its_port_and_stopped(
    suite_pytester: pytest.Pytester,
) -> None:
    port = free_port()
    write_config(suite_pytester, {"command": f"{PYTHON} echo.py {port}", "port": port})

    result = run(suite_pytester, "-p", "no:xdist")

    result.assert_outcomes(passed=1)
    [probe] = seen(suite_pytester)
    assert probe["base_url"] == f"http://localhost:{port}"
    assert probe["answers"][0]["argv"] == [str(port)]
    assert not answers(None, port), "the server outlived the run"


def test_a_command_waited_on_by_url_gets_its_env_cwd_and_a_free_port(
    suite_pytester: pytest.Pytester,
) -> None:
    (suite_pytester.path / "site").mkdir()
    (suite_pytester.path / "echo.py").rename(suite_pytester.path / "site" / "echo.py")
    write_config(
        suite_pytester,
        {
            "command": [sys.executable, "echo.py"],
            "url": "http://127.0.0.1:{port}/ready",
            "env": {"GREETING": "hello from {port}"},
            "cwd": "site",
        },
    )

    result = run(suite_pytester, "-p", "no:xdist")

    result.assert_outcomes(passed=1)
    [probe] = seen(suite_pytester)
    port = probe["base_url"].rsplit(":", 1)[1]
    assert probe["base_url"] == f"http://127.0.0.1:{port}"
    # Started without arguments: it read its port from PORT.
    assert probe["answers"][0]["argv"] == []
    assert probe["answers"][0]["greeting"] == f"hello from {port}"
    assert Path(probe["answers"][0]["cwd"]) == suite_pytester.path / "site"


@pytest.fixture
def running_echo(tmp_path: Path) -> Any:
    """An echo server started by the test itself, before the run."""
    (tmp_path / "echo.py").write_text(ECHO_SERVER)
    port = free_port()
    server = ServerProcess(
        [sys.executable, "echo.py", str(port)], port=port, log_path=tmp_path / "log", cwd=tmp_path
    )
    with server:
        yield server


def test_a_server_already_answering_is_reused(
    suite_pytester: pytest.Pytester, running_echo: ServerProcess
) -> None:
    # The command would fail the run if it were started.
    write_config(suite_pytester, {"command": "false", "port": running_echo.port})

    result = run(suite_pytester, "-p", "no:xdist")

    result.assert_outcomes(passed=1)
    assert seen(suite_pytester)[0]["answers"][0]["pid"] == running_echo.pid


@pytest.mark.parametrize(
    ("reuse", "ci", "why"),
    [(False, None, "it is false"), (None, "true", "it is false (its default, since CI is set)")],
)
def test_a_server_already_answering_is_refused_when_reuse_is_off(
    suite_pytester: pytest.Pytester,
    running_echo: ServerProcess,
    monkeypatch: pytest.MonkeyPatch,
    reuse: bool | None,
    ci: str | None,
    why: str,
) -> None:
    url = f"http://127.0.0.1:{running_echo.port}/"
    write_config(suite_pytester, {"command": "false", "url": url, "reuseExistingServer": reuse})
    if ci:
        monkeypatch.setenv("CI", ci)

    result = run(suite_pytester, "-p", "no:xdist")

    # Shared by the workers, it is started before any test: the run stops there.
    assert result.ret == 1
    result.stderr.fnmatch_lines(
        [f"*{url} is already used: stop what runs there, or set reuseExistingServer to true; {why}"]
    )
    assert running_echo.is_running()


def test_a_server_that_exits_fails_the_run_once_with_the_end_of_its_output(
    suite_pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = "print('opening the database'); print('no such table: users'); raise SystemExit(3)"
    write_config(suite_pytester, {"command": [sys.executable, "-c", script], "perWorker": True})
    monkeypatch.setenv("PROBES", "3")

    result = run(suite_pytester, "-p", "no:xdist")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*webServer (*) exited with code 3; its output ends:",
            "*opening the database",
            "*no such table: users",
        ]
    )
    result.stdout.fnmatch_lines(["*! a server of webServer did not start !*"])


def test_a_server_that_never_answers_fails_the_run_when_its_time_is_up(
    suite_pytester: pytest.Pytester,
) -> None:
    silent = [sys.executable, "-c", "import threading; print('starting'); threading.Event().wait()"]
    write_config(suite_pytester, {"command": silent, "timeoutSeconds": 0.5})

    result = run(suite_pytester, "-p", "no:xdist")

    assert result.ret == 1
    result.stderr.fnmatch_lines(
        ["*a server of webServer did not start: no answer from port * within 0.5 s; its output*"]
    )
    result.stderr.fnmatch_lines(["starting"])


def test_a_list_of_two_servers_starts_both_and_the_first_is_the_base_url(
    suite_pytester: pytest.Pytester,
) -> None:
    first = free_port()
    write_config(
        suite_pytester,
        [
            {"command": f"{PYTHON} echo.py {first}", "port": first},
            {"command": f"{PYTHON} echo.py {{port}}", "url": "http://127.0.0.1:{port}/"},
        ],
    )

    result = run(suite_pytester, "-p", "no:xdist")

    result.assert_outcomes(passed=1)
    [probe] = seen(suite_pytester)
    assert probe["base_url"] == f"http://localhost:{first}"
    assert probe["urls"][0] == probe["base_url"]
    assert [answer["argv"] for answer in probe["answers"]] == [
        [str(first)],
        [probe["urls"][1].rsplit(":", 1)[1]],
    ]


@pytest.mark.parametrize(("per_worker", "servers"), [(False, 1), (True, 2)])
def test_a_server_is_shared_by_the_workers_unless_it_is_per_worker(
    suite_pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    per_worker: bool,
    servers: int,
) -> None:
    command = f"{PYTHON} echo.py {{port}}"
    write_config(suite_pytester, {"command": command, "perWorker": per_worker})
    monkeypatch.setenv("PROBES", "2")

    # --dist each: every worker runs every probe, so both workers surely ask.
    result = run(suite_pytester, "-n", "2", "--dist", "each")

    result.assert_outcomes(passed=4)
    probes = seen(suite_pytester)
    assert len(probes) == 4
    assert len({probe["answers"][0]["pid"] for probe in probes}) == servers
    assert len({probe["base_url"] for probe in probes}) == servers


@pytest.mark.parametrize(
    ("web_server", "expected"),
    [
        (
            [{"command": "x", "port": 3000}, {"command": "y", "port": 0}],
            "webServer[1].port: must be at least 1, got 0",
        ),
        (
            {"command": "x", "url": "http://127.0.0.1:3000", "port": 3000},
            "webServer: give url or port to wait for, not both",
        ),
        (
            [{"command": "x"}, {"command": "y", "port": 3000, "perWorker": True}],
            (
                "webServer[1]: a server per worker needs a port of each worker's own: "
                "use {port} instead of port 3000"
            ),
        ),
        ({"command": "python -m app", "port": 8000}, "set perWorker to false"),
        ([], "webServer: must not be empty"),
    ],
)
def test_a_bad_server_is_refused_naming_its_key(web_server: Any, expected: str) -> None:
    raw = {"webServer": web_server, "projects": [{"name": "only", "browser": "chromium"}]}

    with pytest.raises(ConfigError) as refused:
        parse_config(raw, source=Path(CONFIG_FILE_NAME), devices={})

    assert expected in str(refused.value)


def test_a_command_string_is_split_as_a_shell_would_and_the_platform_is_the_default() -> None:
    raw = {
        "webServer": [{}, {"command": "node 'my server.js' --port {port}"}],
        "projects": [{"name": "only", "browser": "chromium"}],
    }

    suite = parse_config(raw, source=Path(CONFIG_FILE_NAME), devices={})

    embedded, node = suite.web_servers
    assert (embedded.is_embedded, embedded.is_per_worker, embedded.fixed_port) == (True, True, None)
    assert node.command == ("node", "my server.js", "--port", "{port}")
    assert (node.is_embedded, node.is_per_worker) == (False, False)
