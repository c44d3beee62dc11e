"""Alembic environment: run by ``her2scope.registry.db.migrate`` with a live connection."""

from alembic import context
from sqlalchemy import create_engine

from her2scope.registry.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:   # `alembic` used by hand with sqlalchemy.url set
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic: set sqlalchemy.url (or run the migrations through her2scope registry init)")
    connectable = create_engine(url)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
