"""Alembic environment: migrate on the connection otrcm_shared.runtime.migrations hands over."""

from alembic import context

from otrcm_shared.runtime.migrations import run_env

run_env(context)
