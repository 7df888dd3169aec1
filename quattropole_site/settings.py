"""Settings for the QuattroPole events website.

One file, driven by the environment (docs/configuration.md lists every variable).
Local defaults are safe for development (SQLite, DEBUG on). With DJANGO_DEBUG=false the site is in
production: a missing required value (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS) stops start-up
with a message naming it, and the HTTPS settings default to what `manage.py check --deploy` asks.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name):
    """A value production cannot do without: its absence stops start-up, naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off (see the configuration table in docs/configuration.md)."
        )
    return value


# --- Core Django ---------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or env_list(env_required("DJANGO_ALLOWED_HOSTS"))

# The admin's address, e.g. "verwaltung/" (a trailing slash is added when missing).
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must not be empty.")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Full-text search, unaccent and trigram lookups (search/); inert on SQLite.
    "django.contrib.postgres",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "quattropole_site.apps.LoginProtectionConfig",  # django-axes, named for the admin
    "quattropole_site",
    # The legal pages, the accessibility statement and feedback: imports events, never registration
    # (nor they it; docs/architecture.md).
    "pages",
    # registration imports events, never the other way round (docs/architecture.md).
    "registration",
    # Search across both languages: imports events, never the other way round.
    "search",
    # Documents, photos and videos of an event (issue 26): imports events; registration imports it.
    "materials",
    "events",
    # The open data: the JSON API and the embeddable list; imports events and registration.
    "api",
    # The page cache knows events, registration and api; they do not know it.
    "pagecache",
]

# The headers every response carries (pages, admin, error pages and static files alike) are set
# by the middleware above WhiteNoise, which answers static files itself.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The API's CORS and rate limit, the embeds' frame-ancestors: on every answer, cached ones too.
    "api.middleware.OpenDataMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "quattropole_site.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # GET, HEAD and POST only (TRACE and the rest: 405), addresses of sensible length (else 414).
    "quattropole_site.middleware.RequestLimitsMiddleware",
    "quattropole_site.middleware.StaticFilesMiddleware",
    # Public pages at their one canonical address (pagecache/addresses.py): others redirected.
    "pagecache.addresses.CanonicalAddressMiddleware",
    # Pages from the cache are answered here; the rest goes on (pagecache/middleware.py).
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A staff member's save in the admin renders the pages it makes fresh before it commits.
    "pagecache.middleware.PrerenderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "events.middleware.LanguageCookieMiddleware",
    # The cache's second place: inside everything that sets a visitor's own cookies.
    "pagecache.middleware.PageCacheStoreMiddleware",
    # Last, so that it sees the login attempts the admin's view handles.
    "axes.middleware.AxesMiddleware",
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
                # {% csrf_token %} on pages the cache stores: a placeholder, each visitor's own on the way out.
                "pagecache.context_processors.csrf",
            ],
            "libraries": {"site_tags": "quattropole_site.templatetags"},
            # Django's truncatewords keeping no-break spaces (French titles in the admin's breadcrumbs).
            "builtins": ["quattropole_site.template_builtins"],
        },
    },
]
# Form widgets are rendered by the templates above (the project's own widget templates in
# templates/, Django's from the "django.forms" app), not by a separate engine of Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Connections are kept between requests in production, and checked before reuse, so
        # that a database that went away and came back is reconnected to without a restart.
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer is an error page within seconds, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # Lists of choices (cities, categories) are a few rows: read them in one round trip, not
    # through a server-side cursor (three); also what a connection pooler in front requires.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so two
    # registrations for the last place are serialised instead of both counting it free;
    # a writer waits up to 20 s for the lock rather than failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    # The events list's index carries `publish_at` as a covering column (INCLUDE) for PostgreSQL;
    # SQLite has no such columns and simply builds the index without it. Its warning (models.W040)
    # would ask every newcomer's `make setup` to act on what needs no action.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    SILENCED_SYSTEM_CHECKS = []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out users before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache -----------------------------------------------------------------------------
# Two caches. "default" is the page cache (pagecache/cache.py). "protection" keeps what
# protects the site — the rate limits' counters — where page entries can neither evict nor clear
# it: its own Redis database, or its own folder or memory.
# Redis when REDIS_URL names one (shared by every worker and app server: required for a cache
# that is never stale on several processes, and for counts every server shares); otherwise
# local memory for `make run` (one process) and folders on disk shared by the workers of one
# server when DEBUG is off.


def cache_settings(*, redis_url, debug, folder, prefix, protection_url=""):
    """CACHES for a Redis URL (or none), DEBUG, the cache folder and the Redis key prefix. The
    protection cache's Redis database is ``protection_url``'s, by default the next one on the same
    server (…/0 → …/1): Django's clear() of the page cache empties its own database only."""
    if redis_url:
        parts = urlsplit(redis_url)
        number = int(parts.path.strip("/") or 0)
        protection_url = protection_url or parts._replace(path=f"/{number + 1}").geturl()
        # django-redis keeps one redis-py client per server and reuses it (Django's own backend
        # builds a new client, with its table of response callbacks, for every cache call: more
        # than a third of the work of a page from the page cache). A Redis that does not answer
        # costs half a second once, then the site goes on without it (pagecache/) until it is back.
        options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
        backend = "django_redis.cache.RedisCache"
        return {
            "default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": prefix, "OPTIONS": options},
            "protection": {"BACKEND": backend, "LOCATION": protection_url, "KEY_PREFIX": prefix, "OPTIONS": options},
        }
    if debug:
        backend = "django.core.cache.backends.locmem.LocMemCache"
        return {
            "default": {"BACKEND": backend, "LOCATION": "quattropole"},
            "protection": {"BACKEND": backend, "LOCATION": "quattropole-protection"},
        }
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    return {
        # The page cache's entries are bounded by the pages that exist (canonical addresses only).
        "default": {"BACKEND": backend, "LOCATION": str(folder), "OPTIONS": {"MAX_ENTRIES": 20_000}},
        # A folder of its own inside: the page cache culls and clears only its own files.
        "protection": {"BACKEND": backend, "LOCATION": str(Path(folder) / "protection")},
    }


REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES = cache_settings(
    redis_url=REDIS_URL,
    protection_url=os.environ.get("DJANGO_PROTECTION_REDIS_URL", "").strip(),
    debug=DEBUG,
    folder=os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache")),
    prefix=os.environ.get("DJANGO_CACHE_PREFIX", "quattropole"),
)
# The page cache (pagecache/cache.py, docs/caching.md): public pages for visitors, never stale.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "default"
# Rate limits (django-ratelimit, RATELIMIT_USE_CACHE below) count here.
PROTECTION_CACHE_ALIAS = "protection"

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
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # jQuery UI for modeltranslation's FR/DE tabs, from PyPI's XStatic package (never a CDN).
    "quattropole_site.staticfiles.XStaticFinder",
]
# Files taken from XStatic packages: {package module: (prefix under STATIC_URL, [files])}. Only
# what the site uses is collected (the package's themes name images it does not ship).
XSTATIC_FILES = {"xstatic.pkg.jquery_ui": ("jquery-ui", ["jquery-ui.min.js"])}

MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
# The largest document or photo staff may upload as an event's material (materials/validation.py).
MATERIALS_MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_MATERIALS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# The largest sign-language video staff may upload (pages/sign_language.py); nginx accepts 64 MB
# per form (deploy/nginx.conf), so a larger limit needs client_max_body_size raised with it.
SIGN_LANGUAGE_MAX_VIDEO_BYTES = int(os.environ.get("DJANGO_SIGN_LANGUAGE_MAX_VIDEO_BYTES", 60 * 1024 * 1024))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are served by Django itself only when asked (`make serve` does, for a local
# trial); in production the web server in front serves MEDIA_ROOT (docs/deploy.md).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)

MEDIA_S3_BUCKET = os.environ.get("DJANGO_MEDIA_S3_BUCKET", "").strip()
if MEDIA_S3_BUCKET:
    # Uploads on S3-compatible object storage (django-storages), shared by every app server.
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("DJANGO_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("DJANGO_MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_MEDIA_S3_SECRET_ACCESS_KEY") or None,
            # Public addresses without signatures, e.g. "events.example.org/media" when the web
            # server in front passes /media/ on to the bucket (one host: the CSP stays strict).
            "custom_domain": os.environ.get("DJANGO_MEDIA_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("DJANGO_MEDIA_S3_PREFIX", "media"),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    # Where the files' addresses point: the custom domain, else the endpoint, else AWS itself.
    _media_address = (
        MEDIA_STORAGE["OPTIONS"]["custom_domain"]
        or MEDIA_STORAGE["OPTIONS"]["endpoint_url"]
        or f"{MEDIA_S3_BUCKET}.s3.amazonaws.com"
    )
    _media_parts = urlsplit(_media_address if "//" in _media_address else f"https://{_media_address}")
    MEDIA_ORIGINS = [f"{_media_parts.scheme}://{_media_parts.netloc}"]
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGINS = []

STORAGES = {
    "default": MEDIA_STORAGE,
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

# --- WhiteNoise: static files from the app server ----------------------------------------
# Files with a content hash in their name are cached for a year ("immutable", see
# quattropole_site/middleware.py); the others for a minute in production.
WHITENOISE_MAX_AGE = 0 if DEBUG else 60

# --- Security -------------------------------------------------------------------------
# Production sits behind a reverse proxy that terminates TLS (docs/deploy.md); these follow the
# environment, with defaults that make `manage.py check --deploy` silent when DEBUG is off.

# "X-Forwarded-Proto" when the proxy says so in that header (only if it always sets it!).
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# Full origins ("https://events.example.org") allowed to POST forms, when they differ from the host.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# HSTS for every subdomain and the browsers' preload list reach beyond this site (a site on a
# subdomain, veranstaltungen.quattropole.org, cannot even be preloaded). Django's deploy checks
# warn while they are off (security.W005, W021); an operator who writes "false" has chosen, and
# `check --deploy` (and `make serve`) accepts the choice. Left unset, the warning stays: choose.
SILENCED_SYSTEM_CHECKS += [
    check
    for check, variable in (
        ("security.W005", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS"),
        ("security.W021", "DJANGO_SECURE_HSTS_PRELOAD"),
    )
    if os.environ.get(variable, "").strip() and not env_bool(variable, True)
]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses, switched off for every page (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: [] for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")
}
CSRF_FAILURE_VIEW = "quattropole_site.views.csrf_failure"

LOGIN_URL = "admin:login"

# --- E-mail -----------------------------------------------------------------------------
# Printed on the console unless DJANGO_EMAIL_HOST names an SMTP server.

EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
# On localhost for development; production needs an address of the site's own domain (a deploy
# check of ours, quattropole_site/checks.py, refuses any other).
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or "QuattroPole <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as registrants reach it, for the links in e-mails sent without a request:
# by default the development server on PORT (`make run PORT=8123`), or in production https://
# and the first allowed host name.
_public_hosts = [host for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
SITE_URL = (
    os.environ.get("DJANGO_SITE_URL", "").strip()
    or (f"http://127.0.0.1:{env_int('PORT', 8000)}" if DEBUG or not _public_hosts else f"https://{_public_hosts[0]}")
).rstrip("/")

# --- django-csp: a strict Content-Security-Policy ---------------------------------------
# Everything comes from our own static files: no inline <script>, no style="" attributes,
# no inline event handlers. (JSON-LD data blocks are not executed, so they are allowed.)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Posters on object storage under another host (DJANGO_MEDIA_S3_… without a custom
        # domain on ours) are the one exception, named here from the settings.
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        # The sign-language videos (pages/): from the media storage, like posters; their captions
        # come from the site itself (a <track> from another host would need CORS).
        "media-src": ["'self'", *MEDIA_ORIGINS],
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
# The admin tabs' jQuery UI comes from our own static files (see XSTATIC_FILES).
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"

# --- django-axes: failed logins to the admin --------------------------------------------
# Lock-outs that stop an attacker, not the owner (quattropole_site/logins.py): ten wrong passwords
# for one user name from one address lock that user name out at that address, thirty from one
# address lock the address out whatever the names, for an hour; staff lift a lock-out earlier by
# deleting its "access attempt" in the admin, and are told after logging in when their user name
# saw wrong passwords from elsewhere (the failure log).
AXES_HANDLER = "quattropole_site.logins.LoginLimitsHandler"
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_COOLOFF_TIME = datetime.timedelta(hours=env_int("DJANGO_LOGIN_COOLOFF_HOURS", 1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "quattropole_site.views.login_locked_out"
AXES_VERBOSE = False
# Behind a reverse proxy, the visitor's address is in the header the proxy overwrites on every
# request ("X-Real-IP" in deploy/nginx.conf); never one a visitor could send themselves.
_client_ip_header = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip()
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_" + _client_ip_header.upper().replace("-", "_")] if _client_ip_header else ["REMOTE_ADDR"]
)

# --- django-tasks: e-mails are sent by a worker after the database commit -------------------
# `manage.py db_worker` runs the queue (`make run` starts one beside the development server).

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- django-ratelimit: submissions of the registration form ---------------------------------
# It counts in the protection cache (above), where page entries cannot evict its counts: Redis in
# production, shared by every app server. Used as a library, not an installed app: its system
# checks know only memcached and django-redis and would flag Django's own Redis backend (atomic
# too) and the development caches, which count well enough for a limit against abuse.
# Behind the reverse proxy, the visitor's address is in the header it sets (as for django-axes).
RATELIMIT_IP_META_KEY = AXES_IPWARE_META_PRECEDENCE_ORDER[0] if _client_ip_header else None
RATELIMIT_USE_CACHE = PROTECTION_CACHE_ALIAS

# --- Open data: the API and the embeds (api/, docs/api.md) ---------------------------------------

# Requests to /api/ per client address (django-ratelimit's syntax, counted in the protection cache);
# beyond it a 429 in JSON.
API_RATE_PER_IP = os.environ.get("DJANGO_API_RATE_PER_IP", "300/m")
# The sites that may show the embeddable list in an iframe (CSP frame-ancestors), as origins:
# "https://www.metz.fr,https://www.trier.de". Every other site is refused, as for every other page.
EMBED_ALLOWED_ORIGINS = env_list("DJANGO_EMBED_ALLOWED_ORIGINS", "")

# --- Registration -----------------------------------------------------------------------------

# Submissions of the registration form (and "send me my link") per client address and per
# e-mail address; django-ratelimit's rate syntax ("30/10m": 30 per 10 minutes).
# A count the cache could not give lets the submission through (registration/views.py).
RATELIMIT_FAIL_OPEN = True
REGISTRATION_RATE_PER_IP = os.environ.get("DJANGO_REGISTRATION_RATE_PER_IP", "30/10m")
REGISTRATION_RATE_PER_EMAIL = os.environ.get("DJANGO_REGISTRATION_RATE_PER_EMAIL", "5/h")
# `manage.py anonymise_registrations` empties the personal data of registrations to events
# that ended more than this many months ago.
REGISTRATION_RETENTION_MONTHS = env_int("DJANGO_REGISTRATION_RETENTION_MONTHS", 6)
# How often a registration e-mail is tried before it is given up: the waits double from 1 minute
# up to an hour (1, 2, 4 … 32, 60, 60 … minutes), so 30 attempts span about a day.
REGISTRATION_EMAIL_ATTEMPTS = env_int("DJANGO_REGISTRATION_EMAIL_ATTEMPTS", 30)
# A place asked for on the website is held this many minutes until the registrant confirms
# their address with the link e-mailed to it; then it is free again (or the waiting list's).
REGISTRATION_HOLD_MINUTES = env_int("DJANGO_REGISTRATION_HOLD_MINUTES", 30)
# Unconfirmed registrations one client (an IPv4 address, an IPv6 /64) may have at once per event.
REGISTRATION_HOLDS_PER_CLIENT = env_int("DJANGO_REGISTRATION_HOLDS_PER_CLIENT", 3)

# --- Site pages: legal notice, privacy, accessibility, feedback (pages/) ----------------------

# Where feedback messages go; empty: the publisher's e-mail address of the Impressum.
FEEDBACK_EMAIL = os.environ.get("DJANGO_FEEDBACK_EMAIL", "").strip()
# The site privacy page's version, recorded with each registration (registration/privacy.py).
REGISTRATION_SITE_NOTICE_VERSION = "pages.privacy.site_notice_version"
# How long the servers keep their request logs (IP addresses), as the privacy page states it: what
# deploy/logrotate.conf (nginx) and deploy/journald.conf (the app's journal) apply, docs/deploy.md.
SERVER_LOG_RETENTION_DAYS = env_int("DJANGO_SERVER_LOG_RETENTION_DAYS", 14)
# The site privacy page the registration form links to, below its own notice.
REGISTRATION_PRIVACY_URL_NAME = "pages:privacy"
# Submissions of the feedback form per client address (django-ratelimit's syntax).
FEEDBACK_RATE_PER_IP = os.environ.get("DJANGO_FEEDBACK_RATE_PER_IP", "10/h")

# --- Logging ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
