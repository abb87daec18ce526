"""Claim lines ready to bill: a cleared billing day with every line's modifiers, units and expected amount.

Published by the modifiers service per billing day; the newest ``version`` of a day replaces the older
ones (a new units revision or a release produces a new version).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.encounters import Provider
from otrcm_shared.events.envelope import EventPayload
from otrcm_shared.events.reference_data import DatasetUsed


class RuleApplied(StrictModel):
    """One rule's effect on a line: which rule, what it did, and the source it follows."""

    rule_id: str
    outcome: str
    source: str


class ReadyLine(StrictModel):
    line_key: str = Field(description="Unique in the day: encounter, line number, and the CO part of a split line.")
    encounter_id: str
    line_number: int = Field(ge=1)
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = Field(ge=1)
    diagnosis_codes: tuple[str, ...] = Field(min_length=1, max_length=4, description="The line's diagnoses, in order.")
    expected_allowed: Decimal | None = Field(default=None, description="Estimated allowed amount; None when unknown.")
    rules: tuple[RuleApplied, ...] = ()
    expected_provisional: bool = Field(
        default=False, description="The estimate used a dataset version carried forward from an earlier year."
    )
    expected_basis: tuple[DatasetUsed, ...] = Field(
        default=(), description="The dataset versions the estimate was priced from (provisional ones marked)."
    )
    rendering_provider_npi: str | None = Field(
        default=None,
        description="The rendering provider of the line's encounter (a day pools several therapists' minutes); "
        "None from producers older than this field: the day's rendering provider then.",
    )


class HoldDetail(StrictModel):
    """One reason a line is held, for a biller: code, the rule that held it, what it means, what releases it."""

    code: str
    rule_id: str
    message: str = Field(description="A sentence a biller understands.")
    action: str = Field(description="What releases the line.")
    detail: str = Field(default="", description="The rule's own account, with its figures.")


class HeldLine(StrictModel):
    line_key: str
    encounter_id: str
    line_number: int
    code: str
    reasons: tuple[str, ...] = Field(min_length=1)
    message: str
    details: tuple[HoldDetail, ...] = Field(default=(), description="Per reason: rule, sentence and action.")


class ThresholdStatus(StrictModel):
    """The beneficiary's therapy-threshold accrual after this day: always an estimate."""

    year: int
    bucket: str
    accrued: Decimal
    threshold: Decimal | None
    above_threshold: bool
    targeted_review_flag: bool
    estimate: bool = True
    provisional: bool = Field(default=False, description="The accrual includes estimates carried forward.")
    threshold_provisional: bool = Field(default=False, description="The threshold is an earlier year's.")


class ClaimLinesReady(EventPayload):
    EVENT_TYPE: ClassVar[str] = "claim-lines.ready"

    day_key: str
    version: int = Field(ge=1, description="Increases with every new units revision or gate verdict of the day.")
    units_revision: int | None = Field(default=None, ge=1, description="The units revision these lines bill.")
    gate_revision: int | None = Field(default=None, ge=1, description="The gate verdict that cleared them.")
    patient_key: str
    payer_id: str
    date_of_service: date
    place_of_service: str
    billing_provider_npi: str
    rendering_provider: Provider
    location_id: str | None = None
    referring_provider_npi: str | None = Field(default=None, description="The plan's certifier (2310A).")
    encounter_ids: tuple[str, ...] = Field(default=(), description="Every encounter of the day, lines or not.")
    lines: tuple[ReadyLine, ...]
    held_lines: tuple[HeldLine, ...] = ()
    threshold: ThresholdStatus | None = None
    reference_data: tuple[DatasetUsed, ...] = Field(
        default=(), description="Every reference dataset version the day's figures used; provisional ones marked."
    )
