"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
# Web requests are short and many at once: no parallel query helpers for them on PostgreSQL
# (fairhear/settings/base.py); FAIRHEAR_DB_PARALLEL_WORKERS set in the environment wins.
os.environ.setdefault("FAIRHEAR_DB_PARALLEL_WORKERS", "0")
application = get_wsgi_application()
