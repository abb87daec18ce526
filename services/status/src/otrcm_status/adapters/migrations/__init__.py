"""Alembic migrations of the status service (otrcm_shared.runtime.migrations applies them)."""
