"""Policy profiles kept as files: the national default (loaded by a data migration) and local examples.

Pure (no Django): the data migration and the seed helpers read the files through here, and every value
is validated against the parameter catalogue, so a bad file fails loudly instead of loading half.
"""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from shuangjian.policy import parameters

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "national.json"
EXAMPLES_DIR = DATA_DIR / "examples"


class ProfileFileError(ValueError):
    """A profile file does not match the parameter catalogue."""


@dataclass(frozen=True, slots=True)
class ProfileFile:
    region_code: str | None  # None for the national default
    version: int | None  # national versions are numbered in the file; local ones when published
    effective_from: date
    note: str
    values: dict[str, object]  # JSON values, validated against the catalogue
    sources: dict[str, str]


def _validated(
    entry: dict[str, object], where: str, *, require_sources: bool
) -> tuple[dict[str, object], dict[str, str]]:
    raw_values = entry.get("values")
    raw_sources = entry.get("sources", {})
    if not isinstance(raw_values, dict) or not isinstance(raw_sources, dict):
        raise ProfileFileError(f"{where}: 'values' and 'sources' must be objects")
    parsed = parameters.parse_values(raw_values)
    if not parsed.ok:
        raise ProfileFileError(f"{where}: unknown keys {list(parsed.unknown)}, invalid values {parsed.invalid}")
    missing_sources = sorted(set(raw_values) - set(raw_sources)) if require_sources else []
    stray_sources = sorted(set(raw_sources) - set(raw_values))
    if missing_sources or stray_sources:
        raise ProfileFileError(
            f"{where}: values without a source {missing_sources}, sources without a value {stray_sources}"
        )
    return dict(raw_values), {str(k): str(v) for k, v in raw_sources.items()}


def read_national(path: Path = NATIONAL_FILE) -> list[ProfileFile]:
    """The national default versions in the file, oldest first. Every value must cite its source."""
    document = json.loads(path.read_text(encoding="utf-8"))
    result: list[ProfileFile] = []
    for index, entry in enumerate(document["versions"]):
        where = f"{path.name} versions[{index}]"
        values, sources = _validated(entry, where, require_sources=True)
        result.append(
            ProfileFile(
                region_code=None,
                version=int(entry["version"]),
                effective_from=date.fromisoformat(entry["effective_from"]),
                note=str(entry.get("note", "")),
                values=values,
                sources=sources,
            )
        )
    versions = [int(p.version or 0) for p in result]
    if versions != sorted(set(versions)) or [p.effective_from for p in result] != sorted(
        p.effective_from for p in result
    ):
        raise ProfileFileError(f"{path.name}: versions must be unique and in order of effective date")
    return result


def read_example(name: str) -> ProfileFile:
    """A local example profile from policy/data/examples/<name>.json (not loaded automatically)."""
    path = EXAMPLES_DIR / f"{name}.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    values, sources = _validated(entry, path.name, require_sources=False)
    return ProfileFile(
        region_code=str(entry["region"]),
        version=None,
        effective_from=date.fromisoformat(entry["effective_from"]),
        note=str(entry.get("note", "")),
        values=values,
        sources=sources,
    )


def create_missing_national_versions(profile_model: Any) -> int:
    """Create the national versions of the file that the table lacks; returns how many were created.

    Takes the model class (the data migration passes its historical model), so this module stays free of
    Django imports. Also for tests on a flushed database (transactional tests lose migration data).
    """
    created = 0
    for entry in read_national():
        if profile_model.objects.filter(region__isnull=True, version=entry.version).exists():
            continue
        profile_model.objects.create(
            region=None,
            version=entry.version,
            effective_from=entry.effective_from,
            values=entry.values,
            sources=entry.sources,
            note=entry.note,
        )
        created += 1
    return created
