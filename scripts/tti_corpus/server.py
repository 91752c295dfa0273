"""The corpus served on loopback, from a background thread, on a port the system picks.

Routes, for every app and state (`light`, `heavy`):
- `GET /<app>/<state>/`: the app's page shell;
- `GET /<app>/<state>/<data path>`: the data the app loads at start in that state;
- `GET /<app>/<state>/pkg/<file>`: a file of the app's build (only those the page loads).

Data is generated once per app and state and kept. Anything else answers 404 and is noted in
`unexpected`, so a check can tell that a page asked for nothing the corpus does not serve.
"""

from __future__ import annotations

import mimetypes
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from tti_corpus.apps import APPS_BY_NAME, STATES, CorpusApp
from tti_corpus.packages import PACKAGES_DIR, package_dir

_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json"}


def content_type(path: str) -> str:
    suffix = Path(path).suffix
    if suffix in _TYPES:
        return f"{_TYPES[suffix]}; charset=utf-8"
    if suffix == ".md":
        return "text/markdown; charset=utf-8"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    server: _CorpusHttpServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the benchmark prints its own lines."""

    def do_GET(self) -> None:
        answer = self.server.resolve(urlsplit(self.path).path)
        if answer is None:
            self.server.unexpected.append(self.path)
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found")
        else:
            self._send(HTTPStatus.OK, *answer)

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # Every measured load is a first visit (fresh context, or Lighthouse's cleared cache).
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class _CorpusHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], packages_root: Path) -> None:
        super().__init__(address, _Handler)
        self.packages_root = packages_root
        self.unexpected: list[str] = []
        self._data: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def resolve(self, path: str) -> tuple[str, bytes] | None:
        parts = path.lstrip("/").split("/", 2)
        if len(parts) < 3 or parts[0] not in APPS_BY_NAME or parts[1] not in STATES:
            return None
        app, state, rest = APPS_BY_NAME[parts[0]], parts[1], parts[2]
        if rest in ("", "index.html"):
            return "text/html; charset=utf-8", app.shell.encode("utf-8")
        if rest == app.data_path:
            return content_type(rest), self._data_of(app, state)
        if rest.startswith("pkg/") and rest.removeprefix("pkg/") in app.files:
            file = package_dir(app, self.packages_root) / rest.removeprefix("pkg/")
            return content_type(rest), file.read_bytes()
        return None

    def _data_of(self, app: CorpusApp, state: str) -> bytes:
        with self._lock:
            key = (app.name, state)
            if key not in self._data:
                self._data[key] = app.data_for(state)
            return self._data[key]

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes its context mid-request is normal here, not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class CorpusServer:
    """The corpus on 127.0.0.1 (port 0: the system picks a free one)."""

    def __init__(self, port: int = 0, packages_root: Path = PACKAGES_DIR) -> None:
        self._httpd = _CorpusHttpServer(("127.0.0.1", port), packages_root)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="tti-corpus-server", daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, app: str, state: str) -> str:
        """Where `app` is served in `state`."""
        if app not in APPS_BY_NAME or state not in STATES:
            raise KeyError(f"no corpus page {app}/{state}")
        return f"{self.base_url}/{app}/{state}/"

    @property
    def unexpected(self) -> list[str]:
        """Paths asked for that the corpus does not serve, in the order asked."""
        return list(self._httpd.unexpected)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
