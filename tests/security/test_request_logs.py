"""The structured request log: the fields an operator needs, and nothing of a child or a price.

The crawl of every page by every role (test_confidential_data.py) scans each
line as production formats it; here the child's names and the price are also
posted in forms and typed into a search, where a request log that kept bodies
or query strings would catch them. `make prod-check` repeats the scan on the
logs of a real gunicorn run.
"""

from __future__ import annotations

import json
import logging
import sys

import pytest

from swc.core.logs import JsonFormatter
from swc.referrals.models import Referral

from .conftest import FIRST_NAME, PRICE_FORMS, SURNAME

pytestmark = pytest.mark.django_db


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_no_log_line_carries_a_childs_name_or_a_price(world, client_for, caplog) -> None:
    client = client_for(world["coordinator"])
    referral = Referral.objects.get(last_name=SURNAME)
    with caplog.at_level(logging.DEBUG):
        page = client.get(f"/referrals/{referral.pk}/")
        client.get("/referrals/", {"q": SURNAME})
        client.post(
            f"/referrals/{referral.pk}/", {"note": f"{FIRST_NAME} {SURNAME} {PRICE_FORMS[0]}"}
        )
        client.post("/referrals/new/", {"first_name": FIRST_NAME, "last_name": SURNAME})
    assert SURNAME in page.content.decode(), "the coordinator never saw the child"
    formatter = JsonFormatter()
    text = "\n".join(formatter.format(record) for record in caplog.records)
    assert '"logger": "swc.request"' in text
    for planted in (SURNAME, FIRST_NAME, *PRICE_FORMS):
        assert planted not in text, f"{planted} is in the logs"


def test_a_request_line_names_the_route_not_the_address(world, client_for, caplog) -> None:
    user = world["coordinator"]
    referral = Referral.objects.get(last_name=SURNAME)
    client = client_for(user)
    with caplog.at_level(logging.INFO, logger="swc.request"):
        response = client.get(f"/referrals/{referral.pk}/", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 200
    [line] = [line for line in _lines(caplog) if line["logger"] == "swc.request"]
    assert line["request_id"] == "abc-123" == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["route"] == "/referrals/<int:pk>/"
    assert str(referral.pk) not in line["route"]
    assert line["status"] == 200
    assert line["user_id"] == user.pk
    assert line["organisation_id"] == user.memberships.get().organisation_id
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_an_unusable_request_id_is_replaced_and_an_anonymous_request_has_no_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="swc.request"):
        response = client.get("/sign-in/", headers={"X-Request-ID": "<script>" + "x" * 80})
    [line] = [line for line in _lines(caplog) if line["logger"] == "swc.request"]
    assert "<script>" not in line["request_id"] and len(line["request_id"]) == 32
    assert response["X-Request-ID"] == line["request_id"]
    assert "user_id" not in line and "organisation_id" not in line
    assert line["route"] == "/sign-in/"


def test_an_exception_is_logged_by_type_and_stack_without_its_message() -> None:
    formatter = JsonFormatter()
    try:
        raise ValueError(f"duplicate key (last_name)=({SURNAME})")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    line = json.loads(formatter.format(record))
    assert line["exception"]["type"] == "builtins.ValueError"
    assert line["exception"]["stack"][0].endswith(
        "in test_an_exception_is_logged_by_type_and_stack_without_its_message"
    )
    assert SURNAME not in formatter.format(record)
