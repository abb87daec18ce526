"""999 parsing: per transaction set accepted or rejected, with IK3/IK4/IK5 and AK9 codes.

The 999 is written by hand below (as a clearinghouse would send it for two of our 837 transaction
sets) and is itself checked by pyx12 against 005010X231A1 before it is parsed.
"""

from __future__ import annotations

import pytest

from otrcm_claims.adapters.x12 import parse_999, validate_x12_text
from otrcm_claims.domain import ElementError, SegmentError

pytestmark = pytest.mark.unit

ISA = "ISA*00*          *00*          *ZZ*CH01           *ZZ*SUB123         *250316*0800*^*00501*000000777*0*T*:~"
NINE_NINE_NINE = (
    ISA
    + "GS*FA*CH01*SUB123*20250316*0800*777*X*005010X231A1~"
    + "ST*999*0001*005010X231A1~"
    + "AK1*HC*1*005010X222A1~"
    + "AK2*837*0001*005010X222A1~"
    + "IK5*A~"
    + "AK2*837*0002*005010X222A1~"
    + "IK3*NM1*8*2010*8~"
    + "CTX*CLM01:MCR-0002~"
    + "IK4*9*67*7*1234567890~"
    + "IK3*DMG*17*2010*8~"
    + "IK4*2*1251*8*19481307~"
    + "IK5*R*5~"
    + "AK9*P*2*2*1~"
    + "SE*13*0001~"
    + "GE*1*777~"
    + "IEA*1*000000777~"
)


def test_the_hand_written_999_is_valid_x12() -> None:
    report = validate_x12_text(NINE_NINE_NINE)
    assert report.pyx12_valid, report.issues


def test_each_transaction_set_is_accepted_or_rejected_with_its_errors() -> None:
    [group] = parse_999(NINE_NINE_NINE)

    assert (group.functional_id, group.group_control_number, group.version) == ("HC", "1", "005010X222A1")
    assert (group.code, group.included, group.received, group.accepted_count) == ("P", 2, 2, 1)
    assert not group.accepted  # partially accepted is not accepted as a whole
    first, second = group.transaction_sets
    assert (first.control_number, first.accepted, first.segment_errors) == ("0001", True, ())
    assert (second.control_number, second.accepted, second.code, second.error_codes) == ("0002", False, "R", ("5",))
    assert second.segment_errors == (
        SegmentError("NM1", 8, "2010", "8", (ElementError(9, None, None, "67", "7"),), claim_id="MCR-0002"),
        SegmentError("DMG", 17, "2010", "8", (ElementError(2, None, None, "1251", "8"),)),
    )


def test_copies_of_bad_data_are_not_kept() -> None:
    [group] = parse_999(NINE_NINE_NINE)
    assert "19481307" not in repr(group)
