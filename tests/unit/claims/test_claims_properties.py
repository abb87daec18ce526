"""Properties of the small pieces: NPI check digits, X12 amounts, and reading back what we write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otrcm_claims.adapters.x12 import Composite, read_segments, render_segments, seg
from otrcm_claims.adapters.x12.loops_837p import amount
from otrcm_claims.domain import icd10_for_x12, luhn_check_digit, npi_check_digit_is_valid
from otrcm_claims.domain.icd10 import has_icd10_cm_shape
from tests.unit.claims.builders import medicare_claim, render

pytestmark = pytest.mark.unit

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
text_values = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-", min_size=0, max_size=12)


@given(nine_digits, st.integers(min_value=1, max_value=9))
def test_only_the_luhn_digit_completes_an_npi(base: str, shift: int) -> None:
    check = luhn_check_digit("80840" + base)
    assert npi_check_digit_is_valid(base + str(check))
    assert not npi_check_digit_is_valid(base + str((check + shift) % 10))


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2))
def test_amounts_keep_their_value_and_drop_trailing_zeros(value: Decimal) -> None:
    text = amount(value)
    assert Decimal(text) == value
    assert not (("." in text) and text.endswith("0"))
    assert not text.endswith(".")


@given(st.from_regex(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", fullmatch=True))
def test_icd10_codes_lose_only_their_dot(code: str) -> None:
    assert has_icd10_cm_shape(code)
    assert icd10_for_x12(code) == code.replace(".", "")
    assert has_icd10_cm_shape(icd10_for_x12(code))


@given(st.lists(st.one_of(text_values, st.lists(text_values, min_size=1, max_size=4)), min_size=1, max_size=8))
def test_the_reader_reads_back_what_the_writer_wrote(elements: list[str | list[str]]) -> None:
    isa_text = render(medicare_claim()).text
    isa = isa_text[: isa_text.index("~") + 1]
    written = seg("ZZZ", *(Composite(tuple(e)) if isinstance(e, list) else e for e in elements))
    [_, parsed] = read_segments(isa + render_segments([written]))

    rendered = written.render()
    assert not rendered.endswith("*")
    assert "*".join((parsed.id, *parsed.elements)) == rendered
