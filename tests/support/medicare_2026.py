"""Medicare figures for 2026 dates of service, from the cited sources, for tests to compute expectations.

RVUs: CMS PPRRVU2026_Jul_nonQPP (RVU26C), non-facility (work, PE, MP). GPCIs: CMS GPCI2025, Missouri
localities (MAC 05302): no 2026 file is shipped, so 2026 prices carry 2025 forward, provisionally. CF: CY2026
PFS final rule, non-qualifying APM, 33.4009. Threshold: OT 2026 $2,480; the provisional KX margin is 5% of it.
MPPR (Pub. 100-04 Ch. 5 §10.7): the day's unit with the highest PE in full, every other unit 50% of its PE;
CO lines 85% (SSA §1834(v)); a line is summed over its units and rounded once, half-up, to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

D = Decimal
RVU26C = {  # code: (work, PE non-facility, MP)
    "97110": (D("0.45"), D("0.41"), D("0.01")),
    "97140": (D("0.43"), D("0.39"), D("0.01")),
    "97530": (D("0.44"), D("0.60"), D("0.01")),
    "97535": (D("0.45"), D("0.51"), D("0.01")),
    "97165": (D("1.54"), D("1.46"), D("0.01")),
    "97167": (D("1.54"), D("1.46"), D("0.01")),
}
GPCI2025 = {"MO-01": (D("1.000"), D("0.952"), D("0.994")), "MO-99": (D("1.000"), D("0.859"), D("0.974"))}
CF_2026 = D("33.4009")
OT_THRESHOLD_2026 = D("2480.00")
KX_MARGIN = D("0.05")
ONE = D(1)


def unit(code: str, locality: str, pe_share: Decimal = ONE, gpcis: dict[str, tuple[D, D, D]] = GPCI2025) -> Decimal:
    (work, pe, mp), (g_work, g_pe, g_mp) = RVU26C[code], gpcis[locality]
    return (work * g_work + pe * g_pe * pe_share + mp * g_mp) * CF_2026


def line(
    code: str,
    units: int,
    locality: str,
    *,
    full_pe_unit: bool,
    share: Decimal = ONE,
    gpcis: dict[str, tuple[D, D, D]] = GPCI2025,
) -> Decimal:
    """A line's amount: its first unit in full when it holds the day's highest-PE unit, the rest at 50% PE."""
    full = 1 if full_pe_unit else 0
    total = full * unit(code, locality, gpcis=gpcis) + (units - full) * unit(code, locality, D("0.5"), gpcis=gpcis)
    return (total * share).quantize(D("0.01"), rounding=ROUND_HALF_UP)
