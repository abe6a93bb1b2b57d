"""Suite-wide test configuration: the PostgreSQL marker and the database strategy (STYLE.md 14)."""

import os

import pytest
from django.db import connection


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true":
        wanted = [item for item in items if item.get_closest_marker("requires_postgres")]
        if wanted:
            raise pytest.UsageError(
                "CI=true but the database is not PostgreSQL: the requires_postgres tests must run. "
                "Set DATABASE_URL=postgres://... or deselect them with -m 'not requires_postgres'."
            )
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (make test does so when the server is reachable)"
    )
    for item in items:
        if item.get_closest_marker("requires_postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Policy snapshots, calendars and public pages are cached; a test must not see another test's rolled-back rows."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Every test starts in the default language: a request that switched to English must not leak into the next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
