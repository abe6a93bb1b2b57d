import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings")
application = get_wsgi_application()

# What is loaded now lives as long as the worker: every view and API module (imported here, not in the first
# request), then frozen out of the garbage collector's view, so that a full collection in the middle of a request
# walks only the objects of recent requests. Without it the homework evening peak's p99 was about 200 ms instead
# of about 75 (docs/PERFORMANCE.md).
get_resolver().url_patterns  # noqa: B018 (the attribute's access imports the URL configuration)
gc.collect()
gc.freeze()
