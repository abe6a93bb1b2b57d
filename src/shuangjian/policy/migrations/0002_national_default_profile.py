"""Load the national default profile from policy/data/national.json, so every database has it.

Idempotent: a version already present is left alone. A later national revision appends a version to the
file and adds a migration that runs the same loader again.
"""

from typing import Any

from django.db import migrations

from shuangjian.policy.datafiles import create_missing_national_versions


def load_national_versions(apps: Any, schema_editor: Any) -> None:
    create_missing_national_versions(apps.get_model("policy", "PolicyProfile"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_policy_profile")]

    operations = [migrations.RunPython(load_national_versions, migrations.RunPython.noop)]
