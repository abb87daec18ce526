"""Which acknowledgments are ours (pure): the envelope must answer the interchange its control numbers name."""

from __future__ import annotations

import pytest

from otrcm_claims.adapters.x12 import parse_999
from otrcm_claims.adapters.x12.addressing import payees_of_835, received_envelopes
from otrcm_claims.domain.addressing import (
    BilledBy,
    Party,
    Payee,
    ReceivedEnvelope,
    SentInterchange,
    why_a_277ca_claim_is_not_ours,
    why_a_999_group_is_not_ours,
    why_an_835_claim_is_not_ours,
)
from otrcm_claims.domain.lifecycle import ClaimState, may_correct
from tests.support.claims_samples import remittance_835, syntax_ack_999

pytestmark = pytest.mark.unit

SENT = SentInterchange(
    tenant_id="t1",
    interchange_control_number=1,
    group_control_number=1,
    transaction_sets=("0001",),
    sender=Party("ZZ", "SUB123"),
    receiver=Party("ZZ", "CH01"),
    group_sender="SUB123",
    group_receiver="CH01",
    batch_reference="OTRCM000000001",
    billing={"C1": BilledBy("1234567893", "431234567")},
)
OURS = (ReceivedEnvelope(Party("ZZ", "CH01"), Party("ZZ", "SUB123"), "CH01", "SUB123"),)
ANOTHER_SUBMITTERS = (ReceivedEnvelope(Party("ZZ", "CH9"), Party("ZZ", "OTHER"), "CH9", "OTHER"),)
OUR_PAYEE = Payee("XX", "1234567893", "431234567")


def test_the_envelope_of_a_received_999_is_read_with_padding_dropped() -> None:
    text = syntax_ack_999(1, accepted=False, control=5, addressed_to="OTHER", from_="CH9")
    assert received_envelopes(text) == ANOTHER_SUBMITTERS
    assert received_envelopes(syntax_ack_999(1, accepted=True, control=5)) == OURS


def test_a_999_for_our_group_from_our_receiver_is_ours() -> None:
    [group] = parse_999(syntax_ack_999(1, accepted=False, control=5))
    assert why_a_999_group_is_not_ours(OURS, group, SENT) == []


def test_a_999_addressed_to_another_submitter_is_not_ours_though_its_group_number_collides() -> None:
    [group] = parse_999(syntax_ack_999(1, accepted=False, control=5, addressed_to="OTHER", from_="CH9"))
    assert why_a_999_group_is_not_ours(ANOTHER_SUBMITTERS, group, SENT) == [
        "999 AK1 group 1: ISA07/08 ZZ:OTHER is not our submitter ZZ:SUB123",
        "999 AK1 group 1: GS03 OTHER is not our application sender SUB123",
        "999 AK1 group 1: ISA05/06 ZZ:CH9 is not our receiver ZZ:CH01",
        "999 AK1 group 1: GS02 CH9 is not our application receiver CH01",
    ]


def test_a_999_naming_a_transaction_set_or_group_we_never_sent_is_not_ours() -> None:
    [group] = parse_999(syntax_ack_999(1, accepted=False, control=5, transaction_set_control_number="0042"))
    assert why_a_999_group_is_not_ours(OURS, group, SENT) == [
        "999 AK1 group 1: AK202 0042 is not a transaction set of interchange 000000001"
    ]
    assert why_a_999_group_is_not_ours(OURS, group, None) == [
        "999 AK1 group 1: no functional group we sent has this control number"
    ]


def test_a_277ca_is_ours_only_for_our_submitter_our_batch_and_a_claim_of_that_batch() -> None:
    batch = SENT.batch_reference
    assert why_a_277ca_claim_is_not_ours(OURS, batch, "C1", SENT) == []
    assert why_a_277ca_claim_is_not_ours(OURS, batch, "C2", SENT) == [
        f"277CA batch {batch}: claim C2 is not a claim of this batch"
    ]
    assert why_a_277ca_claim_is_not_ours(OURS, "OTRCM000000002", "C1", None) == [
        "277CA batch OTRCM000000002: no batch we sent has this reference"
    ]
    assert why_a_277ca_claim_is_not_ours(ANOTHER_SUBMITTERS, batch, "C1", SENT)[0].endswith(
        "ISA07/08 ZZ:OTHER is not our submitter ZZ:SUB123"
    )


def test_an_835_is_ours_only_for_our_submitter_our_payee_our_claim_and_our_lines() -> None:
    lines = ["C1-1"]
    assert why_an_835_claim_is_not_ours(OURS, OUR_PAYEE, "C1", lines, SENT, lines) == []
    assert why_an_835_claim_is_not_ours(OURS, OUR_PAYEE, "C9", lines, SENT, lines) == [
        "835 CLP C9: no claim we sent has this CLP01"
    ]
    other_payee = Payee("XX", "1497758544", "987654321")
    assert why_an_835_claim_is_not_ours(OURS, other_payee, "C1", ["X-1"], SENT, lines) == [
        "835 CLP C1: payee NPI 1497758544 is not the billing NPI 1234567893",
        "835 CLP C1: payee REF*TJ 987654321 is not the billing TIN 431234567",
        "835 CLP C1: REF*6R X-1 is not a line control number of this claim",
    ]
    assert why_an_835_claim_is_not_ours(OURS, Payee("FI", "431234567", None), "C1", lines, SENT, lines) == []


def test_the_payee_of_an_835_is_read_from_1000b() -> None:
    text = remittance_835("C1", "120", "96", "1", "97530:GO", ["CAS*CO*45*24"], control=5, payee_npi="1497758544")
    assert payees_of_835(text) == (Payee("XX", "1497758544", "431234567"),)


@pytest.mark.parametrize(
    ("earlier", "later", "allowed"),
    [
        ("999", "277ca", True),  # the 277CA accepts what a 999 wrongly rejected
        ("999", "835", True),
        ("277ca", "277ca", False),  # a second 277CA contradicting the first is for a person
        ("batch", "277ca", False),
        ("999", "admin", False),
    ],
)
def test_only_a_later_stage_acknowledgment_corrects_an_acknowledgments_rejection(
    earlier: str, later: str, allowed: bool
) -> None:
    assert may_correct(ClaimState.REJECTED, ClaimState.ACCEPTED, earlier, later) is allowed
    assert may_correct(ClaimState.SUBMITTED, ClaimState.ACCEPTED, earlier, later) is False
