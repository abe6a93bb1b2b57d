"""On PostgreSQL, a head teacher's batch (homework.services.feedback) is one call of this function: lock the
class-day rollup, upsert every report of the batch from arrays, recount the class-day from its reports. It
returns the number of reports written, or NULL (nothing written) when the class-day has no rollup row yet: the
service then creates that row and calls again. SQLite runs the same steps in Python (the same tests cover both).
The service passes each student once (the last entry counts), as ON CONFLICT DO UPDATE requires."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION homework_feedback_batch(
    p_school bigint, p_class bigint, p_date date, p_source varchar, p_by bigint,
    p_students bigint[], p_minutes integer[], p_unfinished boolean[]
) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_rollup bigint;
    v_cap integer;
    v_saved integer;
BEGIN
    SELECT id, cap_minutes INTO v_rollup, v_cap
        FROM homework_classdayrollup WHERE school_class_id = p_class AND date = p_date FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO homework_homeworkfeedback (student_id, school_id, school_class_id, date, reported_minutes,
            unfinished_at_bedtime, item_minutes, source, reported_by_id, reported_at)
        SELECT e.student, p_school, p_class, p_date, e.minutes, e.unfinished, '{}'::jsonb, p_source, p_by, now()
        FROM unnest(p_students, p_minutes, p_unfinished) AS e(student, minutes, unfinished)
        ON CONFLICT (student_id, date) DO UPDATE
            SET reported_minutes = EXCLUDED.reported_minutes, unfinished_at_bedtime = EXCLUDED.unfinished_at_bedtime,
                item_minutes = EXCLUDED.item_minutes, source = EXCLUDED.source,
                reported_by_id = EXCLUDED.reported_by_id, reported_at = EXCLUDED.reported_at;
    GET DIAGNOSTICS v_saved = ROW_COUNT;
    UPDATE homework_classdayrollup AS r
        SET feedback_count = t.n, reported_minutes_sum = t.total, within_cap_count = t.within,
            unfinished_count = t.unfinished
        FROM (
            SELECT count(*) AS n, coalesce(sum(f.reported_minutes), 0) AS total,
                count(*) FILTER (WHERE v_cap IS NULL OR f.reported_minutes <= v_cap) AS within,
                count(*) FILTER (WHERE f.unfinished_at_bedtime) AS unfinished
            FROM homework_homeworkfeedback AS f WHERE f.school_class_id = p_class AND f.date = p_date
        ) AS t
        WHERE r.id = v_rollup;
    RETURN v_saved;
END
$$;
"""
DROP = (
    "DROP FUNCTION IF EXISTS homework_feedback_batch(bigint, bigint, date, varchar, bigint, bigint[], integer[], "
    "boolean[]);"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("homework", "0005_feedback_report_function")]

    operations = [migrations.RunPython(create, drop)]
