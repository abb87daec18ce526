"""Read who an interchange is from and to: the envelopes of a received acknowledgment, and the parties,
control numbers and billing providers of an 837P we sent (read back from the text we stored).

ISA05/06 sender and ISA07/08 receiver (ids are padded to 15: trailing spaces are dropped), GS02/GS03
application codes, GS06 group control number, ST02 transaction set control numbers, BHT03 the batch
reference; per claim (CLM01) the 2010AA billing provider NPI (NM1*85 NM109) and TIN (REF*EI).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from otrcm_claims.adapters.x12.reader import ParsedSegment, read_segments
from otrcm_claims.domain.addressing import BilledBy, Party, Payee, ReceivedEnvelope


def _isa_party(isa: ParsedSegment, qualifier_at: int) -> Party:
    return Party(isa.get(qualifier_at).strip(), isa.get(qualifier_at + 1).strip())


def received_envelopes(text: str) -> tuple[ReceivedEnvelope, ...]:
    """One :class:`ReceivedEnvelope` per GS, with the parties of the ISA it is in."""
    found = []
    isa: ParsedSegment | None = None
    for segment in read_segments(text):
        if segment.id == "ISA":
            isa = segment
        elif segment.id == "GS" and isa is not None:
            found.append(
                ReceivedEnvelope(_isa_party(isa, 5), _isa_party(isa, 7), segment.get(2).strip(), segment.get(3).strip())
            )
    return tuple(found)


def payees_of_835(text: str) -> tuple[Payee, ...]:
    """The 1000B payee of each 835 transaction set: N1*PE N103/N104 and the REF*TJ that follows it."""
    payees: list[Payee] = []
    in_payee = False
    for segment in read_segments(text):
        if segment.id == "N1":
            in_payee = segment.get(1) == "PE"
            if in_payee:
                payees.append(Payee(segment.get(3) or None, segment.get(4) or None, None))
        elif segment.id in ("LX", "CLP", "SE"):
            in_payee = False
        elif in_payee and segment.id == "REF" and segment.get(1) == "TJ":
            payees[-1] = Payee(payees[-1].qualifier, payees[-1].id, segment.get(2) or None)
    return tuple(payees)


@dataclass
class Sent837P:
    """The addressing facts of one 837P interchange as it was sent."""

    interchange_control_number: int
    sender: Party
    receiver: Party
    group_sender: str
    group_receiver: str
    group_control_number: int
    transaction_sets: list[str] = field(default_factory=list)
    batch_reference: str = ""
    billing: dict[str, BilledBy] = field(default_factory=dict)


def sent_837p(text: str) -> Sent837P:
    """Read the addressing facts back from an 837P interchange we rendered (one ISA, one GS)."""
    segments = read_segments(text)
    isa = next(segment for segment in segments if segment.id == "ISA")
    gs = next(segment for segment in segments if segment.id == "GS")
    sent = Sent837P(
        int(isa.get(13)),
        _isa_party(isa, 5),
        _isa_party(isa, 7),
        gs.get(2),
        gs.get(3),
        int(gs.get(6)),
    )
    npi = tin = ""
    for segment in segments:
        if segment.id == "ST":
            sent.transaction_sets.append(segment.get(2))
        elif segment.id == "BHT" and not sent.batch_reference:
            sent.batch_reference = segment.get(3)
        elif segment.id == "HL" and segment.get(3) == "20":
            npi = tin = ""
        elif segment.id == "NM1" and segment.get(1) == "85":
            npi = segment.get(9)
        elif segment.id == "REF" and segment.get(1) == "EI" and not tin:
            tin = segment.get(2)
        elif segment.id == "CLM":
            sent.billing[segment.get(1)] = BilledBy(npi, tin)
    return sent
