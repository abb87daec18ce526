"""Money is :class:`~decimal.Decimal`, never float: amounts are checked where they enter the model.

Source: docs/billing-rules.md#11-x12; X12 element type R (decimal number).
"""

from __future__ import annotations

from decimal import Decimal


def require_decimal(value: object, field: str) -> Decimal:
    """``value`` itself when it is a finite Decimal; a float or anything else is a programming error.

    The message names the field only, never the value.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise TypeError(f"{field} must be a Decimal")
    if not value.is_finite():
        raise ValueError(f"{field} must be a finite Decimal")
    return value


CENT = Decimal("0.01")


def has_whole_cents(amount: Decimal) -> bool:
    """Rule: a dollar amount on a claim has at most two decimal places."""
    return amount == amount.quantize(CENT)


def decimal_or_zero(text: str) -> Decimal:
    """An X12 amount element as a Decimal; an absent element is zero."""
    return Decimal(text) if text else Decimal(0)
