"""The reference datasets shipped for the modifier rules: values, effective dates, sources, sample labels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_shared.refdata import NoVersionInEffect, load_builtin
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.fee_schedules import TenantFeeSchedules
from otrcm_shared.refdata.medicare_pfs import (
    MedicareGpcis,
    MedicarePfsValues,
    PfsRvus,
    conversion_factor,
    therapy_payment_shares,
)
from otrcm_shared.refdata.ncci_edits import MueLimits, PtpEdits
from otrcm_shared.refdata.payer_modifier_policy import (
    MEDICARE_POLICY,
    DistinctModifier,
    PayerModifierPolicies,
    PricingMethod,
)
from otrcm_shared.refdata.therapy_limits import ThresholdBucket, kx_threshold, targeted_review_threshold

pytestmark = pytest.mark.unit

NEW_DATASETS = (
    "therapy_thresholds",
    "targeted_medical_review",
    "medicare_conversion_factor",
    "medicare_pfs_rvus",
    "medicare_gpci",
    "medicare_therapy_payment_rules",
    "discipline_modifiers",
    "ncci_ptp_edits",
    "ncci_mue_limits",
    "payer_modifier_policies",
    "tenant_fee_schedules",
)


@pytest.mark.parametrize("name", NEW_DATASETS)
def test_every_dataset_loads_and_names_its_source(name: str) -> None:
    dataset = load_builtin(name)
    assert dataset.source
    assert dataset.versions


@pytest.mark.parametrize(
    ("year", "amount"),
    [
        (2019, "2040"),
        (2020, "2080"),
        (2021, "2110"),
        (2022, "2150"),
        (2023, "2230"),
        (2024, "2330"),
        (2025, "2410"),
        (2026, "2480"),
    ],
)
def test_therapy_thresholds_by_year_for_both_buckets(year: int, amount: str) -> None:
    for bucket in ThresholdBucket:
        assert kx_threshold(bucket, date(year, 12, 31)).amount == Decimal(amount)
        assert kx_threshold(bucket, date(year, 1, 1)).amount == Decimal(amount)


def test_no_threshold_is_invented_outside_the_recorded_years() -> None:
    """Before the first recorded year there is nothing; after the last, the last is carried, provisional."""
    with pytest.raises(NoVersionInEffect):
        kx_threshold(ThresholdBucket.OT, date(2018, 12, 31))
    carried = kx_threshold(ThresholdBucket.OT, date(2027, 1, 1))
    assert (carried.amount, carried.version, carried.provisional) == (Decimal("2480.00"), "2026", True)


def test_targeted_review_is_3000_from_2018_through_2027() -> None:
    assert targeted_review_threshold(ThresholdBucket.OT, date(2018, 1, 1)).amount == Decimal("3000.00")
    assert targeted_review_threshold(ThresholdBucket.PT_SLP, date(2027, 12, 31)).amount == Decimal("3000.00")
    assert targeted_review_threshold(ThresholdBucket.PT_SLP, date(2027, 12, 31)).provisional is False
    with pytest.raises(NoVersionInEffect):
        targeted_review_threshold(ThresholdBucket.OT, date(2017, 12, 31))
    assert targeted_review_threshold(ThresholdBucket.OT, date(2028, 1, 1)).provisional is True


def test_conversion_factors_2025_and_2026() -> None:
    assert conversion_factor(date(2025, 6, 2)).amount == Decimal("32.3465")
    cf_2026 = conversion_factor(date(2026, 1, 1))
    assert cf_2026.amount == Decimal("33.4009")
    assert "non-qualifying APM" in cf_2026.source


def test_rvus_name_the_cms_release_and_differ_between_years() -> None:
    rvus_2025, rvus_2026 = PfsRvus.builtin(date(2025, 6, 2)), PfsRvus.builtin(date(2026, 7, 1))
    r25, r26 = rvus_2025.get("97530"), rvus_2026.get("97530")
    assert r25 is not None
    assert r26 is not None
    assert (r25.work, r25.pe_nonfacility, r25.mp) == (Decimal("0.44"), Decimal("0.62"), Decimal("0.01"))
    assert (r26.work, r26.pe_nonfacility, r26.mp) == (Decimal("0.44"), Decimal("0.60"), Decimal("0.01"))
    assert r25.therapy_mppr_applies
    assert "RVU25D" in rvus_2025.source
    assert "RVU26C" in rvus_2026.source


def test_quarters_that_were_not_checked_have_no_rvus_or_carry_the_previous_release() -> None:
    with pytest.raises(NoVersionInEffect):
        PfsRvus.builtin(date(2025, 3, 31))
    carried = PfsRvus.builtin(date(2027, 1, 4))
    assert (carried.version, carried.used.provisional) == ("RVU26C", True)


def test_missouri_gpcis_2025_and_no_2026_version() -> None:
    gpcis = MedicareGpcis.builtin(date(2025, 6, 2))
    assert gpcis.localities == ("MO-01", "MO-02", "MO-99")
    st_louis, kansas_city, rest = (gpcis.get(key) for key in gpcis.localities)
    assert st_louis is not None
    assert kansas_city is not None
    assert rest is not None
    assert (st_louis.name, st_louis.pe, st_louis.mp) == ("METROPOLITAN ST. LOUIS", Decimal("0.952"), Decimal("0.994"))
    assert (kansas_city.name, kansas_city.pe) == ("METROPOLITAN KANSAS CITY", Decimal("0.948"))
    assert (rest.pe, rest.mp) == (Decimal("0.859"), Decimal("0.974"))
    values_2026 = MedicarePfsValues.builtin(date(2026, 7, 1))
    assert [(u.dataset, u.version) for u in values_2026.provisional] == [("medicare_gpci", "2025")]


def test_co_share_is_85_percent_from_2022_and_mppr_half_the_pe() -> None:
    assert therapy_payment_shares(date(2021, 12, 31)).assistant_line_share == Decimal("1.00")
    shares = therapy_payment_shares(date(2022, 1, 1))
    assert (shares.assistant_line_share, shares.mppr_later_unit_pe_share) == (Decimal("0.85"), Decimal("0.50"))


def test_ot_uses_go_co_and_its_own_bucket() -> None:
    disciplines = DisciplineModifiers.builtin(date(2025, 6, 2))
    ot = disciplines.of("OT")
    assert (ot.modifier, ot.assistant_modifier, ot.threshold_bucket) == ("GO", "CO", ThresholdBucket.OT)
    assert disciplines.of("SLP").threshold_bucket is disciplines.of("PT").threshold_bucket is ThresholdBucket.PT_SLP


def test_the_ncci_and_fee_schedule_files_are_labelled_samples() -> None:
    on = date(2025, 6, 2)
    assert PtpEdits.builtin(on).is_sample
    assert MueLimits.builtin(on).is_sample
    fees = TenantFeeSchedules.builtin(on)
    assert fees.is_sample
    assert "SAMPLE" in load_builtin("tenant_fee_schedules").description
    assert fees.schedule_for("nobody") == {}


def test_payer_policies_medicare_follows_cms_and_others_are_to_confirm() -> None:
    policies = PayerModifierPolicies.builtin(date(2025, 6, 2))
    assert policies.get("medicare-wps-j5") == MEDICARE_POLICY
    medicaid = policies.get("mo-healthnet-ffs")
    assert not medicaid.uses_kx
    assert not medicaid.uses_threshold
    assert medicaid.distinct_modifier is DistinctModifier.MODIFIER_59
    assert medicaid.pricing is PricingMethod.FEE_SCHEDULE
    assert "uses_co" in medicaid.to_confirm
