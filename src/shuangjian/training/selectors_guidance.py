"""Guidance prices as the desk shows them: the regions an actor may look at, and for one region the base price of
every academic subject and mode that applies there, its own or inherited from the city or province above it (the
most specific region's price applies: selectors.guidance_base_fen)."""

from dataclasses import dataclass
from typing import Any

from shuangjian.core import access
from shuangjian.core.models import Region, Role
from shuangjian.core.selectors import region_list
from shuangjian.training import rules
from shuangjian.training.models import Institution, TrainingMode
from shuangjian.training.selectors import guidance_prices, guidance_source


@dataclass(frozen=True, slots=True)
class GuidanceRow:
    """One subject and mode in a region: the price the region set itself, and the price that applies there."""

    subject: str
    mode: str
    mode_label: str
    own_fen: int | None
    applied_fen: int | None
    source: Region | None  # the region whose price applies (the region itself, or one above it)


def guidance_regions(*, actor: Any) -> list[Region]:
    """The regions the actor's scope touches (core.selectors.region_list: for supervisors the regions they hold, above
    and below them) and an operator's institutions' county, city and province. By code, so that a city comes before
    its counties."""
    institutions = Institution.objects.filter(access.visible(actor, Institution, [Role.INSTITUTION_OPERATOR]))
    codes = {code for row in institutions.values_list("county_id", "city_id", "province_id") for code in row}
    return list((region_list(actor=actor) | Region.objects.filter(code__in=codes)).order_by("code"))


def guidance_table(region: Region) -> list[GuidanceRow]:
    """Every academic subject in both modes, in the curriculum's order: set here, inherited, or not set at all."""
    chain = access.region_ancestry(region)
    prices = guidance_prices(chain)
    regions = {r.code: r for r in Region.objects.filter(code__in=chain)}
    rows = []
    for subject in rules.ACADEMIC_SUBJECT_ORDER:
        for mode, label in TrainingMode.choices:
            source = guidance_source(chain, subject, mode, prices)
            rows.append(GuidanceRow(
                subject=subject, mode=mode, mode_label=str(label), own_fen=prices.get((region.code, subject, mode)),
                applied_fen=prices[(source, subject, mode)] if source else None, source=regions.get(source or ""),
            ))  # fmt: skip
    return rows
