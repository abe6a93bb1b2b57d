"""The showcase of good homework design (优质作业, issue 5 item 5): the libraries a teacher may browse.

A shared item lives in one library: its school's (SCHOOL), its county's (COUNTY) or its city's (CITY). The
libraries an actor reads follow from the schools they reach through a staff or region role: a teacher reads
their school's library and the county and city libraries around it; a bureau reads every library of the
schools in its region. Families do not browse the showcase.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, School
from shuangjian.homework.models import SharedHomework, ShareScope

SHOWCASE_ROLES = (
    Role.BUREAU,
    Role.INSPECTOR,
    Role.SCHOOL_LEADER,
    Role.TEACHER,
    Role.HEAD_TEACHER,
    Role.GRADE_COORDINATOR,
    Role.COUNSELLOR,
)


@dataclass(frozen=True, slots=True)
class ShowcaseFilters:
    grade: int | None = None
    subject: str | None = None
    layer: str | None = None
    kind: str | None = None
    scope: str | None = None


def _libraries(actor: Any) -> Q:
    """The rows of every library the actor belongs to, starting from the schools their roles reach."""
    schools = School.objects.filter(access.visible(actor, School, roles=SHOWCASE_ROLES))
    return (
        Q(scope=ShareScope.SCHOOL, school__in=schools.values("pk"))
        | Q(scope=ShareScope.COUNTY, county__in=schools.values("county_id"))
        | Q(scope=ShareScope.CITY, city__in=schools.values("city_id"))
    )


def showcase_list(*, actor: Any, filters: ShowcaseFilters | None = None) -> QuerySet[SharedHomework]:
    """Shared items the actor may browse, most reused first."""
    qs = SharedHomework.objects.filter(_libraries(actor))
    wanted = filters or ShowcaseFilters()
    for name in ("grade", "subject", "layer", "kind", "scope"):
        value = getattr(wanted, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    return qs.select_related("school", "shared_by").order_by("-reuse_count", "-created_at", "-pk")


def showcase_get(*, actor: Any, shared_id: int) -> SharedHomework:
    shared = showcase_list(actor=actor).filter(pk=shared_id).first()
    if shared is None:
        raise NotFound("shared_homework")
    return shared
