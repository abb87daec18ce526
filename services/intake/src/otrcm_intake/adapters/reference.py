"""The reference data intake validates against, looked up for a date: every dataset a later stage needs for
the date of service (units and poc: payer profiles and the code catalog; modifiers: payer modifier policies
and discipline modifiers too), so that no encounter the door accepts is dead-lettered downstream for
reference data missing on its date."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from otrcm_intake.domain.encounter_rules import EncounterContext
from otrcm_intake.domain.violations import Violation
from otrcm_shared.refdata import CodeCatalog, NoVersionInEffect, PayerProfiles
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.layers import LAYERS
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies
from otrcm_shared.refdata.place_of_service import place_of_service_codes


def encounter_context(date_of_service: date, today: date) -> EncounterContext | Violation:
    """The rules' context on the date of service, or a violation when no reference data covers it: gathered once
    per date, business date and import generation (an import of reference data gathers them again)."""
    return _gathered(date_of_service, today, LAYERS.generation)


@lru_cache(maxsize=1024)
def _gathered(date_of_service: date, today: date, _generation: int) -> EncounterContext | Violation:
    try:
        return EncounterContext(
            today=today,
            catalog=CodeCatalog.builtin(date_of_service),
            payers=PayerProfiles.builtin(date_of_service),
            places_of_service=frozenset(place_of_service_codes(date_of_service)),
            modifier_policies=PayerModifierPolicies.builtin(date_of_service),
            discipline_modifiers=DisciplineModifiers.builtin(date_of_service),
        )
    except NoVersionInEffect as missing:
        return Violation("date_of_service", "reference_data.in_effect", str(missing))
