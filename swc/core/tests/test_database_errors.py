"""Which database errors mean "try again" (503), and which of those mean "cannot store anything"."""

from __future__ import annotations

import sqlite3

import psycopg.errors
import pytest
from django.db import utils

from swc.core.errors import database_refuses_writes, database_unavailable


def wrapped(django_error: type[Exception], cause: Exception) -> Exception:
    """As Django raises it: its own class, the driver's error as the cause."""
    error = django_error(str(cause))
    error.__cause__ = cause
    return error


# (Django's class, the driver's error, unavailable, refuses writes): typed out by hand.
CASES = [
    (utils.OperationalError, sqlite3.OperationalError("database or disk is full"), True, True),
    (
        utils.OperationalError,
        sqlite3.OperationalError("attempt to write a readonly database"),
        True,
        True,
    ),
    (utils.OperationalError, sqlite3.OperationalError("database is locked"), True, False),
    (utils.OperationalError, psycopg.errors.DiskFull("could not extend file"), True, True),
    (utils.InternalError, psycopg.errors.ReadOnlySqlTransaction("read-only"), True, True),
    (utils.OperationalError, psycopg.errors.AdminShutdown("terminating"), True, False),
    (utils.IntegrityError, psycopg.errors.UniqueViolation("duplicate key"), False, False),
    (utils.InternalError, psycopg.errors.InFailedSqlTransaction("aborted"), False, False),
    (utils.ProgrammingError, sqlite3.OperationalError("no such table: x"), False, False),
]


@pytest.mark.parametrize(("django_error", "cause", "unavailable", "refuses"), CASES)
def test_database_errors_are_classified(
    django_error: type[Exception], cause: Exception, unavailable: bool, refuses: bool
) -> None:
    error = wrapped(django_error, cause)
    assert database_unavailable(error) is unavailable
    assert database_refuses_writes(error) is refuses


def test_an_error_that_is_not_the_database_s_is_neither() -> None:
    assert not database_unavailable(ValueError("attempt to write a readonly database"))
    assert not database_refuses_writes(None)
