"""Coordination of benefits: which coverage pays second, whether the primary already crossed the claim over, and
the primary's adjudication a secondary claim carries. Pure.

Source: ASC X12 005010X222A1 (2000B SBR01 payer responsibility sequence; 2320 SBR, CAS, AMT*D, OI; 2330A
NM1*IL; 2330B NM1*PR; 2430 SVD, CAS, DTP*573, AMT*EAF) and 005010X221A1 (CLP02 19/20/21, NM1*TT crossover
carrier); docs/billing-rules.md#13-secondary-claims.

- A patient's coverages are listed in order of payer responsibility: the first pays first. The secondary of a
  claim is the coverage listed after the claim's payer, in force on the date of service.
- A primary whose 835 says it forwarded the claim (a crossover: CLP02 19/20/21, NM1*TT, or the remark MA18 or
  MA07) has sent it to the secondary itself: no secondary claim is sent.
- The secondary claim bills the same lines; each carries the primary's adjudication of the line it matches (by
  the billed line's key), and the claim the primary's paid amount and claim-level adjustments.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from otrcm_claims.domain.grouping import CLAIM_ID_LENGTH
from otrcm_claims.domain.parties import ClaimFilingIndicator, PersonName
from otrcm_shared.events.claims import Adjustment, PaymentPosting
from otrcm_shared.events.patients import Coverage, PatientRecorded


class PayerResponsibility:
    """SBR01 payer responsibility sequence number codes (X222A1 2000B and 2320 SBR01)."""

    PRIMARY = "P"
    SECONDARY = "S"
    TERTIARY = "T"


@dataclass(frozen=True, slots=True)
class LineAdjudication:
    """2430: how the other payer adjudicated one line (SVD paid, CAS, DTP*573, AMT*EAF remaining patient share)."""

    procedure_code: str
    modifiers: tuple[str, ...]
    paid: Decimal
    units: Decimal
    adjustments: tuple[Adjustment, ...]
    adjudicated_on: date
    patient_responsibility: Decimal


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """2320 / 2330A / 2330B: the payer that adjudicated first, its subscriber, and what it paid on the claim.

    ``lines`` is keyed by the billed line's key (:func:`primary_adjudication`), then by the secondary claim's line
    control numbers (:func:`keyed_by_control_number`); ``filing_indicator`` is the other payer's SBR09."""

    name: str
    payer_id: str
    filing_indicator: ClaimFilingIndicator
    subscriber: PersonName
    member_id: str
    group_number: str | None
    paid: Decimal
    claim_adjustments: tuple[Adjustment, ...]
    patient_responsibility: Decimal
    lines: Mapping[str, LineAdjudication]
    responsibility: str = PayerResponsibility.PRIMARY


def secondary_claim_id_for(primary_claim_id: str, secondary_payer_id: str) -> str:
    """The secondary claim's CLM01: opaque and deterministic like every claim id (no PHI)."""
    natural = f"{primary_claim_id}|secondary|{secondary_payer_id}"
    return "C" + hashlib.sha256(natural.encode()).hexdigest()[: CLAIM_ID_LENGTH - 1].upper()


def in_force(coverage: Coverage, day: date) -> bool:
    starts, ends = coverage.effective_from, coverage.effective_to
    return (starts is None or starts <= day) and (ends is None or day <= ends)


def secondary_coverage(patient: PatientRecorded, primary_payer_id: str, day: date) -> Coverage | None:
    """Rule: the first coverage listed after the primary's, in force on ``day`` and of another payer."""
    payers = [coverage.payer_id for coverage in patient.coverages]
    if primary_payer_id not in payers:
        return None
    after = patient.coverages[payers.index(primary_payer_id) + 1 :]
    return next((c for c in after if c.payer_id != primary_payer_id and in_force(c, day)), None)


def crossed_over(posting: PaymentPosting) -> bool:
    """Rule: the primary forwarded the claim itself (CLP02 19/20/21 or NM1*TT): it is not submitted again."""
    return posting.forwarded_to is not None


def primary_adjudication(
    posting: PaymentPosting,
    *,
    name: str,
    payer_id: str,
    filing_indicator: ClaimFilingIndicator,
    subscriber: PersonName,
    coverage: Coverage,
    adjudicated_on: date,
) -> OtherPayer:
    """The primary's adjudication as the secondary claim carries it; ``adjudicated_on`` is the 835's payment date
    (BPR16), or the day it was read when the 835 has none."""
    on = posting.payment_date or adjudicated_on
    lines = {
        line.line_key: LineAdjudication(
            procedure_code=line.procedure_code,
            modifiers=line.modifiers,
            paid=line.balance.paid,
            units=line.units,
            adjustments=line.adjustments,
            adjudicated_on=on,
            patient_responsibility=line.balance.patient_responsibility,
        )
        for line in posting.lines
        if line.line_key is not None
    }
    return OtherPayer(
        name=name,
        payer_id=payer_id,
        filing_indicator=filing_indicator,
        subscriber=subscriber,
        member_id=coverage.member_id,
        group_number=coverage.group_number,
        paid=posting.balance.paid,
        claim_adjustments=posting.claim_adjustments,
        patient_responsibility=posting.balance.patient_responsibility,
        lines=lines,
    )


def unbalanced(other: OtherPayer, total_charge: Decimal) -> str | None:
    """Rule (X222A1 2320 and 2430): CLM02 less every claim and line adjustment of the other payer is what it
    paid (AMT*D), and AMT*D is the sum of the lines' SVD02. The problem in words, or None when it balances."""
    line_adjusted = sum((a.amount for line in other.lines.values() for a in line.adjustments), Decimal(0))
    adjusted = sum((a.amount for a in other.claim_adjustments), Decimal(0)) + line_adjusted
    lines_paid = sum((line.paid for line in other.lines.values()), Decimal(0))
    if total_charge - adjusted != other.paid or (other.lines and lines_paid != other.paid):
        return (
            f"coordination: the primary's adjudication does not balance (charge {total_charge}, adjusted "
            f"{adjusted}, paid {other.paid}, lines paid {lines_paid}); post the 835 again or correct it by hand"
        )
    return None


def keyed_by_control_number(other: OtherPayer, control_number_of: Mapping[str, str]) -> tuple[OtherPayer, list[str]]:
    """The adjudication keyed by the secondary claim's line control numbers (``control_number_of`` its line keys),
    and the line keys the primary's 835 did not adjudicate (such a claim cannot be sent as coordinated)."""
    missing = [key for key in control_number_of if key not in other.lines]
    lines = {number: other.lines[key] for key, number in control_number_of.items() if key in other.lines}
    return replace(other, lines=lines), missing
