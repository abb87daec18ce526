"""Read the practice's X12 files with the claims service's readers: 837P claims (segments split by its reader),
835 payments (its ``parse_835``, its allowed-amount rule and its denial table), 999 and 277CA acknowledgments.

A file that cannot be read is skipped, named with the segment position where reading stopped; the others are
read. Nothing here keeps a name or birth date; the member id (NM1*IL NM109) is kept only to match claims to days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from otrcm_audit.domain.model import Acknowledgments, BilledClaim, BilledLine, PaidLine, Payment
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.x12.parse_277ca import parse_277ca
from otrcm_claims.adapters.x12.parse_835 import parse_835
from otrcm_claims.adapters.x12.parse_999 import parse_999
from otrcm_claims.adapters.x12.reader import ParsedSegment, X12ReadError, parse_d8, read_segments
from otrcm_claims.domain.acknowledgments import ClaimOutcome, outcome_of
from otrcm_claims.domain.denials import DenialCategorizer
from otrcm_claims.domain.posting import line_balance
from otrcm_claims.domain.remittance import ClaimPayment


class BadSegment(ValueError):
    def __init__(self, position: int, segment_id: str, problem: str) -> None:
        super().__init__(f"segment {position} ({segment_id}): {problem}")


@dataclass
class X12Inputs:
    claims: list[BilledClaim] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    acknowledgments: Acknowledgments = field(default_factory=Acknowledgments)
    skipped: list[str] = field(default_factory=list)
    files: int = 0


def files_in(directory: Path | None) -> Iterator[Path]:
    if directory is None:
        return iter(())
    return iter(sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="strict")


def payer_ids(profiles_file: Path | None) -> dict[str, str]:
    """X12 payer id (2010BB NM109) -> the payer profile id, from the claims service's billing profiles."""
    profiles = BillingProfiles.load(profiles_file)
    return {entry.x12_payer_id: payer_id for payer_id, entry in profiles.payers.items()}


def claims_file(path: Path, payers: dict[str, str]) -> X12Inputs:
    """The claims of one 837P file (payer ids mapped to payer profiles), or the file skipped by name."""
    found = X12Inputs(files=1)
    try:
        claims = claims_of(_text(path), path.name)
        found.claims = [replace(c, payer_id=payers.get(c.payer_id, c.payer_id)) for c in claims]
    except (X12ReadError, BadSegment, ValueError, OSError, UnicodeDecodeError) as error:
        found.skipped.append(f"{path.name}: 837P file skipped: {_why(error)}")
    return found


def _why(error: Exception) -> str:
    if isinstance(error, OSError | UnicodeDecodeError):
        return f"cannot be read ({type(error).__name__})"
    return str(error) or type(error).__name__


@dataclass
class _LineReading:
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: int
    lcn: str = ""
    date: date | None = None


@dataclass
class _Reading:
    file: str
    group: str = ""
    batch: str = ""
    created: date | None = None
    billing_npi: str = ""
    member_id: str = ""
    payer_id: str = ""
    claim: list[ParsedSegment] = field(default_factory=list)
    lines: list[_LineReading] = field(default_factory=list)


def claims_of(text: str, file: str) -> list[BilledClaim]:
    """Every 2300 claim of an 837P interchange with its 2400 lines."""
    reading, claims = _Reading(file), []
    level = ""
    for position, segment in enumerate(read_segments(text), start=1):
        try:
            sid = segment.id
            if sid == "GS":
                reading.group = segment.get(6)
            elif sid == "BHT":
                reading.batch, reading.created = segment.get(3), parse_d8(segment.get(4))
            elif sid == "HL":
                claims += _flush(reading)
                level = segment.get(3)
            elif sid == "NM1" and segment.get(1) == "85" and level == "20":
                reading.billing_npi = segment.get(9)
            elif sid == "NM1" and segment.get(1) == "IL":
                reading.member_id = segment.get(9)
            elif sid == "NM1" and segment.get(1) == "PR" and level in ("22", "23"):
                reading.payer_id = segment.get(9)
            elif sid == "CLM":
                claims += _flush(reading)
                reading.claim = [segment]
            elif sid == "SV1":
                code = segment.components(1)
                modifiers = tuple(m for m in code[2:6] if m)
                units = int(Decimal(segment.get(4) or "1"))
                reading.lines.append(_LineReading(code[1], modifiers, Decimal(segment.get(2)), units))
            elif sid == "DTP" and segment.get(1) == "472" and reading.lines:
                reading.lines[-1].date = _d8(segment.get(3).split("-")[0])
            elif sid == "REF" and segment.get(1) == "6R" and reading.lines:
                reading.lines[-1].lcn = segment.get(2)
            elif sid == "SE":
                claims += _flush(reading)
        except (IndexError, InvalidOperation, ValueError) as error:
            raise BadSegment(position, segment.id, type(error).__name__) from None
    claims += _flush(reading)
    if not reading.group and not claims:
        raise ValueError("no 837P functional group (GS) or claim (CLM) found")
    return claims


def _d8(text: str) -> date:
    """A CCYYMMDD date (the claims reader's ``parse_d8`` without strptime: one per claim line adds up)."""
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"not a CCYYMMDD date ({len(text)} characters)")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _flush(reading: _Reading) -> list[BilledClaim]:
    if not reading.claim:
        return []
    clm = reading.claim[0]
    if reading.created is None:
        raise ValueError("BHT04 (the creation date) is missing")
    lines = []
    for number, line in enumerate(reading.lines, start=1):
        if line.date is None:
            raise ValueError(f"claim line {number} has no DTP*472 service date")
        lines.append(BilledLine(line.lcn, line.code, line.modifiers, line.units, line.charge, line.date))
    frequency = clm.component(5, 3) or "1"
    claim = BilledClaim(
        clm.get(1),
        reading.payer_id,
        reading.member_id,
        reading.billing_npi,
        frequency,
        Decimal(clm.get(2)),
        tuple(lines),
        reading.file,
        reading.created,
        reading.group,
        reading.batch,
    )
    reading.claim, reading.lines = [], []
    return [claim]


def remits_file(path: Path) -> X12Inputs:
    """The payments of one 835 file, or the file skipped by name."""
    found = X12Inputs(files=1)
    try:
        remittances = parse_835(_text(path))
        if not remittances:
            raise ValueError("no 835 transaction set (ST*835) found")
    except (X12ReadError, ValueError, InvalidOperation, OSError, UnicodeDecodeError, IndexError) as error:
        found.skipped.append(f"{path.name}: 835 file skipped: {_why(error)}")
        return found
    categorizer = DenialCategorizer.builtin()
    for remittance in remittances:
        found.payments += [_payment(c, path.name, remittance.payment_date, categorizer) for c in remittance.claims]
    return found


def merged(parts: list[X12Inputs], acknowledgments: Acknowledgments) -> X12Inputs:
    """One reading of every file, in file order."""
    whole = X12Inputs(acknowledgments=acknowledgments)
    for part in parts:
        whole.claims += part.claims
        whole.payments += part.payments
        whole.skipped += part.skipped
        whole.files += part.files
    return whole


def _payment(claim: ClaimPayment, file: str, paid_on: date | None, categorizer: DenialCategorizer) -> Payment:
    lines = []
    for service in claim.lines:
        balance = line_balance(service.charge, service.paid, service.adjustments, service.allowed)
        denials = categorizer.line_findings(service)
        lines.append(
            PaidLine(
                service.procedure_code,
                service.modifiers,
                int(service.units),
                service.charge,
                service.paid,
                balance.allowed,
                service.line_control_number,
                tuple(f"{d.group}-{d.reason}" for d in denials),
            )
        )
    claim_denials = tuple(f"{d.group}-{d.reason}" for d in categorizer.claim_findings(claim) if d.line_index is None)
    return Payment(
        claim.claim_id,
        claim.status.value,
        claim.paid,
        claim.payer_claim_control_number,
        tuple(lines),
        claim_denials,
        file,
        paid_on,
    )


def read_acknowledgments(directory: Path) -> X12Inputs:
    """Every 999 and 277CA of ``directory``: the groups and claims accepted or rejected, the files skipped."""
    found = X12Inputs()
    groups_ok: set[str] = set()
    groups_bad: set[str] = set()
    claims_ok: set[str] = set()
    claims_bad: set[str] = set()
    for path in files_in(directory):
        found.files += 1
        try:
            text = _text(path)
            kinds = {segment.get(1) for segment in read_segments(text) if segment.id == "ST"}
            if "999" in kinds:
                for group in parse_999(text):
                    (groups_ok if group.accepted else groups_bad).add(group.group_control_number)
            if "277" in kinds:
                for batch in parse_277ca(text):
                    for claim in batch.claims:
                        outcome = outcome_of(claim.statuses)
                        if outcome is ClaimOutcome.REJECTED:
                            claims_bad.add(claim.claim_id)
                        elif outcome is ClaimOutcome.ACCEPTED:
                            claims_ok.add(claim.claim_id)
            if not kinds & {"999", "277"}:
                raise ValueError("neither a 999 nor a 277CA transaction set found")
        except (X12ReadError, ValueError, InvalidOperation, OSError, UnicodeDecodeError, IndexError) as error:
            found.skipped.append(f"{path.name}: acknowledgment file skipped: {_why(error)}")
    found.acknowledgments = Acknowledgments(
        frozenset(groups_ok), frozenset(groups_bad), frozenset(claims_ok), frozenset(claims_bad), read=True
    )
    return found
