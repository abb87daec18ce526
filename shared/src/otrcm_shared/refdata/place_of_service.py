"""The CMS place-of-service code set, by date."""

from __future__ import annotations

from datetime import date

from otrcm_shared.refdata.loader import current_dataset


def place_of_service_codes(on: date) -> dict[str, str]:
    """Code -> name of every place of service in effect on ``on``."""
    codes: dict[str, str] = current_dataset("place_of_service").as_of(on).data["codes"]
    return codes
