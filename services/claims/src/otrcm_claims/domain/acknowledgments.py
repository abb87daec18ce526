"""What the 999 and the 277CA say back about a batch: syntax acceptance, then claim acceptance.

Sources: ASC X12 005010X231A1 (999 implementation acknowledgment: AK1/AK2/IK3/IK4/IK5/AK9) and
005010X214 (277CA: 2200B TRN*2 echoes the 837 BHT03, 2200D TRN*2 echoes CLM01, REF*1K the payer's
claim control number, STC01 the claim status category and code). Copies of bad data (IK404) are
never kept: they may be PHI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

ACCEPTED_ACK_CODES = frozenset({"A", "E"})  # IK501/AK901: accepted, accepted with errors noted
REJECTED_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8", "DR03", "E0", "E1", "E2", "E3", "E4"})
ACCEPTED_CATEGORIES = frozenset({"A1", "A2", "A5", "DR01", "DR02"})


@dataclass(frozen=True, slots=True)
class ElementError:
    """IK4: element (and component/repeat) position, data element number and IK403 error code."""

    position: int
    component: int | None
    repeat: int | None
    data_element: str | None
    code: str


@dataclass(frozen=True, slots=True)
class SegmentError:
    """IK3: segment id, its position in the transaction set, loop id and IK304 error code."""

    segment_id: str
    position: int
    loop_id: str | None
    code: str | None
    element_errors: tuple[ElementError, ...] = ()
    claim_id: str | None = None  # from CTX*CLM01 when the sender names the claim in error


@dataclass(frozen=True, slots=True)
class TransactionSetAck:
    """AK2..IK5: one transaction set (one ST..SE of our 837) accepted or rejected, and why."""

    transaction_set_id: str
    control_number: str
    implementation: str | None
    code: str
    error_codes: tuple[str, ...]
    segment_errors: tuple[SegmentError, ...]

    @property
    def accepted(self) -> bool:
        return self.code in ACCEPTED_ACK_CODES


@dataclass(frozen=True, slots=True)
class FunctionalGroupAck:
    """AK1..AK9: the acknowledgment of one functional group (GS..GE) of ours, by group control number."""

    functional_id: str
    group_control_number: str
    version: str | None
    code: str
    included: int
    received: int
    accepted_count: int
    error_codes: tuple[str, ...]
    transaction_sets: tuple[TransactionSetAck, ...]

    @property
    def accepted(self) -> bool:
        return self.code in ACCEPTED_ACK_CODES


class ClaimOutcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNDETERMINED = "undetermined"


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One STC composite: category (A2, A7...), status code (claim status code list) and entity."""

    category: str
    code: str
    entity: str | None = None


def outcome_of(statuses: tuple[ClaimStatus, ...]) -> ClaimOutcome:
    """Rule: any rejecting category (A3, A4, A6-A8, E0-E4, DR03) rejects; otherwise A1/A2/A5 accept."""
    categories = {status.category for status in statuses}
    if categories & REJECTED_CATEGORIES:
        return ClaimOutcome.REJECTED
    if categories & ACCEPTED_CATEGORIES:
        return ClaimOutcome.ACCEPTED
    return ClaimOutcome.UNDETERMINED


@dataclass(frozen=True, slots=True)
class LineAcknowledgment:
    """2220D: a service line's status, matched by REF*FJ (our REF*6R line control number) when sent."""

    procedure_code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    statuses: tuple[ClaimStatus, ...]
    line_control_number: str | None

    @property
    def outcome(self) -> ClaimOutcome:
        return outcome_of(self.statuses)


@dataclass(frozen=True, slots=True)
class ClaimAcknowledgment:
    """2200D: one claim of a batch, named by its batch (2200B TRN02 = our BHT03) and CLM01 (TRN02)."""

    batch_reference: str
    claim_id: str
    statuses: tuple[ClaimStatus, ...]
    status_date: date | None
    total_charge: Decimal | None
    payer_claim_control_number: str | None
    clearinghouse_trace_number: str | None
    lines: tuple[LineAcknowledgment, ...] = ()

    @property
    def outcome(self) -> ClaimOutcome:
        return outcome_of(self.statuses)


@dataclass(frozen=True, slots=True)
class BatchAcknowledgment:
    """2200B: the receiver-level status of one of our batches (BHT03) and its claims."""

    batch_reference: str
    statuses: tuple[ClaimStatus, ...]
    claims: tuple[ClaimAcknowledgment, ...]

    def claim(self, claim_id: str) -> ClaimAcknowledgment | None:
        """The acknowledgment of one CLM01 in this batch, if the payer returned it."""
        return next((ack for ack in self.claims if ack.claim_id == claim_id), None)
