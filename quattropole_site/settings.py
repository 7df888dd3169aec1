"""Settings for the QuattroPole events website.

One file, driven by the environment. Local defaults are safe for development
(SQLite, DEBUG on); with DJANGO_DEBUG=false a missing secret key stops start-up.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import jquery_ui

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# --- Core Django ---------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "nested_admin",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    # registration imports events, never the other way round. It comes first so that its
    # `load_demo` (the events' demo plus a registration form) is the command that runs.
    "registration",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "events.middleware.LanguageCookieMiddleware",
]

ROOT_URLCONF = "quattropole_site.urls"
WSGI_APPLICATION = "quattropole_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so two
    # registrations for the last place are serialised instead of both counting it free;
    # a writer waits up to 20 s for the lock rather than failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages, dates, time zone -------------------------------------------------

# German first: it is the default for visitors whose browser states no preference.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("mercredi 22 novembre 2017", "Mittwoch, 22. November 2017").
FORMAT_MODULE_PATH = ["quattropole_site.formats"]
USE_I18N = True
USE_TZ = True
# Luxembourg, Metz, Saarbrücken and Trier all keep Central European time.
TIME_ZONE = "Europe/Paris"
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

# --- Static and uploaded files ------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # jQuery UI for modeltranslation's FR/DE tabs, installed from PyPI (never a CDN).
    ("jquery-ui", jquery_ui.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads stay in memory up to 5 MB; image limits are enforced by the image validator.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGIN_URL = "admin:login"

# --- Cache ------------------------------------------------------------------------------
# Per process, in memory. The registration form's rate limit counts here (django-ratelimit).

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- E-mail -----------------------------------------------------------------------------
# Printed on the console unless DJANGO_EMAIL_HOST names an SMTP server.

EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "QuattroPole <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as registrants reach it, for the links in e-mails sent without a request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- django-csp: a strict Content-Security-Policy ---------------------------------------
# Everything comes from our own static files: no inline <script>, no style="" attributes,
# no inline event handlers. (JSON-LD data blocks are not executed, so they are allowed.)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- django-modeltranslation ------------------------------------------------------

MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_LANGUAGES = ("de", "fr")
# A text missing in one language is shown in the other one.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("de", "fr"), "de": ("fr",), "fr": ("de",)}
# The admin tabs' jQuery UI comes from our own static files (see STATICFILES_DIRS).
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"

# --- django-tasks: e-mails are sent by a worker after the database commit -------------------
# `manage.py db_worker` runs the queue (`make run` starts one beside the development server).

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- django-ratelimit ---------------------------------------------------------------------
# It counts in the default cache; local memory (per process) is the development default and
# not a "shared cache" in its checks' terms, which is acceptable for one process.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Behind a reverse proxy every request comes from the proxy: name the header in which the proxy
# puts the client's address (e.g. HTTP_X_REAL_IP for nginx's X-Real-IP), so that the limit per
# address counts each visitor. Empty: REMOTE_ADDR.
RATELIMIT_IP_META_KEY = os.environ.get("DJANGO_RATELIMIT_IP_HEADER", "") or None

# --- Registration -----------------------------------------------------------------------------

# Submissions of the registration form (and "send me my link") per client address and per
# e-mail address; django-ratelimit's rate syntax ("30/10m": 30 per 10 minutes).
REGISTRATION_RATE_PER_IP = os.environ.get("DJANGO_REGISTRATION_RATE_PER_IP", "30/10m")
REGISTRATION_RATE_PER_EMAIL = os.environ.get("DJANGO_REGISTRATION_RATE_PER_EMAIL", "5/h")
# `manage.py anonymise_registrations` empties the personal data of registrations to events
# that ended more than this many months ago.
REGISTRATION_RETENTION_MONTHS = int(os.environ.get("DJANGO_REGISTRATION_RETENTION_MONTHS", "6"))
# How often a registration e-mail is tried before it is given up: the waits double from 1 minute
# up to an hour (1, 2, 4 … 32, 60, 60 … minutes), so 30 attempts span about a day.
REGISTRATION_EMAIL_ATTEMPTS = int(os.environ.get("DJANGO_REGISTRATION_EMAIL_ATTEMPTS", "30"))

# --- Logging ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
