"""Helpers for the ledger's PostgreSQL-only migrations (a module starting with "_" is not a migration)."""

from collections.abc import Callable
from typing import Any


def on_postgres(sql: str) -> Callable[[Any, Any], None]:
    """A RunPython step that runs `sql` on PostgreSQL and does nothing elsewhere (SQLite uses the Python twins)."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % signs of the SQL stay as they are

    return run
