"""Eligibility: a request to ask a payer whether a patient is covered (X12 270), and what the payer said (271).

Source: ASC X12 005010X279A1 (270/271). No PHI: the opaque patient key, payer ids, dates, codes and amounts.
The payer's member id is kept by the claims service with the patient's record; the event says only whether it
matches the one on the coverage. Decided in docs/adr/015-eligibility-in-the-claims-service.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload


class EligibilityReason(StrEnum):
    """Why the check is asked for."""

    NEW_PATIENT = "new_patient"
    PLAN_OF_CARE = "plan_of_care"  # before the plan's first visit
    ON_DEMAND = "on_demand"


class EligibilityRequested(EventPayload):
    """Ask the payer about one patient's coverage on a date (one 270 per patient and payer)."""

    EVENT_TYPE: ClassVar[str] = "eligibility.requested"

    request_id: str = Field(pattern=r"^[0-9a-f]{20}$", description="Opaque; the 270's TRN02 trace number.")
    patient_key: str
    payer_id: str
    service_date: date = Field(description="The date coverage is asked about (270 DTP*291).")
    reason: EligibilityReason


class CoverageStatus(StrEnum):
    """What the 271 says of the date asked about: EB01 1-5 active, 6-8 inactive; AAA: the request was refused."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


class BenefitAmount(StrictModel):
    """One EB segment with an amount for a therapy service type (AD occupational therapy, PT physical ...)."""

    eligibility_code: str = Field(description="EB01, e.g. F limitations, C deductible.")
    service_types: tuple[str, ...] = Field(description="EB03 service type codes, e.g. AD.")
    time_period: str | None = Field(default=None, description="EB06, e.g. 23 calendar year, 29 remaining.")
    amount: Decimal = Field(description="EB07, dollars.")
    in_plan_network: str | None = Field(default=None, description="EB12: Y, N or W.")


class EligibilityChecked(EventPayload):
    """The payer's answer to one request."""

    EVENT_TYPE: ClassVar[str] = "eligibility.checked"

    request_id: str
    patient_key: str
    payer_id: str
    service_date: date
    status: CoverageStatus
    plan_begin: date | None = Field(default=None, description="DTP*346 plan begin, or the start of DTP*291.")
    plan_end: date | None = Field(default=None, description="DTP*347 plan end, or the end of DTP*291.")
    member_id_matches: bool | None = Field(
        default=None, description="Whether the payer's member id (2100C NM109) is the one on the coverage."
    )
    therapy_amounts: tuple[BenefitAmount, ...] = ()
    rejection_reasons: tuple[str, ...] = Field(default=(), description="AAA03 reject reason codes.")
