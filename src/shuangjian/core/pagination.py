"""The one pagination every list endpoint uses: `?limit=&offset=`, answering `{"items": [...], "count": N}`.

A limit above MAX_LIMIT is refused with the usual 422 `core.invalid_input` body rather than silently cut,
so a client never mistakes a short page for the end of the list.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size")
        offset: int = Field(0, ge=0, description="rows to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
