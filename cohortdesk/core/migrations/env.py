"""Alembic environment: always run programmatically by `cohortdesk.core.storage.migrate`.

The caller passes an open connection in `config.attributes["connection"]`, so the whole
upgrade runs inside the caller's one transaction.
"""

import warnings

from alembic import context
from sqlalchemy.exc import SAWarning

from cohortdesk.core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "cohortdesk migrations run from cohortdesk.core.storage.migrate, with a connection"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters tables by copying them; PostgreSQL alters them in place (the migrations'
    # batch_alter_table blocks then emit plain ALTER TABLE statements).
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with warnings.catch_warnings():
    # Batch mode reflects tables to copy them; SQLAlchemy cannot reflect the expression index
    # on lower(email) and says so. The index is kept by the migration that made it.
    warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
    with context.begin_transaction():
        context.run_migrations()
