"""NPI check digits, the MBI format and the ICD-10-CM shape, against the publishers' own examples."""

from __future__ import annotations

import pytest

from otrcm_intake.domain.identifiers import has_icd10_cm_shape, is_mbi, npi_check_digit_is_valid

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("npi", "valid"),
    [
        ("1234567893", True),  # CMS NPI check-digit example: 80840 + 123456789 -> Luhn digit 3
        ("1234567890", False),
        ("1245319599", True),  # 80840124531959: Luhn sum 71 -> (10 - 71 % 10) % 10 = 9
        ("123456789", False),  # nine digits
        ("12345678a3", False),
    ],
)
def test_npi_check_digit(npi: str, valid: bool) -> None:
    assert npi_check_digit_is_valid(npi) is valid


@pytest.mark.parametrize(
    ("member_id", "valid"),
    [
        ("1EG4-TE5-MK73", True),  # CMS's published example MBI, dashes as printed
        ("1EG4TE5MK73", True),
        ("0EG4TE5MK73", False),  # position 1 is 1-9
        ("1SG4TE5MK73", False),  # S is never used
        ("1EG4TE5MK7", False),  # 10 characters
        ("123456789A", False),  # the retired HICN shape
    ],
)
def test_mbi_format(member_id: str, valid: bool) -> None:
    assert is_mbi(member_id) is valid


@pytest.mark.parametrize(
    ("code", "valid"),
    [("M62.81", True), ("I69.351", True), ("Z96.651", True), ("F84.0", True), ("R26", True), ("M6281", True),
     ("U07.1", True), ("62.81", False), ("M62.81234", False), ("M6.281", False)],
)  # fmt: skip
def test_icd10_cm_shape(code: str, valid: bool) -> None:
    assert has_icd10_cm_shape(code) is valid
