"""The public lookup: approved institutions by name fragment or credit code, built for speed.

The lookup is the busiest public page (parents check an institution before paying), so a search is one SQL
statement, the same on PostgreSQL and SQLite, that reads only the columns the listing shows; choice labels are
translated once per language. A name search walks the name index (models/lookup.py) for the rarest two-character
piece of the fragment, in name order, checking the whole fragment against the name the index carries, and stops
after the first page: its cost follows the page, not how many names match. The statement is prepared once per
connection and runs with the same plan for every fragment (PostgreSQL's generic plan); the name is checked on the
index's copy, so that plan can never turn to the trigram index over institutions' names, which answers a rare
fragment quickly but walks tens of thousands of rows for a common one. Which piece is rarest is decided in the same
statement, by counting each piece's rows up to `_GRAM_COUNT_CAP`.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, models
from django.utils.translation import get_language

from shuangjian.core.models import Region
from shuangjian.training import rules
from shuangjian.training.models import (
    Institution,
    InstitutionKind,
    InstitutionNameGram,
    LicenceStatus,
    NonAcademicCategory,
    TrainingMode,
)

PUBLIC_QUERY_MIN_LENGTH = 2  # one character matches half the registry: not a search
PUBLIC_RESULTS_MAX = 50
CREDIT_CODE_LENGTH = 18
# Pieces of a longer fragment compared to find the rarest, and where counting a piece's rows stops: past a couple of
# hundred rows a piece is common, and walking it in name order finds a page soon enough.
_GRAMS_COMPARED = 6
_GRAM_COUNT_CAP = 200


@dataclass(frozen=True, slots=True)
class PublicListing:
    credit_code: str
    name: str
    kind: str
    kind_label: str
    category: str
    category_label: str
    mode: str
    mode_label: str
    county_name: str
    licence_status: str
    licence_status_label: str
    fees_supervised: bool


@dataclass(frozen=True, slots=True)
class PublicResults:
    items: list[PublicListing]
    more: bool  # more institutions match than are shown: type more of the name

    @property
    def count(self) -> int:
        return len(self.items)


def public_listing(*, query: str) -> PublicResults:
    """The first PUBLIC_RESULTS_MAX approved institutions whose name contains `query` (two characters at least) or
    whose credit code is exactly `query`, by name."""
    text = query.strip()
    if len(text) == CREDIT_CODE_LENGTH:
        sql, params = _by_code_sql(), [text.upper(), LicenceStatus.APPROVED]
    elif len(text) >= PUBLIC_QUERY_MIN_LENGTH:
        grams = rules.name_grams(text)[:_GRAMS_COMPARED]
        sql, params = _by_name_sql(len(grams)), [*grams, LicenceStatus.APPROVED, _contains_pattern(text)]
    else:
        return PublicResults(items=[], more=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _results(rows)


def _results(rows: list[Any]) -> PublicResults:
    kinds, categories = _labels(InstitutionKind), _labels(NonAcademicCategory)
    modes, statuses = _labels(TrainingMode), _labels(LicenceStatus)
    items = [
        PublicListing(
            credit_code=code,
            name=name,
            kind=kind,
            kind_label=kinds.get(kind, kind),
            category=category,
            category_label=categories.get(category, ""),
            mode=mode,
            mode_label=modes.get(mode, mode),
            county_name=county_name,
            licence_status=status,
            licence_status_label=statuses.get(status, status),
            fees_supervised=rules.fees_supervised(bank, opened_on),
        )
        for code, name, kind, category, mode, county_name, status, bank, opened_on in rows[:PUBLIC_RESULTS_MAX]
    ]
    return PublicResults(items=items, more=len(rows) > PUBLIC_RESULTS_MAX)


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return _labels_in(choices, get_language())


@cache
def _labels_in(choices: type[models.TextChoices], language: str) -> dict[str, str]:
    """The labels in the active `language` (an argument only so that each language is cached apart)."""
    return {value: str(label) for value, label in choices.choices}


def _contains_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Table names come from the models' Meta, never from input; every value is a bound parameter.


def _tables() -> tuple[str, str, str]:
    return Institution._meta.db_table, InstitutionNameGram._meta.db_table, Region._meta.db_table


def _select() -> str:
    institution, _gram, region = _tables()
    columns = "i.credit_code, i.name, i.kind, i.category, i.mode, r.name, i.licence_status, i.escrow_bank"
    tables = f"{institution} i JOIN {region} r ON r.code = i.county_id"
    return f"SELECT {columns}, i.escrow_opened_on FROM {tables}"  # noqa: S608


@cache
def _by_code_sql() -> str:
    where = "WHERE i.credit_code = %s AND i.licence_status = %s"
    return f"{_select()} {where} ORDER BY i.name, i.id LIMIT {PUBLIC_RESULTS_MAX + 1}"


@cache
def _by_name_sql(grams: int) -> str:
    """The walk over the rarest of `grams` pieces (passed first, in order), then the status and LIKE pattern."""
    _institution, gram, _region = _tables()
    if grams == 1:
        rarest = "%s"
    else:
        pieces = " UNION ALL ".join(f"SELECT %s AS gram, {n} AS n" for n in range(grams))
        piece_rows = f"SELECT 1 FROM {gram} x WHERE x.gram = p.gram LIMIT {_GRAM_COUNT_CAP}"  # noqa: S608
        rows = f"(SELECT count(*) FROM ({piece_rows}) c)"  # noqa: S608
        rarest = f"(SELECT p.gram FROM ({pieces}) p ORDER BY {rows}, p.n LIMIT 1)"  # noqa: S608
    return (
        f"{_select()} JOIN {gram} g ON g.institution_id = i.id"
        f" WHERE g.gram = {rarest} AND i.licence_status = %s AND g.name LIKE %s ESCAPE '\\'"
        f" ORDER BY g.name, g.institution_id LIMIT {PUBLIC_RESULTS_MAX + 1}"
    )
