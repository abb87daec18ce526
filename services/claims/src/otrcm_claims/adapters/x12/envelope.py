"""The interchange envelope: ISA/GS/ST around transaction sets, SE/GE/IEA with counts from the output.

Source: ASC X12 005010 control segments (ISA fixed width, 106 characters with its terminator;
ISA13 and IEA02 the nine-digit control number; GS06/GE02; ST02/SE02); docs/billing-rules.md#11-x12 (SE01 counts
ST..SE). Counts are never kept by hand: they are counted from the segments being closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from otrcm_claims.adapters.x12.segments import Segment, Separators, seg

MAX_CONTROL_NUMBER = 999_999_999
ISA_LENGTH = 106
ISA_FIELD_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)


class Usage(StrEnum):
    """ISA15: production or test data."""

    PRODUCTION = "P"
    TEST = "T"


@dataclass(frozen=True, slots=True)
class InterchangeParty:
    """ISA05/06 (or 07/08) qualifier and id, and the GS02/GS03 application code (the id by default)."""

    qualifier: str
    id: str
    application_code: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= len(self.id) <= 15 or len(self.qualifier) != 2:
            raise ValueError("an interchange id is 1-15 characters with a 2-character qualifier")

    @property
    def gs_code(self) -> str:
        return self.application_code or self.id


@dataclass(frozen=True, slots=True)
class TradingPartners:
    """Who sends and who receives the interchange, and whether it is test or production."""

    sender: InterchangeParty
    receiver: InterchangeParty
    usage: Usage = Usage.PRODUCTION
    acknowledgment_requested: bool = False


@dataclass(frozen=True, slots=True)
class ControlNumbers:
    """ISA13/IEA02, GS06/GE02 and the first ST02/SE02; unique per partner, kept by the service layer."""

    interchange: int
    group: int
    transaction_set: int = 1

    def __post_init__(self) -> None:
        for number in (self.interchange, self.group, self.transaction_set):
            if not 1 <= number <= MAX_CONTROL_NUMBER:
                raise ValueError("control numbers are 1 to 999999999")


def isa(partners: TradingPartners, control: ControlNumbers, created_at: datetime, separators: Separators) -> Segment:
    """ISA with every field at its fixed width (ISA02/ISA04 ten spaces, ids padded to 15)."""
    return seg(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        partners.sender.qualifier,
        partners.sender.id.ljust(15),
        partners.receiver.qualifier,
        partners.receiver.id.ljust(15),
        created_at.strftime("%y%m%d"),
        created_at.strftime("%H%M"),
        separators.repetition,
        "00501",
        f"{control.interchange:09d}",
        "1" if partners.acknowledgment_requested else "0",
        partners.usage.value,
        separators.component,
    )


def gs(
    functional_id: str, version: str, partners: TradingPartners, control: ControlNumbers, created_at: datetime
) -> Segment:
    """GS: functional id (HC for 837), application codes, date CCYYMMDD, time HHMM, GS06, X, GS08."""
    return seg(
        "GS",
        functional_id,
        partners.sender.gs_code,
        partners.receiver.gs_code,
        created_at.strftime("%Y%m%d"),
        created_at.strftime("%H%M"),
        str(control.group),
        "X",
        version,
    )


def transaction_set(set_id: str, control_number: int, version: str, body: Sequence[Segment]) -> list[Segment]:
    """ST + body + SE, SE01 being the number of segments from ST to SE inclusive."""
    number = f"{control_number:04d}"
    segments = [seg("ST", set_id, number, version), *body]
    return [*segments, seg("SE", str(len(segments) + 1), number)]


def interchange(
    header: Segment, group_header: Segment, transaction_sets: Sequence[Sequence[Segment]], control: ControlNumbers
) -> list[Segment]:
    """ISA + GS + the transaction sets + GE + IEA; GE01 counts the ST segments, IEA01 the GS segments."""
    inner = [segment for one_set in transaction_sets for segment in one_set]
    group = [group_header, *inner]
    ge = seg("GE", str(sum(1 for segment in group if segment.id == "ST")), str(control.group))
    body = [*group, ge]
    iea = seg("IEA", str(sum(1 for segment in body if segment.id == "GS")), f"{control.interchange:09d}")
    return [header, *body, iea]


def isa_text_is_fixed_width(text: str) -> bool:
    """Rule: ISA is 106 characters with its terminator, each of its 16 fields at its fixed width."""
    if len(text) < ISA_LENGTH or not text.startswith("ISA"):
        return False
    fields = text[: ISA_LENGTH - 1].split(text[3])
    terminator = text[ISA_LENGTH - 1]
    return terminator not in text[: ISA_LENGTH - 1] and tuple(len(field) for field in fields[1:]) == ISA_FIELD_WIDTHS
