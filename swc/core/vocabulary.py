"""Controlled vocabularies shared by referrals, homes, matching and reporting.

Plain choices, no models: homes and referrals must describe a child's needs and
a home's abilities in the same words, so that matching can compare them.
"""

from __future__ import annotations

from django.db import models


class NeedOrRisk(models.TextChoices):
    RISK_TO_OTHERS = "risk_to_others", "Risk to others"
    GOING_MISSING = "going_missing", "Going missing"
    SELF_HARM = "self_harm", "Self-harm"
    MENTAL_HEALTH = "mental_health", "Mental health"
    NEURODEVELOPMENTAL = "neurodevelopmental", "Neurodevelopmental needs"
    DISABILITY = "disability", "Disability"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    PLACEMENT_BREAKDOWN = "placement_breakdown", "Placement breakdown"
    OUT_OF_EDUCATION = "out_of_education", "Out of education"
    FIRE_SETTING = "fire_setting", "Fire-setting"
    HARMFUL_SEXUAL_BEHAVIOUR = "harmful_sexual_behaviour", "Harmful sexual behaviour"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class HomeAccepts(models.TextChoices):
    """Which children a home's registration allows it to take."""

    BOYS_AND_GIRLS = "boys and girls", "Boys and girls"
    BOYS = "boys", "Boys only"
    GIRLS = "girls", "Girls only"

    @classmethod
    def allows(cls, accepts: str, sex: str) -> bool:
        if accepts == cls.BOYS_AND_GIRLS:
            return True
        return (accepts == cls.BOYS and sex == Sex.MALE) or (
            accepts == cls.GIRLS and sex == Sex.FEMALE
        )


class Ethnicity(models.TextChoices):
    """DfE children-looked-after ethnicity codes (SSDA903)."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy or Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class LegalStatus(models.TextChoices):
    """The legal basis on which the child would be placed in secure accommodation."""

    S25_ORDER = "s25_order", "Section 25 order granted"
    S25_APPLICATION = "s25_application", "Application to court for a section 25 order"
    REGULATION_10 = "regulation_10", "Regulation 10 placement without an order (72 hours)"
    WALES_S119 = "wales_s119", "Section 119 (Wales) order or application"


class WithdrawalReason(models.TextChoices):
    ORDER_REFUSED = "order_refused", "Secure accommodation order refused"
    ALTERNATIVE_FOUND = "alternative_found", "Alternative placement found"
    DOL_ORDER = "dol_order", "Deprivation-of-liberty order made instead"
    CHILD_MISSING = "child_missing", "Child missing"
    NO_LONGER_NEEDED = "no_longer_needed", "Secure placement no longer needed"


class ClosureDestination(models.TextChoices):
    """Where a child went when the referral closed without a secure placement."""

    DOL_CHILDRENS_HOME = "dol_childrens_home", "Deprivation-of-liberty order in a children's home"
    UNREGISTERED = "unregistered", "Unregistered setting"
    SCOTTISH_SECURE_UNIT = "scottish_secure_unit", "Scottish secure unit"
    CUSTODY = "custody", "Custody"
    HOME = "home", "Home"
    OTHER = "other", "Other"
