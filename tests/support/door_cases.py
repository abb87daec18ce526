"""Every reason a downstream service can dead-letter a record for, and how the front door refuses that record
first: a request (after the requests that set it up) and the answer it gets, naming field and rule. A reason no
submitted record can produce is listed in ``EXEMPT`` with why. ``tests/unit/test_dead_letter_reasons.py``
checks these lists against what the services declare and raise; ``tests/integration/intake/
test_door_refuses_first.py`` sends every request to the API on the real broker and PostgreSQL.

A reason is ``service:CODE`` (the dead letter's reason code) or ``service:CODE:rule`` (a rule its rule ids name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from otrcm_claims.domain.errors import DEAD_LETTER_REASONS as CLAIMS_REASONS
from otrcm_modifiers.domain.errors import DEAD_LETTER_REASONS as MODIFIERS_REASONS
from otrcm_poc.domain.errors import DEAD_LETTER_REASONS as POC_REASONS
from otrcm_shared.runtime.consumer import CONSUMER_REASONS
from otrcm_units.domain.errors import DEAD_LETTER_REASONS as UNITS_REASONS

DECLARED: dict[str, dict[str, tuple[str, ...]]] = {
    "units": UNITS_REASONS,
    "poc": POC_REASONS,
    "modifiers": MODIFIERS_REASONS,
    "claims": CLAIMS_REASONS,
    "consumer": {code: () for code in CONSUMER_REASONS},
}


def every_reason() -> set[str]:
    """Every reason the downstream services declare, as ``service:CODE`` or ``service:CODE:rule``."""
    found = set()
    for service, reasons in DECLARED.items():
        for code, rules in reasons.items():
            found |= {f"{service}:{code}:{rule}" for rule in rules} if rules else {f"{service}:{code}"}
    return found


Body = Callable[[str], Any]  # the request body, given the clinic's billing NPI


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: Body


@dataclass(frozen=True)
class DoorCase:
    """``request`` (after ``setup``, each accepted) is answered ``status`` with exactly the errors ``refused``."""

    request: Request
    refused: frozenset[tuple[str, str]]
    status: int = 422
    setup: tuple[Request, ...] = field(default=())


EVALUATION = "2026-03-02"
ENCOUNTER_LINE = {"line_number": 1, "code": "97530", "minutes": 25, "assistant_minutes": 0, "diagnosis_pointers": [1]}


def _encounter(encounter_id: str, *, line: dict[str, Any] | None = None, **changes: Any) -> Request:
    lines = changes.pop("lines", [{**ENCOUNTER_LINE, **(line or {})}])

    def body(npi: str) -> dict[str, Any]:
        return {
            "encounter_id": encounter_id, "patient_id": "mrn-1001", "payer_id": "medicare-wps-j5",
            "date_of_service": "2026-03-09", "place_of_service": "11", "billing_provider_npi": npi,
            "rendering_provider": {"npi": "1245319599", "role": "OT"}, "diagnoses": ["M62.81"], "lines": lines,
            **changes,
        }  # fmt: skip

    return Request("POST", "/v1/encounters", body)


def _plan(plan_id: str, **changes: Any) -> Request:
    body = {"plan_id": plan_id, "patient_id": "mrn-1001", "evaluation_date": EVALUATION, "duration_days": 60}
    return Request("POST", "/v1/plans-of-care", lambda _npi: {k: v for k, v in {**body, **changes}.items() if v != ...})


def _iep(plan_id: str, **changes: Any) -> Request:
    dates = {"is_iep": True, "iep_start": "2026-01-05", "iep_end": "2026-06-05", "duration_days": 180}
    return _plan(plan_id, **{**dates, **changes})


def _step(plan_id: str, kind: str, on: str, **changes: Any) -> Request:
    body = {"kind": kind, "event_date": on, **changes}
    return Request("POST", f"/v1/plans-of-care/{plan_id}/events", lambda _npi: body)


def _certified(plan_id: str, on: str, credential: str = "MD", **changes: Any) -> Request:
    return _step(plan_id, "certified", on, certifier_npi="1234567893", certifier_credential=credential, **changes)


def _verbal_order(plan_id: str, on: str) -> Request:
    return _step(plan_id, "verbal_order", on, certifier_npi="1234567893", certifier_credential="MD")


def _authorization(authorization_id: str, **changes: Any) -> Request:
    body = {"authorization_id": authorization_id, "patient_id": "mrn-1001", "payer_id": "mo-healthnet-ffs",
            "authorized": 12, "start_date": "2026-03-01", "end_date": "2026-05-31", **changes}  # fmt: skip
    return Request("POST", "/v1/authorizations", lambda _npi: body)


OLD_ENCOUNTER = DoorCase(
    _encounter("door-2019", date_of_service="2019-06-03"), frozenset({("date_of_service", "reference_data.in_effect")})
)
UNKNOWN_CODE = DoorCase(
    _encounter("door-97014", line={"code": "97014"}), frozenset({("lines.1.code", "code.in_catalog")})
)
LINES_TWICE_NUMBERED_1 = DoorCase(
    _encounter("door-line-1-twice", lines=[ENCOUNTER_LINE, {**ENCOUNTER_LINE, "code": "97535"}]),
    frozenset({("lines.2.line_number", "lines.numbered_in_order")}),
)
UNITS = "units:UNITS_INPUT_INVALID"
PLAN = "poc:PLAN_EVENT_INVALID"
AUTH = "poc:AUTHORIZATION_INVALID"
MODIFIERS = "modifiers:MODIFIERS_INPUT_INVALID"

DOOR_CASES: dict[str, DoorCase] = {
    "units:PAYER_UNKNOWN:payer.known": DoorCase(
        _encounter("door-payer", payer_id="acme-health"), frozenset({("payer_id", "payer.known")})
    ),
    "units:REFERENCE_DATA_MISSING": OLD_ENCOUNTER,
    f"{UNITS}:units.code_in_catalog": UNKNOWN_CODE,
    f"{UNITS}:units.minutes_not_negative": DoorCase(
        _encounter("door-minus-1", line={"minutes": -1}), frozenset({("lines.1.minutes", "schema.greater_than_equal")})
    ),
    f"{UNITS}:units.line_ids_unique": LINES_TWICE_NUMBERED_1,
    "poc:REFERENCE_DATA_MISSING": OLD_ENCOUNTER,
    "poc:PLAN_UNKNOWN": DoorCase(
        _step("door-never-created", "sent", "2026-03-03"), frozenset({("plan_id", "plan.exists")}), status=404
    ),
    f"{PLAN}:poc.plan_duration_or_end_date": DoorCase(
        _plan("door-no-duration", duration_days=...), frozenset({("duration_days", "schema.missing")})
    ),
    f"{PLAN}:poc.plan_lasts_a_day": DoorCase(
        _plan("door-0-days", duration_days=0), frozenset({("duration_days", "schema.greater_than_equal")})
    ),
    f"{PLAN}:poc.plan_created_once": DoorCase(
        _plan("door-created", evaluation_date="2026-03-03"),
        frozenset({("plan_id", "idempotency.same_content")}),
        status=409,
        setup=(_plan("door-created"),),
    ),
    f"{PLAN}:plan_step.not_before_evaluation": DoorCase(
        _step("door-early", "sent", "2026-03-01"),
        frozenset({("event_date", "plan_step.not_before_evaluation")}),
        setup=(_plan("door-early"),),
    ),
    f"{PLAN}:certifier.npi_required": DoorCase(
        _step("door-no-npi", "certified", "2026-03-04", certifier_credential="MD"),
        frozenset({("certifier_npi", "certifier.npi_required")}),
        setup=(_plan("door-no-npi"),),
    ),
    f"{PLAN}:certifier.credential_required": DoorCase(
        _step("door-no-credential", "certified", "2026-03-04", certifier_npi="1234567893"),
        frozenset({("certifier_credential", "certifier.credential_required")}),
        setup=(_plan("door-no-credential"),),
    ),
    f"{PLAN}:certifier.credential_allowed": DoorCase(
        _certified("door-dc", "2026-03-04", credential="DC"),
        frozenset({("certifier_credential", "certifier.credential_allowed")}),
        setup=(_plan("door-dc"),),
    ),
    f"{PLAN}:recertification.duration_required": DoorCase(
        _step("door-recert", "recertified", "2026-03-18", certifier_npi="1234567893", certifier_credential="MD"),
        frozenset({("duration_days", "recertification.duration_required")}),
        setup=(_plan("door-recert"), _certified("door-recert", "2026-03-04")),
    ),
    f"{PLAN}:late_reason.required": DoorCase(
        _step("door-late", "late_reason_recorded", "2026-03-20", reason="   "),
        frozenset({("reason", "late_reason.required")}),
        setup=(_plan("door-late"),),
    ),
    f"{PLAN}:iep.no_later_steps": DoorCase(
        _step("door-iep-step", "sent", "2026-03-03"),
        frozenset({("kind", "iep.no_later_steps")}),
        setup=(_iep("door-iep-step"),),
    ),
    f"{PLAN}:certification.once": DoorCase(
        _certified("door-twice", "2026-03-05"),
        frozenset({("kind", "certification.once")}),
        setup=(_plan("door-twice"), _certified("door-twice", "2026-03-04")),
    ),
    f"{PLAN}:verbal_order.on_file": DoorCase(
        _step("door-unordered", "signed", "2026-03-05"),
        frozenset({("kind", "verbal_order.on_file")}),
        setup=(_plan("door-unordered"),),
    ),
    f"{PLAN}:verbal_order.signed_after_order": DoorCase(
        _step("door-signed-early", "signed", "2026-03-04"),
        frozenset({("event_date", "verbal_order.signed_after_order")}),
        setup=(_plan("door-signed-early"), _verbal_order("door-signed-early", "2026-03-05")),
    ),
    f"{PLAN}:verbal_order.signed_once": DoorCase(
        _step("door-signed-twice", "signed", "2026-03-07"),
        frozenset({("event_date", "verbal_order.signed_once")}),
        setup=(
            _plan("door-signed-twice"),
            _verbal_order("door-signed-twice", "2026-03-05"),
            _step("door-signed-twice", "signed", "2026-03-06"),
        ),
    ),
    f"{PLAN}:poc.certified_duration_positive": DoorCase(
        _certified("door-0-certified", "2026-03-04", duration_days=0),
        frozenset({("duration_days", "schema.greater_than_equal")}),
        setup=(_plan("door-0-certified"),),
    ),
    f"{PLAN}:iep.dates_required": DoorCase(
        _iep("door-iep-open", iep_end=...), frozenset({("iep_start", "iep.dates_required")})
    ),
    f"{PLAN}:poc.iep_dates_ordered": DoorCase(
        _iep("door-iep-backwards", iep_end="2026-01-04"), frozenset({("iep_end", "dates.ordered")})
    ),
    f"{AUTH}:poc.authorizes_at_least_one": DoorCase(
        _authorization("door-auth-0", authorized=0), frozenset({("authorized", "schema.greater_than_equal")})
    ),
    f"{AUTH}:poc.authorization_dates_ordered": DoorCase(
        _authorization("door-auth-backwards", end_date="2026-02-28"), frozenset({("end_date", "dates.ordered")})
    ),
    "modifiers:REFERENCE_DATA_MISSING": OLD_ENCOUNTER,
    f"{MODIFIERS}:modifiers.code_in_catalog": UNKNOWN_CODE,
    f"{MODIFIERS}:modifiers.line_ids_unique": LINES_TWICE_NUMBERED_1,
    f"{MODIFIERS}:modifiers.assistant_within_line": DoorCase(
        _encounter("door-assistant", line={"minutes": 10, "assistant_minutes": 20}),
        frozenset({("lines.1.assistant_minutes", "minutes.assistant_within_line")}),
    ),
}

NEVER_PUBLISHED_BY_INTAKE = "intake never publishes it"
COUNTED_BY_THE_GATE = (
    "raised when the gate counts an encounter against an authorization; the gate counts only an encounter it "
    "cleared for the authorization's dates and what remains (no submitted record reaches it)"
)
EXEMPT: dict[str, str] = {
    "consumer:SCHEMA_INVALID": "intake publishes only events it built from a record the schema read whole; a "
    "consumer meets bytes it cannot decode only from another producer or a changed contract, which the schema "
    "compatibility test (tests/unit/shared) guards",
    "consumer:HANDLER_FAILED": "a bug in a handler, reported by exception type: not a property of any record",
    f"{PLAN}:poc.plan_ids_required": f"a plan without a plan id or patient key: {NEVER_PUBLISHED_BY_INTAKE} "
    "(the plan id is required by the schema, the patient key is intake's own)",
    f"{PLAN}:poc.plan_end_after_evaluation": "the contract's plan carries no end date (duration_days only)",
    f"{PLAN}:poc.event_for_this_plan": "poc loads the plan by the event's own plan id, so they cannot differ",
    f"{PLAN}:poc.recertification_follows_interval": "a recertification through the API states no first day of "
    "its own, so it always starts the day after the interval before it",
    f"{PLAN}:poc.late_reason_certification_exists": "a late reason through the API always concerns the initial "
    "certification (number 0), which every plan has",
    f"{AUTH}:poc.authorization_used_not_negative": "the authorization record carries no usage; poc counts it",
    f"{AUTH}:poc.authorization_covers_the_date": COUNTED_BY_THE_GATE,
    f"{AUTH}:poc.authorization_units_not_negative": COUNTED_BY_THE_GATE,
    f"{AUTH}:poc.authorization_has_enough_left": COUNTED_BY_THE_GATE,
    f"{MODIFIERS}:modifiers.accrual_of_the_day": "the accrual is modifiers' own state, loaded for the day's patient",
    f"{MODIFIERS}:modifiers.units_not_negative": "a line's units are the units service's result, never negative",
}
