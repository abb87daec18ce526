"""Alembic migrations of the claims service (otrcm_shared.runtime.migrations applies them)."""
