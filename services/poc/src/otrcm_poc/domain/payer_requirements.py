"""What a payer requires before an encounter is billed: filled by the service from payer-profile data.

No rule here branches on a payer's name: Medicare's needs (a certified plan, progress reports) are values
of these fields like any other payer's. Source: docs/billing-rules.md#5-plan-of-care and §9.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class PlanSource(StrEnum):
    """What serves as the plan: a therapy plan of care, or a school's IEP."""

    PLAN_OF_CARE = "plan_of_care"
    IEP = "iep"


@dataclass(frozen=True, slots=True)
class PayerRequirements:
    """The payer's conditions for billing an OT encounter.

    ``requires_certified_plan``: a plan of care certified by a physician/NPP covering the date of service
    (Medicare: Pub. 100-02 Ch. 15 §220.1.3). ``progress_reports_required``: a report every 10 treatment
    days (Medicare: §220.3). ``plan_source``: ``iep`` makes the IEP the plan (its dates replace the
    certification rules). ``evaluation_exempt_from_plan``: the initial evaluation, which produces the
    plan, is billed without a plan (Medicare; see :func:`otrcm_poc.domain.gate_encounter`); a payer
    that wants an IEP or plan on file even for the evaluation sets it to False.
    """

    requires_certified_plan: bool = False
    requires_authorization: bool = False
    requires_referral: bool = False
    plan_source: PlanSource = PlanSource.PLAN_OF_CARE
    progress_reports_required: bool = False
    evaluation_exempt_from_plan: bool = True

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> PayerRequirements:
        """From payer-profile data; absent keys take the defaults, unknown keys are an error."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown payer requirement(s): {', '.join(sorted(unknown))}")
        defaults = cls()

        def flag(name: str) -> bool:
            value = data.get(name, getattr(defaults, name))
            if not isinstance(value, bool):
                raise ValueError(f"payer requirement {name} must be true or false (got {value!r})")
            return value

        return cls(
            requires_certified_plan=flag("requires_certified_plan"),
            requires_authorization=flag("requires_authorization"),
            requires_referral=flag("requires_referral"),
            plan_source=PlanSource(str(data.get("plan_source", defaults.plan_source.value))),
            progress_reports_required=flag("progress_reports_required"),
            evaluation_exempt_from_plan=flag("evaluation_exempt_from_plan"),
        )

    def as_mapping(self) -> dict[str, object]:
        """The requirements as plain data (the inverse of :meth:`from_mapping`)."""
        data: dict[str, object] = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["plan_source"] = self.plan_source.value
        return data
