"""Passwords, signed session cookies, CSRF tokens and the login rate limiter."""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeSerializer

# OWASP's second argon2id profile: strong, yet cheap enough for a busy test suite.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = _hasher.hash("an unused password that balances login timing")

LOGIN_FAILURE_LIMIT = 5
LOGIN_WINDOW_SECONDS = 60.0


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; an unknown user still costs one hash so timing reveals nothing."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A random URL-safe token for session ids and CSRF tokens."""
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two tokens."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


class SessionCodec:
    """Signs and reads the session cookie's payload."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="session-cookie")

    def dumps(self, payload: dict) -> str:
        return self._serializer.dumps(payload)

    def loads(self, value: str) -> dict | None:
        try:
            payload = self._serializer.loads(value)
        except BadSignature:
            return None
        return payload if isinstance(payload, dict) else None


class LoginRateLimiter:
    """Counts failed logins per email in a sliding one-minute window."""

    def __init__(
        self, *, limit: int = LOGIN_FAILURE_LIMIT, window: float = LOGIN_WINDOW_SECONDS
    ) -> None:
        self._limit = limit
        self._window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, email: str) -> int | None:
        """Seconds until another attempt is allowed, or None when it is allowed now."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(email, now)
            if len(failures) < self._limit:
                return None
            return max(1, math.ceil(failures[0] + self._window - now))

    def record_failure(self, email: str) -> None:
        now = time.monotonic()
        with self._lock:
            failures = self._recent(email, now)
            failures.append(now)
            self._failures[email] = failures

    def clear(self, email: str) -> None:
        with self._lock:
            self._failures.pop(email, None)

    def _recent(self, email: str, now: float) -> deque[float]:
        failures = self._failures.get(email, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures
