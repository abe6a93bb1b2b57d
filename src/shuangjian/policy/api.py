"""/api/v1/policy: the effective policy profile of a region."""

from ninja import Router

router = Router(tags=["policy"])
