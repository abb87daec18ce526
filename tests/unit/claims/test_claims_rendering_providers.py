"""One billing provider per claim, each line under its own rendering provider (issue 14), as properties.

A billing day pools every therapist's timed minutes (CMS Pub. 100-04 Ch. 5 §20.2), so one day's lines
may come from two therapists' encounters: the claim names one rendering provider (2310B) and every line
rendered by another carries its own (2420A, X222A1). A payer set up for one rendering provider per claim
gets one claim per therapist instead.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otrcm_claims.adapters.x12 import validate_837p
from otrcm_claims.domain import ModifierPolicy, Provider, check_claim, luhn_check_digit
from otrcm_claims.domain.claim_assembly import ClaimSetUp, assemble_claim
from otrcm_claims.domain.grouping import ClaimDraft, group_days, rendering_npi_of
from otrcm_claims.domain.parties import PersonName
from otrcm_shared.events.claim_lines import ClaimLinesReady, ReadyLine
from otrcm_shared.events.encounters import Provider as EncounterProvider
from otrcm_shared.events.encounters import ProviderRole
from tests.support.claims_samples import patient_recorded
from tests.unit.claims.builders import CLINIC, GROUP_PRACTICE_NPI, MEDICARE, PHYSICIAN_NPI, THERAPIST_NPI, render

pytestmark = pytest.mark.unit


def _npi(nine: str) -> str:
    return nine + str(luhn_check_digit("80840" + nine))


SECOND_THERAPIST, THIRD_THERAPIST = _npi("133344455"), _npi("144455566")
THERAPISTS = (THERAPIST_NPI, SECOND_THERAPIST, THIRD_THERAPIST)
BILLING_NPIS = (CLINIC.npi, GROUP_PRACTICE_NPI)
PAYERS = ("medicare-wps-j5", "gateway-mutual")
DIRECTORY = {
    npi: Provider(PersonName(f"THERAPIST{n}", "PAT"), npi, "225X00000X" if n != 2 else None)
    for n, npi in enumerate((*THERAPISTS, CLINIC.npi, GROUP_PRACTICE_NPI, PHYSICIAN_NPI))
}


def _day(patient: str, payer: str, billing: str, on: date, renderers: list[str | None]) -> ClaimLinesReady:
    key = f"{patient}/{on}/OT/{payer}/{billing}"
    lines = tuple(
        ReadyLine(
            line_key=f"{key}#{n}", encounter_id=f"{key}-enc-{npi}", line_number=1, code="97530", units=1,
            diagnosis_codes=("M62.81",), rendering_provider_npi=npi,
        )
        for n, npi in enumerate(renderers, 1)
    )  # fmt: skip
    return ClaimLinesReady(
        day_key=key, version=1, patient_key=patient, payer_id=payer, date_of_service=on, place_of_service="11",
        billing_provider_npi=billing, rendering_provider=EncounterProvider(npi=THERAPIST_NPI, role=ProviderRole.OT),
        referring_provider_npi=PHYSICIAN_NPI, lines=lines,
    )  # fmt: skip


days_strategy = st.lists(
    st.builds(
        _day,
        st.sampled_from(("pk-1", "pk-2")),
        st.sampled_from(PAYERS),
        st.sampled_from(BILLING_NPIS),
        st.sampled_from((date(2026, 3, 2), date(2026, 3, 3))),
        st.lists(st.one_of(st.none(), st.sampled_from(THERAPISTS)), min_size=0, max_size=4),
    ),
    max_size=8,
    unique_by=lambda day: day.day_key,
)
flagged_strategy = st.sets(st.sampled_from(PAYERS))


def _lines(drafts: list[ClaimDraft]) -> list[tuple[str, str]]:
    return sorted((day.day_key, line.line_key) for draft in drafts for day in draft.days for line in day.lines)


@given(days_strategy, flagged_strategy)
def test_every_line_is_in_exactly_one_claim_and_no_claim_mixes_billing_providers(
    days: list[ClaimLinesReady], flagged: set[str]
) -> None:
    drafts = group_days("t-1", days, flagged)
    assert _lines(drafts) == sorted((day.day_key, line.line_key) for day in days for line in day.lines)
    for draft in drafts:
        assert {day.billing_provider_npi for day in draft.days} == {draft.key.billing_provider_npi}
        assert {(day.patient_key, day.payer_id, day.date_of_service) for day in draft.days} == {
            (draft.key.patient_key, draft.key.payer_id, draft.key.date_of_service)
        }
    assert len({draft.claim_id for draft in drafts}) == len(drafts)


@given(days_strategy, flagged_strategy)
def test_a_payer_wanting_one_rendering_provider_gets_claims_of_one_rendering_provider(
    days: list[ClaimLinesReady], flagged: set[str]
) -> None:
    for draft in group_days("t-1", days, flagged):
        renderers = {rendering_npi_of(line, day) for day in draft.days for line in day.lines}
        if draft.key.payer_id in flagged:
            assert renderers == {draft.key.rendering_provider_npi}
        else:
            assert draft.key.rendering_provider_npi is None  # and the claim id is the one it always was


def _set_up(billing_npi: str) -> ClaimSetUp:
    billing = replace(CLINIC, npi=billing_npi)
    return ClaimSetUp(billing, MEDICARE, DIRECTORY.get, {"97530": Decimal("40")}, "test")


def _rendered_rendering_npis(draft: ClaimDraft) -> tuple[list[str], list[str]]:
    """Per line, what the 837P says rendered it (2420A, else 2310B, else 2010AA) and what the line says."""
    patient = patient_recorded("t-1", draft.key.patient_key, draft.key.payer_id).payload
    built = assemble_claim(draft, patient, _set_up(draft.key.billing_provider_npi))
    assert built.claim is not None, built.problems
    said: list[str] = []
    claim_level = built.claim.billing_provider.npi  # 2010AA, unless a 2310B follows
    for segment in render(built.claim).segments:
        if segment.id == "NM1" and segment.element(1) == "82":
            if said:
                said[-1] = str(segment.element(9))  # 2420A of the current line
            else:
                claim_level = str(segment.element(9))  # 2310B, before the first line
        if segment.id == "LX":
            said.append(claim_level)
    expected = [rendering_npi_of(line, day) for day in draft.days for line in day.lines]
    return said, expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days_strategy, flagged_strategy)
def test_every_line_is_rendered_under_its_encounters_rendering_provider(
    days: list[ClaimLinesReady], flagged: set[str]
) -> None:
    for draft in group_days("t-1", days, flagged):
        said, expected = _rendered_rendering_npis(draft)
        assert said == expected


def test_two_therapists_pooled_into_one_day_give_one_claim_whose_second_line_has_a_2420a_pyx12_accepts() -> None:
    day = _day("pk-1", "medicare-wps-j5", CLINIC.npi, date(2026, 3, 2), [THERAPIST_NPI, SECOND_THERAPIST])
    [draft] = group_days("t-1", [day])
    built = assemble_claim(draft, patient_recorded("t-1", "pk-1").payload, _set_up(CLINIC.npi))
    assert built.claim is not None, built.problems
    assert [line["rendering_provider_npi"] for line in built.lines] == [THERAPIST_NPI, SECOND_THERAPIST]
    rendered = render(built.claim)
    nm1_82 = [s for s in rendered.segments if s.id == "NM1" and s.element(1) == "82"]
    assert [str(s.element(9)) for s in nm1_82] == [THERAPIST_NPI, SECOND_THERAPIST]  # 2310B, then 2420A
    prv = [str(s.element(3)) for s in rendered.segments if s.id == "PRV" and s.element(1) == "PE"]
    assert prv == ["225X00000X", "225X00000X"]
    report = validate_837p([built.claim], rendered)
    assert report.pyx12_valid, report.issues
    assert not report.held_claim_ids([draft.claim_id])

    [one, two] = group_days("t-1", [day], {"medicare-wps-j5"})  # the payer wants one rendering provider per claim
    assert {one.key.rendering_provider_npi, two.key.rendering_provider_npi} == {THERAPIST_NPI, SECOND_THERAPIST}


def test_a_line_rendering_provider_missing_from_the_directory_holds_the_claim_naming_only_the_npi() -> None:
    unknown = _npi("155566677")
    day = _day("pk-1", "medicare-wps-j5", CLINIC.npi, date(2026, 3, 2), [THERAPIST_NPI, unknown])
    [draft] = group_days("t-1", [day])
    built = assemble_claim(draft, patient_recorded("t-1", "pk-1").payload, _set_up(CLINIC.npi))
    assert built.claim is None
    assert built.problems == (f"provider-directory: the rendering NPI {unknown} is not in the provider directory",)


def test_a_2420a_npi_with_a_wrong_check_digit_is_an_issue_of_that_line() -> None:
    day = _day("pk-1", "medicare-wps-j5", CLINIC.npi, date(2026, 3, 2), [THERAPIST_NPI, "1333444551"])
    [draft] = group_days("t-1", [day])
    directory = {**DIRECTORY, "1333444551": Provider(PersonName("TYPO", "PAT"), "1333444551")}
    set_up = replace(_set_up(CLINIC.npi), directory=directory.get)
    built = assemble_claim(draft, patient_recorded("t-1", "pk-1").payload, set_up)
    assert built.claim is not None
    [issue] = [i for i in check_claim(built.claim, ModifierPolicy.builtin()) if i.id == "npi-check-digit"]
    assert issue.location.startswith("2420A NM109 rendering provider NPI of line 2")
