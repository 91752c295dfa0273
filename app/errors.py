"""Errors the services raise, and how the API and the HTML pages answer them."""

from __future__ import annotations


class AppError(Exception):
    """A refusal the user can act on: a status, a stable code and a message."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}
        if code:
            self.code = code

    def body(self) -> dict:
        """The JSON error document."""
        error: dict = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        return {"error": error}


class ValidationFailed(AppError):
    status = 422
    code = "validation_error"

    def __init__(self, fields: dict[str, str], message: str | None = None) -> None:
        super().__init__(message or next(iter(fields.values())), fields=fields)


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class CsrfFailed(AppError):
    status = 403
    code = "csrf_failed"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"


class RateLimited(AppError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


def check_fields(errors: dict[str, str]) -> None:
    """Raise a validation error when any field has a message."""
    if errors:
        raise ValidationFailed(errors)
