"""The scheduler command and the demo rota."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from swc.core.calendar import LONDON, is_on_call_time
from swc.notifications.apps import NotificationsConfig
from swc.notifications.models import Notification, NotificationStatus, OnCallPeriod
from swc.notifications.selectors import on_call_officer_at

pytestmark = pytest.mark.django_db


def test_run_scheduler_once_ticks_and_reports(manager, backend):
    out = io.StringIO()
    # 9 December 2026: the November return is due on Monday 14 December.
    with time_machine.travel(dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC), tick=False):
        call_command("run_scheduler", "--once", stdout=out)
    assert "reporting.return_due=1" in out.getvalue()
    notification = Notification.objects.get(recipient=manager)
    # Written in the tick, then delivered by the tick's sweep (an immediate task here).
    assert notification.status == NotificationStatus.SENT


def test_a_failing_check_does_not_stop_the_others(manager, monkeypatch):
    from swc.reporting.services import reporting_due_publish
    from swc.scheduling import scheduler

    def broken(now):
        raise RuntimeError("the homes part is down")

    monkeypatch.setattr(scheduler, "SCHEDULED", [broken, reporting_due_publish])
    at = dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        report = scheduler.scheduler_tick(at)
    assert report.errors == ["broken: RuntimeError"]
    assert Notification.objects.filter(recipient=manager).exists()


def test_the_demo_rota_covers_out_of_hours_and_loads_once(coordinator, manager):
    at = dt.datetime(2026, 11, 28, 12, 0, tzinfo=LONDON)  # a Saturday
    with time_machine.travel(at, tick=False):
        config = NotificationsConfig.create("swc.notifications")
        config.load_demo_data(io.StringIO())
        first = OnCallPeriod.objects.count()
        config.load_demo_data(io.StringIO())
    assert first == 4
    assert OnCallPeriod.objects.count() == first
    assert is_on_call_time(at)
    assert on_call_officer_at(at) in {coordinator, manager}


def test_notify_templates_lists_every_message_with_its_fields_in_notify_syntax():
    from swc.notifications.messages import MESSAGES

    out = io.StringIO()
    call_command("notify_templates", stdout=out)
    text = out.getvalue()
    for message in MESSAGES:
        assert f"== {message}  (" in text
    sign_up = text[text.index("== organisation.sign_up_reminder") :].split("\n\n")[0]
    assert "fields:  organisation, link" in sign_up
    assert "subject: ((organisation)): please sign up to Secure Welfare Coordination" in sign_up
    assert "{" not in text  # every field became ((field))
