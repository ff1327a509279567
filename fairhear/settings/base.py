"""All of Fairhear's settings, read from the environment (FAIRHEAR_*), with safe defaults for
`make run` on one machine. Production must set FAIRHEAR_SECRET_KEY and FAIRHEAR_ALLOWED_HOSTS,
and the HTTPS settings listed in docs/operations.md."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(VAR_DIR / ".env", overwrite=False)

DEBUG = env.bool("FAIRHEAR_DEBUG", default=False)
SECRET_KEY = env.str("FAIRHEAR_SECRET_KEY")  # required: `make run` writes one to var/.env
ALLOWED_HOSTS = env.list("FAIRHEAR_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("FAIRHEAR_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "fairhear.core",
    "fairhear.accounts",
    "fairhear.policies",
    "fairhear.outbox",
    "fairhear.cases",
    "fairhear.alerts",
    "fairhear.administration",
    "fairhear.letters",
    "fairhear.intake",
    "fairhear.mailin",
    "fairhear.notifications",
    "fairhear.reporting",
    "fairhear.importing",
    "fairhear.learning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "fairhear.core.page_security.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fairhear.core.page_security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After sign-in: the code from the authenticator app, or setting one up where required.
    "fairhear.accounts.two_factor.TwoFactorMiddleware",
    "fairhear.core.middleware.IntegrityAlarmMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fairhear.urls"
WSGI_APPLICATION = "fairhear.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fairhear" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fairhear.core.context_processors.fairhear",
            ],
        },
    },
]
FORM_RENDERER = "fairhear.core.forms.GovUKFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fairhear.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction begins, not at its first write: a transaction that
    # read first and then tried to write could not wait for another writer and failed at once
    # with "database is locked" (docs/operations.md, "Running on SQLite").
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: Fairhear's queries are short, and compiling one cost 50 to 80
    # ms each for searches and related cases at a million cases (docs/performance.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # Parallel query: web workers set none (fairhear/wsgi.py). A page's count over an
    # organisation's open cases planned two helper processes: 10 ms alone, but three
    # processes' CPU (22 ms) on a machine that is already serving other requests. The worker
    # and commands keep PostgreSQL's own setting, for reports (docs/performance.md).
    parallel = env.int("FAIRHEAR_DB_PARALLEL_WORKERS", default=-1)
    if parallel >= 0:
        options["options"] += f" -c max_parallel_workers_per_gather={parallel}"
    # Keep each web worker's connection between requests (a new one for every request cost a
    # PostgreSQL backend and a cold catalogue cache: the case page's first query took 5 ms to
    # plan instead of 0.1), and check it is still alive before a request uses it.
    # `?conn_max_age=` in DATABASE_URL wins; 0 connects for each request again.
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", env.int("FAIRHEAR_DB_CONN_MAX_AGE", default=300)
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Values sent apart from the statement, and a statement a connection has sent twice
    # prepared, so that PostgreSQL plans it once per connection: the case page's lookup of a
    # case with its eight related rows took 11.7 ms to plan and 0.4 ms to run (docs/
    # performance.md). Off behind a pooler that cannot keep prepared statements.
    if env.bool("FAIRHEAR_DB_PREPARED", default=True):
        options["server_side_binding"] = True
        options["prepare_threshold"] = env.int("FAIRHEAR_DB_PREPARE_THRESHOLD", default=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:my_work"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes): 5 wrong passwords for one username from one address lock that
# pair out for 15 minutes, counted again from each attempt made while locked out.
AUTHENTICATION_BACKENDS = [
    "fairhear.accounts.backends.SignInLockoutBackend",
    # Django's ModelBackend, reading the signed-in colleague by SQL built once.
    "fairhear.accounts.backends.AccountBackend",
]
AXES_FAILURE_LIMIT = env.int("FAIRHEAR_SIGN_IN_ATTEMPTS", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("FAIRHEAR_SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "fairhear.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): authenticator apps show "Fairhear" for the account. Wrong
# codes are throttled per device (1, 2, 4, 8 … seconds between tries, django-otp's own).
OTP_TOTP_ISSUER = "Fairhear"
FAIRHEAR_RECOVERY_CODES = 10

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "fairhear" / "static"]
# Files Fairhear keeps (letters as sent). Never served directly: each is read through a view
# that checks the reader may see its case (docs/operations.md, "Letters and their files").
MEDIA_ROOT = env.path("FAIRHEAR_FILES_DIR", default=VAR_DIR / "files")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Files kept with cases (docs/security.md, "Attachments"): the largest a colleague may add,
# how many with one note or communication, and the largest attachment of an e-mail kept as a
# file of its case (the message itself is always kept whole, whatever its size).
FAIRHEAR_ATTACHMENT_MAX_BYTES = env.int("FAIRHEAR_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
FAIRHEAR_ATTACHMENTS_PER_ACTION = env.int("FAIRHEAR_ATTACHMENTS_PER_ACTION", default=10)
FAIRHEAR_MAIL_ATTACHMENT_MAX_BYTES = env.int(
    "FAIRHEAR_MAIL_ATTACHMENT_MAX_BYTES", default=50 * 1024 * 1024
)

# Sessions stay in the database (the answers of a public form in progress may be personal
# data: never in the browser), each saved with one statement (docs/adr/ADR-010).
SESSION_ENGINE = "fairhear.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("FAIRHEAR_SECURE_COOKIES", default=not DEBUG)
# A session ends after this long however busy, and after FAIRHEAR_SESSION_IDLE_MINUTES without
# a request (fairhear.core.page_security.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("FAIRHEAR_SESSION_HOURS", default=10) * 3600
FAIRHEAR_SESSION_IDLE = timedelta(minutes=env.int("FAIRHEAR_SESSION_IDLE_MINUTES", default=30))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The page carries the token for htmx (hx-headers); no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (all off by default so that the demo works over http://127.0.0.1; production turns
# them on as docs/operations.md shows).
SECURE_SSL_REDIRECT = env.bool("FAIRHEAR_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("FAIRHEAR_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("FAIRHEAR_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("FAIRHEAR_HSTS_PRELOAD", default=False)
if env.bool("FAIRHEAR_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content security policy (django-csp): only Fairhear's own files; no inline script or style,
# no plug-ins, no framing, forms post only to Fairhear.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of Fairhear uses, switched off (fairhear.core.page_security).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

EMAIL_HOST = env.str("FAIRHEAR_SMTP_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("FAIRHEAR_SMTP_PORT", default=1025)
DEFAULT_FROM_EMAIL = env.str("FAIRHEAR_FROM_EMAIL", default="complaints@fairhear.invalid")
# The outbox (docs/operations.md, "E-mail out"). Message-IDs end in this domain (default: the
# from address's); attachments of one message come to at most this many bytes.
FAIRHEAR_MESSAGE_ID_DOMAIN = env.str("FAIRHEAR_MESSAGE_ID_DOMAIN", default="")
FAIRHEAR_OUTBOX_MAX_ATTACHMENT_BYTES = env.int(
    "FAIRHEAR_OUTBOX_MAX_ATTACHMENT_BYTES", default=20 * 1024 * 1024
)
# The sender (`manage.py send_outbox`): how it reaches and signs in to the mail server.
FAIRHEAR_SMTP_SECURITY = env.str("FAIRHEAR_SMTP_SECURITY", default="none")  # starttls, ssl
FAIRHEAR_SMTP_AUTH = env.str("FAIRHEAR_SMTP_AUTH", default="")  # none, password, xoauth2
FAIRHEAR_SMTP_USER = env.str("FAIRHEAR_SMTP_USER", default="")
FAIRHEAR_SMTP_PASSWORD = env.str("FAIRHEAR_SMTP_PASSWORD", default="")
FAIRHEAR_SMTP_OAUTH_TOKEN_COMMAND = env.str("FAIRHEAR_SMTP_OAUTH_TOKEN_COMMAND", default="")
FAIRHEAR_SMTP_OAUTH_TOKEN_FILE = env.str("FAIRHEAR_SMTP_OAUTH_TOKEN_FILE", default="")
FAIRHEAR_SMTP_CA_FILE = env.str("FAIRHEAR_SMTP_CA_FILE", default="")
FAIRHEAR_SMTP_TIMEOUT = env.float("FAIRHEAR_SMTP_TIMEOUT", default=30.0)
# Retries: the wait doubles from the base up to the cap; a message the server keeps refusing
# for the moment (4xx) is given up after so many tries; a message claimed by a sender that then
# stopped is sent again once this lease has passed.
FAIRHEAR_OUTBOX_BATCH = env.int("FAIRHEAR_OUTBOX_BATCH", default=50)
FAIRHEAR_OUTBOX_RETRY_BASE_SECONDS = env.int("FAIRHEAR_OUTBOX_RETRY_BASE_SECONDS", default=60)
FAIRHEAR_OUTBOX_RETRY_CAP_SECONDS = env.int("FAIRHEAR_OUTBOX_RETRY_CAP_SECONDS", default=3600)
FAIRHEAR_OUTBOX_MAX_ATTEMPTS = env.int("FAIRHEAR_OUTBOX_MAX_ATTEMPTS", default=10)
FAIRHEAR_OUTBOX_SENDING_LEASE_SECONDS = env.int(
    "FAIRHEAR_OUTBOX_SENDING_LEASE_SECONDS", default=600
)
# E-mail in (`manage.py fetch_mail`): the organisation's complaints mailbox.
FAIRHEAR_IMAP_ORGANISATION = env.str("FAIRHEAR_IMAP_ORGANISATION", default="")
FAIRHEAR_IMAP_HOST = env.str("FAIRHEAR_IMAP_HOST", default="")
FAIRHEAR_IMAP_PORT = env.int("FAIRHEAR_IMAP_PORT", default=993)
FAIRHEAR_IMAP_SECURITY = env.str("FAIRHEAR_IMAP_SECURITY", default="ssl")  # starttls, none
FAIRHEAR_IMAP_AUTH = env.str("FAIRHEAR_IMAP_AUTH", default="password")  # xoauth2
FAIRHEAR_IMAP_USER = env.str("FAIRHEAR_IMAP_USER", default="")
FAIRHEAR_IMAP_PASSWORD = env.str("FAIRHEAR_IMAP_PASSWORD", default="")
FAIRHEAR_IMAP_OAUTH_TOKEN_COMMAND = env.str("FAIRHEAR_IMAP_OAUTH_TOKEN_COMMAND", default="")
FAIRHEAR_IMAP_OAUTH_TOKEN_FILE = env.str("FAIRHEAR_IMAP_OAUTH_TOKEN_FILE", default="")
FAIRHEAR_IMAP_CA_FILE = env.str("FAIRHEAR_IMAP_CA_FILE", default="")
FAIRHEAR_IMAP_MAILBOX = env.str("FAIRHEAR_IMAP_MAILBOX", default="INBOX")
FAIRHEAR_IMAP_TIMEOUT = env.float("FAIRHEAR_IMAP_TIMEOUT", default=60.0)
# Background tasks (Django Tasks; docs/operations.md, "The worker"; ADR-009). "database" keeps
# the queue in the project's database (django-tasks-db: nothing else to run); "redis" keeps it
# in Redis (django-tasks-rq) for several web and worker machines.
FAIRHEAR_TASKS = env.str("FAIRHEAR_TASKS", default="database")
FAIRHEAR_REDIS_URL = env.str("FAIRHEAR_REDIS_URL", default="redis://127.0.0.1:6379/0")
if FAIRHEAR_TASKS == "redis":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": FAIRHEAR_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
elif FAIRHEAR_TASKS == "database":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {}
else:
    raise ImproperlyConfigured(
        f"FAIRHEAR_TASKS is {FAIRHEAR_TASKS!r}; set it to database (the default) or redis."
    )
# The worker (`manage.py worker`): how often it sweeps the clocks and sends the outbox, and
# after how long without a heartbeat the status page says a worker has stopped.
FAIRHEAR_SWEEP_SECONDS = env.int("FAIRHEAR_SWEEP_SECONDS", default=60)
# The dashboard's figures are kept (reporting/kept.py): a page waits for a new count when the
# last one took no longer than this, and otherwise shows the figures kept and counts them
# again in the background, at most this often.
FAIRHEAR_DASHBOARD_WAIT_MS = env.int("FAIRHEAR_DASHBOARD_WAIT_MS", default=2000)
# Before an organisation's first count: more cases than this are counted in the background.
FAIRHEAR_DASHBOARD_WAIT_CASES = env.int("FAIRHEAR_DASHBOARD_WAIT_CASES", default=20000)
FAIRHEAR_DASHBOARD_RECOUNT_MINUTES = env.int("FAIRHEAR_DASHBOARD_RECOUNT_MINUTES", default=15)
FAIRHEAR_OUTBOX_SECONDS = env.int("FAIRHEAR_OUTBOX_SECONDS", default=10)
FAIRHEAR_WORKER_STALE_SECONDS = env.int("FAIRHEAR_WORKER_STALE_SECONDS", default=180)

# A password reset link works once, for this long.
PASSWORD_RESET_TIMEOUT = env.int("FAIRHEAR_PASSWORD_RESET_HOURS", default=2) * 3600

# The address the public reaches Fairhear at, for links in letters (the published policy).
FAIRHEAR_SITE_URL = env.str("FAIRHEAR_SITE_URL", default="http://127.0.0.1:8000")

# The policy pack a new organisation starts on, and the demo organisation's pack.
FAIRHEAR_DEMO_POLICY = env.str("FAIRHEAR_DEMO_POLICY", default="pivotal")
# A clock is "due soon" when its due date is this many working days away or fewer.
FAIRHEAR_DUE_SOON_WORKING_DAYS = env.int("FAIRHEAR_DUE_SOON_WORKING_DAYS", default=2)
# New submissions of the public form allowed from one address in a clock hour
# (fairhear/intake/ratelimit.py; docs/security.md).
FAIRHEAR_FEEDBACK_PER_HOUR = env.int("FAIRHEAR_FEEDBACK_PER_HOUR", default=10)
# Track my case: how long a link works, and how many links one address (and one e-mail
# address) may ask for in a clock hour.
FAIRHEAR_TRACK_LINK_HOURS = env.int("FAIRHEAR_TRACK_LINK_HOURS", default=24)
FAIRHEAR_TRACK_PER_HOUR = env.int("FAIRHEAR_TRACK_PER_HOUR", default=5)
# The feedback survey's personal link (Pivotal §21.2): how many days it works after the
# invitation is written.
FAIRHEAR_SURVEY_LINK_DAYS = env.int("FAIRHEAR_SURVEY_LINK_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("FAIRHEAR_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each step of every PDF at INFO; only its warnings are worth reading.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # django-tasks-db says so each time the worker looks at its queue.
        "django_tasks_db": {"level": "WARNING"},
    },
}
