"""The people and organisations on a claim: billing provider, subscriber, patient, payer, providers.

Field meanings follow ASC X12 005010X222A1 (837P): loop 2010AA billing provider, 2010BA subscriber,
2010BB payer, 2010CA patient, 2310A referring and 2310B rendering provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Sex(StrEnum):
    """DMG03 administrative sex (X222A1 2010BA/2010CA DMG03: F, M, U)."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class PatientRelationship(StrEnum):
    """How the patient relates to the subscriber when they are different people (2000C PAT01).

    Source: 005010X222A1 2000C PAT01 code list. "Self" (18) is not here: a patient who is the
    subscriber has no 2000C loop and is flagged by SBR02 = 18 instead.
    """

    SPOUSE = "01"
    CHILD = "19"
    EMPLOYEE = "20"
    UNKNOWN = "21"
    LIFE_PARTNER = "53"
    OTHER = "G8"


class ClaimFilingIndicator(StrEnum):
    """SBR09: which kind of plan pays (005010X222A1 2000B SBR09, a subset used in Missouri OT billing)."""

    MEDICARE_PART_B = "MB"
    MEDICAID = "MC"
    COMMERCIAL = "CI"
    BLUE_CROSS_BLUE_SHIELD = "BL"
    HMO = "HM"
    MEDICARE_ADVANTAGE_HMO = "16"
    PPO = "12"
    OTHER_NON_FEDERAL = "11"


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name as NM103 (last), NM104 (first), NM105 (middle) and NM107 (suffix) carry it."""

    last: str
    first: str
    middle: str | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """N3 (street lines) and N4 (city, two-letter state, ZIP of 5 or 9 digits without a dash)."""

    line1: str
    city: str
    state: str
    postal_code: str
    line2: str | None = None


@dataclass(frozen=True, slots=True)
class BillingProvider:
    """The organisation that bills (2000A PRV*BI, 2010AA NM1*85 entity type 2, N3, N4, REF*EI).

    ``taxonomy`` is the NUCC provider taxonomy (225X00000X is occupational therapist); ``tin`` is the
    nine-digit employer identification number without a dash. X222A1 requires a street address (not
    a post-office box) with a nine-digit ZIP in 2010AA. ``pay_to`` is the 2010AB pay-to address, sent only
    when payment goes elsewhere (it may be a post-office box).
    """

    name: str
    npi: str
    taxonomy: str
    tin: str
    address: Address
    pay_to: Address | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    """A person identified by NPI: the referring (certifying) physician or the rendering therapist."""

    name: PersonName
    npi: str
    taxonomy: str | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    """The payer the claim goes to (2010BB NM1*PR, NM108 = PI) and what its profile requires.

    ``requires_referring_provider`` comes from the payer profile: Medicare wants the certifying
    physician of the plan of care in 2310A (CMS Pub. 100-02 Ch. 15 §220.1; docs/billing-rules.md#11-x12).
    """

    name: str
    payer_id: str
    claim_filing_indicator: ClaimFilingIndicator
    requires_referring_provider: bool = False


@dataclass(frozen=True, slots=True)
class Subscriber:
    """The insured (2010BA NM1*IL, NM108 = MI): member id, and demographics when they are the patient.

    ``birth_date``, ``sex`` and ``address`` are situational in X222A1 (required when the subscriber
    is the patient); the claim checks say so rather than the constructor.
    """

    name: PersonName
    member_id: str
    birth_date: date | None = None
    sex: Sex | None = None
    address: Address | None = None
    group_number: str | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    """A patient who is not the subscriber (2000C PAT, 2010CA NM1*QC, N3, N4, DMG all required)."""

    name: PersonName
    relationship: PatientRelationship
    birth_date: date
    sex: Sex
    address: Address
