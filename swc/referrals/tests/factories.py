"""Factories for referrals. Every value is synthetic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from swc.core import clock
from swc.core.vocabulary import Ethnicity, LegalStatus, NeedOrRisk, Sex
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral
from swc.referrals.workflow import Status


def complete_values(now: dt.datetime | None = None, **overrides: Any) -> dict[str, Any]:
    """A full set of answers that makes a referral complete at ``now``."""
    now = now or clock.now()
    today = now.date()
    values: dict[str, Any] = {
        "first_name": "Testchild",
        "last_name": "Synthetic",
        "date_of_birth": dt.date(today.year - 15, 1, 1),
        "sex": Sex.FEMALE,
        "gender_identity": "",
        "ethnicity": Ethnicity.WBRI,
        "first_language": "English",
        "religion": "",
        "la_child_identifier": "SYN-0001",
        "unaccompanied_asylum_seeking": False,
        "legal_status": LegalStatus.S25_APPLICATION,
        "order_expires_on": None,
        "hearing_date": today + dt.timedelta(days=3),
        "regulation_10_started_at": None,
        "secretary_of_state_approval_on": None,
        "legal_notes": "",
        "needs": [NeedOrRisk.GOING_MISSING, NeedOrRisk.SELF_HARM],
        "need_descriptions": {
            NeedOrRisk.GOING_MISSING: "Missing three times this month",
            NeedOrRisk.SELF_HARM: "Cutting, last incident a week ago",
        },
        "current_placement": "Residential children's home",
        "home_area_region": "South East",
        "home_area": "Synthetic Town",
        "bed_needed_at": now + dt.timedelta(days=2),
        "social_worker_name": "Sam Worker",
        "social_worker_phone": "01234 567890",
        "social_worker_email": "sam.worker@example.test",
        "manager_name": "Morgan Manager",
        "manager_email": "morgan.manager@example.test",
        "guardian_name": "",
        "guardian_phone": "",
        "max_distance_miles": None,
        "preferences": "",
    }
    values.update(overrides)
    return values


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft with nothing filled in; ``complete_referral`` makes a complete one."""

    class Meta:
        model = Referral

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    status = Status.DRAFT


def complete_referral(**overrides: Any) -> Referral:
    """A referral already complete (written straight to the table, not via services)."""
    now = clock.now()
    fields = {
        "status": Status.COMPLETE,
        "submitted_at": now,
        "completed_at": now,
        "last_update_at": now,
        "last_reviewed_at": now,
        **complete_values(now),
    }
    fields.update(overrides)
    return ReferralFactory(**fields)
