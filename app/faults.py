"""Fault injection: switches an operator flips to watch clients cope with a misbehaving server.

Off unless the process starts with APP_FAULT_INJECTION=1; then, and only then:
- `GET /api/v1/_faults` lists what can be injected (a 404 says the switch is off);
- `POST /api/v1/_faults/close-sockets` closes every WebSocket of the calling user from the
  server's side, as a restart of a load balancer would;
- a request carrying `X-Fault-Delay-Ms: N` is answered N milliseconds late (at most 30 s), like
  the delay headers of service-mesh fault injection, so one chosen request can be made slow.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from app.api.deps import PlatformDep, WriterDep

DELAY_HEADER = b"x-fault-delay-ms"
MAX_DELAY_MS = 30_000
#: "Service restart": the client is expected to reconnect.
SERVER_RESTART_CLOSE_CODE = 1012

router = APIRouter(prefix="/api/v1/_faults", tags=["fault injection"])


@router.get("")
def describe() -> dict:
    """What this process can be asked to do wrong."""
    return {
        "enabled": True,
        "faults": {
            "close-sockets": "POST: close every WebSocket of the calling user",
            "delay": "header X-Fault-Delay-Ms: answer that request N ms late",
        },
    }


@router.post("/close-sockets")
async def close_sockets(platform: PlatformDep, user: WriterDep) -> dict:
    """Close the caller's WebSockets with code 1012 (service restart)."""
    closed = await platform.hub.close_user_sockets(
        user.id, code=SERVER_RESTART_CLOSE_CODE, reason="Closed by fault injection."
    )
    return {"closed": closed}


def requested_delay_ms(headers: list[tuple[bytes, bytes]]) -> int:
    """The delay a request asks for through X-Fault-Delay-Ms (0 when absent or invalid)."""
    for name, value in headers:
        if name == DELAY_HEADER:
            text = value.decode("latin-1").strip()
            return min(int(text), MAX_DELAY_MS) if text.isdigit() else 0
    return 0


class DelayMiddleware:
    """Holds a request back for as long as its X-Fault-Delay-Ms header asks."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            delay_ms = requested_delay_ms(scope.get("headers", []))
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)
        await self.app(scope, receive, send)
