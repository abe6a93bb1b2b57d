"""Writes of policy profiles: a bureau publishes a new version of its region's values (tighten-only)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Region, Role
from shuangjian.policy import parameters, rules, selectors
from shuangjian.policy.errors import PolicyError
from shuangjian.policy.models import PolicyProfile

PROFILE_PUBLISH = access.register_action("policy.profile_publish", [Role.BUREAU])


def _parsed(values: Mapping[str, object]) -> dict[str, parameters.Value]:
    parsed = parameters.parse_values(values)
    if parsed.unknown:
        raise DomainError(
            PolicyError.UNKNOWN_PARAMETER,
            _("以下政策参数不存在：%(keys)s。"),
            {"keys": "、".join(parsed.unknown), "unknown": list(parsed.unknown)},
        )
    if parsed.invalid:
        raise DomainError(
            PolicyError.INVALID_VALUE,
            _("以下政策参数的取值不正确：%(keys)s。"),
            {"keys": "、".join(parsed.invalid), "errors": parsed.invalid},
        )
    return parsed.values


@transaction.atomic(durable=True)
def profile_publish(
    *, actor: Any, region: Region, effective_from: date, values: Mapping[str, object], note: str = ""
) -> PolicyProfile:
    """Publish a new version of `region`'s policy values, in force from `effective_from`.

    Only a bureau whose region is `region` or one of its ancestors may publish. Every value must be a
    known parameter with a valid value, and none may loosen the merged profile of the parent regions
    (national -> province -> city) in force on `effective_from`. The new row holds only the local values.
    """
    access.require_region(actor, PROFILE_PUBLISH, region)
    proposed = _parsed(values)
    parent = selectors.effective_profile(region.parent, effective_from, use_cache=False)
    violations = rules.tightening_violations(parent.values, proposed)
    if violations:
        raise DomainError(
            PolicyError.LOOSENS_NATIONAL,
            _("以下参数放宽了上级政策，地方只能收紧：%(keys)s。"),
            {
                "keys": "、".join(v.key for v in violations),
                "violations": [
                    {
                        "key": v.key,
                        "direction": v.direction.value,
                        "parent": parameters.encode_value(v.parent),
                        "proposed": parameters.encode_value(v.proposed),
                    }
                    for v in violations
                ],
            },
        )
    layer = rules.Layer(rules.LayerRef(region.code, 0, effective_from), proposed)
    parent_layer = rules.Layer(rules.LayerRef(None, 0, effective_from), parent.values)
    contradictions = rules.consistency_violations(rules.merge(parent_layer, layer).values)
    if contradictions:
        raise DomainError(
            PolicyError.INVALID_VALUE,
            _("以下参数的取值相互矛盾（下限高于上限）：%(keys)s。"),
            {"keys": "、".join(f"{low} > {high}" for low, high in contradictions)},
        )
    Region.objects.select_for_update().filter(pk=region.pk).first()  # serialises publishes for one region
    if PolicyProfile.objects.filter(region=region, effective_from=effective_from).exists():
        raise DomainError(
            PolicyError.DUPLICATE_EFFECTIVE_DATE,
            _("该地区在 %(effective_from)s 已有一个生效的政策版本；请选择其他生效日期。"),
            {"effective_from": effective_from.isoformat()},
        )
    last = PolicyProfile.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    profile = PolicyProfile(
        region=region,
        version=last + 1,
        effective_from=effective_from,
        values={key: parameters.encode_value(value) for key, value in sorted(proposed.items())},
        note=note.strip(),
        created_by=actor,
    )
    profile.full_clean()
    profile.save()
    selectors.forget_cached_profiles()
    transaction.on_commit(selectors.forget_cached_profiles)
    return profile
