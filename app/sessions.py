"""The session cookie: an ASGI middleware that reads it and writes it back when it changes.

Every visitor has a session, so that the sign-up and log-in forms carry a CSRF token too.
A signed-in session also names a server-side session id; logging out deletes that row, so a
copy of the old cookie is useless afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

from app.security import SessionCodec, new_token

COOKIE_NAME = "session"
COOKIE_MAX_AGE = 30 * 24 * 3600
SCOPE_KEY = "app.session"


@dataclass
class SessionState:
    """What the cookie carries."""

    csrf_token: str
    session_id: str | None = None
    flash: str | None = None
    changed: bool = False

    def sign_in(self, session_id: str) -> None:
        """Rotate the session: new id and new CSRF token."""
        self.session_id = session_id
        self.csrf_token = new_token()
        self.changed = True

    def sign_out(self) -> None:
        self.session_id = None
        self.csrf_token = new_token()
        self.changed = True

    def set_flash(self, message: str) -> None:
        self.flash = message
        self.changed = True

    def pop_flash(self) -> str | None:
        message, self.flash = self.flash, None
        if message:
            self.changed = True
        return message

    def payload(self) -> dict:
        data = {"csrf": self.csrf_token}
        if self.session_id:
            data["sid"] = self.session_id
        if self.flash:
            data["flash"] = self.flash
        return data


def read_session(codec: SessionCodec, cookie_header: str | None) -> SessionState:
    """Decode the cookie, or start a fresh anonymous session when it is absent or forged."""
    payload = None
    if cookie_header:
        cookies = SimpleCookie()
        try:
            cookies.load(cookie_header)
        except CookieError:  # a malformed Cookie header from a client is not our error
            cookies = SimpleCookie()
        morsel = cookies.get(COOKIE_NAME)
        if morsel is not None:
            payload = codec.loads(morsel.value)
    if not payload or not isinstance(payload.get("csrf"), str):
        return SessionState(csrf_token=new_token(), changed=True)
    return SessionState(
        csrf_token=payload["csrf"],
        session_id=payload.get("sid") if isinstance(payload.get("sid"), str) else None,
        flash=payload.get("flash") if isinstance(payload.get("flash"), str) else None,
    )


class SessionMiddleware:
    """Attaches a SessionState to each HTTP or WebSocket scope and sets the cookie on change."""

    def __init__(self, app, codec: SessionCodec) -> None:
        self.app = app
        self.codec = codec

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie_header = None
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                cookie_header = value.decode("latin-1")
                break
        state = read_session(self.codec, cookie_header)
        scope[SCOPE_KEY] = state
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start" and state.changed:
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", self._cookie(state, secure).encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, state: SessionState, secure: bool) -> str:
        parts = [
            f"{COOKIE_NAME}={self.codec.dumps(state.payload())}",
            "Path=/",
            f"Max-Age={COOKIE_MAX_AGE}",
            "HttpOnly",
            "SameSite=Lax",
        ]
        if secure:
            parts.append("Secure")
        return "; ".join(parts)


def session_of(scope_holder) -> SessionState:
    """The SessionState of a Request or WebSocket."""
    return scope_holder.scope[SCOPE_KEY]
