from __future__ import annotations

import io

import pytest

from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.reporting.demo import demo_reporting_load
from swc.reporting.models import SurveyResponse, TermsAcceptance

from .dataset import october_build

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent() -> None:
    october_build()
    for _ in range(9):
        LocalAuthorityFactory()
    demo_reporting_load(io.StringIO())
    counts = (TermsAcceptance.objects.count(), SurveyResponse.objects.count())
    assert counts[0] > 0 and counts[1] > 0
    demo_reporting_load(io.StringIO())
    assert (TermsAcceptance.objects.count(), SurveyResponse.objects.count()) == counts
