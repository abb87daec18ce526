"""277CA parsing: per claim accepted or rejected with STC codes, matched by our BHT03 and CLM01.

The 277CA is written by hand below, the way a payer acknowledges the two Medicare claims of our
batch ``BATCH-20250315-01`` (one accepted into adjudication, one rejected for an invalid billing
NPI), and is itself checked by pyx12 against 005010X214 before it is parsed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from otrcm_claims.adapters.x12 import acknowledgments_for, parse_277ca, validate_x12_text
from otrcm_claims.domain import ClaimOutcome, ClaimStatus

pytestmark = pytest.mark.unit

ISA = "ISA*00*          *00*          *ZZ*05302          *ZZ*SUB123         *250316*0900*^*00501*000000901*0*T*:~"
TWO_SEVEN_SEVEN_CA = (
    ISA
    + "GS*HN*05302*SUB123*20250316*0900*901*X*005010X214~"
    + "ST*277*0001*005010X214~"
    + "BHT*0085*08*RCPT0001*20250316*0900*TH~"
    + "HL*1**20*1~"
    + "NM1*PR*2*WPS MEDICARE PART B*****PI*05302~"
    + "TRN*1*RCPT0001~"
    + "DTP*050*D8*20250316~"
    + "DTP*009*D8*20250316~"
    + "HL*2*1*21*1~"
    + "NM1*41*2*MERIDIAN HAND AND OT*****46*SUB123~"
    + "TRN*2*BATCH-20250315-01~"
    + "STC*A1:19:PR*20250316*WQ*470~"
    + "QTY*90*1~"
    + "QTY*AA*1~"
    + "AMT*YU*235~"
    + "AMT*YY*235~"
    + "HL*3*2*19*1~"
    + "NM1*85*2*MERIDIAN HAND AND OT LLC*****XX*1234567893~"
    + "TRN*1*0~"
    + "STC*A1:19:PR**WQ*470~"
    + "HL*4*3*PT~"
    + "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73~"
    + "TRN*2*MCR-0001~"
    + "STC*A2:20:PR*20250316*WQ*235~"
    + "REF*1K*25075000123400~"
    + "REF*D9*CH77889900~"
    + "DTP*472*D8*20250314~"
    + "HL*5*3*PT~"
    + "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73~"
    + "TRN*2*MCR-0002~"
    + "STC*A7:562:85*20250316*U*235******A7:128:82~"
    + "DTP*472*D8*20250314~"
    + "SVC*HC:97530:GO:59:KX*120*****2~"
    + "STC*A7:21*20250316*U~"
    + "REF*FJ*MCR-0002-L2~"
    + "DTP*472*D8*20250314~"
    + "SE*36*0001~"
    + "GE*1*901~"
    + "IEA*1*000000901~"
)


def test_the_hand_written_277ca_is_valid_x12() -> None:
    report = validate_x12_text(TWO_SEVEN_SEVEN_CA)
    assert report.pyx12_valid, report.issues


def test_claims_are_matched_by_batch_reference_and_claim_id() -> None:
    [batch] = parse_277ca(TWO_SEVEN_SEVEN_CA)

    assert batch.batch_reference == "BATCH-20250315-01"  # our BHT03, echoed in 2200B TRN02
    assert batch.statuses == (ClaimStatus("A1", "19", "PR"),)
    assert [claim.claim_id for claim in acknowledgments_for((batch,), "BATCH-20250315-01")] == ["MCR-0001", "MCR-0002"]
    assert acknowledgments_for((batch,), "SOME-OTHER-BATCH") == ()

    accepted = batch.claim("MCR-0001")
    assert accepted is not None
    assert accepted.outcome is ClaimOutcome.ACCEPTED
    assert accepted.statuses == (ClaimStatus("A2", "20", "PR"),)
    assert accepted.payer_claim_control_number == "25075000123400"  # REF*1K, for the 835 and appeals
    assert accepted.clearinghouse_trace_number == "CH77889900"
    assert accepted.total_charge == Decimal("235")


def test_a_rejected_claim_carries_its_status_codes_and_line_statuses() -> None:
    [batch] = parse_277ca(TWO_SEVEN_SEVEN_CA)
    rejected = batch.claim("MCR-0002")

    assert rejected is not None
    assert rejected.outcome is ClaimOutcome.REJECTED
    assert rejected.statuses == (ClaimStatus("A7", "562", "85"), ClaimStatus("A7", "128", "82"))
    [line] = rejected.lines
    assert (line.procedure_code, line.modifiers, line.line_control_number) == (
        "97530",
        ("GO", "59", "KX"),
        "MCR-0002-L2",
    )
    assert line.outcome is ClaimOutcome.REJECTED
