"""Start the platform: python -m app [--host H] [--port P] [--database-url URL] [--data-dir D]."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from pathlib import Path

import uvicorn

from app.main import create_app
from app.settings import Settings


class AnnouncingServer(uvicorn.Server):
    """Prints the URL once the socket is listening, so a parent process can wait for it."""

    @contextlib.contextmanager
    def capture_signals(self):
        """Like uvicorn's, but a SIGTERM that shut us down cleanly ends with exit code 0."""
        with super().capture_signals():
            yield
            self._captured_signals = [
                captured for captured in self._captured_signals if captured != signal.SIGTERM
            ]

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            config = self.config
            print(f"Serving on http://{config.host}:{config.port}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--database-url", default=None, help="default: sqlite under --data-dir")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="default: $APP_DATA_DIR or ./data"
    )
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.load(database_url=args.database_url, data_dir=args.data_dir)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        workers=1,
        timeout_graceful_shutdown=5,
        ws_ping_interval=20,
        # Small JSON events: compressing each one per socket costs more time than it saves.
        ws_per_message_deflate=False,
    )
    server = AnnouncingServer(config)
    server.run()
    sys.exit(0 if server.started else 1)


if __name__ == "__main__":
    main()
