"""Alembic environment: runs on the connection plantui hands over, against `plantui.store.tables`."""

from alembic import context

from plantui.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("plantui runs its migrations through plantui.store.schema.upgrade()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
