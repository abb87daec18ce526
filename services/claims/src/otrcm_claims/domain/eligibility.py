"""Eligibility (issue 19 item 9): what a 270 asks and what a 271 answers, and how the answer reads. Pure.

Source: ASC X12 005010X279A1. The 270 names the payer (2100A NM1*PR), the billing provider (2100B NM1*1P),
the subscriber (2100C NM1*IL, member id) and, for a dependent, the patient (2100D NM1*03), the date asked
about (DTP*291) and the service types (EQ01: 30 health benefit plan coverage, AD occupational therapy).
The 271 answers per benefit (EB): EB01 1 to 5 say the coverage is active, 6 to 8 inactive; F limitations
(with EB06 time period and EB07 amount) carry amounts such as therapy already applied; AAA says why a
request was refused. Plan dates are DTP*346 (begin), DTP*347 (end) or DTP*291 (plan, one date or a range).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otrcm_claims.domain.parties import BillingProvider, Patient, Payer, Subscriber

HEALTH_BENEFIT_PLAN_COVERAGE = "30"
OCCUPATIONAL_THERAPY = "AD"
THERAPY_SERVICE_TYPES = frozenset({"AD", "AE", "PT", "AF"})  # OT, physical medicine, PT, speech therapy
ACTIVE_CODES = frozenset({"1", "2", "3", "4", "5"})
INACTIVE_CODES = frozenset({"6", "7", "8"})


@dataclass(frozen=True, slots=True)
class EligibilityInquiry:
    """One 270 request: who is asked (payer), who asks (billing provider), about whom, on which date.

    ``request_id`` is the 2000C/2000D TRN02 trace number the 271 echoes (TRN01 = 2). ``patient`` is set only
    for a dependent (2000D); a patient who is the subscriber is asked about in 2100C.
    """

    request_id: str
    payer: Payer
    provider: BillingProvider
    subscriber: Subscriber
    service_date: date
    patient: Patient | None = None
    service_types: tuple[str, ...] = (HEALTH_BENEFIT_PLAN_COVERAGE, OCCUPATIONAL_THERAPY)


@dataclass(frozen=True, slots=True)
class Benefit:
    """One 271 EB: eligibility code, service types, time period, amount (when reported), network flag."""

    eligibility_code: str
    service_types: tuple[str, ...] = ()
    time_period: str | None = None
    amount: Decimal | None = None
    in_plan_network: str | None = None

    @property
    def about_coverage(self) -> bool:
        """An EB about the plan (30), occupational therapy (AD), or with no service type (all services)."""
        return not self.service_types or bool(
            {HEALTH_BENEFIT_PLAN_COVERAGE, OCCUPATIONAL_THERAPY} & set(self.service_types)
        )

    @property
    def is_therapy_amount(self) -> bool:
        return self.amount is not None and bool(THERAPY_SERVICE_TYPES & set(self.service_types))


@dataclass(frozen=True, slots=True)
class CoverageFacts:
    """What one 271 says about one request (the 2000C or 2000D level whose TRN02 is our trace number)."""

    trace: str
    member_id: str | None = None
    plan_begin: date | None = None
    plan_end: date | None = None
    benefits: tuple[Benefit, ...] = ()
    rejections: tuple[str, ...] = field(default=())  # AAA03 reject reason codes

    def status_on(self, day: date) -> str:
        """``rejected`` (AAA); ``active`` when an EB for plan coverage (30) or OT (AD), or without service type,
        says 1-5 and ``day`` is within the plan dates; ``inactive`` when such an EB says 6-8, or says active but
        the plan ended before (or began after) ``day``; else ``unknown``."""
        if self.rejections:
            return "rejected"
        codes = {benefit.eligibility_code for benefit in self.benefits if benefit.about_coverage}
        outside = (self.plan_begin is not None and day < self.plan_begin) or (
            self.plan_end is not None and day > self.plan_end
        )
        if codes & ACTIVE_CODES:
            return "inactive" if outside else "active"
        if codes & INACTIVE_CODES:
            return "inactive"
        return "unknown"

    @property
    def therapy_amounts(self) -> tuple[Benefit, ...]:
        return tuple(benefit for benefit in self.benefits if benefit.is_therapy_amount)
