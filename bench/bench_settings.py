"""Settings for benchmark servers only: production settings plus a bench-only URLconf (bench/bench_urls.py).

    DJANGO_SETTINGS_MODULE=bench.bench_settings  (with the repository root on PYTHONPATH)

The baseline endpoint of the homework peak benchmark lives in that URLconf, so production
(ROOT_URLCONF = "shuangjian.urls") never exposes it.
"""

from shuangjian.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
