"""Scope paths: how each scoped model reaches its school, class, grade, student and region.

Pure data, so that core.access can build one filter for any model. A model declares
`scope: ClassVar[ScopePath]`; a path is a Django lookup from that model (``"pk"`` for itself).
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScopePath:
    school: str | None = None
    school_class: str | None = None
    grade: str | None = None
    student: str | None = None
    # Prefix to the school's denormalised county/city/province columns: "" for School, "school__" below it.
    region_prefix: str | None = None
    # Lookup to the training institution's unified social credit code (domain apps declare it).
    institution: str | None = None
