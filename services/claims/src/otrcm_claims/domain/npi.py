"""NPI check digit: the Luhn formula over the card-issuer prefix 80840 and the first nine digits.

Source: CMS, "Requirements for Constructing the NPI Check Digit" (NPI final rule, 45 CFR 162.406;
the NPI is an ISO 7812 card number with prefix 80840); docs/billing-rules.md#11-x12.
Worked example: 123456789 -> check digit 3, so 1234567893 is valid.
"""

from __future__ import annotations

NPI_PREFIX = "80840"


def luhn_check_digit(digits: str) -> int:
    """The digit that, appended to ``digits``, makes the Luhn sum a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # the rightmost payload digit is doubled
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def npi_check_digit_is_valid(npi: str) -> bool:
    """Rule: an NPI is ten ASCII digits whose tenth is the Luhn digit of 80840 + the first nine."""
    if len(npi) != 10 or not npi.isascii() or not npi.isdigit():
        return False
    return luhn_check_digit(NPI_PREFIX + npi[:9]) == int(npi[9])
