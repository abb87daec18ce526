"""The beneficiary's threshold accrual as stored, and where a day is priced (its Medicare locality)."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_modifiers.adapters.store import accruals
from otrcm_modifiers.domain.accrual_plain_data import accrual_as_plain_data, accrual_from_plain_data
from otrcm_modifiers.domain.threshold_accrual import ThresholdAccrual, empty_accrual
from otrcm_modifiers.settings import ModifiersSettings
from otrcm_shared.refdata import NoVersionInEffect
from otrcm_shared.refdata.medicare_pfs import MedicareGpcis
from otrcm_shared.runtime.prepared import lookup, upsert

# Built once (docs/adr/014): the statements every judged day runs.
_ACCRUAL = lookup(accruals.c.state, where=("tenant_id", "beneficiary_key"))
_SAVE_ACCRUAL = upsert(accruals, ("tenant_id", "beneficiary_key"), ("state",))


async def load_accrual(session: AsyncSession, tenant_id: str, beneficiary: str) -> ThresholdAccrual:
    state = (await _ACCRUAL.execute(session, {"tenant_id": tenant_id, "beneficiary_key": beneficiary})).scalar()
    return accrual_from_plain_data(state) if state else empty_accrual(beneficiary)


async def save_accrual(session: AsyncSession, tenant_id: str, accrual: ThresholdAccrual) -> None:
    values = {"tenant_id": tenant_id, "beneficiary_key": accrual.beneficiary_key}
    await _SAVE_ACCRUAL.execute(session, {**values, "state": accrual_as_plain_data(accrual)})


@cache
def default_locality() -> str:
    """Read once per process: settings come from the environment, which does not change while running."""
    return ModifiersSettings().default_locality


def locality_of(location_id: str | None, on_date: date, default: str) -> str:
    """A location named by its Medicare locality (e.g. 'MO-01') prices there; any other uses the default."""
    try:
        known = MedicareGpcis.builtin(on_date).localities
    except NoVersionInEffect:
        return default
    return location_id if location_id in known else default
