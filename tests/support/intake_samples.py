"""Valid intake payloads (fictional people and providers) that tests mutate one field at a time."""

from __future__ import annotations

import random
from typing import Any

# NPIs with valid check digits. 1234567893: Luhn over 80840123456789 -> check digit 3 (CMS's example).
# 1245319599: Luhn over 80840124531959 -> 9.
BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
# CMS's published example of the MBI format.
SAMPLE_MBI = "1EG4TE5MK73"


def encounter(encounter_id: str = "enc-1", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "encounter_id": encounter_id,
        "patient_id": "mrn-1001",
        "payer_id": "medicare-wps-j5",
        "date_of_service": "2026-03-02",
        "place_of_service": "11",
        "billing_provider_npi": BILLING_NPI,
        "rendering_provider": {"npi": RENDERING_NPI, "role": "OT"},
        "diagnoses": ["M62.81", "I69.351"],
        "lines": [
            {"line_number": 1, "code": "97530", "minutes": 25, "diagnosis_pointers": [1]},
            {"line_number": 2, "code": "97535", "minutes": 15, "assistant_minutes": 0, "diagnosis_pointers": [1, 2]},
        ],
        "attestations": {"medical_necessity_documented": True, "distinct_time_blocks": False},
    }
    body.update(changes)
    return body


def patient(patient_id: str = "mrn-1001", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patient_id": patient_id,
        "first_name": "Ada",
        "last_name": "Quill",
        "birth_date": "1948-05-17",
        "sex": "F",
        "address": {"line1": "12 Elm St", "city": "Saint Louis", "state": "MO", "postal_code": "63101"},
        "coverages": [{"payer_id": "medicare-wps-j5", "member_id": SAMPLE_MBI}],
    }
    body.update(changes)
    return body


def npi_with_check_digit(first_nine: str) -> str:
    """The NPI whose first nine digits are given: Luhn over 80840 + the nine, as CMS defines the check digit."""
    digits = [int(d) for d in "80840" + first_nine]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return first_nine + str((10 - total % 10) % 10)


def fresh_npi() -> str:
    """A valid NPI no other test has registered (one billing NPI belongs to one tenant)."""
    return npi_with_check_digit("1" + "".join(random.choices("0123456789", k=8)))


def fresh_tin() -> str:
    return "4" + "".join(random.choices("0123456789", k=8))


def billing_provider(npi: str, tin: str | None = None, **changes: Any) -> dict[str, Any]:
    """A registration body (invented organisation) for ``otrcm-intake register-billing-provider``."""
    body: dict[str, Any] = {
        "npi": npi,
        "name": "MERIDIAN HAND AND OT LLC",
        "taxonomy": "225X00000X",
        "tin": tin or fresh_tin(),
        "address": {"line1": "100 MAIN ST", "city": "COLUMBIA", "state": "MO", "postal_code": "652011234"},
        "submitter": {"name": "MERIDIAN HAND AND OT", "id": "SUB123", "contact_phone": "5735550100"},
        "receiver": {"name": "SHOWME CLEARINGHOUSE", "id": "CH01"},
        "interchange_sender": {"qualifier": "ZZ", "id": "SUB123"},
        "interchange_receiver": {"qualifier": "ZZ", "id": "CH01"},
        "usage": "T",
    }
    body.update(changes)
    return body
