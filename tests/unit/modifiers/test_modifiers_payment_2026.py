"""CY 2026 Medicare expected amounts, computed by hand from the cited sources' own numbers.

CMS RVU26C PPRRVU2026_Jul_nonQPP.csv (July 2026 release, used for all of 2026): 97530 work 0.44, non-facility
PE 0.60, MP 0.01; 97112 0.50 / 0.47 / 0.01; CONV FACTOR 33.4009 (CY 2026 PFS final rule, non-qualifying APM).
No 2026 GPCI file is shipped: 2026 dates use CMS GPCI2025 MO-01 (work 1.000, PE 0.952, MP 0.994), provisional.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_shared.refdata.medicare_pfs import MedicarePfsValues, PfsRvus
from otrcm_shared.refdata.payer_modifier_policy import MEDICARE_POLICY
from otrcm_shared.refdata.therapy_limits import ThresholdBucket, kx_threshold
from tests.unit.modifiers.builders import by_key, line, reference, run_day

pytestmark = pytest.mark.unit

DAY = date(2026, 10, 14)
SHIPPED_2026 = reference(DAY, medicare=MedicarePfsValues.builtin(DAY))


def test_97530_in_st_louis_2026_with_the_2025_gpcis_carried_forward() -> None:
    # full unit: (0.44 x 1.000 + 0.60 x 0.952 + 0.01 x 0.994) x 33.4009
    #          = (0.44 + 0.5712 + 0.00994) x 33.4009 = 1.02114 x 33.4009 = 34.10699503
    # MPPR unit: (0.44 + 0.5712 x 0.5 + 0.00994) x 33.4009 = 0.73554 x 33.4009 = 24.56769799
    # 45 minutes = 3 units: 34.10699503 + 2 x 24.56769799 = 83.24239101 -> $83.24
    one = run_day(DAY, line("a", "97530", 1), ref=SHIPPED_2026, policy=MEDICARE_POLICY)
    three = run_day(DAY, line("a", "97530", 3, 45), ref=SHIPPED_2026, policy=MEDICARE_POLICY)
    assert one.lines[0].expected_amount == Decimal("34.11")
    assert three.lines[0].expected_amount == Decimal("83.24")
    provisional = [(u.dataset, u.version) for u in three.lines[0].provisional]
    assert provisional == [("medicare_gpci", "2025")], "RVUs and CF cover 2026; only the GPCIs are carried"
    detail = three.lines[0].rules[-2].detail
    assert "unit = (0.44 x 1.000 + 0.60 x 0.952 + 0.01 x 0.994) x 33.4009" in detail


def test_97112_is_priced_in_2025_and_2026() -> None:
    # 2025 (RVU25D): (0.50 x 1.000 + 0.48 x 0.952 + 0.01 x 0.994) x 32.3465
    #              = (0.50 + 0.45696 + 0.00994) x 32.3465 = 0.9669 x 32.3465 = 31.27583085 -> $31.28
    # 2026 (RVU26C): (0.50 + 0.47 x 0.952 + 0.00994) x 33.4009 = 0.95738 x 33.4009 = 31.97735364 -> $31.98
    june_2025 = date(2025, 6, 2)
    ref_2025 = reference(june_2025, medicare=MedicarePfsValues.builtin(june_2025))
    in_2025 = run_day(june_2025, line("a", "97112", 1), ref=ref_2025, policy=MEDICARE_POLICY)
    in_2026 = run_day(DAY, line("a", "97112", 1), ref=SHIPPED_2026, policy=MEDICARE_POLICY)
    assert by_key(in_2025)["a"].expected_amount == Decimal("31.28")
    assert by_key(in_2026)["a"].expected_amount == Decimal("31.98")


def test_the_july_2026_release_covers_all_of_2026_and_says_so() -> None:
    january = PfsRvus.builtin(date(2026, 1, 2))
    assert (january.version, january.used.provisional) == ("RVU26C", False)
    assert "used for ALL of 2026" in january.source
    row = january.get("97530")
    assert row is not None
    assert row.cms_description is None, "CPT descriptors are AMA text: not shipped"


def test_the_2026_ot_threshold_and_conversion_factor() -> None:
    assert kx_threshold(ThresholdBucket.OT, DAY).amount == Decimal("2480.00")
    assert MedicarePfsValues.builtin(DAY).conversion_factor.amount == Decimal("33.4009")
