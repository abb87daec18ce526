"""Read an 835 remittance advice (005010X221A1) with Decimal money.

Header: BPR (payment), TRN (trace), 1000A N1*PR payer, 1000B N1*PE payee. 2100 CLP with claim CAS
and MOA/MIA remarks; 2110 SVC (``HC:code:mods``, charge, paid, units, SVC06 as submitted), DTM*472,
CAS (group + up to six CARC/amount/quantity triplets), REF*6R, AMT*B6, LQ*HE (RARC); footer PLB
(up to six reason:reference/amount pairs). Patient and insured names (NM1) are not read; the crossover carrier
(NM1*TT, the payer the claim was forwarded to) is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otrcm_claims.adapters.x12.reader import ParsedSegment, parse_d8, read_segments, transaction_sets
from otrcm_claims.domain import (
    Adjustment,
    ClaimPayment,
    ClaimPaymentStatus,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)
from otrcm_claims.domain.money import decimal_or_zero

CAS_TRIPLETS = range(2, 20, 3)  # CAS02-04, CAS05-07, ... CAS17-19
PLB_PAIRS = range(3, 15, 2)  # PLB03/04 ... PLB13/14
MOA_REMARKS = range(3, 8)  # MOA03..MOA07
MIA_REMARKS = (5, 20, 21, 22, 23)  # MIA05, MIA20..MIA23


def adjustments_of(cas: ParsedSegment) -> list[Adjustment]:
    """Every reason/amount(/quantity) triplet of one CAS, all under its group code."""
    group = cas.get(1)
    found = []
    for start in CAS_TRIPLETS:
        reason = cas.get(start)
        if reason:
            amount, quantity = Decimal(cas.get(start + 1)), cas.get(start + 2)
            found.append(Adjustment(group, reason, amount, Decimal(quantity) if quantity else None))
    return found


def provider_adjustments_of(plb: ParsedSegment) -> list[ProviderAdjustment]:
    """Every reason:reference/amount pair of one PLB."""
    period = parse_d8(plb.get(2))
    if period is None:
        raise ValueError("PLB02 fiscal period date is required")
    found = []
    for start in PLB_PAIRS:
        parts = plb.components(start)
        if parts and parts[0]:
            reference = parts[1] if len(parts) > 1 and parts[1] else None
            found.append(ProviderAdjustment(plb.get(1), period, parts[0], reference, Decimal(plb.get(start + 1))))
    return found


@dataclass
class _Line:
    svc: ParsedSegment
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    line_control_number: str | None = None
    service_date: date | None = None
    allowed: Decimal | None = None

    def build(self) -> ServicePayment:
        code = self.svc.components(1)
        submitted = self.svc.components(6)
        units = self.svc.get(5)
        return ServicePayment(
            procedure_code=code[1] if len(code) > 1 else "",
            modifiers=tuple(m for m in code[2:6] if m),
            charge=Decimal(self.svc.get(2)),
            paid=Decimal(self.svc.get(3)),
            units=Decimal(units) if units else Decimal(1),
            adjustments=tuple(self.adjustments),
            remarks=tuple(self.remarks),
            line_control_number=self.line_control_number,
            service_date=self.service_date,
            allowed=self.allowed,
            submitted_code=submitted[1] if len(submitted) > 1 else None,
            submitted_modifiers=tuple(m for m in submitted[2:6] if m),
        )


@dataclass
class _Claim:
    clp: ParsedSegment
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)
    crossover_carrier: str | None = None

    def build(self) -> ClaimPayment:
        clp = self.clp
        return ClaimPayment(
            claim_id=clp.get(1),
            status=ClaimPaymentStatus(clp.get(2)),
            charge=Decimal(clp.get(3)),
            paid=Decimal(clp.get(4)),
            patient_responsibility=decimal_or_zero(clp.get(5)),
            filing_indicator=clp.get(6),
            payer_claim_control_number=clp.get(7),
            frequency=clp.get(9) or None,
            adjustments=tuple(self.adjustments),
            remarks=tuple(self.remarks),
            lines=tuple(line.build() for line in self.lines),
            crossover_carrier=self.crossover_carrier,
        )


def _line_segment(line: _Line, segment: ParsedSegment) -> None:
    if segment.id == "CAS":
        line.adjustments.extend(adjustments_of(segment))
    elif segment.id == "LQ" and segment.get(1) == "HE":
        line.remarks.append(segment.get(2))
    elif segment.id == "REF" and segment.get(1) == "6R":
        line.line_control_number = segment.get(2)
    elif segment.id == "DTM" and segment.get(1) in ("472", "150") and line.service_date is None:
        line.service_date = parse_d8(segment.get(2))
    elif segment.id == "AMT" and segment.get(1) == "B6":
        line.allowed = Decimal(segment.get(2))


def _claim_segment(claim: _Claim, segment: ParsedSegment) -> None:
    if segment.id == "CAS":
        claim.adjustments.extend(adjustments_of(segment))
    elif segment.id == "MOA":
        claim.remarks.extend(code for code in (segment.get(i) for i in MOA_REMARKS) if code)
    elif segment.id == "MIA":
        claim.remarks.extend(code for code in (segment.get(i) for i in MIA_REMARKS) if code)
    elif segment.id == "NM1" and segment.get(1) == "TT":  # crossover carrier: an organisation, never PHI
        claim.crossover_carrier = segment.get(3) or segment.get(9) or "crossover carrier"


def _read_set(segments: list[ParsedSegment]) -> Remittance:
    header: dict[str, ParsedSegment] = {}
    claims: list[_Claim] = []
    plbs: list[ProviderAdjustment] = []
    for segment in segments:
        if segment.id == "CLP":
            claims.append(_Claim(segment))
        elif segment.id == "SVC" and claims:
            claims[-1].lines.append(_Line(segment))
        elif segment.id == "PLB":
            plbs.extend(provider_adjustments_of(segment))
        elif claims and claims[-1].lines:
            _line_segment(claims[-1].lines[-1], segment)
        elif claims:
            _claim_segment(claims[-1], segment)
        elif segment.id in ("BPR", "TRN") or (segment.id == "N1" and segment.get(1) in ("PR", "PE")):
            header.setdefault(segment.id if segment.id != "N1" else f"N1{segment.get(1)}", segment)
        elif segment.id == "REF" and segment.get(1) == "2U":
            header.setdefault("REF2U", segment)
    return _remittance(header, claims, plbs)


def _remittance(header: dict[str, ParsedSegment], claims: list[_Claim], plbs: list[ProviderAdjustment]) -> Remittance:
    bpr, trn = header.get("BPR"), header.get("TRN")
    if bpr is None or trn is None:
        raise ValueError("an 835 needs BPR and TRN")
    payer, payee, ref_2u = header.get("N1PR"), header.get("N1PE"), header.get("REF2U")
    payer_id = (payer.get(4) if payer else "") or (ref_2u.get(2) if ref_2u else "") or trn.get(3)
    return Remittance(
        payment_amount=Decimal(bpr.get(2)),
        credit_debit=bpr.get(3),
        payment_method=bpr.get(4),
        payment_date=parse_d8(bpr.get(16)),
        trace_number=trn.get(2),
        payer_name=payer.get(2) if payer else "",
        payer_id=payer_id or None,
        payee_id=(payee.get(4) if payee else "") or None,
        claims=tuple(claim.build() for claim in claims),
        provider_adjustments=tuple(plbs),
    )


def parse_835(text: str) -> tuple[Remittance, ...]:
    """One :class:`Remittance` per 835 transaction set in the interchange."""
    return tuple(_read_set(one_set) for one_set in transaction_sets(read_segments(text), "835"))
