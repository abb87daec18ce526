"""The modifiers service's settings."""

from __future__ import annotations

from pydantic import Field

from otrcm_shared.runtime.settings import RuntimeSettings


class ModifiersSettings(RuntimeSettings):
    default_locality: str = Field(
        default="MO-99", description="Medicare locality for locations not named by one (MO-01, MO-02, MO-99)."
    )
