"""The WebSocket endpoint /ws: live job progress, dashboard nudges and ecosystem feeds."""

from __future__ import annotations

import asyncio
import contextlib
import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from app.errors import NotFound
from app.realtime import Connection, encode_message
from app.services.accounts import user_for_session
from app.services.ecosystems import visible_ecosystem
from app.sessions import session_of

router = APIRouter()
UNAUTHENTICATED = 4401


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    platform = websocket.app.state.platform
    user = await run_in_threadpool(user_for_session, platform, session_of(websocket).session_id)
    await websocket.accept()
    if user is None:
        await websocket.close(code=UNAUTHENTICATED, reason="Log in to continue.")
        return
    connection = Connection(websocket, user.id)
    hub = platform.hub
    hub.register(connection)
    sender = asyncio.create_task(connection.pump())
    try:
        while True:
            raw = await websocket.receive_text()
            reply = await _handle(platform, connection, raw)
            if reply is not None:
                connection.offer(reply)
    except WebSocketDisconnect:
        pass
    finally:
        hub.unregister(connection)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender


async def _handle(platform, connection: Connection, raw: str) -> str | None:
    try:
        message = json.loads(raw)
    except json.JSONDecodeError:
        return encode_message("error", {"message": "Messages must be JSON objects."})
    if not isinstance(message, dict):
        return encode_message("error", {"message": "Messages must be JSON objects."})
    if "ping" in message:
        return encode_message("pong", {"ping": message["ping"]})
    if "subscribe" in message:
        topic = message["subscribe"]
        if not await _may_watch(platform, connection.user_id, topic):
            return encode_message(
                "error", {"message": f"You cannot watch {topic}.", "topic": topic}
            )
        platform.hub.subscribe(connection, topic)
        return encode_message("subscribed", {"topic": topic})
    if "unsubscribe" in message:
        topic = message["unsubscribe"]
        platform.hub.unsubscribe(connection, topic)
        return encode_message("unsubscribed", {"topic": topic})
    return encode_message("error", {"message": "Send subscribe, unsubscribe or ping."})


async def _may_watch(platform, user_id: int, topic) -> bool:
    if not isinstance(topic, str) or not topic.startswith("ecosystem:"):
        return False
    ecosystem_id = topic.removeprefix("ecosystem:")
    if not ecosystem_id.isdigit():
        return False
    try:
        await run_in_threadpool(visible_ecosystem, platform, user_id, int(ecosystem_id))
    except NotFound:
        return False
    return True
