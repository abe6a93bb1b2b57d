"""The public name search (name LIKE '%...%') can use the trigram index on PostgreSQL; on a national registry
(~200,000 rows, bench/training_lookup.py) the planner picks it. Trigrams work for Chinese under C.UTF-8."""

import pytest
from django.db import connection

from shuangjian.core.tests import factories as f
from shuangjian.training import selectors
from shuangjian.training.models import Institution
from shuangjian.training.rules import name_bigrams
from shuangjian.training.tests.builders import credit_code


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_the_name_search_can_use_the_trigram_index() -> None:
    # given: the search's name predicate, and a planner that may not scan the table (a handful of rows it would)
    sql, params = Institution.objects.filter(name__contains="启明培训").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # when
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then
    assert "training_inst_name_trgm" in plan, plan


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_a_two_character_search_uses_the_bigram_index_and_finds_exactly_the_containing_names() -> None:
    # given
    province, city, county, _other = f.regions()
    names = ["梁园区启明培训学校", "梁园区明启书院", "梁园区启蒙学堂", "梁园区新启明艺术中心"]
    for n, name in enumerate(names):
        Institution.objects.create(
            credit_code=credit_code(f"52411402MJY50000{n}"), name=name, name_bigrams=name_bigrams(name),
            kind="academic", mode="offline",
            county=county, city=city, province=province, legal_representative="张明", licence_status="approved",
        )  # fmt: skip
    # when
    found = list(selectors.public_search(query="启明").values_list("name", flat=True))
    sql, params = selectors.name_contains(Institution.objects.all(), "启明").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then
    assert found == ["梁园区启明培训学校", "梁园区新启明艺术中心"]
    assert "training_inst_name_bigram" in plan, plan


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_the_searched_columns_keep_finer_planner_statistics() -> None:
    # the planner's estimate of how many names contain a fragment decides which index it takes (migration 0008)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'training_institution'::regclass AND attname IN ('name', 'name_bigrams')"
        )
        targets = dict(cursor.fetchall())
    assert targets == {"name": 2000, "name_bigrams": 2000}
