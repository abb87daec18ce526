"""Service-layer helpers, pure: the cut-off, grouping days into claims, charges, and the claim's lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from otrcm_claims.domain.grouping import claim_id_for, cutoff_has_passed, group_days, line_charge, ordered_diagnoses
from otrcm_claims.domain.lifecycle import ClaimState, InvalidTransition, require_transition
from tests.support.claims_samples import claim_lines_ready, ready_line

pytestmark = pytest.mark.unit

CHICAGO = ZoneInfo("America/Chicago")
DOS = date(2026, 3, 10)  # Central Daylight Time (UTC-5) from 2026-03-08


def test_the_cutoff_counts_from_the_end_of_the_date_of_service_in_the_practice_time_zone() -> None:
    midnight_after = datetime(2026, 3, 11, 5, 0, tzinfo=UTC)  # 00:00 in Missouri
    assert not cutoff_has_passed(DOS, datetime(2026, 3, 11, 4, 59, tzinfo=UTC), 0, CHICAGO)
    assert cutoff_has_passed(DOS, midnight_after, 0, CHICAGO)
    assert not cutoff_has_passed(DOS, datetime(2026, 3, 12, 4, 59, tzinfo=UTC), 24, CHICAGO)
    assert cutoff_has_passed(DOS, datetime(2026, 3, 12, 5, 0, tzinfo=UTC), 24, CHICAGO)


def test_one_claim_per_patient_payer_billing_provider_and_date_and_days_without_lines_bill_nothing() -> None:
    tenant = "tenant-x"
    a1 = claim_lines_ready(tenant, "pk-a").payload
    a2 = claim_lines_ready(tenant, "pk-a", on=date(2026, 3, 11)).payload
    a_other_payer = claim_lines_ready(tenant, "pk-a", payer_id="mo-healthnet-ffs").payload
    b = claim_lines_ready(tenant, "pk-b").payload
    empty = claim_lines_ready(tenant, "pk-c", lines=()).payload

    drafts = group_days(tenant, [b, a2, a1, a_other_payer, empty])

    assert [(d.key.patient_key, d.key.payer_id, d.key.date_of_service) for d in drafts] == [
        ("pk-a", "medicare-wps-j5", date(2026, 3, 10)),
        ("pk-a", "medicare-wps-j5", date(2026, 3, 11)),
        ("pk-a", "mo-healthnet-ffs", date(2026, 3, 10)),
        ("pk-b", "medicare-wps-j5", date(2026, 3, 10)),
    ]
    assert len({d.claim_id for d in drafts}) == 4


def test_claim_ids_are_opaque_deterministic_and_twenty_characters() -> None:
    [draft] = group_days("tenant-x", [claim_lines_ready("tenant-x", "pk-a").payload])
    assert draft.claim_id == claim_id_for("tenant-x", draft.key)
    assert len(draft.claim_id) == 20
    assert "pk-a" not in draft.claim_id
    [other_tenant] = group_days("tenant-y", [claim_lines_ready("tenant-y", "pk-a").payload])
    assert other_tenant.claim_id != draft.claim_id


def test_the_line_charge_is_the_unit_charge_times_units() -> None:
    per_unit = {"97530": Decimal("60.00")}
    assert line_charge("97530", 3, per_unit) == Decimal("180.00")
    assert line_charge("97999", 1, per_unit) is None


def test_diagnoses_keep_the_order_the_lines_first_name_them() -> None:
    first = ready_line("e#1").model_copy(update={"diagnosis_codes": ("R27.8", "M62.81")})
    second = ready_line("e#2").model_copy(update={"diagnosis_codes": ("M62.81", "F82")})
    day = claim_lines_ready("t", "pk", lines=(first, second)).payload
    assert ordered_diagnoses([day]) == ("R27.8", "M62.81", "F82")


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (ClaimState.BUILT, ClaimState.VALIDATED),
        (ClaimState.BUILT, ClaimState.HELD),
        (ClaimState.HELD, ClaimState.BUILT),
        (ClaimState.VALIDATED, ClaimState.SUBMITTED),
        (ClaimState.SUBMITTED, ClaimState.ACCEPTED),
        (ClaimState.SUBMITTED, ClaimState.REJECTED),
        (ClaimState.ACCEPTED, ClaimState.PAID),
        (ClaimState.ACCEPTED, ClaimState.PARTIALLY_PAID),
        (ClaimState.ACCEPTED, ClaimState.DENIED),
        (ClaimState.PAID, ClaimState.ACCEPTED),
    ],
)
def test_allowed_transitions(current: ClaimState, wanted: ClaimState) -> None:
    require_transition("C1", current, wanted)


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (ClaimState.HELD, ClaimState.SUBMITTED),
        (ClaimState.BUILT, ClaimState.SUBMITTED),
        (ClaimState.REJECTED, ClaimState.ACCEPTED),
        (ClaimState.PAID, ClaimState.DENIED),
        (ClaimState.SUBMITTED, ClaimState.VALIDATED),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_error(current: ClaimState, wanted: ClaimState) -> None:
    with pytest.raises(InvalidTransition, match=f"claim C1: cannot go from {current} to {wanted}"):
        require_transition("C1", current, wanted)
