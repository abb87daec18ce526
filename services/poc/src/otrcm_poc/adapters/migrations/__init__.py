"""Alembic migrations of the poc service (otrcm_shared.runtime.migrations applies them)."""
