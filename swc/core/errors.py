"""Errors that services raise for a person to read.

Views and the API turn these into a form error or a problem-details body;
they are never a 500.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A rule of the service refused the change; ``message`` is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotPermitted(ServiceError):
    """The user may not do this. Shown as 404 where existence itself is private."""

    def __init__(self, message: str = "You do not have permission to do that.") -> None:
        super().__init__(message, code="forbidden")


class ConflictError(ServiceError):
    """Someone else changed the record first (a lost race, a stale form)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")


# Seconds a caller is asked to wait when the database cannot be reached.
OUTAGE_RETRY_AFTER = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database is stopped, unreachable or too busy to answer.

    Connection and operational errors, not integrity or programming errors:
    those are defects and stay a 500. Nothing was written (the request's
    transaction never committed), so the right answer is "try again shortly".
    """
    from django.db.utils import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError)
