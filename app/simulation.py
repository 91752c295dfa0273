"""The observatory's simulation: every half second two characters of a running ecosystem meet.

One asyncio task per running ecosystem; the database work of a tick runs in a thread and the
interaction is broadcast to everyone subscribed to `ecosystem:<id>`.
"""

from __future__ import annotations

import asyncio
import logging
import random

from sqlalchemy import select

from app.context import Platform
from app.models import Character, Ecosystem, Interaction
from app.realtime import encode_message
from app.serializers import interaction_document

log = logging.getLogger(__name__)

TICK_SECONDS = 0.5
KINDS = ("greet", "trade", "duel", "ally")
VERBS = {"greet": "greeted", "trade": "traded with", "duel": "dueled", "ally": "allied with"}


def topic_for(ecosystem_id: int) -> str:
    return f"ecosystem:{ecosystem_id}"


def _clamp_energy(value: int) -> int:
    return max(0, min(100, value))


def apply_interaction(kind: str, actor: Character, target: Character, rng: random.Random) -> None:
    """Change energy (kept within 0–100) and reputation according to the kind of encounter."""
    if kind == "greet":
        actor.energy, target.energy = actor.energy - 1, target.energy + 2
        actor.reputation, target.reputation = actor.reputation + 1, target.reputation + 1
    elif kind == "trade":
        gain = rng.randint(1, 6)
        actor.energy, target.energy = actor.energy + gain, target.energy - gain + 2
        actor.reputation, target.reputation = actor.reputation + 2, target.reputation + 2
    elif kind == "duel":
        winner, loser = (actor, target) if rng.random() < 0.5 else (target, actor)
        winner.energy, loser.energy = winner.energy - 5, loser.energy - 12
        winner.reputation, loser.reputation = winner.reputation + 4, loser.reputation - 3
    else:
        actor.energy, target.energy = actor.energy + 5, target.energy + 5
        actor.reputation, target.reputation = actor.reputation + 3, target.reputation + 3
    actor.energy, target.energy = _clamp_energy(actor.energy), _clamp_energy(target.energy)


class SimulationManager:
    """Owns the per-ecosystem tasks; start/stop may be called from any thread."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._tasks: dict[int, asyncio.Task] = {}
        self._rng = random.Random()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def start(self, ecosystem_id: int) -> None:
        self._call(self._start, ecosystem_id)

    def stop(self, ecosystem_id: int) -> None:
        self._call(self._stop, ecosystem_id)

    def resume_all(self) -> None:
        with self.platform.db.read() as session:
            ids = session.scalars(select(Ecosystem.id).where(Ecosystem.running.is_(True))).all()
        for ecosystem_id in ids:
            self._start(ecosystem_id)

    async def shutdown(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _call(self, function, ecosystem_id: int) -> None:
        if self._loop is None or self._loop.is_closed():
            return
        try:
            running_loop = asyncio.get_running_loop()
        except RuntimeError:
            running_loop = None
        if running_loop is self._loop:
            function(ecosystem_id)
        else:
            self._loop.call_soon_threadsafe(function, ecosystem_id)

    def _start(self, ecosystem_id: int) -> None:
        task = self._tasks.get(ecosystem_id)
        if task is None or task.done():
            self._tasks[ecosystem_id] = asyncio.get_running_loop().create_task(
                self._run(ecosystem_id), name=f"simulation-{ecosystem_id}"
            )

    def _stop(self, ecosystem_id: int) -> None:
        task = self._tasks.pop(ecosystem_id, None)
        if task is not None:
            task.cancel()

    async def _run(self, ecosystem_id: int) -> None:
        loop = asyncio.get_running_loop()
        next_tick = loop.time() + TICK_SECONDS
        while True:
            await asyncio.sleep(max(0.0, next_tick - loop.time()))
            next_tick = max(next_tick + TICK_SECONDS, loop.time())
            try:
                document = await asyncio.to_thread(self._tick, ecosystem_id)
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed tick (e.g. a locked database) must not end the run
                log.exception("simulation tick failed for ecosystem %s", ecosystem_id)
                continue
            if document is False:
                self._tasks.pop(ecosystem_id, None)
                return
            if document is not None:
                self.platform.hub.send_to_topic(
                    topic_for(ecosystem_id), encode_message("interaction", document)
                )

    def _tick(self, ecosystem_id: int):
        """One encounter; None when there are too few characters, False when not running."""
        with self.platform.db.write() as session:
            running = session.scalar(select(Ecosystem.running).where(Ecosystem.id == ecosystem_id))
            if not running:
                return False
            ids = session.scalars(
                select(Character.id).where(Character.ecosystem_id == ecosystem_id)
            ).all()
            if len(ids) < 2:
                return None
            actor_id, target_id = self._rng.sample(ids, 2)
            actor, target = session.get(Character, actor_id), session.get(Character, target_id)
            kind = self._rng.choice(KINDS)
            apply_interaction(kind, actor, target, self._rng)
            interaction = Interaction(
                ecosystem_id=ecosystem_id,
                kind=kind,
                summary=f"{actor.name} {VERBS[kind]} {target.name}",
                actor_id=actor.id,
                actor_name=actor.name,
                actor_energy=actor.energy,
                actor_reputation=actor.reputation,
                target_id=target.id,
                target_name=target.name,
                target_energy=target.energy,
                target_reputation=target.reputation,
            )
            session.add(interaction)
            session.commit()
            return interaction_document(interaction)
