"""Alembic migrations of the modifiers service (otrcm_shared.runtime.migrations applies them)."""
