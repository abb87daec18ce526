"""The 837P loops of a secondary claim (005010X222A1): the other payer's adjudication, claim and line.

Source: ASC X12 005010X222A1: 2320 (SBR other subscriber information with the other payer's responsibility
sequence, CAS claim-level adjustments, AMT*D payer paid amount, OI), 2330A (NM1*IL other subscriber), 2330B (NM1*PR
other payer, PI id), 2430 (SVD line adjudication, CAS line adjustments, DTP*573 adjudication date, AMT*EAF remaining
patient liability); docs/billing-rules.md#13-secondary-claims. A claim without ``other_payer`` gets none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from otrcm_claims.adapters.x12.segments import Composite, Segment, seg
from otrcm_claims.domain import Claim, ServiceLine
from otrcm_claims.domain.money import CENT
from otrcm_shared.events.claims import Adjustment

SUBSCRIBER_IS_PATIENT = "18"
CAS_TRIPLETS_PER_SEGMENT = 6  # CAS02-04 ... CAS17-19


def _amount(value: Decimal) -> str:
    """An X12 R amount: cents, no trailing zeros after the point (as the rest of the 837P writes them)."""
    text = format(value.quantize(CENT), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _quantity(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def adjustment_segments(adjustments: Sequence[Adjustment]) -> list[Segment]:
    """CAS: one per group code (first-seen order), up to six reason/amount pairs each, more in another CAS."""
    by_group: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        by_group.setdefault(adjustment.group, []).append(adjustment)
    segments = []
    for group, found in by_group.items():
        for start in range(0, len(found), CAS_TRIPLETS_PER_SEGMENT):
            triplets: list[str | None] = []
            for adjustment in found[start : start + CAS_TRIPLETS_PER_SEGMENT]:
                triplets += [adjustment.carc, _amount(adjustment.amount), None]
            segments.append(seg("CAS", group, *triplets[:-1]))
    return segments


def other_subscriber_loops(claim: Claim) -> list[Segment]:
    """2320 SBR, CAS, AMT*D, OI; 2330A NM1*IL (MI member id); 2330B NM1*PR (PI payer id)."""
    other = claim.other_payer
    if other is None:
        return []
    name = other.subscriber
    return [
        seg(
            "SBR",
            other.responsibility,
            SUBSCRIBER_IS_PATIENT,
            other.group_number,
            None,
            None,
            None,
            None,
            None,
            other.filing_indicator.value,
        ),
        *adjustment_segments(other.claim_adjustments),
        seg("AMT", "D", _amount(other.paid)),
        seg("OI", None, None, "Y", None, None, "Y"),
        seg("NM1", "IL", "1", name.last, name.first, name.middle, None, name.suffix, "MI", other.member_id),
        seg("NM1", "PR", "2", other.name, None, None, None, None, "PI", other.payer_id),
    ]


def line_adjudication_loop(line: ServiceLine, claim: Claim) -> list[Segment]:
    """2430 SVD (other payer id, paid, HC:code:modifiers, units), CAS, DTP*573, AMT*EAF when the patient owes."""
    other = claim.other_payer
    found = other.lines.get(line.line_control_number) if other is not None else None
    if other is None or found is None:
        return []
    segments = [
        seg(
            "SVD",
            other.payer_id,
            _amount(found.paid),
            Composite.of("HC", found.procedure_code, *found.modifiers),
            None,
            _quantity(found.units),
        ),
        *adjustment_segments(found.adjustments),
        seg("DTP", "573", "D8", _d8(found.adjudicated_on)),
    ]
    if found.patient_responsibility > 0:
        segments.append(seg("AMT", "EAF", _amount(found.patient_responsibility)))
    return segments
