"""Synthetic questions for `make run`: the demo homes' "ask for more information" answers
become questions in the thread, some still with the unit, some with the authority, some
answered. Seeded; skipped when loaded."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.db import transaction

from swc.matching.models import HomeResponse, ResponseKind
from swc.organisations.models import Organisation

from .models import Question, QuestionRoute, QuestionStatus

SEED = 20261129
ANSWERS = (
    "Synthetic demo answer: yes, the school has sent her records to the social worker.",
    "Synthetic demo answer: an assessment was done last month; we will send it with the papers.",
)


def demo_questions_load(out: TextIO) -> None:
    asked = HomeResponse.objects.filter(
        referral__la_child_identifier__startswith="DEMO-",
        kind=ResponseKind.INFORMATION,
        counted=True,
        question__isnull=True,
    ).select_related("referral__local_authority", "home")
    if Question.objects.filter(referral__la_child_identifier__startswith="DEMO-").exists():
        out.write("Questions: demo questions already loaded\n")
        return
    rng = random.Random(SEED)
    made = 0
    with transaction.atomic():
        for response in asked.order_by("pk"):
            if not response.detail:
                continue
            open_referral = response.referral.is_open
            status = (
                rng.choice(
                    [
                        QuestionStatus.WITH_UNIT,
                        QuestionStatus.WITH_AUTHORITY,
                        QuestionStatus.ANSWERED,
                    ]
                )
                if open_referral
                else QuestionStatus.ANSWERED
            )
            answered = status == QuestionStatus.ANSWERED
            Question.objects.create(
                referral=response.referral,
                asked_by_organisation_id=response.home.organisation_id,
                asked_by=response.recorded_by,
                asked_at=response.recorded_at,
                text=response.detail,
                route=QuestionRoute.THROUGH_UNIT,
                status=status,
                passed_on_at=None
                if status == QuestionStatus.WITH_UNIT
                else response.recorded_at + dt.timedelta(minutes=20),
                answer=rng.choice(ANSWERS) if answered else "",
                answered_at=response.recorded_at + dt.timedelta(hours=2) if answered else None,
                answered_by_organisation=_organisation_of(response) if answered else None,
                home_response=response,
            )
            made += 1
    out.write(f"Questions: {made} synthetic questions from homes\n")


def _organisation_of(response: HomeResponse) -> Organisation:
    return response.referral.local_authority.organisation
