"""The API's versions and their retirement (docs/api.md, "Versioning and deprecation").

A version is announced deprecated in ``settings.SWC_API_DEPRECATIONS``::

    {"v1": {"deprecated": "2027-06-01", "sunset": "2028-06-01", "successor": "/api/v2/"}}

From then on every response of that version carries ``Deprecation`` (RFC 9745,
the date as ``@<epoch seconds>``; sent as soon as the entry exists, so callers
see a deprecation coming), ``Sunset`` (RFC 8594, an HTTP date) and ``Link``s to
the successor and to the policy. From the sunset date the version answers
``410 Gone`` with a problem saying what replaced it. The policy's minimum
notice (six months; twelve for referral endpoints) is checked when the
settings are read, so a mistaken entry cannot retire a version early.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.http import http_date

VERSION_IN_PATH = re.compile(r"^/api/(v\d+)/")
POLICY_LINK = "/api/docs/"
# The notice the policy promises: sunset at least this long after deprecation.
MINIMUM_NOTICE_MONTHS = 12  # the referral endpoints' notice, which governs a whole version


@dataclass(frozen=True)
class Retirement:
    version: str
    deprecated: dt.date
    sunset: dt.date
    successor: str

    def headers(self) -> dict[str, str]:
        deprecated_at = calendar.timegm(self.deprecated.timetuple())
        sunset_at = calendar.timegm(self.sunset.timetuple())
        return {
            "Deprecation": f"@{deprecated_at}",
            "Sunset": http_date(sunset_at),
            "Link": (
                f'<{self.successor}>; rel="successor-version", <{POLICY_LINK}>; rel="deprecation"'
            ),
        }

    def is_retired(self, today: dt.date) -> bool:
        return today >= self.sunset


def _months_after(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    last_day = calendar.monthrange(day.year + year, month + 1)[1]
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, last_day))


def retirements_parse(raw: dict[str, Any]) -> dict[str, Retirement]:
    """The configured retirements, refusing any that breaks the policy (pure)."""
    parsed: dict[str, Retirement] = {}
    for version, entry in raw.items():
        if not re.fullmatch(r"v\d+", version):
            raise ImproperlyConfigured(f"SWC_API_DEPRECATIONS: {version!r} is not a version")
        try:
            deprecated = dt.date.fromisoformat(entry["deprecated"])
            sunset = dt.date.fromisoformat(entry["sunset"])
            successor = str(entry["successor"])
        except (KeyError, TypeError, ValueError) as error:
            raise ImproperlyConfigured(
                f"SWC_API_DEPRECATIONS[{version!r}] needs 'deprecated' and 'sunset' dates "
                f"(YYYY-MM-DD) and a 'successor' address ({error})"
            ) from None
        earliest = _months_after(deprecated, MINIMUM_NOTICE_MONTHS)
        if sunset < earliest:
            raise ImproperlyConfigured(
                f"SWC_API_DEPRECATIONS[{version!r}]: the sunset must be on or after "
                f"{earliest.isoformat()}, {MINIMUM_NOTICE_MONTHS} months after deprecation"
            )
        parsed[version] = Retirement(version, deprecated, sunset, successor)
    return parsed


def retirement_for(path: str) -> Retirement | None:
    """The retirement of the API version ``path`` belongs to, if it is being retired."""
    match = VERSION_IN_PATH.match(path)
    if match is None:
        return None
    raw = getattr(settings, "SWC_API_DEPRECATIONS", {}) or {}
    return retirements_parse(raw).get(match.group(1))
