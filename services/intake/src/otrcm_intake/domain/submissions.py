"""What the intake API accepts besides encounters: patients, plans of care, authorizations.

Patients carry PHI; intake keeps it, publishes it only on the compacted patients topic, and hands
every other stage an opaque patient key instead of the client's patient id.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field, StrictInt

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.encounters import Discipline
from otrcm_shared.events.patients import Address, Coverage
from otrcm_shared.events.plans import AuthorizationUnit, PlanEventKind
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN


class PatientSubmission(StrictModel):
    """Demographics and coverage of one patient (PHI)."""

    patient_id: str = Field(pattern=CLIENT_ID_PATTERN)
    first_name: str = Field(min_length=1, max_length=60)
    last_name: str = Field(min_length=1, max_length=60)
    birth_date: date
    sex: str = Field(pattern=r"^[FMU]$")
    address: Address
    coverages: tuple[Coverage, ...] = Field(min_length=1, max_length=3)


class PlanOfCareSubmission(StrictModel):
    """A new plan of care, created from the evaluation (or an IEP, which is the plan at a school)."""

    plan_id: str = Field(pattern=CLIENT_ID_PATTERN)
    patient_id: str = Field(pattern=CLIENT_ID_PATTERN)
    discipline: Discipline = Discipline.OT
    evaluation_date: date
    duration_days: StrictInt = Field(ge=1, le=366)
    written_order_on_file: bool = False
    low_vision: bool = False
    is_iep: bool = False
    iep_start: date | None = None
    iep_end: date | None = None


class PlanEventSubmission(StrictModel):
    """A later step of a plan: sent, certified, verbal order, signed, recertified, report filed ..."""

    kind: PlanEventKind
    event_date: date
    certifier_npi: str | None = Field(default=None, pattern=r"^\d{10}$")
    certifier_credential: str | None = Field(default=None, pattern=r"^[A-Z]{2,4}$")
    duration_days: StrictInt | None = Field(default=None, ge=1, le=366)
    reason: str | None = Field(default=None, max_length=500)


class AuthorizationSubmission(StrictModel):
    authorization_id: str = Field(pattern=CLIENT_ID_PATTERN)
    patient_id: str = Field(pattern=CLIENT_ID_PATTERN)
    payer_id: str = Field(min_length=1, max_length=64)
    unit: AuthorizationUnit = AuthorizationUnit.VISITS
    authorized: StrictInt = Field(ge=1, le=10000)
    start_date: date
    end_date: date


class EligibilityCheckSubmission(StrictModel):
    """Ask the patient's payer (one, or every payer of the patient) about coverage on a date (a 270)."""

    payer_id: str | None = Field(default=None, max_length=64, description="One of the patient's payers; all if absent.")
    date_of_service: date | None = Field(default=None, description="The date asked about; the business date if absent.")


class TherapySpendSubmission(StrictModel):
    """Prior therapy spend for one patient (in the URL, or ``patient_id`` in an import row)."""

    year: StrictInt = Field(description="Calendar year the amount counts toward (2019 to the business year).")
    discipline: str = Field(max_length=16, description="'ot', or 'pt_slp' (PT and SLP share one threshold).")
    amount: Decimal = Field(description="Allowed amounts applied by other providers that year, in dollars.")
    source: str = Field(max_length=32, description="'eligibility_271' or 'manual_entry'.")
    as_of: date = Field(description="The date the amount was current; not after the business date.")
