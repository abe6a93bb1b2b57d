"""The seed presets as plans: which regions, school groups and schools, how many pupils per grade, how many staff.

A plan is small (at most a few thousand schools) and fully decided by the preset, the seed and the scale;
`generate` turns each school of the plan into rows. Figures for the `city` preset are Shangqiu's (2022, see
shared/data/README.md): 2,195 compulsory-education schools, 1,266,400 students, 90,467 staff, 54 school
groups covering 161 schools. Generated schools are fictional; only the six schools named in the seed
documents carry real names.
"""

import csv
import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Final

from shuangjian.core.models import Ownership, RegionLevel, Stage
from shuangjian.seeding import names

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
CITY_CODE: Final = "411400"
DEMO_COUNTY: Final = "411402"  # 梁园区

# The school year the seeded classes are in (2026-2027); grades and birth dates are counted from it.
CURRENT_SCHOOL_YEAR: Final = 2026


class Preset(StrEnum):
    DEMO = "demo"
    COUNTY = "county"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class RegionSpec:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class TermSpec:
    start_year: int
    number: int
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class GroupSpec:
    key: int
    name: str
    region_code: str


@dataclass(frozen=True, slots=True)
class SchoolSpec:
    code: str
    name: str
    stage: Stage
    ownership: Ownership
    boarding: bool
    county_code: str
    grade_sizes: tuple[tuple[int, int], ...]  # (grade, pupils), grades ascending
    staff: int
    group_key: int | None = None
    # The school the demo logins belong to (商丘市第一实验小学): it gets a guaranteed pair of siblings.
    demo_anchor: bool = False

    @property
    def students(self) -> int:
        return sum(n for _, n in self.grade_sizes)


@dataclass(frozen=True, slots=True)
class Plan:
    preset: Preset
    seed: int
    school_year: int
    regions: tuple[RegionSpec, ...]
    terms: tuple[TermSpec, ...]
    groups: tuple[GroupSpec, ...]
    schools: tuple[SchoolSpec, ...]

    @property
    def students(self) -> int:
        return sum(s.students for s in self.schools)

    @property
    def staff(self) -> int:
        return sum(s.staff for s in self.schools)


# Term dates of Henan's recent calendars (region NULL: the default for every region).
TERMS: Final = (
    TermSpec(2025, 1, date(2025, 9, 1), date(2026, 1, 23)),
    TermSpec(2025, 2, date(2026, 2, 24), date(2026, 7, 10)),
    TermSpec(2026, 1, date(2026, 9, 1), date(2027, 1, 22)),
)

# Seed figures for the city (shared/data/README.md). The staff figure sets the staff:student ratio everywhere.
CITY_SCHOOLS: Final = 2195
CITY_STUDENTS: Final = 1_266_400
CITY_STAFF: Final = 90_467
CITY_GROUPS: Final = 54
CITY_GROUPED_SCHOOLS: Final = 161
# One county at realistic scale (梁园区).
COUNTY_SCHOOLS: Final = 120
COUNTY_STUDENTS: Final = 70_000
COUNTY_GROUPS: Final = 4
COUNTY_GROUPED_SCHOOLS: Final = 12

# Approximate resident population of each county-level division (10,000s), used only as weights, and
# whether it is an urban district (fewer, larger schools).
COUNTY_WEIGHTS: Final = {
    "411402": (81, True),
    "411403": (86, True),
    "411421": (74, False),
    "411422": (71, False),
    "411423": (52, False),
    "411424": (83, False),
    "411425": (94, False),
    "411426": (96, False),
    "411481": (126, False),
}

# National births (10,000s) by year: cohorts shrink after 2016, so lower grades are smaller.
BIRTHS: Final = {
    2010: 1592, 2011: 1604, 2012: 1635, 2013: 1640, 2014: 1687, 2015: 1655,
    2016: 1786, 2017: 1723, 2018: 1523, 2019: 1465, 2020: 1202, 2021: 1062,
}  # fmt: skip


def grades_of(stage: Stage) -> range:
    if stage == Stage.PRIMARY:
        return range(1, 7)
    if stage == Stage.JUNIOR:
        return range(7, 10)
    return range(1, 10)


def cohort_window(school_year: int, grade: int) -> tuple[date, date]:
    """Birth dates that fit `grade` in `school_year`: six by 31 August of the year they entered grade 1."""
    return date(school_year - 6 - grade, 9, 1), date(school_year - 5 - grade, 8, 31)


def cohort_weight(school_year: int, grade: int) -> float:
    born_early, born_late = school_year - 6 - grade, school_year - 5 - grade
    return (4 * BIRTHS.get(born_early, 1500) + 8 * BIRTHS.get(born_late, 1500)) / 12


def entry_year(stage: Stage, school_year: int, grade: int) -> int:
    """入学年份: the year the class entered this school (grade 7 for a junior school, grade 1 otherwise)."""
    first_grade = 7 if stage == Stage.JUNIOR else 1
    return school_year - (grade - first_grade)


def regions() -> tuple[RegionSpec, ...]:
    with (DATA_DIR / "regions-shangqiu.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            RegionSpec(row["code"], row["name"], RegionLevel(row["level"]), row["parent_code"] or None)
            for row in csv.DictReader(handle)
        )


def towns() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    with (DATA_DIR / "towns-shangqiu.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found[row["county_code"]].append(row["town"])
    return found


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` that sum exactly to `total`."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _grade_sizes(stage: Stage, pupils: int, school_year: int) -> tuple[tuple[int, int], ...]:
    grades = list(grades_of(stage))
    sizes = largest_remainder(pupils, [cohort_weight(school_year, g) for g in grades])
    return tuple(zip(grades, sizes, strict=True))


# --- named schools -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedSchool:
    name: str
    county_code: str
    stage: Stage
    ownership: Ownership = Ownership.PUBLIC
    boarding: bool = False
    demo_anchor: bool = False


# The schools named in the seed documents (shared/data/README.md).
NAMED_SCHOOLS: Final = (
    NamedSchool("商丘市第一实验小学", "411402", Stage.PRIMARY, demo_anchor=True),
    NamedSchool("商丘市第二实验小学", "411402", Stage.PRIMARY),
    NamedSchool("商丘市培文小学", "411402", Stage.PRIMARY, Ownership.PRIVATE, boarding=True),
    NamedSchool("梁园区前进小学", "411402", Stage.PRIMARY),
    NamedSchool("民权县实验小学", "411421", Stage.PRIMARY),
    NamedSchool("夏邑县第二初级中学", "411426", Stage.JUNIOR, boarding=True),
)
# The demo adds one fictional nine-year boarding school so that every stage appears.
DEMO_NINE_YEAR: Final = NamedSchool("梁园区双八镇九年一贯制学校", "411402", Stage.NINE_YEAR, boarding=True)
# Demo school groups: (lead school, member schools).
DEMO_GROUPS: Final = (
    ("商丘市第一实验小学", ("梁园区前进小学",)),
    ("商丘市第二实验小学", ("梁园区双八镇九年一贯制学校",)),
)


def staff_for(students: int) -> int:
    """Staff in proportion to the city's staff:student ratio (used where no exact total is given)."""
    return round(students * CITY_STAFF / CITY_STUDENTS)


def _allocate_staff(total: int, students: Sequence[int]) -> list[int]:
    # A fixed overhead per school: small rural schools have relatively more staff per pupil.
    return largest_remainder(total, [n + 20 for n in students])


def demo_plan(seed: int) -> Plan:
    rng = random.Random(f"shuangjian-demo:{seed}")
    specs = (*NAMED_SCHOOLS, DEMO_NINE_YEAR)
    numbering: Counter[str] = Counter()
    drafts: list[tuple[NamedSchool, str, tuple[tuple[int, int], ...]]] = []
    for named in specs:
        numbering[named.county_code] += 1
        code = f"{named.county_code}{numbering[named.county_code]:04d}"
        # 75-125 pupils a grade: two or three classes within the class-size limits.
        sizes = tuple((grade, rng.randint(75, 125)) for grade in grades_of(named.stage))
        drafts.append((named, code, sizes))
    total_students = sum(n for _, _, sizes in drafts for _, n in sizes)
    staff = _allocate_staff(staff_for(total_students), [sum(n for _, n in sizes) for _, _, sizes in drafts])
    groups = tuple(
        GroupSpec(key, lead + "教育集团", next(s.county_code for s in specs if s.name == lead))
        for key, (lead, _) in enumerate(DEMO_GROUPS)
    )
    group_of = {name: key for key, (lead, members) in enumerate(DEMO_GROUPS) for name in (lead, *members)}
    schools = tuple(
        SchoolSpec(
            code=code,
            name=named.name,
            stage=named.stage,
            ownership=named.ownership,
            boarding=named.boarding,
            county_code=named.county_code,
            grade_sizes=sizes,
            staff=staff_count,
            group_key=group_of.get(named.name),
            demo_anchor=named.demo_anchor,
        )
        for (named, code, sizes), staff_count in zip(drafts, staff, strict=True)
    )
    return Plan(Preset.DEMO, seed, CURRENT_SCHOOL_YEAR, regions(), TERMS, groups, schools)


# --- generated schools (county and city presets) -------------------------------------------------------------


class Location(StrEnum):
    URBAN = "urban"  # the county seat or city district
    TOWN = "town"  # a town's central school
    VILLAGE = "village"  # a village school or teaching point


# Relative size of a school by location and stage (a junior school draws from several primary catchments).
_LOCATION_SIZE: Final = {Location.URBAN: 4.0, Location.TOWN: 1.6, Location.VILLAGE: 0.35}
_STAGE_SIZE: Final = {Stage.PRIMARY: 1.0, Stage.JUNIOR: 1.1, Stage.NINE_YEAR: 1.3}
# Stage mix by location; with the location mix this gives about 72% primary, 16% junior, 12% nine-year.
_STAGE_MIX: Final = {
    Location.URBAN: ((Stage.PRIMARY, 0.55), (Stage.JUNIOR, 0.30), (Stage.NINE_YEAR, 0.15)),
    Location.TOWN: ((Stage.PRIMARY, 0.45), (Stage.JUNIOR, 0.35), (Stage.NINE_YEAR, 0.20)),
    Location.VILLAGE: ((Stage.PRIMARY, 0.93), (Stage.NINE_YEAR, 0.07)),
}
_PRIVATE_SHARE: Final = {Location.URBAN: 0.20, Location.TOWN: 0.04, Location.VILLAGE: 0.0}
_PRIVATE_WORDS: Final = (
    "育才", "启明", "博文", "明德", "英才", "崇文", "文昌", "华夏", "求实", "致远",
    "卓越", "新星", "阳光", "志成", "励志", "睿智", "行知", "弘毅", "春晖", "培英",
)  # fmt: skip
_PRIVATE_FLAVOURS: Final = ("", "外国语", "实验")
_PRIVATE_KIND: Final = {Stage.PRIMARY: "小学", Stage.JUNIOR: "中学", Stage.NINE_YEAR: "学校"}
_URBAN_KIND: Final = {Stage.PRIMARY: "小学", Stage.JUNIOR: "初级中学", Stage.NINE_YEAR: "实验学校"}
_TOWN_KIND: Final = {Stage.PRIMARY: "中心小学", Stage.JUNIOR: "初级中学", Stage.NINE_YEAR: "九年一贯制学校"}
_VILLAGE_KIND: Final = {Stage.PRIMARY: "小学", Stage.JUNIOR: "初级中学", Stage.NINE_YEAR: "九年一贯制学校"}
_CHINESE_DIGITS: Final = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (第一, 第十二, 第二十)."""
    if n < 10:
        return _CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _location_mix(urban_district: bool) -> tuple[tuple[Location, float], ...]:
    if urban_district:
        return ((Location.URBAN, 0.35), (Location.TOWN, 0.30), (Location.VILLAGE, 0.35))
    return ((Location.URBAN, 0.15), (Location.TOWN, 0.30), (Location.VILLAGE, 0.55))


def _pick[T](rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in options]
    return rng.choices(values, weights=[weight for _, weight in options])[0]


@dataclass(slots=True)
class _Namer:
    """Unique, plausible school names within a county."""

    rng: random.Random
    county_name: str
    county_towns: list[str]
    used: set[str] = field(default_factory=set)
    counters: Counter[str] = field(default_factory=Counter)

    def _numbered(self, prefix: str, kind: str) -> str:
        """prefix + 第N + kind, the first N not yet used."""
        while True:
            self.counters[prefix + kind] += 1
            name = prefix + "第" + chinese_number(self.counters[prefix + kind]) + kind
            if name not in self.used:
                return name

    def name(self, location: Location, stage: Stage, ownership: Ownership) -> str:
        county = self.county_name
        for _ in range(1000):
            if ownership == Ownership.PRIVATE:
                name = county + self.rng.choice(_PRIVATE_WORDS) + self.rng.choice(_PRIVATE_FLAVOURS)
                name += _PRIVATE_KIND[stage]
            elif location == Location.URBAN:
                name = self._numbered(county, _URBAN_KIND[stage])
            elif location == Location.TOWN:
                town = county + self.rng.choice(self.county_towns)
                name = town + _TOWN_KIND[stage]
                if name in self.used:
                    # The plain name is the town's first school; the next ones are 第二, 第三 ...
                    self.counters[town + _TOWN_KIND[stage]] = max(self.counters[town + _TOWN_KIND[stage]], 1)
                    name = self._numbered(town, _TOWN_KIND[stage])
            else:
                name = county + self.rng.choice(self.county_towns) + names.village(self.rng) + _VILLAGE_KIND[stage]
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of school names for " + county)


@dataclass(frozen=True, slots=True)
class _Draft:
    name: str
    county_code: str
    location: Location
    stage: Stage
    ownership: Ownership
    boarding: bool
    weight: float
    demo_anchor: bool = False


def _boarding(rng: random.Random, location: Location, stage: Stage, ownership: Ownership) -> bool:
    if ownership == Ownership.PRIVATE:
        share = 0.6
    elif stage == Stage.PRIMARY:
        share = 0.08 if location == Location.TOWN else 0.0
    elif stage == Stage.JUNIOR:
        share = 0.1 if location == Location.URBAN else 0.5
    else:
        share = 0.1 if location == Location.URBAN else 0.5
    return rng.random() < share


def _draft_schools(rng: random.Random, county_counts: dict[str, int], county_names: dict[str, str]) -> list[_Draft]:
    all_towns = towns()
    drafts: list[_Draft] = []
    for county, count in county_counts.items():
        namer = _Namer(rng, county_names[county], all_towns[county])
        named = [s for s in NAMED_SCHOOLS if s.county_code == county]
        for school in named:
            namer.used.add(school.name)
            weight = 2.5 * rng.lognormvariate(0, 0.15) * _LOCATION_SIZE[Location.URBAN] * _STAGE_SIZE[school.stage]
            drafts.append(
                _Draft(
                    school.name,
                    county,
                    Location.URBAN,
                    school.stage,
                    school.ownership,
                    school.boarding,
                    weight,
                    school.demo_anchor,
                )
            )
        for _ in range(count - len(named)):
            location = _pick(rng, _location_mix(COUNTY_WEIGHTS[county][1]))
            stage = _pick(rng, _STAGE_MIX[location])
            ownership = Ownership.PRIVATE if rng.random() < _PRIVATE_SHARE[location] else Ownership.PUBLIC
            weight = rng.lognormvariate(0, 0.55) * _LOCATION_SIZE[location] * _STAGE_SIZE[stage]
            drafts.append(
                _Draft(
                    namer.name(location, stage, ownership),
                    county,
                    location,
                    stage,
                    ownership,
                    _boarding(rng, location, stage, ownership),
                    weight,
                )
            )
    return drafts


def _group_schools(
    rng: random.Random, drafts: list[_Draft], groups: int, grouped: int
) -> tuple[tuple[GroupSpec, ...], dict[int, int]]:
    """集团化办学: `groups` groups covering `grouped` public schools, each led by a large school of its county."""
    if groups <= 0:
        return (), {}
    grouped = max(grouped, 2 * groups)
    sizes = [2] * groups
    for _ in range(grouped - 2 * groups):
        sizes[rng.randrange(groups)] += 1
    public = [i for i, d in enumerate(drafts) if d.ownership == Ownership.PUBLIC]
    leads = sorted(public, key=lambda i: (-drafts[i].weight, i))[:groups]
    taken = set(leads)
    specs: list[GroupSpec] = []
    membership: dict[int, int] = {}
    for key, (lead, size) in enumerate(zip(leads, sizes, strict=True)):
        county = drafts[lead].county_code
        specs.append(GroupSpec(key, drafts[lead].name + "教育集团", county))
        membership[lead] = key
        candidates = [i for i in public if i not in taken and drafts[i].county_code == county]
        for member in rng.sample(candidates, min(size - 1, len(candidates))):
            taken.add(member)
            membership[member] = key
    return tuple(specs), membership


def scaled_plan(preset: Preset, seed: int, scale: float = 1.0) -> Plan:
    """The county (梁园区) or city (Shangqiu) preset; `scale` shrinks it for tests (1.0 = the real figures)."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    rng = random.Random(f"shuangjian-{preset.value}:{seed}")
    all_regions = regions()
    county_names = {r.code: r.name for r in all_regions if r.level == RegionLevel.COUNTY}
    if preset == Preset.COUNTY:
        counties = [DEMO_COUNTY]
        school_total, student_total = COUNTY_SCHOOLS, COUNTY_STUDENTS
        staff_total = staff_for(round(COUNTY_STUDENTS * scale))
        group_total, grouped_total = COUNTY_GROUPS, COUNTY_GROUPED_SCHOOLS
    elif preset == Preset.CITY:
        counties = list(COUNTY_WEIGHTS)
        school_total, student_total = CITY_SCHOOLS, CITY_STUDENTS
        staff_total = round(CITY_STAFF * scale)
        group_total, grouped_total = CITY_GROUPS, CITY_GROUPED_SCHOOLS
    else:
        raise ValueError(preset)
    named_per_county = Counter(s.county_code for s in NAMED_SCHOOLS if s.county_code in counties)
    school_total = max(round(school_total * scale), sum(named_per_county.values()))
    student_total = round(student_total * scale)
    # Schools per county: by population, with fewer (larger) schools in the urban districts.
    county_weights = [COUNTY_WEIGHTS[c][0] * (0.8 if COUNTY_WEIGHTS[c][1] else 1.05) for c in counties]
    spare = largest_remainder(school_total - sum(named_per_county.values()), county_weights)
    county_counts = {c: named_per_county[c] + n for c, n in zip(counties, spare, strict=True)}
    drafts = _draft_schools(rng, county_counts, county_names)
    # Pupils: a minimum per grade, the rest by weight; the totals are exact.
    minimum = [6 * len(grades_of(d.stage)) for d in drafts]
    rest = largest_remainder(student_total - sum(minimum), [d.weight for d in drafts])
    pupils = [m + r for m, r in zip(minimum, rest, strict=True)]
    staff = _allocate_staff(staff_total, pupils)
    groups, membership = _group_schools(rng, drafts, round(group_total * scale), round(grouped_total * scale))
    numbering: Counter[str] = Counter()
    schools: list[SchoolSpec] = []
    for i, draft in enumerate(drafts):
        numbering[draft.county_code] += 1
        schools.append(
            SchoolSpec(
                code=f"{draft.county_code}{numbering[draft.county_code]:04d}",
                name=draft.name,
                stage=draft.stage,
                ownership=draft.ownership,
                boarding=draft.boarding,
                county_code=draft.county_code,
                grade_sizes=_grade_sizes(draft.stage, pupils[i], CURRENT_SCHOOL_YEAR),
                staff=staff[i],
                group_key=membership.get(i),
                demo_anchor=draft.demo_anchor,
            )
        )
    return Plan(preset, seed, CURRENT_SCHOOL_YEAR, all_regions, TERMS, groups, tuple(schools))


def build_plan(preset: Preset, seed: int, scale: float = 1.0) -> Plan:
    if preset == Preset.DEMO:
        return demo_plan(seed)
    return scaled_plan(preset, seed, scale)
