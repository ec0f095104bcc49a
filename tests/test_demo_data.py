"""`make run`'s data steps: reference import and demo data, twice, add nothing the second time."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from swc.organisations.demo import DEMO_ACCOUNTS

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "organisations",
            "homes",
            "referrals",
            "matching",
            "notifications",
            "reporting",
            "questions",
            "documents",
        }
        and model._meta.model_name != "signinattempt"
    }


@pytest.mark.django_db
def test_demo_data_loads_once_and_prints_every_account_last() -> None:
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    call_command("import_secure_homes", str(DATA / "secure_homes.csv"), stdout=StringIO())
    first = StringIO()
    call_command("load_demo_data", stdout=first)
    after_first = _counts()
    assert after_first["referrals.Referral"] >= 450
    assert after_first["questions.Question"] > 0
    assert after_first["documents.Document"] > 0
    second = StringIO()
    call_command("load_demo_data", stdout=second)
    assert _counts() == after_first
    tail = second.getvalue().split("Demo accounts", 1)[1]
    for account in DEMO_ACCOUNTS:
        assert account.email in tail
