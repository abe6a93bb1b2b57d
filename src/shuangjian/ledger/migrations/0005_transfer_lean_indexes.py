"""Less index and trigger work per transfer (docs/PERFORMANCE.md, issue 6), the same rules:

- the idempotency key's uniqueness as a constraint, without the LIKE index Django adds to a unique CharField
  (nothing searches keys by prefix);
- "a transfer is reversed at most once" as a unique index over the reversals only, not over every transfer's NULL;
- on PostgreSQL, the balance of a transfer's legs checked once per INSERT statement (a statement trigger over the
  inserted rows) instead of once per posting at commit (a deferred constraint trigger that looked the transfer's
  postings up again for each leg). The rule becomes stricter: a transfer's legs are inserted by one statement,
  as ledger_post and the Python twin (one bulk_create) always did.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


STATEMENT_TRIGGER = r"""
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_posting_balanced();

CREATE OR REPLACE FUNCTION ledger_postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_transfer bigint;
    v_sum numeric;
    v_count bigint;
BEGIN
    SELECT n.transfer_id, sum(n.amount_fen), count(*) INTO v_transfer, v_sum, v_count
      FROM inserted n GROUP BY n.transfer_id HAVING sum(n.amount_fen) <> 0 OR count(*) < 2 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger.unbalanced'
            USING ERRCODE = 'check_violation',
                  DETAIL = format('transfer %s has %s legs summing to %s', v_transfer, v_count, v_sum);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_posting REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_balanced();
"""

ROW_TRIGGER = r"""
DROP TRIGGER IF EXISTS ledger_postings_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_postings_balanced();

CREATE OR REPLACE FUNCTION ledger_posting_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_sum numeric;
    v_count integer;
BEGIN
    SELECT coalesce(sum(amount_fen), 0), count(*) INTO v_sum, v_count
      FROM ledger_posting WHERE transfer_id = NEW.transfer_id;
    IF v_sum <> 0 OR v_count < 2 THEN
        RAISE EXCEPTION 'ledger.unbalanced'
            USING ERRCODE = 'check_violation',
                  DETAIL = format('transfer %s has %s legs summing to %s', NEW.transfer_id, v_count, v_sum);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER ledger_posting_balanced AFTER INSERT ON ledger_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_posting_balanced();
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % signs of the SQL stay as they are

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_postgres_purchase_function"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="transfer",
            name="idempotency_key",
            field=models.CharField(max_length=80),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="reverses",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ledger.transfer",
            ),
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.UniqueConstraint(fields=("idempotency_key",), name="ledger_transfer_idempotency_key"),
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reverses__isnull", False)),
                fields=("reverses",),
                name="ledger_transfer_reverses_once",
            ),
        ),
        migrations.RunPython(_on_postgres(STATEMENT_TRIGGER), _on_postgres(ROW_TRIGGER), elidable=False),
    ]
