"""Synthetic sign-ups and survey answers for the demo (idempotent, clearly labelled)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from swc.core import clock

from .kpi import SATISFACTION_CHOICES
from .models import SurveyResponse, TermsAcceptance, TermsKind


def demo_reporting_load(out: TextIO) -> None:
    """Most authorities and every home signed up; a survey answer for most closed referrals."""
    from swc.homes.models import SecureHome
    from swc.organisations.models import LocalAuthority, Membership, Role
    from swc.referrals.models import Referral
    from swc.referrals.workflow import TERMINAL

    now = clock.now()
    # An authority with a demo admin account is left to sign up in the demo itself (and
    # to be reminded by the unit), so both sides of sign-up can be tried.
    with_admin = Membership.objects.filter(role=Role.ADMIN).values("organisation_id")
    la_orgs = list(
        LocalAuthority.objects.exclude(organisation_id__in=with_admin)
        .order_by("id")
        .values_list("organisation_id", flat=True)
    )
    home_orgs = list(SecureHome.objects.order_by("id").values_list("organisation_id", flat=True))
    acceptances = [
        TermsAcceptance(
            organisation_id=org_id,
            kind=TermsKind.LA_TERMS,
            accepted_at=now - dt.timedelta(days=30 + k % 300),
            terms_version="demo",
        )
        # Synthetic: nine in ten authorities signed up.
        for k, org_id in enumerate(la_orgs)
        if k % 10 != 9
    ] + [
        TermsAcceptance(
            organisation_id=org_id,
            kind=TermsKind.HOME_MOU,
            accepted_at=now - dt.timedelta(days=200 + k),
            terms_version="demo",
        )
        for k, org_id in enumerate(home_orgs)
    ]
    TermsAcceptance.objects.bulk_create(acceptances, ignore_conflicts=True)
    closed = Referral.objects.filter(status__in=TERMINAL, submitted_at__isnull=False).values_list(
        "id", "local_authority__organisation_id", "closed_at"
    )
    answers = [code for code, _ in SATISFACTION_CHOICES]
    # Synthetic answers weighted towards satisfied: 10 of 12 satisfied or very satisfied.
    pattern = [0, 1, 1, 0, 1, 2, 1, 0, 1, 1, 3, 0]
    responses = [
        SurveyResponse(
            referral_id=referral_id,
            organisation_id=org_id,
            overall=answers[pattern[k % len(pattern)]],
            comment="Synthetic demo answer",
            submitted_at=(closed_at or now) + dt.timedelta(days=2),
        )
        for k, (referral_id, org_id, closed_at) in enumerate(closed)
        if k % 4 != 3
    ]
    SurveyResponse.objects.bulk_create(responses, ignore_conflicts=True)
    out.write(
        f"reporting: {TermsAcceptance.objects.count()} sign-ups, "
        f"{SurveyResponse.objects.count()} survey answers (synthetic)\n"
    )
