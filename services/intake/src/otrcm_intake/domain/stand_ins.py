"""Neutral values that stand in for the values of a record the schema could not read (see ``reading``).

Each is a valid record that breaks no rule by itself; its dates are the business date. A rule finding that
reads a stand-in is dropped (``Reading.with_rules``), so none of these values ever reaches an answer. A unit
test checks that every stand-in is a valid record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

STAND_IN_ID = "unreadable"
STAND_IN_NPI = "1234567893"  # CMS's example of a valid check digit


def encounter(today: date) -> dict[str, Any]:
    return {
        "encounter_id": STAND_IN_ID,
        "patient_id": STAND_IN_ID,
        "payer_id": STAND_IN_ID,
        "date_of_service": today.isoformat(),
        "place_of_service": "11",
        "discipline": "OT",
        "billing_provider_npi": STAND_IN_NPI,
        "rendering_provider": {"npi": STAND_IN_NPI, "role": "OT"},
        "location_id": None,
        "diagnoses": ["R69"],
        "lines": [
            {
                "line_number": 1,
                "code": "97530",
                "minutes": 0,
                "assistant_minutes": 0,
                "diagnosis_pointers": [1],
                "modifiers": [],
            }
        ],
        "attestations": {"medical_necessity_documented": False, "distinct_time_blocks": False},
    }


def patient(today: date) -> dict[str, Any]:
    return {
        "patient_id": STAND_IN_ID,
        "first_name": "x",
        "last_name": "x",
        "birth_date": today.isoformat(),
        "sex": "U",
        "address": {"line1": "x", "line2": None, "city": "x", "state": "MO", "postal_code": "00000"},
        "coverages": [
            {"payer_id": STAND_IN_ID, "member_id": "x", "group_number": None, "relationship_to_subscriber": "18"}
        ],
    }


def plan(today: date) -> dict[str, Any]:
    return {
        "plan_id": STAND_IN_ID,
        "patient_id": STAND_IN_ID,
        "discipline": "OT",
        "evaluation_date": today.isoformat(),
        "duration_days": 1,
        "written_order_on_file": False,
        "low_vision": False,
        "is_iep": False,
        "iep_start": None,
        "iep_end": None,
    }


def plan_event(today: date) -> dict[str, Any]:
    return {
        "kind": "sent",
        "event_date": today.isoformat(),
        "certifier_npi": None,
        "certifier_credential": None,
        "duration_days": None,
        "reason": None,
    }


def authorization(today: date) -> dict[str, Any]:
    return {
        "authorization_id": STAND_IN_ID,
        "patient_id": STAND_IN_ID,
        "payer_id": STAND_IN_ID,
        "unit": "visits",
        "authorized": 1,
        "start_date": today.isoformat(),
        "end_date": today.isoformat(),
    }


def therapy_spend(today: date) -> dict[str, Any]:
    return {"year": today.year, "discipline": "ot", "amount": "0", "source": "manual_entry", "as_of": today.isoformat()}
