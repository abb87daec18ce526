"""An estimate never holds a claim: a date with no version of a dataset is priced from the newest earlier
version, marked provisional with the dataset and version it came from; held lines say why.

Shipped values used (sources in the dataset files): GPCI2025 MO-01 work 1.000, PE 0.952, MP 0.994 (no
2026 GPCI version is shipped, so 2026 dates carry the 2025 GPCIs forward).
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_modifiers.domain import HeldReason
from otrcm_modifiers.domain.held_reasons import SENTENCE_AND_ACTION, explain_holds
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata import NoVersionInEffect, load_builtin
from otrcm_shared.refdata.medicare_pfs import MedicareGpcis, MedicarePfsValues
from otrcm_shared.refdata.payer_modifier_policy import MEDICARE_POLICY
from otrcm_shared.refdata.therapy_limits import ThresholdBucket, kx_threshold
from tests.unit.modifiers.builders import NOT_ATTESTED, line, reference, run_day, seeded_ot

pytestmark = pytest.mark.unit

OCTOBER_2026 = date(2026, 10, 14)


def test_a_dataset_without_a_version_for_the_date_carries_its_newest_earlier_version_forward() -> None:
    gpci = load_builtin("medicare_gpci")
    version, provisional = gpci.resolve(OCTOBER_2026)
    assert (version.version, provisional) == ("2025", True)
    assert gpci.resolve(date(2025, 6, 2))[1] is False
    with pytest.raises(NoVersionInEffect):
        gpci.resolve(date(2024, 12, 31))  # nothing earlier to carry
    used = MedicareGpcis.builtin(OCTOBER_2026).used
    assert used == DatasetUsed(dataset="medicare_gpci", version="2025", provisional=True, year=2026)


def test_an_october_2026_medicare_line_is_priced_provisionally_and_billed() -> None:
    pricing = MedicarePfsValues.builtin(OCTOBER_2026)
    ref = reference(OCTOBER_2026, medicare=pricing)
    outcome = run_day(OCTOBER_2026, line("a", "97530", 2), ref=ref, policy=MEDICARE_POLICY)
    (result,) = outcome.lines
    assert result.held == ()
    assert result.billable
    assert result.expected_amount is not None
    assert result.expected_amount > 0
    assert DatasetUsed(dataset="medicare_gpci", version="2025", provisional=True, year=2026) in result.provisional
    priced = next(r for r in result.rules if r.rule_id == "medicare_expected_amount")
    assert priced.outcome.endswith("provisional")
    assert "PROVISIONAL" in priced.detail
    assert "medicare_gpci 2025" in priced.detail
    assert outcome.accrual_estimates[0].provisional, "the accrual now holds a provisional amount"


def test_a_covered_date_is_not_provisional() -> None:
    ref = reference(date(2025, 6, 2), medicare=MedicarePfsValues.builtin(date(2025, 6, 2)))
    (result,) = run_day(date(2025, 6, 2), line("a", "97530", 1), ref=ref, policy=MEDICARE_POLICY).lines
    assert result.provisional == ()
    datasets = {used.dataset for used in result.basis}
    assert datasets >= {"medicare_gpci", "medicare_pfs_rvus", "medicare_conversion_factor"}


def test_a_year_without_a_threshold_uses_the_previous_years_marked_provisional() -> None:
    threshold = kx_threshold(ThresholdBucket.OT, date(2027, 2, 1))
    assert (threshold.amount, threshold.version, threshold.provisional) == (2480, "2026", True)
    assert kx_threshold(ThresholdBucket.OT, date(2026, 2, 1)).provisional is False


def test_a_held_line_names_its_reason_rule_a_sentence_and_the_releasing_action() -> None:
    # Fixture price 97530 $40.00; seeded 2,400.00 of 2025 OT: 2,440.00 > 2,410.00 without the attestation.
    outcome = run_day(
        date(2025, 6, 2), line("a", "97530", 1, attestations=NOT_ATTESTED), accrual=seeded_ot("2400.00", 2025)
    )
    (result,) = outcome.lines
    assert result.held == (HeldReason.KX_NEEDS_ATTESTATION,)
    (explained,) = explain_holds(result)
    assert explained.code == "KX_NEEDS_ATTESTATION"
    assert explained.rule_id == "kx_required_once_threshold_exceeded"
    assert explained.message == SENTENCE_AND_ACTION[HeldReason.KX_NEEDS_ATTESTATION][0]
    assert "medical_necessity_documented" in explained.action
    assert "$2440.00" in explained.detail


def test_every_held_reason_has_a_sentence_and_an_action() -> None:
    assert set(SENTENCE_AND_ACTION) == set(HeldReason)
