"""999 and 277CA codes in words (issue 19 item 8), checked against the X12 code lists' own meanings."""

from __future__ import annotations

import pytest

from otrcm_claims.adapters.x12 import parse_999
from otrcm_claims.domain import ClaimStatus
from otrcm_claims.domain.ack_words import (
    claim_status_words,
    element_error_words,
    segment_error_words,
    transaction_set_error_words,
)
from otrcm_claims.usecases.acknowledgments import rejection_reasons_999, stc_text
from tests.unit.claims.test_claims_parse_999 import NINE_NINE_NINE

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        ("3", "required segment missing"),
        ("8", "segment has data element errors"),
        ("I4", 'implementation "not used" segment present'),
    ],
)
def test_ik304_codes_read_as_the_999_guide_defines_them(code: str, meaning: str) -> None:
    assert segment_error_words("DTP", 25, code) == f"segment DTP (position 25): {meaning}"


def test_an_element_error_names_the_element_and_the_ik403_meaning() -> None:
    assert element_error_words("NM1", 9, "67", "7") == "element NM109 (data element 67): invalid code value"
    assert element_error_words("DMG", 2, "1251", "8") == "element DMG02 (data element 1251): invalid date"


def test_a_277ca_status_reads_as_category_status_and_entity() -> None:
    assert claim_status_words("A7", "21", "85") == (
        "rejected for invalid information; missing or invalid information; about the billing provider"
    )
    assert claim_status_words("A2", "20", None) == "accepted into the adjudication system; accepted for processing"
    assert stc_text(ClaimStatus("A3", "21", "QC")) == (
        "STC A3:21:QC (returned as unprocessable (not entered into adjudication); missing or invalid information; "
        "about the patient)"
    )


def test_codes_outside_the_tables_are_shown_as_codes() -> None:
    assert claim_status_words("A9", "999", "ZZ") == "category A9; status code 999; entity ZZ"
    assert segment_error_words("NM1", 3, "99") == "segment NM1 (position 3): error code 99"
    assert transaction_set_error_words("99") == "error code 99"


def test_a_rejected_999_reads_in_words_and_never_repeats_the_bad_value() -> None:
    [group] = parse_999(NINE_NINE_NINE)
    rejected = [ts for ts in group.transaction_sets if not ts.accepted]
    reasons = rejection_reasons_999(group, rejected)
    assert reasons == [
        "999 AK9 P (partially accepted, at least one transaction set was rejected)",
        "999 IK5 R 5 (rejected: one or more segments in error)",
        "999 IK3 NM1 at 8 code 8 (segment NM1 (position 8, loop 2010): segment has data element errors)",
        "999 IK4 NM109 code 7 (element NM109 (data element 67): invalid code value)",
        "999 IK3 DMG at 17 code 8 (segment DMG (position 17, loop 2010): segment has data element errors)",
        "999 IK4 DMG02 code 8 (element DMG02 (data element 1251): invalid date)",
    ]
    assert not any("19481307" in reason or "1234567890" in reason for reason in reasons), "IK404 is never echoed"
