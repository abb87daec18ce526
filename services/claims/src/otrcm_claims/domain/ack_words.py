"""Acknowledgment codes in words a biller can act on: the 999's syntax errors and the 277CA's claim status.

Sources: ASC X12 005010X231A1 (999 Implementation Acknowledgment) code lists for IK304 (segment syntax
error), IK403 (data element syntax error), IK502 (transaction set syntax error) and IK501/AK901
(acknowledgment code); the external code lists of the 277CA (005010X214): Claim Status Category Codes
(code source 507) for STC01-1, Claim Status Codes (code source 508) for STC01-2 and Entity Identifier
Codes (X12 element 98) for STC01-3. A code missing from these tables is shown as its code alone.
"""

from __future__ import annotations

SEGMENT_ERRORS: dict[str, str] = {  # IK304
    "1": "unrecognized segment id",
    "2": "unexpected segment",
    "3": "required segment missing",
    "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use",
    "6": "segment not in defined transaction set",
    "7": "segment not in proper sequence",
    "8": "segment has data element errors",
    "I4": 'implementation "not used" segment present',
    "I6": "implementation dependent segment missing",
    "I7": "implementation loop occurs under minimum times",
    "I8": "implementation segment below minimum use",
    "I9": 'implementation dependent "not used" segment present',
}

ELEMENT_ERRORS: dict[str, str] = {  # IK403
    "1": "required data element missing",
    "2": "conditional required data element missing",
    "3": "too many data elements",
    "4": "data element too short",
    "5": "data element too long",
    "6": "invalid character in data element",
    "7": "invalid code value",
    "8": "invalid date",
    "9": "invalid time",
    "10": "exclusion condition violated",
    "12": "too many repetitions",
    "13": "too many components",
    "I6": "code value not used in implementation",
    "I9": "implementation dependent data element missing",
    "I10": 'implementation "not used" data element present',
    "I11": "implementation too few repetitions",
    "I12": "implementation pattern match failure",
    "I13": 'implementation dependent "not used" data element present',
}

TRANSACTION_SET_ERRORS: dict[str, str] = {  # IK502
    "1": "transaction set not supported",
    "2": "transaction set trailer missing",
    "3": "transaction set control number in header and trailer do not match",
    "4": "number of included segments does not match actual count",
    "5": "one or more segments in error",
    "6": "missing or invalid transaction set identifier",
    "7": "missing or invalid transaction set control number",
    "23": "transaction set control number not unique within the functional group",
    "I5": "implementation one or more segments in error",
    "I6": "implementation convention not supported",
}

ACKNOWLEDGMENT_CODES: dict[str, str] = {  # IK501, AK901
    "A": "accepted",
    "E": "accepted, but errors were noted",
    "M": "rejected, message authentication code failed",
    "P": "partially accepted, at least one transaction set was rejected",
    "R": "rejected",
    "W": "rejected, assurance failed validity tests",
    "X": "rejected, content after decryption could not be analyzed",
}

STATUS_CATEGORIES: dict[str, str] = {  # STC01-1, code source 507
    "A0": "forwarded to another entity",
    "A1": "received (not yet accepted for adjudication)",
    "A2": "accepted into the adjudication system",
    "A3": "returned as unprocessable (not entered into adjudication)",
    "A4": "not found",
    "A5": "split claim",
    "A6": "rejected for missing information",
    "A7": "rejected for invalid information",
    "A8": "rejected for a relational field in error",
}

STATUS_CODES: dict[str, str] = {  # STC01-2, code source 508 (the few every biller meets first)
    "19": "entity acknowledges receipt of claim/encounter",
    "20": "accepted for processing",
    "21": "missing or invalid information",
}

ENTITIES: dict[str, str] = {  # STC01-3, entity identifier codes (X12 element 98)
    "40": "receiver",
    "41": "submitter",
    "77": "service location",
    "82": "rendering provider",
    "85": "billing provider",
    "87": "pay-to provider",
    "DN": "referring provider",
    "IL": "insured or subscriber",
    "PR": "payer",
    "QC": "patient",
}


def _named(table: dict[str, str], code: str | None) -> str | None:
    return None if code is None else table.get(code)


def segment_error_words(segment_id: str, position: int, code: str | None, loop_id: str | None = None) -> str:
    """``999 IK3 DTP at 25 code 3`` in words: where the segment is and what is wrong with it."""
    where = f"segment {segment_id} (position {position}{f', loop {loop_id}' if loop_id else ''})"
    what = _named(SEGMENT_ERRORS, code)
    return f"{where}: {what}" if what else f"{where}: error code {code}" if code else where


def element_error_words(segment_id: str, position: int, data_element: str | None, code: str) -> str:
    """An IK4 in words: which element of which segment, and what is wrong with it."""
    element = f"{segment_id}{position:02d}" + (f" (data element {data_element})" if data_element else "")
    what = _named(ELEMENT_ERRORS, code) or f"error code {code}"
    return f"element {element}: {what}"


def acknowledgment_words(code: str) -> str:
    return ACKNOWLEDGMENT_CODES.get(code, f"acknowledgment code {code}")


def transaction_set_error_words(code: str) -> str:
    return TRANSACTION_SET_ERRORS.get(code, f"error code {code}")


def claim_status_words(category: str, code: str, entity: str | None) -> str:
    """A 277CA STC composite in words: the category, the status and whom it is about."""
    parts = [STATUS_CATEGORIES.get(category, f"category {category}")]
    parts.append(STATUS_CODES.get(code, f"status code {code}"))
    if entity:
        parts.append(f"about the {ENTITIES[entity]}" if entity in ENTITIES else f"entity {entity}")
    return "; ".join(parts)
