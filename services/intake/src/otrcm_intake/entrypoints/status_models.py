"""The shapes of the front door's read answers that the status service computes (docs/adr/011), for the OpenAPI
document and as a filter: the door answers only the fields named here (an internal field such as the opaque patient
key is dropped). Dates are ISO dates, times ISO timestamps, amounts decimal strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

# A timestamp shown as the status service wrote it (ISO 8601 with its offset, "+00:00" for UTC).
Timestamp = Annotated[datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class HeldDay(_Answer):
    date_of_service: date
    encounter_ids: list[str]
    reason_codes: list[str] = Field(description="The gate's reasons this record resolves (POC_EXPIRED, ...).")
    messages: list[str] = Field(description="The gate's sentences for those reasons.")


class Holds(_Answer):
    days_held: int = Field(description="How many billing days are held waiting on this record.")
    days: list[HeldDay] = Field(description="Oldest first.")


class CertificationPeriod(_Answer):
    number: int = Field(description="0: the initial certification; n: the n-th recertification.")
    kind: str = Field(description="initial | recertification")
    start: date
    end: date = Field(description="The last day covered: the duration or 90 days, whichever is less.")
    method: str | None = Field(description="signature | verbal_order | recertification; null: not certified yet.")
    certified_on: date | None = Field(description="The date of the certification (signature or verbal order).")
    signed_on: date | None = Field(description="The signature date (null while a verbal order awaits it).")
    certifier_npi: str | None
    certifier_credential: str | None = Field(description="MD, DO, DPM, OD, PA, NP or CNS.")


class ProgressReports(_Answer):
    filed: int = Field(description="Progress reports filed so far.")
    last_filed_on: date | None
    period_started_on: date | None = Field(description="First treatment day since the last report (null: none).")
    treatment_days_in_period: int = Field(description="Treatment days since the last report (the evaluation counts).")
    treatment_days_left: int = Field(description="Treatment days that may be furnished before a report is due.")
    due_every_treatment_days: int = Field(description="The rule: a report at least every 10 treatment days.")
    overdue: bool = Field(description="More treatment days than the rule allows without a report.")


class PlanOfCare(_Answer):
    plan_id: str
    patient_id: str | None = Field(description="The client's patient id.")
    discipline: str
    is_iep: bool
    evaluation_date: date = Field(description="The first treatment (an IEP: its first day).")
    duration_days: int | None
    iep_end: date | None
    sent_on: date | None
    written_order_on_file: bool
    late_reason_recorded: bool
    discontinued_on: date | None
    certification_periods: list[CertificationPeriod]
    certified_through: date | None = Field(description="The last day the certified periods cover.")
    recertification_due_on: date | None = Field(description="The first day a recertification must cover.")
    treatment_days: int = Field(description="Distinct dates of service under the plan, the evaluation included.")
    progress_reports: ProgressReports | None = Field(description="Null for an IEP.")
    holds: Holds = Field(description="Billing days held waiting on this plan (certification, expiry, report).")
    steps_not_applied: list[str] = Field(description="Kinds of recorded steps the plan rules refused.")


class PlansOfCare(_Answer):
    plans_of_care: list[PlanOfCare]


class AuthorizationUse(_Answer):
    encounter_id: str
    date_of_service: date
    amount: int = Field(description="Visits (1) or units the encounter used.")


class Authorization(_Answer):
    authorization_id: str
    patient_id: str | None = Field(description="The client's patient id.")
    payer_id: str
    unit: str = Field(description="visits | units")
    authorized: int
    used: int
    left: int
    start_date: date
    end_date: date
    uses: list[AuthorizationUse] = Field(description="The encounters counted on it (cleared by the gate).")
    holds: Holds = Field(description="Billing days held because the payer's authorizations ran out.")


class Authorizations(_Answer):
    authorizations: list[Authorization]


class Alert(_Answer):
    condition_id: str
    kind: str = Field(description="recert-due, progress-report-due, certification-late, auth-nearly-used-up, ...")
    subject_id: str = Field(description="The plan, authorization or dataset the alert is about.")
    patient_id: str | None = Field(description="The client's patient id (null for a tenant-wide alert).")
    message: str
    due_on: date | None
    dataset: str | None
    year: int | None
    raised_at: Timestamp
    open: bool = Field(description="Still asks for something (see the status service's README for each kind).")


class Alerts(_Answer):
    total: int
    items: list[Alert]
    next_offset: int | None = Field(description="Where the next page starts; null on the last page.")


class Code(_Answer):
    code: str
    description: str | None = Field(description="In plain words; null for a code not in the table.")
    source: str | None


class AdjustmentLine(_Answer):
    group: Code = Field(description="CAS group: CO, PR, OA or PI.")
    reason: Code = Field(description="The CARC.")
    amount: Decimal
    remarks: list[Code] = Field(description="The RARCs.")
    category: str | None = Field(description="The denial category the claims service gave it.")
    denial: bool


class Balance(_Answer):
    charged: Decimal
    allowed: Decimal = Field(description="AMT*B6 when the payer sends it, else charged less CO/PI/OA adjustments.")
    paid: Decimal
    adjusted: Decimal = Field(description="Every adjustment, of every group.")
    patient_responsibility: Decimal = Field(description="The PR adjustments (for the claim: CLP05).")
    balanced: bool = Field(description="charged = paid + adjusted.")


class LinePosting(_Answer):
    line_key: str | None = Field(description="The billed line it pays; null when none matched.")
    line_control_number: str | None = Field(description="REF*6R as the payer echoed it.")
    procedure_code: str
    modifiers: list[str]
    service_date: date | None
    units: Decimal
    balance: Balance
    adjustments: list[AdjustmentLine] = Field(description="Group, CARC and RARCs in plain words.")
    expected_allowed: Decimal | None = Field(description="Our estimate of the allowed amount.")
    expected_paid: Decimal | None = Field(description="Expected allowed less the patient's share the payer reports.")
    variance: Decimal | None = Field(description="Paid less expected paid (negative: paid less than expected).")


class Posting(_Answer):
    trace_number: str = Field(description="TRN02: the check or EFT trace number.")
    payment_date: date | None = Field(description="BPR16: the check or EFT date.")
    payment_method: str = Field(description="BPR04: CHK, ACH, FWT, BOP or NON.")
    claim_status_code: str = Field(description="CLP02.")
    claim_status: str | None = Field(description="CLP02 in plain words.")
    payer_claim_control_number: str | None = Field(description="CLP07.")
    forwarded_to: str | None = Field(description="The payer the claim was crossed over to, when the 835 says so.")
    balance: Balance = Field(description="The claim's balance: charged, allowed, paid, adjusted, patient's share.")
    expected_paid: Decimal | None
    variance: Decimal | None = Field(description="Paid less expected paid, when every line's estimate is known.")
    claim_adjustments: list[AdjustmentLine] = Field(description="Claim-level adjustments (2100 CAS).")
    lines: list[LinePosting] = Field(description="Each service line as paid.")


class Remittance(_Answer):
    charge: Decimal | None
    paid: Decimal | None
    patient_responsibility: Decimal | None
    payer_claim_control_number: str | None
    denial_category: str | None
    denied_lines: list[str]
    adjustments: list[AdjustmentLine]
    denials: list[AdjustmentLine] = Field(description="The adjustments that are denials.")
    posting: Posting | None = Field(default=None, description="The payment posted line by line, with the balance.")


class ClaimStep(_Answer):
    revision: int
    status: str
    previous_status: str | None
    source: str = Field(description="batch, 999, 277ca, 835 or admin.")
    acknowledgment: str | None = Field(description="999, 277CA or 835 when an acknowledgment caused the step.")
    at: Timestamp
    reasons: list[str]
    remittance: Remittance | None = Field(description="An 835's payment and adjustments (adjudicated steps).")


class ClaimCorrection(_Answer):
    claim_id: str
    frequency: str = Field(description="7 replacement, 8 void.")


class Claim(_Answer):
    claim_id: str
    status: str
    revision: int
    payer_id: str
    day_keys: list[str]
    encounter_ids: list[str]
    reasons: list[str]
    denial_category: str | None
    updated_at: Timestamp
    frequency: str = Field(default="1", description="CLM05-3: 1 original, 7 replacement, 8 void.")
    replaces: str | None = Field(default=None, description="The claim this replacement or void corrects.")
    corrected_by: list[ClaimCorrection] = Field(
        default_factory=list, description="The replacements and voids of this claim (original -> replacement)."
    )
    history: list[ClaimStep] = Field(description="Every status step, by revision.")
    remittance: Remittance | None = Field(description="The claim's adjudication as it stands (the newest step's).")


class WorkItem(_Answer):
    encounter_id: str
    status: str = Field(description="held | claim_held")
    payer_id: str
    location_id: str | None
    reason_codes: list[str]
    reasons: list[dict[str, str]] = Field(description="Each reason's code, message, rule and releasing action.")
    claim_id: str | None
    held_since: Timestamp


class Worklist(_Answer):
    total: int
    counts_by_reason: dict[str, int]
    items: list[WorkItem] = Field(description="Oldest first.")
    next_offset: int | None = Field(description="Where the next page starts; null on the last page.")
    next_after: str | None = Field(
        default=None, description="Pass as `after` for the next page (keyset paging); null on the last page."
    )
