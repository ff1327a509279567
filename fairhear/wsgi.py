"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
# Web requests are short and many at once: no parallel query helpers for them on PostgreSQL
# (fairhear/settings/base.py); FAIRHEAR_DB_PARALLEL_WORKERS set in the environment wins.
os.environ.setdefault("FAIRHEAR_DB_PARALLEL_WORKERS", "0")
application = get_wsgi_application()
# What loading the application made (Django, the URLs, the templates' code: some 170,000
# objects) lives as long as the process. Set apart from the garbage collector, its full
# collections no longer walk them: one took about 100 ms every few hundred requests, a third
# of a millisecond a page (docs/performance.md). Under a server that loads the application
# before forking its workers (gunicorn --preload), the workers share those pages of memory
# for longer, too.
gc.freeze()
