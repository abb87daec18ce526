"""Rule: remaining units go one each to the codes with the largest leftover minutes.

Source: CMS Pub. 100-04 Ch. 5 §20.2 (Example 3: 33 min 97110 + 7 min 97140 -> the 7 minutes of
97140 beat the 3 leftover minutes of 97110). Leftover minutes are a code's minutes beyond its whole
15-minute units (``minutes % 15``). Equal leftovers are a tie the clinician may settle either way
(§20.2 Example 2); to stay deterministic the code with more minutes ranks first, then code order.
The same ranking shares a code's units among its own lines, with the line id as the last key.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_units.domain.unit_table import MINUTES_PER_UNIT


def rank_by_leftover_minutes(names: Sequence[str], minutes: Sequence[int]) -> list[int]:
    """Positions of ``minutes`` in ranking order: most leftover minutes, then most minutes, then name.

    ``names`` are codes (or family labels) when ranking codes, line ids when ranking one code's lines.
    """
    ranked = sorted([(-(m % MINUTES_PER_UNIT), -m, names[i], i) for i, m in enumerate(minutes)])
    return [entry[3] for entry in ranked]
