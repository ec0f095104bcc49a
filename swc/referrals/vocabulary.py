"""Moved to ``swc.core.vocabulary``: homes, matching and reporting share these words, and a
lower part of the service may not import referrals. Import from there; this name stays only
while work begun before the move lands, and can then be deleted."""

from swc.core.vocabulary import (
    ClosureDestination,
    Ethnicity,
    HomeAccepts,
    LegalStatus,
    NeedOrRisk,
    Sex,
    WithdrawalReason,
)

__all__ = [
    "ClosureDestination",
    "Ethnicity",
    "HomeAccepts",
    "LegalStatus",
    "NeedOrRisk",
    "Sex",
    "WithdrawalReason",
]
