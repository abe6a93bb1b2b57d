"""The English catalog: complete, not fuzzy, compiled, and actually used at runtime.

Regenerate after adding strings (from the repository root), translate the new msgstr values, then compile:
    .venv/bin/shuangjian makemessages -l en --ignore=tests --ignore=bench --ignore=scripts --ignore=var \
        --ignore=docs --add-location=file --no-obsolete
    .venv/bin/shuangjian compilemessages -l en --ignore=.venv --ignore=.tools
The .mo file is committed so that running the platform needs no GNU gettext.
"""

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from shuangjian.core.errors import AccessDenied, NotFound
from shuangjian.core.models import Role, Student

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(text: str) -> list[Entry]:
    """A small reader for the subset of the PO format that makemessages writes (no obsolete entries kept)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current.msgctxt, target = ast.literal_eval(line[8:]), ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            current.msgid_plural, target = ast.literal_eval(line[13:]), ("msgid_plural", 0)
        elif line.startswith("msgid "):
            current.msgid, target = ast.literal_eval(line[6:]), ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current.msgstr[index], target = ast.literal_eval(line[line.index("]") + 2 :]), ("msgstr", index)
        elif line.startswith("msgstr "):
            current.msgstr[0], target = ast.literal_eval(line[7:]), ("msgstr", 0)
        elif line.startswith('"') and target is not None:
            part: str = ast.literal_eval(line)
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += part
            else:
                setattr(current, kind, (getattr(current, kind) or "") + part)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> gettext.GNUTranslations:
    with MO_FILE.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_po_reader_reads_plurals_contexts_and_fuzzy_flags() -> None:
    text = "\n".join(
        [
            "#, fuzzy, python-format",
            'msgctxt "c"',
            'msgid "一"',
            'msgid_plural "多"',
            'msgstr[0] "one"',
            'msgstr[1] ""',
            '"many"',
        ]
    )
    [entry] = parse_po(text)
    assert entry.flags == {"fuzzy", "python-format"}
    assert (entry.msgctxt, entry.msgid, entry.msgid_plural) == ("c", "一", "多")
    assert entry.msgstr == {0: "one", 1: "many"}


def test_catalog_has_a_header_and_real_entries(entries: list[Entry]) -> None:
    header, *messages = entries
    assert header.msgid == ""
    assert "Language: en\n" in header.msgstr[0]
    assert len(messages) > 100


def test_no_entry_is_untranslated_or_fuzzy(entries: list[Entry]) -> None:
    untranslated = [e.msgid for e in entries[1:] if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid or "<header>" for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_po_file(entries: list[Entry], catalog: gettext.GNUTranslations) -> None:
    stale = []
    for entry in entries[1:]:
        if entry.msgid_plural is not None:
            got = [catalog.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            wanted = [entry.msgstr[0], entry.msgstr.get(1, entry.msgstr[0])]
        elif entry.msgctxt is not None:
            got, wanted = [catalog.pgettext(entry.msgctxt, entry.msgid)], [entry.msgstr[0]]
        else:
            got, wanted = [catalog.gettext(entry.msgid)], [entry.msgstr[0]]
        if got != wanted:
            stale.append(entry.msgid)
    assert stale == [], "django.mo is older than django.po: run compilemessages"


@pytest.mark.parametrize(
    ("_case", "source", "english"),
    [
        ("platform name", "双减平台", "Shuangjian"),
        ("logout button", "退出登录", "Log out"),
        ("role name", "班主任", "Head teacher"),
        ("placeholder kept", "您好，%(name)s", "Hello, %(name)s"),
    ],
)
def test_english_mo_translates_known_strings(
    catalog: gettext.GNUTranslations, _case: str, source: str, english: str
) -> None:
    assert catalog.gettext(source) == english


def test_django_uses_the_catalog_for_models_choices_and_errors() -> None:
    with translation.override("en"):
        assert str(Student._meta.verbose_name) == "Student"
        assert str(Role.GRADE_COORDINATOR.label) == "Grade coordinator"
        assert NotFound("student").message == "The record was not found, or you may not view it."
        assert AccessDenied("roster.import").message == "You are not allowed to do this (roster.import)."
    with translation.override("zh-hans"):
        assert str(Student._meta.verbose_name) == "学生"
