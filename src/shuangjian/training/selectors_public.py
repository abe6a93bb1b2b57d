"""The public lookup's result list, built for speed: one query for plain values, labels looked up once per request.

The lookup is the busiest public page (parents check an institution before paying), so it reads only the columns
it shows (`values_list`, no model instances) and translates each choice label once per request instead of once
per row; `selectors.public_search` decides which institutions match.
"""

from dataclasses import dataclass

from django.db import models

from shuangjian.training import rules
from shuangjian.training.models import InstitutionKind, LicenceStatus, NonAcademicCategory, TrainingMode
from shuangjian.training.selectors import PUBLIC_RESULTS_MAX, public_search


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


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


_FIELDS = (
    "credit_code",
    "name",
    "kind",
    "category",
    "mode",
    "county__name",
    "licence_status",
    "escrow_bank",
    "escrow_opened_on",
)


def public_listing(*, query: str) -> PublicResults:
    """The first PUBLIC_RESULTS_MAX approved institutions matching `query` (see `selectors.public_search`)."""
    rows = list(public_search(query=query).values_list(*_FIELDS)[: PUBLIC_RESULTS_MAX + 1])
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
