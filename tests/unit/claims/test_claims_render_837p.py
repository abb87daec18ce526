"""837P rendering: three payers' claims rendered, then validated by pyx12 in the test itself.

Each claim must come out with no project issue and pyx12's verdict True (no error in its error
tree, a 999 that accepts the transaction set). The segment assertions check the loops the brief
names: HI ABK/ABF without dots, SV1 composites, 2310A/2310B, 2000C, REF*6R, counts from the output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from otrcm_claims.adapters.x12 import ControlNumbers, render_837p, validate_837p
from otrcm_claims.adapters.x12.envelope import isa_text_is_fixed_width
from otrcm_claims.domain import Address, Claim
from tests.unit.claims.builders import (
    CLINIC,
    CREATED_AT,
    PARTNERS,
    RECEIVER,
    SUBMITTER,
    commercial_dependent_claim,
    medicare_claim,
    mo_healthnet_school_claim,
    render,
    segments_of,
)

pytestmark = pytest.mark.unit

BUILDERS: dict[str, Callable[[], Claim]] = {
    "medicare": medicare_claim,
    "mo_healthnet_school": mo_healthnet_school_claim,
    "commercial_dependent": commercial_dependent_claim,
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_payers_claim_passes_pyx12_and_the_project_checks(kind: str) -> None:
    claim = BUILDERS[kind]()
    rendered = render(claim)

    report = validate_837p([claim], rendered)

    assert report.pyx12_valid is True
    assert report.issues == ()
    assert report.passed
    [group] = report.acknowledgments  # the 999 pyx12 wrote for our group
    assert group.code == "A"
    assert [(ts.control_number, ts.code) for ts in group.transaction_sets] == [("0001", "A")]


def test_medicare_claim_segments() -> None:
    segments = segments_of(render(medicare_claim()).text)

    assert "SBR*P*18*******MB" in segments
    assert "DMG*D8*19480307*F" in segments
    assert "CLM*MCR-0001*235***11:B:1*Y*A*Y*Y" in segments
    assert "HI*ABK:M6281*ABF:R278" in segments  # principal ABK, others ABF, no dots
    assert "NM1*DN*1*WREN*DANA*Q***XX*1245319599" in segments  # 2310A certifying physician
    assert "NM1*82*1*FINCH*TERRY****XX*1122334455" in segments  # 2310B: differs from billing
    assert "PRV*PE*PXC*225X00000X" in segments
    assert "SV1*HC:97530:GO:59:KX*120*UN*2***1:2" in segments
    assert "SV1*HC:97110:GO:CO:KX*55*UN*1***2" in segments
    assert segments.count("DTP*472*D8*20250314") == 3  # on every line
    assert [s for s in segments if s.startswith("REF*6R")] == [
        "REF*6R*MCR-0001-L1",
        "REF*6R*MCR-0001-L2",
        "REF*6R*MCR-0001-L3",
    ]
    assert [s for s in segments if s.startswith("LX")] == ["LX*1", "LX*2", "LX*3"]


def test_a_pay_to_address_goes_in_2010ab_after_the_billing_provider_and_passes_pyx12() -> None:
    pay_to = Address("PO BOX 4410", "COLUMBIA", "MO", "65205")
    claim = replace(medicare_claim(), billing_provider=replace(CLINIC, pay_to=pay_to))
    rendered = render(claim)
    segments = segments_of(rendered.text)

    at = segments.index("REF*EI*431234567")
    assert segments[at + 1 : at + 4] == ["NM1*87*2", "N3*PO BOX 4410", "N4*COLUMBIA*MO*65205"]
    assert validate_837p([claim], rendered).passed
    assert "NM1*87*2" not in segments_of(render(medicare_claim()).text), "no 2010AB without a pay-to address"


def test_school_claim_carries_place_of_service_03_and_prior_authorization() -> None:
    segments = segments_of(render(mo_healthnet_school_claim()).text)

    assert "CLM*MHN-0001*159***03:B:1*Y*A*Y*Y" in segments
    assert "SBR*P*18*******MC" in segments
    assert "REF*G1*PA55501" in segments
    assert "SV1*HC:97530:GO:CO*64*UN*2***1" in segments


def test_dependent_claim_has_a_patient_loop_and_no_rendering_loop_when_npi_equals_billing() -> None:
    segments = segments_of(render(commercial_dependent_claim()).text)

    assert "HL*2*1*22*1" in segments  # subscriber has a child level
    assert "SBR*P**GRP4455******CI" in segments  # SBR02 empty: the subscriber is not the patient
    assert "HL*3*2*23*0" in segments
    assert "PAT*19" in segments
    assert "NM1*QC*1*LARKSPUR*PIP" in segments
    assert not any(s.startswith("DMG") for s in segments[: segments.index("HL*3*2*23*0")])
    assert "CLM*COM-0001*155***11:B:7*Y*A*Y*Y" in segments
    assert "REF*F8*GMH2025000111" in segments
    assert not any(s.startswith("NM1*82") for s in segments)
    assert "SV1*HC:97140:GO*40*UN*1*12**2" in segments  # line POS only because it differs


def test_envelope_is_fixed_width_and_counts_come_from_the_output() -> None:
    rendered = render(medicare_claim(), interchange=42)
    text = rendered.text
    segments = segments_of(text)

    assert isa_text_is_fixed_width(text)
    assert len(text[: text.index("~") + 1]) == 106
    assert segments[0].split("*")[13] == "000000042"
    assert segments[-1] == "IEA*1*000000042"
    assert segments[-2] == "GE*1*42"
    st, se = segments.index("ST*837*0001*005010X222A1"), next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    assert segments[se] == f"SE*{se - st + 1}*0001"
    assert not any(s.endswith(("*", ":")) for s in segments[1:])  # no trailing separators outside ISA


def test_one_interchange_per_payer_with_grouped_billing_providers() -> None:
    claims = [medicare_claim("MCR-0001"), medicare_claim("MCR-0002")]
    rendered = render(*claims)

    report = validate_837p(claims, rendered)

    assert report.passed, report.issues
    segments = segments_of(rendered.text)
    assert [s for s in segments if s.startswith("HL")] == ["HL*1**20*1", "HL*2*1*22*0", "HL*3*1*22*0"]
    assert rendered.claim_at(rendered.claim_positions["MCR-0002"][0]) == "MCR-0002"
    with pytest.raises(ValueError, match="one interchange per payer"):
        render(medicare_claim(), commercial_dependent_claim())


def test_rendering_is_deterministic() -> None:
    def once() -> str:
        return render_837p(
            [medicare_claim()],
            SUBMITTER,
            RECEIVER,
            PARTNERS,
            ControlNumbers(7, 7),
            "B7",
            CREATED_AT,
        ).text

    assert once() == once()
