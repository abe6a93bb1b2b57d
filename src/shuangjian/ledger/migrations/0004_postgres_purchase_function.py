"""PostgreSQL only: `ledger_purchase`, a family's purchase in one round trip (docs/adr/0011).

It mirrors shuangjian.ledger.services.purchases._purchase_write step by step: a repeated key returns the first
purchase (another request under the key is a conflict); the institution's row counts the purchase while the
institution is not frozen (docs/adr/0007); the bank's clearing account (created with the first transfer that needs
it), the purchase's three accounts and the purchase row are created; the payment is posted by `ledger_post`
(migration 0002) with the purchase's idempotency key. If a concurrent request with the same key commits first,
ledger_post finds it and this function refuses with 'ledger.purchase_replayed', so that the whole statement (rows
created here included) is undone and the caller returns the first purchase. On SQLite this migration does nothing.
"""

from typing import Any

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION ledger_purchase(
    p_key text, p_digest text, p_actor bigint, p_now timestamptz, p_institution bigint, p_student bigint,
    p_guardian bigint, p_title text, p_lessons integer, p_price bigint, p_months integer
) RETURNS TABLE (transfer_id bigint, purchase_id bigint, prepaid_id bigint, held_id bigint, released_id bigint,
                 replayed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_transfer bigint;
    v_digest text;
    v_purchase bigint;
    v_clearing bigint;
    v_prepaid bigint;
    v_held bigint;
    v_released bigint;
    v_paid bigint := p_lessons::bigint * p_price;
    v_replayed boolean;
BEGIN
    SELECT t.id, t.request_digest, t.purchase_id INTO v_transfer, v_digest, v_purchase
      FROM ledger_transfer t WHERE t.idempotency_key = p_key;
    IF v_transfer IS NOT NULL THEN
        IF v_digest IS DISTINCT FROM p_digest THEN
            RAISE EXCEPTION 'ledger.idempotency_conflict';
        END IF;
        RETURN QUERY SELECT v_transfer, v_purchase, NULL::bigint, NULL::bigint, NULL::bigint, true;
        RETURN;
    END IF;

    UPDATE ledger_institutionledger SET purchase_count = purchase_count + 1
     WHERE institution_id = p_institution AND frozen_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger.institution_frozen';
    END IF;

    SELECT a.id INTO v_clearing FROM ledger_account a WHERE a.kind = 'clearing';
    IF v_clearing IS NULL THEN
        INSERT INTO ledger_account (kind, institution_id, balance_fen, posting_count, head_hash)
        VALUES ('clearing', NULL, 0, 0, '')
        ON CONFLICT (kind) WHERE kind = 'clearing' DO NOTHING;
        SELECT a.id INTO v_clearing FROM ledger_account a WHERE a.kind = 'clearing';
    END IF;

    INSERT INTO ledger_account (kind, institution_id, balance_fen, posting_count, head_hash)
    VALUES ('prepaid', p_institution, 0, 0, '') RETURNING id INTO v_prepaid;
    INSERT INTO ledger_account (kind, institution_id, balance_fen, posting_count, head_hash)
    VALUES ('held', p_institution, 0, 0, '') RETURNING id INTO v_held;
    INSERT INTO ledger_account (kind, institution_id, balance_fen, posting_count, head_hash)
    VALUES ('released', p_institution, 0, 0, '') RETURNING id INTO v_released;

    INSERT INTO ledger_purchase (institution_id, student_id, guardian_id, course_title, lessons, price_per_lesson_fen,
                                 months, paid_fen, prepaid_account_id, held_account_id, released_account_id,
                                 lessons_held, lessons_consumed, lessons_refunded, frozen, created_at, created_by_id)
    VALUES (p_institution, p_student, p_guardian, p_title, p_lessons, p_price, p_months, v_paid, v_prepaid, v_held,
            v_released, 0, 0, 0, false, p_now, p_actor)
    RETURNING id INTO v_purchase;

    SELECT posted.transfer_id, posted.replayed INTO v_transfer, v_replayed
      FROM ledger_post(p_key, p_digest, 'purchase', p_actor, p_now, ARRAY[v_clearing, v_prepaid],
                       ARRAY[-v_paid, v_paid], v_purchase, 0, 0, 0, false, NULL, '{}'::text[], '', 0, NULL,
                       p_title) AS posted;
    IF v_replayed THEN  -- the same key committed concurrently: undo this statement, the caller returns the first
        RAISE EXCEPTION 'ledger.purchase_replayed';
    END IF;
    RETURN QUERY SELECT v_transfer, v_purchase, v_prepaid, v_held, v_released, false;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS ledger_purchase(text, text, bigint, timestamptz, bigint, bigint, bigint, text, integer, bigint,
    integer);
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % signs of the SQL stay as they are

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_bank_statement_reconciliation")]

    operations = [migrations.RunPython(_on_postgres(FUNCTIONS), _on_postgres(DROP), elidable=False)]
