"""/api/v1/core: who am I, and the school system within the caller's scope."""

from django.http import HttpRequest
from ninja import Router

from shuangjian.core import selectors
from shuangjian.core.schemas import MeOut

router = Router(tags=["core"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    return selectors.me(actor=request.user)
