"""On PostgreSQL, a single report (homework.services.feedback) is one call of this function: lock the class-day
rollup, replace or insert the report, move the rollup by the difference, in one round trip and one implicit
transaction. It returns the report's id, or NULL (nothing written) when the class-day has no rollup row yet:
the service then creates that row, whose cap comes from the policy profile, and calls again. SQLite runs the
same steps in Python (the same tests cover both)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION homework_feedback_report(
    p_student bigint, p_school bigint, p_class bigint, p_date date, p_minutes integer, p_unfinished boolean,
    p_items jsonb, p_source varchar, p_by bigint
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_rollup bigint;
    v_cap integer;
    v_id bigint;
    v_old_minutes integer;
    v_old_unfinished boolean;
    v_within integer;
BEGIN
    -- The class-day row's lock serialises the reports of one class and day (batches take the same lock).
    SELECT id, cap_minutes INTO v_rollup, v_cap
        FROM homework_classdayrollup WHERE school_class_id = p_class AND date = p_date FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    v_within := CASE WHEN v_cap IS NULL OR p_minutes <= v_cap THEN 1 ELSE 0 END;
    SELECT id, reported_minutes, unfinished_at_bedtime INTO v_id, v_old_minutes, v_old_unfinished
        FROM homework_homeworkfeedback WHERE student_id = p_student AND date = p_date;
    IF FOUND THEN
        UPDATE homework_homeworkfeedback
            SET reported_minutes = p_minutes, unfinished_at_bedtime = p_unfinished, item_minutes = p_items,
                source = p_source, reported_by_id = p_by, reported_at = now()
            WHERE id = v_id;
        UPDATE homework_classdayrollup
            SET reported_minutes_sum = reported_minutes_sum - v_old_minutes + p_minutes,
                within_cap_count = within_cap_count + v_within
                    - CASE WHEN v_cap IS NULL OR v_old_minutes <= v_cap THEN 1 ELSE 0 END,
                unfinished_count = unfinished_count - v_old_unfinished::integer + p_unfinished::integer
            WHERE id = v_rollup;
    ELSE
        INSERT INTO homework_homeworkfeedback (student_id, school_id, school_class_id, date, reported_minutes,
                unfinished_at_bedtime, item_minutes, source, reported_by_id, reported_at)
            VALUES (p_student, p_school, p_class, p_date, p_minutes, p_unfinished, p_items, p_source, p_by, now())
            RETURNING id INTO v_id;
        UPDATE homework_classdayrollup
            SET feedback_count = feedback_count + 1, reported_minutes_sum = reported_minutes_sum + p_minutes,
                within_cap_count = within_cap_count + v_within,
                unfinished_count = unfinished_count + p_unfinished::integer
            WHERE id = v_rollup;
    END IF;
    RETURN v_id;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS homework_feedback_report(bigint, bigint, bigint, date, integer, boolean, jsonb, varchar, bigint);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("homework", "0004_feedback_index_by_day")]

    operations = [migrations.RunPython(create, drop)]
