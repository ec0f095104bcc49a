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

    return isinstance(error, OperationalError | InterfaceError) or database_refuses_writes(error)


# A database that answers but will store nothing: read-only (PostgreSQL's
# read_only_sql_transaction, a standby, default_transaction_read_only; a SQLite file
# or disk that became read-only) or full (disk_full; SQLite's SQLITE_FULL).
WRITES_REFUSED_SQLSTATES = {"25006", "53100"}
WRITES_REFUSED_SQLITE = ("attempt to write a readonly database", "database or disk is full")
WRITES_REFUSED_DETAIL = (
    "The service cannot save changes at the moment: its database is full or read-only. "
    "Nothing was changed: try again later."
)


def database_refuses_writes(error: BaseException | None) -> bool:
    """Whether ``error`` means the database is up but will not store anything now.

    Also an outage (``database_unavailable``): the request's transaction rolled
    back whole, so nothing was half-written, and the caller is told to try again.
    """
    from django.db.utils import DatabaseError

    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in WRITES_REFUSED_SQLSTATES:
        return True
    return type(cause).__module__ == "sqlite3" and str(cause) in WRITES_REFUSED_SQLITE
