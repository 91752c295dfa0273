"""The running platform's shared parts, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.db import Database
from app.realtime import Hub
from app.security import LoginRateLimiter, SessionCodec
from app.settings import Settings


@dataclass
class Platform:
    """What request handlers, the worker and the simulation share."""

    settings: Settings
    db: Database
    codec: SessionCodec
    hub: Hub
    limiter: LoginRateLimiter = field(default_factory=LoginRateLimiter)
    jobs: object = None  # app.worker.JobManager, set at start-up
    simulations: object = None  # app.simulation.SimulationManager, set at start-up
