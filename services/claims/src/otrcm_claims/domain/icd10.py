"""ICD-10-CM code shape, and the undotted form X12 carries.

Source: CDC/NCHS ICD-10-CM Official Guidelines (a code is 3-7 characters: a letter, a digit, an
alphanumeric category, then up to four more after the decimal point); 005010X222A1 2300 HI
(the diagnosis code is sent without the decimal point); docs/billing-rules.md#11-x12. Shape only: whether a code
exists in this year's code set is reference data, not checked here.
"""

from __future__ import annotations

import re

_ICD10_CM_SHAPE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")


def has_icd10_cm_shape(code: str) -> bool:
    """Rule: letter, digit, alphanumeric, then optionally a dot and 1-4 alphanumerics (upper case)."""
    return _ICD10_CM_SHAPE.fullmatch(code) is not None


def icd10_for_x12(code: str) -> str:
    """The code as X12 HI carries it: without the decimal point (``F82.`` -> ``F82``, ``R27.8`` -> ``R278``)."""
    return code.replace(".", "")
