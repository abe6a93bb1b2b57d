"""Demo and scale data: `shuangjian seed --preset demo|county|city` (see docs/PERFORMANCE.md for the figures).

- presets.py: the plans (regions, school groups, schools, pupils per grade, staff) of each preset;
- names.py: Chinese names; generate.py: rows per school; load.py: COPY / bulk_create writers;
- accounts.py: the demo logins; class_sizes.py: class-size limits from the policy profile;
- run.py: `seed_database`, the one entry point.
"""
