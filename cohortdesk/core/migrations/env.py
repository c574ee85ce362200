"""Alembic environment: always run programmatically by `cohortdesk.core.migrate`.

The caller passes an open connection in `config.attributes["connection"]`, so the whole
upgrade runs inside the caller's one transaction.
"""

from alembic import context

from cohortdesk.core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("cohortdesk migrations run from cohortdesk.core.migrate, with a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
