"""Alembic migrations of the units service (otrcm_shared.runtime.migrations applies them)."""
