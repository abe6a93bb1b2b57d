"""/api/v1/policy: the parameter catalogue and the effective policy profile of a region."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from shuangjian.policy import selectors
from shuangjian.policy.schemas import EffectiveProfileOut, ParameterOut

router = Router(tags=["policy"])


@router.get("/effective", response=EffectiveProfileOut)
def effective(request: HttpRequest, region: str | None = None, on: date | None = None) -> EffectiveProfileOut:
    """The merged values in force in `region` (a GB/T 2260 code; omitted = national) on `on` (default today)."""
    return selectors.effective_profile_out(region_code=region, on=on or timezone.localdate())


@router.get("/parameters", response=list[ParameterOut])
def parameter_list(request: HttpRequest) -> list[ParameterOut]:
    return selectors.parameter_catalogue()
