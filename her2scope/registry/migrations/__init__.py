"""Alembic migrations of the registry schema (configured in code: see ``db.migrate``)."""
