"""The WebSocket hub: sockets per user, subscribers per topic, non-blocking fan-out.

Each connection owns a queue drained by its own sender task, so a broadcast to a thousand
sockets only enqueues a thousand strings and a slow client never delays the others.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict

from starlette.websockets import WebSocket

log = logging.getLogger(__name__)
QUEUE_LIMIT = 500


def encode_message(kind: str, payload: dict) -> str:
    """A message as sent on the wire, stamped with the server clock in epoch milliseconds."""
    return json.dumps({"type": kind, "payload": payload, "sent_at": time.time() * 1000})


class Connection:
    """One open socket of a signed-in user."""

    def __init__(self, websocket: WebSocket, user_id: int) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.topics: set[str] = set()
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=QUEUE_LIMIT)

    def offer(self, text: str) -> None:
        """Queue a message; a client too slow to keep up loses the oldest news first."""
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(text)

    async def pump(self) -> None:
        """Send queued messages until the socket closes."""
        while True:
            text = await self._queue.get()
            await self.websocket.send_text(text)


class Hub:
    """Routes messages to users and topic subscribers; all methods run on the event loop
    except the *_threadsafe ones, which worker threads use."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._by_user: dict[int, set[Connection]] = defaultdict(set)
        self._by_topic: dict[str, set[Connection]] = defaultdict(set)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def register(self, connection: Connection) -> None:
        self._by_user[connection.user_id].add(connection)

    def unregister(self, connection: Connection) -> None:
        self._by_user[connection.user_id].discard(connection)
        if not self._by_user[connection.user_id]:
            del self._by_user[connection.user_id]
        for topic in list(connection.topics):
            self.unsubscribe(connection, topic)

    def subscribe(self, connection: Connection, topic: str) -> None:
        connection.topics.add(topic)
        self._by_topic[topic].add(connection)

    def unsubscribe(self, connection: Connection, topic: str) -> None:
        connection.topics.discard(topic)
        subscribers = self._by_topic.get(topic)
        if subscribers is not None:
            subscribers.discard(connection)
            if not subscribers:
                del self._by_topic[topic]

    def subscriber_count(self, topic: str) -> int:
        return len(self._by_topic.get(topic, ()))

    async def close_user_sockets(self, user_id: int, *, code: int, reason: str) -> int:
        """Close every socket of `user_id` from the server's side; returns how many."""
        connections = list(self._by_user.get(user_id, ()))
        for connection in connections:
            try:
                await connection.websocket.close(code=code, reason=reason)
            except RuntimeError:  # the client closed it in the meantime
                log.debug("socket of user %s was already closed", user_id)
        return len(connections)

    def send_to_user(self, user_id: int, text: str) -> None:
        for connection in list(self._by_user.get(user_id, ())):
            connection.offer(text)

    def send_to_topic(self, topic: str, text: str) -> None:
        for connection in list(self._by_topic.get(topic, ())):
            connection.offer(text)

    def publish_to_user_threadsafe(self, user_id: int, kind: str, payload: dict) -> None:
        """Called from worker threads; the timestamp is taken here, when the event happens."""
        if self.loop is None or self.loop.is_closed():
            return
        text = encode_message(kind, payload)
        try:
            self.loop.call_soon_threadsafe(self.send_to_user, user_id, text)
        except RuntimeError:  # the loop closed between the check and the call: shutting down
            log.debug("dropped %s for user %s during shutdown", kind, user_id)
