"""Reads of policy profiles. Policy values are public rules, not personal data: any caller may read them.

`effective_profile(region, on)` is what services call: the latest national row effective on that day,
then for each ancestor region (province -> city -> county) its latest row effective on that day, merged
tighten-only by policy.rules.merge. Results are cached per (region, day) under a version key that
`profile_publish` replaces, so a publish is seen at once by this process and, with a shared cache, by all.
"""

from collections.abc import Callable
from datetime import date
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, School
from shuangjian.policy import parameters
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.rules import Layer, LayerRef, PolicySnapshot, merge
from shuangjian.policy.schemas import EffectiveProfileOut, EffectiveValueOut, LayerOut, ParameterOut

CACHE_VERSION_KEY = "policy:profile-version"
# With a per-process cache (the default locmem), other processes see a publish after at most this long.
CACHE_TIMEOUT_SECONDS = 60


def _cache_version() -> str:
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        cache.add(CACHE_VERSION_KEY, uuid4().hex, None)
        version = cache.get(CACHE_VERSION_KEY)
    return str(version)


def forget_cached_profiles() -> None:
    """Invalidate every cached snapshot (profile_publish calls it, inside and after its transaction)."""
    cache.set(CACHE_VERSION_KEY, uuid4().hex, None)


def region_get(code: str) -> Region:
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound("region")
    return region


def region_chain(region: Region | None) -> list[str]:
    """Codes from the top (province) down to `region`; empty for the national level."""
    return [] if region is None else access.region_ancestry(region)[::-1]


def _layer(row: PolicyProfile) -> Layer:
    parsed = parameters.parse_values(row.values)
    return Layer(LayerRef(row.region_id, row.version, row.effective_from), parsed.values)


def _compute(chain: list[str], on: date) -> PolicySnapshot:
    rows = (
        PolicyProfile.objects.filter(Q(region__isnull=True) | Q(region_id__in=chain), effective_from__lte=on)
        .only("region_id", "version", "effective_from", "values")
        .order_by("effective_from")
    )
    latest: dict[str | None, PolicyProfile] = {}
    for row in rows:
        latest[row.region_id] = row  # ordered by date: the last one seen is the one in force
    national = latest.get(None)
    local = [_layer(latest[code]) for code in chain if code in latest]
    return merge(_layer(national) if national is not None else None, *local, region_code=chain[-1] if chain else None)


def _effective(code: str | None, chain: Callable[[], list[str]], on: date, *, use_cache: bool) -> PolicySnapshot:
    if not use_cache:
        return _compute(chain(), on)
    key = f"policy:effective:{_cache_version()}:{code or 'national'}:{on.isoformat()}"
    snapshot = cache.get(key)
    if not isinstance(snapshot, PolicySnapshot):
        snapshot = _compute(chain(), on)
        cache.set(key, snapshot, CACHE_TIMEOUT_SECONDS)
    return snapshot


def effective_profile(region: Region | None, on: date, *, use_cache: bool = True) -> PolicySnapshot:
    """The merged policy values in force in `region` (None = national) on `on`."""
    return _effective(region.code if region else None, lambda: region_chain(region), on, use_cache=use_cache)


def effective_profile_for_school(school: School, on: date) -> PolicySnapshot:
    """The profile of the school's county on `on` (the same cache entry as the county's)."""
    return effective_profile_in(school.province_id, school.city_id, school.county_id, on)


def effective_profile_in(province_code: str, city_code: str, county_code: str, on: date) -> PolicySnapshot:
    """The profile of a county given the codes of its chain (a row's own province, city and county columns), on
    `on`: the same cache entry as the county's, without loading the regions."""
    chain = [province_code, city_code, county_code]
    return _effective(county_code, lambda: chain, on, use_cache=True)


def profile_history(region: Region | None) -> QuerySet[PolicyProfile]:
    """Every version a region (None = national) has published, newest first."""
    qs = PolicyProfile.objects.select_related("region", "created_by")
    qs = qs.filter(region__isnull=True) if region is None else qs.filter(region=region)
    return qs.order_by("-effective_from")


def _layer_out(ref: LayerRef) -> LayerOut:
    return LayerOut(region=ref.region_code, version=ref.version, effective_from=ref.effective_from)


def effective_profile_out(*, region_code: str | None, on: date) -> EffectiveProfileOut:
    """The effective profile of a region (by code; None = national) with the layer each value came from."""
    region = region_get(region_code) if region_code else None
    snapshot = effective_profile(region, on)
    return EffectiveProfileOut(
        region=snapshot.region_code,
        on=on,
        layers=[_layer_out(ref) for ref in snapshot.layers],
        values=[
            EffectiveValueOut(
                key=key,
                value=parameters.encode_value(snapshot.values[key]),
                source=_layer_out(snapshot.sources[key]),
            )
            for key in sorted(snapshot.values)
        ],
    )


def parameter_catalogue() -> list[ParameterOut]:
    """The catalogue of policy parameters, with labels in the active language."""
    return [
        ParameterOut(
            key=p.key,
            label=gettext(p.label),
            unit=p.unit.value,
            direction=p.direction.value,
            rule=p.rule,
            status=p.status.value,
            enforcement=p.enforcement.value,
        )
        for p in parameters.PARAMETERS
    ]
