"""Policy snapshots are cached (locmem in tests) and the cache outlives each test's rolled-back transaction."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
