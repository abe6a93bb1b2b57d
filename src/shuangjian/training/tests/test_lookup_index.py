"""The public name search walks the name index (models/lookup.py): exactly the approved names containing the
fragment, in name order, through the rarest of its pieces. On PostgreSQL the walk is an index range scan in name
order (bench/training_lookup.py measures it over ~200,000 institutions)."""

import pytest
from django.db import connection

from shuangjian.core.tests import factories as f
from shuangjian.training import selectors_public
from shuangjian.training.models import Institution, InstitutionNameGram
from shuangjian.training.tests.builders import credit_code

pytestmark = pytest.mark.django_db


def _registry(*names: str, status: str = "approved") -> list[Institution]:
    province, city, county, _other = f.regions()
    start = Institution.objects.count()
    rows = [
        Institution.objects.create(
            credit_code=credit_code(f"52411402MJY5{start + n:05d}"),
            name=name,
            kind="academic",
            mode="offline",
            county=county,
            city=city,
            province=province,
            legal_representative="张明",
            licence_status=status,
        )
        for n, name in enumerate(names)
    ]
    InstitutionNameGram.reindex(rows)
    return rows


def _found(query: str) -> list[str]:
    return [item.name for item in selectors_public.public_listing(query=query).items]


def test_two_characters_find_exactly_the_approved_names_containing_them_in_name_order() -> None:
    _registry("梁园区新启明艺术中心", "梁园区启明培训学校", "梁园区明启书院", "梁园区启蒙学堂")
    _registry("睢阳区启明学堂", status="cancelled")
    assert _found("启明") == sorted(["梁园区启明培训学校", "梁园区新启明艺术中心"])


def test_a_longer_fragment_must_appear_whole_not_piece_by_piece() -> None:
    # 启明 and 明培 both occur in 启明明培书院, but never as 启明培
    _registry("梁园区启明培训学校", "梁园区启明明培书院", "虞城县启明培优中心")
    assert _found("启明培") == sorted(["梁园区启明培训学校", "虞城县启明培优中心"])
    assert _found("明培书") == ["梁园区启明明培书院"]
    assert _found("启明培训学校分校") == []


def test_a_fragment_with_a_piece_no_name_has_finds_nothing() -> None:
    _registry("梁园区启明培训学校")
    assert _found("启明X") == []


def test_wildcards_in_the_fragment_are_plain_characters() -> None:
    _registry("梁园区启明培训学校", "梁园区100%培训中心")
    assert _found("0%培") == ["梁园区100%培训中心"]
    assert _found("明_训") == []


def test_only_the_first_page_is_returned_and_more_is_said() -> None:
    _registry(*(f"梁园区启明{n:03d}学堂" for n in range(selectors_public.PUBLIC_RESULTS_MAX + 1)))
    found = selectors_public.public_listing(query="启明")
    assert (found.count, found.more) == (selectors_public.PUBLIC_RESULTS_MAX, True)
    assert found.items[0].name == "梁园区启明000学堂"


def test_renaming_replaces_the_pieces() -> None:
    (institution,) = _registry("梁园区启明培训学校")
    institution.name = "梁园区启航学堂"
    institution.save(update_fields=["name"])
    InstitutionNameGram.reindex([institution])
    assert _found("启明") == []
    assert _found("启航") == ["梁园区启航学堂"]


def test_the_credit_code_finds_one_approved_institution() -> None:
    (institution,) = _registry("梁园区启明培训学校")
    assert _found(institution.credit_code.lower()) == ["梁园区启明培训学校"]


@pytest.mark.requires_postgres
def test_a_name_search_walks_the_name_index_in_order_whatever_the_fragment() -> None:
    # given: the statement as prepared once per connection, planned for any fragment (the generic plan), and a
    # planner that may neither scan nor sort a handful of rows (it would, at this size; the 200,000-row bench
    # registry takes the same plan unprompted)
    _registry("梁园区启明培训学校", "梁园区新启明艺术中心")
    for grams, params in ((1, ["启明", "approved", "%启明%"]), (3, ["启明", "明培", "培训", "approved", "%启明培训%"])):
        numbered = selectors_public._by_name_sql(grams).split("%s")
        sql = "".join(part + (f"${n + 1}" if n < len(numbered) - 1 else "") for n, part in enumerate(numbered))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE lookup_{grams} AS {sql}")
            # when
            cursor.execute(f"EXPLAIN EXECUTE lookup_{grams}({', '.join(['%s'] * len(params))})", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute(f"DEALLOCATE lookup_{grams}")
        # then: the name index in its order, and the fragment checked on the index's copy of the name, which no
        # trigram index covers (checked on the institution's name, the generic plan took the trigram index over all
        # names: 310 ms for a common fragment on the bench registry)
        assert "g.name LIKE" in sql and "i.name LIKE" not in sql
        assert "training_name_gram_order" in plan and "trgm" not in plan and "Sort Key: g.name" not in plan, plan


@pytest.mark.requires_postgres
def test_the_desk_search_can_use_the_trigram_index() -> None:
    # the supervisors' registry search (name LIKE '%...%' over every institution); trigrams work for Chinese
    sql, params = Institution.objects.filter(name__contains="启明培训").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "training_inst_name_trgm" in plan, plan
