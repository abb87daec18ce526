"""Validation can fail: the project's checks catch what pyx12 cannot, and pyx12 rejects broken X12.

Also: findings name positions and rules, never PHI; an unknown GS08 is reported, not raised; a
finding inside one claim holds that claim only, an envelope finding holds the whole batch.
"""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal

import pytest

from otrcm_claims.adapters.x12 import Rendered837P, validate_837p, validate_x12_text
from otrcm_claims.domain import Claim, ClaimFrequency, ModifierPolicy, Severity, check_claim, npi_check_digit_is_valid
from tests.unit.claims.builders import (
    CLINIC,
    CLINIC_NPI,
    GROUP_PRACTICE_NPI,
    PHYSICIAN_NPI,
    SCHOOL_DISTRICT_NPI,
    THERAPIST_NPI,
    commercial_dependent_claim,
    medicare_claim,
    mo_healthnet_school_claim,
    render,
)

pytestmark = pytest.mark.unit

POLICY = ModifierPolicy.builtin()
PHI = ("QUILLFEATHER", "PRUDENCE", "1EG4TE5MK73", "19480307", "1948-03-07", "5 ELM ST")


def ids(claim: Claim) -> list[str]:
    return [issue.id for issue in check_claim(claim, POLICY)]


def test_the_test_npis_have_valid_check_digits() -> None:
    for npi in (CLINIC_NPI, PHYSICIAN_NPI, THERAPIST_NPI, SCHOOL_DISTRICT_NPI, GROUP_PRACTICE_NPI):
        assert npi_check_digit_is_valid(npi), npi
    assert not npi_check_digit_is_valid("1234567890")


def test_bad_npi_check_digit_and_charge_mismatch_are_reported_though_pyx12_accepts_them() -> None:
    broken = dataclasses.replace(
        medicare_claim(),
        billing_provider=dataclasses.replace(CLINIC, npi="1234567890"),  # check digit should be 3
        total_charge=Decimal("245.00"),  # lines sum to 235.00
    )

    report = validate_837p([broken], render(broken))

    assert report.pyx12_valid is True  # structurally fine: pyx12 cannot see either error
    assert not report.passed
    found = {issue.id: issue for issue in report.issues}
    assert set(found) == {"npi-check-digit", "clm02-equals-line-sum"}
    assert found["npi-check-digit"].location.startswith("2010AA NM109")
    assert found["clm02-equals-line-sum"].message.endswith("by 10.00")
    assert report.held_claim_ids(["MCR-0001"]) == {"MCR-0001"}


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"diagnoses": ("M62.81", "R278X9Z1")}, "icd10-cm-shape"),
        ({"diagnoses": ()}, "diagnosis-count"),
        ({"referring_provider": None}, "referring-provider"),  # Medicare profile requires 2310A
        ({"place_of_service": "1"}, "place-of-service"),
        ({"frequency": ClaimFrequency.REPLACEMENT}, "original-claim-reference"),  # REF*F8 missing
    ],
)
def test_claim_level_rules(change: dict[str, object], rule: str) -> None:
    assert rule in ids(dataclasses.replace(medicare_claim(), **change))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("modifiers", "pointers", "rule"),
    [
        (("GO", "K"), (1,), "modifier-shape"),
        (("GO", "RT"), (1,), "modifier-not-allowed"),  # RT is for orthoses, not 97530
        (("GO", "GP"), (1,), "discipline-modifier"),
        (("CO",), (1,), "assistant-modifier"),  # CO without GO
        (("GO", "59", "KX", "XU", "CO"), (1,), "modifier-count"),
        (("GO",), (3,), "diagnosis-pointer"),  # only two diagnoses
        (("GO",), (1, 1), "diagnosis-pointer"),
    ],
)
def test_line_rules(modifiers: tuple[str, ...], pointers: tuple[int, ...], rule: str) -> None:
    claim = medicare_claim()
    line = dataclasses.replace(claim.lines[1], modifiers=modifiers, diagnosis_pointers=pointers)
    assert rule in ids(dataclasses.replace(claim, lines=(claim.lines[0], line, claim.lines[2])))


def test_situational_segments() -> None:
    claim = medicare_claim()
    no_dmg = dataclasses.replace(claim, subscriber=dataclasses.replace(claim.subscriber, birth_date=None))
    assert "subscriber-dmg" in ids(no_dmg)
    assert ids(commercial_dependent_claim()) == []  # the subscriber is not the patient: no DMG needed
    five_digit_zip = dataclasses.replace(CLINIC.address, postal_code="65201")
    bad_zip = dataclasses.replace(claim, billing_provider=dataclasses.replace(CLINIC, address=five_digit_zip))
    assert "billing-zip" in ids(bad_zip)
    starred = dataclasses.replace(claim, claim_id="MCR*1")
    assert "x12-delimiter" in ids(starred)


def test_messages_carry_no_phi() -> None:
    claim = medicare_claim()
    broken = dataclasses.replace(
        claim,
        subscriber=dataclasses.replace(claim.subscriber, birth_date=None),
        diagnoses=("m62.81", "R27.8"),
    )
    rendered = render(broken)
    report = validate_837p([broken], rendered)
    for issue in report.issues:
        assert not any(value in f"{issue.message} {issue.location}" for value in PHI), issue
        assert "m62" not in issue.message.lower()


def test_pyx12_rejects_a_wrong_se_count() -> None:
    text = render(medicare_claim()).text.replace("SE*36*0001", "SE*35*0001")

    report = validate_x12_text(text)

    assert report.pyx12_valid is False
    assert [issue.id for issue in report.issues] == ["pyx12-st-4"]
    assert "number of included segments does not match actual count" in report.issues[0].message
    [group] = report.acknowledgments
    assert (group.code, group.transaction_sets[0].code) == ("R", "R")
    assert group.transaction_sets[0].error_codes == ("4",)


class Recorder(logging.Handler):
    """Stands for the application's log handlers (installed on the root logger)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())


def test_a_pyx12_finding_inside_a_claim_holds_that_claim_only_and_keeps_the_value_out() -> None:
    claims = [medicare_claim("MCR-0001"), medicare_claim("MCR-0002")]
    rendered = render(*claims)
    second_dmg = rendered.text.rindex("DMG*D8*19480307")
    broken_text = rendered.text[:second_dmg] + "DMG*D8*19481307" + rendered.text[second_dmg + 15 :]

    app_handler, root = Recorder(), logging.getLogger()
    root.addHandler(app_handler)
    try:
        report = validate_837p(claims, dataclasses.replace(rendered, text=broken_text))
    finally:
        root.removeHandler(app_handler)

    assert report.pyx12_valid is False
    [issue] = report.issues
    assert issue.id == "pyx12-element-8"  # invalid date
    assert issue.claim_id == "MCR-0002"
    assert issue.location.startswith("DMG02")
    assert "Subscriber Birth Date" in issue.message
    assert "19481307" not in issue.message
    assert not any("19481307" in text for text in app_handler.texts)  # pyx12's records stay out of the app's logs
    assert report.held_claim_ids(["MCR-0001", "MCR-0002"]) == {"MCR-0002"}
    assert all(issue.severity is Severity.ERROR for issue in report.issues)


def test_an_unknown_gs08_is_a_finding_not_an_exception() -> None:
    rendered = render(mo_healthnet_school_claim())
    text = rendered.text.replace("005010X222A1", "005010X999A1")

    report = validate_837p([mo_healthnet_school_claim()], Rendered837P(text, rendered.segments, {}))

    assert not report.passed
    assert [issue.id for issue in report.issues] == ["pyx12-unknown-implementation"]
    assert report.held_claim_ids(["MHN-0001"]) == {"MHN-0001"}


def test_text_that_is_not_x12_fails_closed() -> None:
    report = validate_x12_text("hello")
    assert not report.passed
    assert [issue.id for issue in report.issues] == ["pyx12-not-x12"]
