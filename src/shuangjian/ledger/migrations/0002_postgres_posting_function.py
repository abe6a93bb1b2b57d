"""PostgreSQL only: the posting function (the hot path in one round trip), a deferred constraint trigger that
checks every transfer's legs sum to zero at commit, and triggers that keep transfers and postings append-only.

ledger_post mirrors shuangjian.ledger.services.posting._post_python step by step (same lock order: the transfer's
idempotency key, the hold being settled, the purchase row, the accounts in id order) and computes the same posting hash as
shuangjian.ledger.rules.posting_hash. On SQLite the Python twin is used and this migration does nothing.
"""

from typing import Any

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION ledger_post(
    p_key text, p_digest text, p_kind text, p_actor bigint, p_now timestamptz,
    p_accounts bigint[], p_amounts bigint[], p_purchase bigint,
    p_held integer, p_consumed integer, p_refunded integer, p_require_open boolean,
    p_hold bigint, p_hold_from text[], p_hold_to text, p_new_hold_fen bigint,
    p_reverses bigint, p_memo text
) RETURNS TABLE (transfer_id bigint, hold_id bigint, replayed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_transfer bigint;
    v_digest text;
    v_hold bigint;
    v_account bigint;
    v_amount bigint;
    v_balance bigint;
    v_seq bigint;
    v_hash text;
    v_accounts bigint[] := '{}';
    v_amounts bigint[] := '{}';
    v_seqs bigint[] := '{}';
    v_balances bigint[] := '{}';
    v_hashes text[] := '{}';
BEGIN
    INSERT INTO ledger_transfer (kind, idempotency_key, request_digest, purchase_id, reverses_id, memo, actor_id,
                                 created_at)
    VALUES (p_kind, p_key, p_digest, p_purchase, p_reverses, p_memo, p_actor, p_now)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_transfer;
    IF v_transfer IS NULL THEN
        SELECT t.id, t.request_digest INTO v_transfer, v_digest FROM ledger_transfer t WHERE t.idempotency_key = p_key;
        IF v_digest IS DISTINCT FROM p_digest THEN
            RAISE EXCEPTION 'ledger.idempotency_conflict';
        END IF;
        SELECT h.id INTO v_hold FROM ledger_hold h
         WHERE h.hold_transfer_id = v_transfer OR h.settle_transfer_id = v_transfer LIMIT 1;
        RETURN QUERY SELECT v_transfer, v_hold, true;
        RETURN;
    END IF;

    IF p_hold IS NOT NULL THEN
        UPDATE ledger_hold SET status = p_hold_to, settle_transfer_id = v_transfer, settled_at = p_now
         WHERE id = p_hold AND status = ANY (p_hold_from);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'ledger.hold_settled';
        END IF;
        v_hold := p_hold;
    END IF;

    IF p_purchase IS NOT NULL AND (p_held <> 0 OR p_consumed <> 0 OR p_refunded <> 0 OR p_require_open) THEN
        UPDATE ledger_purchase
           SET lessons_held = lessons_held + p_held,
               lessons_consumed = lessons_consumed + p_consumed,
               lessons_refunded = lessons_refunded + p_refunded
         WHERE id = p_purchase AND (NOT p_require_open OR NOT frozen);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'ledger.institution_frozen';
        END IF;
    END IF;

    IF p_new_hold_fen > 0 THEN
        INSERT INTO ledger_hold (purchase_id, amount_fen, status, hold_transfer_id, created_at)
        VALUES (p_purchase, p_new_hold_fen, 'pending', v_transfer, p_now)
        RETURNING id INTO v_hold;
    END IF;

    FOR v_account, v_amount IN
        SELECT legs.a, legs.m FROM unnest(p_accounts, p_amounts) AS legs (a, m) ORDER BY legs.a
    LOOP
        UPDATE ledger_account
           SET balance_fen = balance_fen + v_amount,
               posting_count = posting_count + 1,
               head_hash = encode(sha256(convert_to(
                   concat_ws('|', head_hash, id, posting_count + 1, v_transfer, p_kind, v_amount), 'UTF8')), 'hex')
         WHERE id = v_account
        RETURNING balance_fen, posting_count, head_hash INTO v_balance, v_seq, v_hash;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'ledger.unbalanced';
        END IF;
        v_accounts := v_accounts || v_account;
        v_amounts := v_amounts || v_amount;
        v_seqs := v_seqs || v_seq;
        v_balances := v_balances || v_balance;
        v_hashes := v_hashes || v_hash;
    END LOOP;
    -- one statement for all legs: the balance check also holds when constraints are set IMMEDIATE
    INSERT INTO ledger_posting (transfer_id, account_id, amount_fen, seq, balance_after_fen, hash)
    SELECT v_transfer, legs.a, legs.m, legs.s, legs.b, legs.h
      FROM unnest(v_accounts, v_amounts, v_seqs, v_balances, v_hashes) AS legs (a, m, s, b, h);
    RETURN QUERY SELECT v_transfer, v_hold, false;
END
$$;

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

CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % cannot be changed or deleted (post a reversing transfer)',
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER ledger_posting_append_only BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transfer_append_only BEFORE UPDATE OR DELETE ON ledger_transfer
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_transfer_append_only ON ledger_transfer;
DROP TRIGGER IF EXISTS ledger_posting_append_only ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_append_only();
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_posting_balanced();
DROP FUNCTION IF EXISTS ledger_post(text, text, text, bigint, timestamptz, bigint[], bigint[], bigint, integer,
    integer, integer, boolean, bigint, text[], text, bigint, bigint, text);
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % signs of the SQL stay as they are

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_escrow_ledger")]

    operations = [migrations.RunPython(_on_postgres(FUNCTIONS), _on_postgres(DROP), elidable=False)]
