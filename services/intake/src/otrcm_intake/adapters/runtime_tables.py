"""The runtime kit's inbox and outbox tables on intake's metadata (one declaration per process)."""

from otrcm_intake.adapters.store import metadata
from otrcm_shared.runtime.tables import KitTables

kit = KitTables(metadata)
