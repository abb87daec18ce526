"""Is this acknowledgment ours? Match a received 999, 277CA or 835 to what one tenant sent. Pure.

An acknowledgment answers one interchange: it travels back with the parties swapped, so its ISA07/ISA08
(and GS03) name our interchange sender and, for a 999, its ISA05/ISA06 (and GS02) name the party we sent
to. Inside, the control numbers echo ours: 999 AK102 our GS06 and AK202 our ST02 (ASC X12 005010X231A1),
277CA 2200B TRN02 our BHT03 and 2200D TRN02 our CLM01 (005010X214), 835 CLP01 our CLM01, REF*6R our line
control numbers and 1000B N1*PE / REF*TJ our billing provider's NPI and TIN (005010X221A1).

Each ``why_...`` function returns the reasons a part is not ours (empty: it is ours). Reasons name ids,
qualifiers and control numbers only, never PHI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from otrcm_claims.domain.acknowledgments import FunctionalGroupAck

SYNTAX_ACK_FUNCTIONAL_ID = "HC"  # AK101: the functional group we send is a health care claim (837)


@dataclass(frozen=True, slots=True)
class Party:
    """An interchange id with its qualifier (ISA05/06 or ISA07/08), e.g. ``ZZ:SUB123``."""

    qualifier: str
    id: str

    def __str__(self) -> str:
        return f"{self.qualifier}:{self.id}"


@dataclass(frozen=True, slots=True)
class ReceivedEnvelope:
    """One ISA and one of its GS as received: who sent it (ISA05/06, GS02) and to whom (ISA07/08, GS03)."""

    sender: Party
    receiver: Party
    group_sender: str
    group_receiver: str


@dataclass(frozen=True, slots=True)
class BilledBy:
    """The billing provider a claim was sent for (837P 2010AA NM109 NPI and REF*EI TIN)."""

    npi: str
    tin: str


@dataclass(frozen=True, slots=True)
class SentInterchange:
    """What one tenant sent in one 837P interchange: parties, control numbers, batch and claims."""

    tenant_id: str
    interchange_control_number: int
    group_control_number: int
    transaction_sets: tuple[str, ...]  # ST02 of each 837
    sender: Party
    receiver: Party
    group_sender: str
    group_receiver: str
    batch_reference: str  # BHT03
    billing: Mapping[str, BilledBy] = field(default_factory=dict)  # CLM01 -> billing provider

    @property
    def claim_ids(self) -> frozenset[str]:
        return frozenset(self.billing)


@dataclass(frozen=True, slots=True)
class Payee:
    """835 1000B: N103 id qualifier (XX NPI, FI TIN, XV plan id), N104 and REF*TJ (the payee's TIN)."""

    qualifier: str | None
    id: str | None
    tin: str | None


def why_not_addressed_to_our_submitter(envelopes: Sequence[ReceivedEnvelope], sent: SentInterchange) -> list[str]:
    """Every ISA07/ISA08 must be our ISA05/ISA06 and every GS03 our GS02 (X231A1, X214, X221A1 envelopes:
    the acknowledgment is sent to the submitter of the interchange it answers)."""
    if not envelopes:
        return ["no ISA/GS envelope"]
    reasons = []
    for envelope in envelopes:
        if envelope.receiver != sent.sender:
            reasons.append(f"ISA07/08 {envelope.receiver} is not our submitter {sent.sender}")
        if envelope.group_receiver != sent.group_sender:
            reasons.append(f"GS03 {envelope.group_receiver} is not our application sender {sent.group_sender}")
    return _unique(reasons)


def why_not_from_our_receiver(envelopes: Sequence[ReceivedEnvelope], sent: SentInterchange) -> list[str]:
    """A 999 comes from the party that received our 837P: ISA05/ISA06 our ISA07/ISA08, GS02 our GS03
    (005010X231A1: the 999 acknowledges the functional group that party received)."""
    reasons = []
    for envelope in envelopes:
        if envelope.sender != sent.receiver:
            reasons.append(f"ISA05/06 {envelope.sender} is not our receiver {sent.receiver}")
        if envelope.group_sender != sent.group_receiver:
            reasons.append(f"GS02 {envelope.group_sender} is not our application receiver {sent.group_receiver}")
    return _unique(reasons)


def why_a_999_group_is_not_ours(
    envelopes: Sequence[ReceivedEnvelope], group: FunctionalGroupAck, sent: SentInterchange | None
) -> list[str]:
    """A 999 AK1..AK9 is ours when AK101 is HC, AK102 is the GS06 of an interchange we sent, the envelope
    goes from that interchange's receiver to its sender, and every AK202 is an ST02 of it (005010X231A1)."""
    named = f"999 AK1 group {group.group_control_number or '(none)'}"
    if sent is None:
        return [f"{named}: no functional group we sent has this control number"]
    reasons = []
    if group.functional_id != SYNTAX_ACK_FUNCTIONAL_ID:
        reasons.append(f"{named}: AK101 {group.functional_id} is not {SYNTAX_ACK_FUNCTIONAL_ID}")
    reasons += why_not_addressed_to_our_submitter(envelopes, sent)
    reasons += why_not_from_our_receiver(envelopes, sent)
    icn = sent.interchange_control_number
    reasons += [
        f"{named}: AK202 {ts.control_number} is not a transaction set of interchange {icn:09d}"
        for ts in group.transaction_sets
        if ts.control_number not in sent.transaction_sets
    ]
    return [reason if reason.startswith(named) else f"{named}: {reason}" for reason in reasons]


def why_a_277ca_claim_is_not_ours(
    envelopes: Sequence[ReceivedEnvelope], batch_reference: str, claim_id: str | None, sent: SentInterchange | None
) -> list[str]:
    """A 277CA claim is ours when 2200B TRN02 is a BHT03 we sent, the envelope is addressed to the sender of
    that interchange, and 2200D TRN02 is a CLM01 of that batch (005010X214)."""
    named = f"277CA batch {batch_reference or '(none)'}"
    if sent is None:
        return [f"{named}: no batch we sent has this reference"]
    reasons = [f"{named}: {reason}" for reason in why_not_addressed_to_our_submitter(envelopes, sent)]
    if claim_id is not None and claim_id not in sent.claim_ids:
        reasons.append(f"{named}: claim {claim_id} is not a claim of this batch")
    return reasons


def why_an_835_claim_is_not_ours(
    envelopes: Sequence[ReceivedEnvelope],
    payee: Payee,
    claim_id: str,
    line_control_numbers: Sequence[str],
    sent: SentInterchange | None,
    billed_lines: Sequence[str],
) -> list[str]:
    """An 835 CLP is ours when CLP01 is a CLM01 we sent, the envelope is addressed to the sender of its
    interchange, the payee (1000B N1*PE N104 by N103 XX or FI, and REF*TJ) is the claim's billing provider,
    and every REF*6R is one of the claim's line control numbers (005010X221A1)."""
    named = f"835 CLP {claim_id}"
    billed = sent.billing.get(claim_id) if sent is not None else None
    if sent is None or billed is None:
        return [f"{named}: no claim we sent has this CLP01"]
    reasons = [f"{named}: {reason}" for reason in why_not_addressed_to_our_submitter(envelopes, sent)]
    if payee.qualifier == "XX" and payee.id != billed.npi:
        reasons.append(f"{named}: payee NPI {payee.id} is not the billing NPI {billed.npi}")
    elif payee.qualifier == "FI" and payee.id != billed.tin:
        reasons.append(f"{named}: payee TIN {payee.id} is not the billing TIN {billed.tin}")
    elif payee.qualifier not in ("XX", "FI"):
        reasons.append(f"{named}: payee N103 {payee.qualifier or '(none)'} names neither an NPI nor a TIN")
    if payee.tin is not None and payee.tin != billed.tin:
        reasons.append(f"{named}: payee REF*TJ {payee.tin} is not the billing TIN {billed.tin}")
    reasons += [
        f"{named}: REF*6R {number} is not a line control number of this claim"
        for number in line_control_numbers
        if number not in billed_lines
    ]
    return reasons


def _unique(reasons: list[str]) -> list[str]:
    return list(dict.fromkeys(reasons))
