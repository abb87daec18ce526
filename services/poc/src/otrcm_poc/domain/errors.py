"""Why a plan, authorization or IEP record cannot be taken: errors that name the record and the rule."""

from __future__ import annotations


class PocDomainError(ValueError):
    """A plan-of-care, IEP or authorization fact breaks a rule; the message names the record at fault."""


class DisallowedCertifier(PocDomainError):
    """The certifying practitioner's credential may not certify this therapy plan."""

    def __init__(self, plan_id: str, credential: str, rule: str) -> None:
        super().__init__(f"plan {plan_id}: a certifier with credential {credential!r} cannot certify it: {rule}")
        self.plan_id = plan_id
        self.credential = credential
        self.rule = rule


class InvalidPlanEvent(PocDomainError):
    """An event cannot be applied to the plan in its current state (wrong plan, order or dates)."""

    def __init__(self, plan_id: str, problem: str) -> None:
        super().__init__(f"plan {plan_id}: {problem}")
        self.plan_id = plan_id
        self.problem = problem


class InvalidAuthorization(PocDomainError):
    """An authorization record or a use of it is impossible (dates, counts, encounter beyond it)."""

    def __init__(self, authorization_id: str, problem: str) -> None:
        super().__init__(f"authorization {authorization_id}: {problem}")
        self.authorization_id = authorization_id
        self.problem = problem


class InvalidIep(PocDomainError):
    """An IEP record is impossible (it ends before it starts)."""

    def __init__(self, plan_id: str, problem: str) -> None:
        super().__init__(f"IEP {plan_id}: {problem}")
        self.plan_id = plan_id
        self.problem = problem
