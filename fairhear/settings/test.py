"""Test settings: only storage, password hashing and mail differ from base (STYLE.md §4)."""

import os

os.environ.setdefault("FAIRHEAR_SECRET_KEY", "test-only-not-secret")

from fairhear.settings.base import *  # noqa: F403
from fairhear.settings.base import DATABASES, VAR_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
# Every query whose SQL is remembered is built again and compared (fairhear/sql_memo.py).
FAIRHEAR_SQL_MEMO_CHECK = True
CSRF_COOKIE_SECURE = False

# Tests on SQLite use a file database, as the embedded default does, so that threads (a live
# server, parallel writers) share it with real file locking. Each test worker gets its own file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.str(
    "DATABASE_URL", default=""
):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
