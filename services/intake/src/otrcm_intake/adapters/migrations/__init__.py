"""Alembic migrations of the intake service (otrcm_shared.runtime.migrations applies them)."""
