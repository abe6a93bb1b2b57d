"""A command posted against a row the actor must be allowed to act on, with the access check and the posting in
one round trip on PostgreSQL (the lesson steps: most of the ledger's traffic).

`post_checked(row, build)`: `row` names the access-checked read (core.access.permitted_row_query) and `build` turns
its values into the posting.Command. On PostgreSQL `build` is called once with stand-ins for the row's values,
and every argument of ledger_post that holds a stand-in (or its negation) becomes a reference to the row's column:
one statement reads the row under the actor's access rules and, if there is one, posts. Elsewhere (SQLite, and
`posting.python_twin()`) the row is read and the built command posted as `posting.post` does. None: the actor may
not act on the row (the caller tells NotFound from AccessDenied).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from shuangjian.core import access
from shuangjian.ledger.services import posting

# Stand-ins for the row's values: far above any id or amount in fen, below the bigint limit (2**63).
_STAND_IN = 8_000_000_000_000_000_000


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """`fields` of the row `pk` of `model`, if the actor may do `action` on it."""

    actor: Any
    action: str
    model: type[models.Model]
    pk: int
    fields: tuple[str, ...]

    def read(self) -> tuple[Any, ...] | None:
        return access.permitted_row(self.actor, self.action, self.model, self.pk, self.fields)


Build = Callable[[tuple[Any, ...]], posting.Command]


def post_checked(row: CheckedRow, build: Build) -> posting.Outcome | None:
    if not posting.uses_function():
        values = row.read()
        return None if values is None else posting.post(build(values))
    query = access.permitted_row_query(row.actor, row.action, row.model, row.pk, row.fields)
    if query is None:
        return None
    command = build(tuple(_STAND_IN + index for index in range(len(row.fields))))
    posting.require_balanced(command)  # the stand-ins balance as the row's values will
    sql, params = _statement(query.sql, len(row.fields), posting.arguments(command))

    def details() -> Mapping[str, object]:  # a refusal's message names the row's values (the lessons bought)
        values = row.read()
        return build(values).details if values is not None else {}

    with posting.refusals(command.key, details):
        found = posting.call_function(sql, [*query.params, *params])
    return None if found is None else posting.Outcome(*found)


def _statement(row_sql: str, width: int, arguments: list[Any]) -> tuple[str, list[Any]]:
    """SELECT ... FROM (the row's query) r CROSS JOIN LATERAL ledger_post(arguments, stand-ins as r's columns)."""
    bound: list[Any] = []

    def argument(value: Any, sql_type: str) -> str:
        column = _column(value, width)
        if column is not None:
            return f"{column}::{sql_type}"
        bound.append(value)
        return f"%s::{sql_type}"

    texts = []
    for value, sql_type in zip(arguments, posting.ARGUMENT_TYPES, strict=True):
        if sql_type == "bigint[]":
            items = ", ".join(argument(item, "bigint") for item in value)
            texts.append(f"ARRAY[{items}]::bigint[]")
        else:
            texts.append(argument(value, sql_type))
    columns = ", ".join(f"c{index}" for index in range(width))
    sql = (
        f"SELECT o.transfer_id, o.hold_id, o.replayed FROM ({row_sql}) AS r ({columns})"  # noqa: S608 (no input)
        f" CROSS JOIN LATERAL ledger_post({', '.join(texts)}) AS o"
    )
    return sql, bound


def _column(value: Any, width: int) -> str | None:
    """`r.cN` or `-r.cN` for a stand-in of column N or its negation; None for any other value."""
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) < _STAND_IN:
        return None
    index = abs(value) - _STAND_IN
    if index >= width:
        raise ValueError(f"{value} is not a stand-in of the row's {width} columns")
    return f"{'-' if value < 0 else ''}r.c{index}"
