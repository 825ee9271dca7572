"""Scholia settings, read from the environment.

With no environment at all the project runs in development mode on SQLite. Production sets
DEBUG=false and must then provide SECRET_KEY and ALLOWED_HOSTS; DATABASE_URL selects
PostgreSQL and REDIS_URL moves cache, sessions and API throttles to Redis.
"""

import os
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-development-key-only-for-local-use"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "corsheaders",
    "allauth",
    "allauth.account",
    # Background tasks: Django 6 has the Tasks framework built in (django.tasks); on 5.2
    # the django-tasks backport provides it. django-tasks-db stores tasks for db_worker.
    *(["django_tasks"] if django.VERSION < (6, 0) else []),
    "django_tasks_db",
    "edition",
    "commentary",
    "config.api",
]

MIDDLEWARE = [
    # First: its id and its time cover everything below (config/request_log.py).
    "config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above everything that can answer, so that its errors carry the CORS headers too.
    "config.api.cors.ApiCorsMiddleware",
    # A page kept for anonymous readers is answered here, without the middleware below,
    # adding what they would add to it (config/site/cached_pages.py).
    "config.site.cached_pages.CachedPagesMiddleware",
    # Before sessions are read: they are read from the replica too (config/replica.py).
    "config.replica.ReplicaReadsMiddleware",
    # Before anything reads a request body: see config/request_limits.py.
    "config.request_limits.RequestBodyLimitMiddleware",
    "config.api.middleware.ApiErrorMiddleware",
    "config.api.middleware.ApiQueryParametersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages after every middleware below has written them. Static files are
    # WhiteNoise's, compressed ahead of time, so it sits below WhiteNoise. Django (4.2+)
    # pads the compressed body with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.request_origin.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so a view's database error reaches it first: 503 with Retry-After.
    "config.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "commentary.moderation.pages.context.moderation",
                "commentary.notifications.pages.context.notifications",
            ],
            # `<time datetime>` values, in every template.
            "builtins": ["commentary.templatetags.moments"],
            # The notifications wing's follow buttons, for any page that shows a place.
            "libraries": {"follows": "commentary.notifications.pages.tags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters let PostgreSQL prepare a statement run more than twice on a
    # connection: the joins of a comment list cost more to plan than to run.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True),
        "prepare_threshold": int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "2")),
        # A database host that does not answer fails the request in seconds (503).
        "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a write lock instead of failing at once, and keep readers off the writer's way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", None)}

# A streaming replica for reads (config/replica.py): a member's own writes stay visible to
# them, a transaction reads where it writes.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
SCHOLIA_READ_REPLICA = bool(DATABASE_REPLICA_URL)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replica.PrimaryReplicaRouter"]
# How long a member who wrote reads from the primary.
SCHOLIA_REPLICA_PIN_SECONDS = int(os.environ.get("SCHOLIA_REPLICA_PIN_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches that never share an eviction pool: "default" holds pages and other things that
# can be rebuilt; "counters" holds what protects the site and cannot be (cache generations,
# rate limits). In development the counters are files, shared by every process of the
# checkout (the server, manage.py); with Redis they go to REDIS_COUNTERS_URL, a Redis of
# their own with `maxmemory-policy noeviction`, or to REDIS_URL when it is not set (a
# logical database of the same server shares its memory, so check --deploy warns).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_COUNTERS_URL = os.environ.get("REDIS_COUNTERS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "scholia")
# A Redis that stops answering fails a request's cache calls within a second, not a minute.
_REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1}
if REDIS_URL:
    CACHES = {
        "default": {
            # Unreachable, it reads as empty and takes no write: the site serves uncached.
            "BACKEND": "config.redis_cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": _REDIS_TIMEOUTS,
        }
    }
    # Sessions live in the database; the cache holds short-lived copies (config/sessions.py),
    # so they survive its outage.
    SESSION_ENGINE = "config.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_COUNTERS_URL or REDIS_URL:
    CACHES["counters"] = {
        "BACKEND": "config.redis_cache.RedisCache",
        "LOCATION": REDIS_COUNTERS_URL or REDIS_URL,
        "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-counters",
        "TIMEOUT": None,
        "OPTIONS": _REDIS_TIMEOUTS,
    }
else:
    CACHES["counters"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("SCHOLIA_COUNTERS_DIR") or BASE_DIR / "var" / "counters",
        "TIMEOUT": None,
        # The file cache culls at random past MAX_ENTRIES; counters must never be culled.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's and allauth's backends, loading a signed-in reader's roles with the user.
AUTHENTICATION_BACKENDS = [
    "config.site.auth_backends.ModelBackend",
    "config.site.auth_backends.AuthenticationBackend",
]
# What the site's machinery (config/site/) takes from the apps, named here rather than
# imported: the backends load a signed-in user with this function, the API's token
# authentication reads this model.
SCHOLIA_USER_LOADER = "commentary.accounts.token_users.session_user"
SCHOLIA_TOKEN_MODEL = "commentary.ApiToken"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Accounts (django-allauth): sign in with username or email, a verified email to take part.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, kept explicit so they are easy to find and tune.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_ADAPTER = "commentary.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"change_password": "commentary.accounts.pages.forms.PasswordChangeForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Scholia] "
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Scholia <noreply@localhost>")

if os.environ.get("EMAIL_BACKEND"):
    _MAIL_BACKEND, _MAIL_OPTIONS = os.environ["EMAIL_BACKEND"], {}
elif os.environ.get("EMAIL_HOST"):
    _MAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    _MAIL_OPTIONS = {
        "host": os.environ["EMAIL_HOST"],
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
elif DEBUG:
    _MAIL_BACKEND, _MAIL_OPTIONS = "django.core.mail.backends.console.EmailBackend", {}
else:
    raise ImproperlyConfigured(
        "Set EMAIL_HOST (SMTP) or EMAIL_BACKEND when DEBUG is off: accounts send mail."
    )
if django.VERSION >= (6, 1):
    # Django 6.1 replaces the EMAIL_* settings by MAILERS.
    MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
else:
    EMAIL_BACKEND = _MAIL_BACKEND
    EMAIL_HOST = _MAIL_OPTIONS.get("host", "localhost")
    EMAIL_PORT = _MAIL_OPTIONS.get("port", 25)
    EMAIL_HOST_USER = _MAIL_OPTIONS.get("username", "")
    EMAIL_HOST_PASSWORD = _MAIL_OPTIONS.get("password", "")
    EMAIL_USE_TLS = _MAIL_OPTIONS.get("use_tls", False)

LANGUAGE_CODE = "en"
# One date format across the site: see config/formats/en/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The site's stylesheets as one file: see config/stylesheets.py.
    "config.stylesheets.BundleFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development and tests serve static files straight from the apps and static/.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Background tasks (notification mail): run at once, in the process that enqueues them,
# in development and tests; stored in the database for `manage.py db_worker` in production.
# SCHOLIA_TASKS=immediate|database chooses either way.
SCHOLIA_TASKS = os.environ.get("SCHOLIA_TASKS", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "immediate": (
        "django.tasks.backends.immediate.ImmediateBackend"
        if django.VERSION >= (6, 0)
        else "django_tasks.backends.immediate.ImmediateBackend"
    ),
    "database": "django_tasks_db.DatabaseBackend",
}
if SCHOLIA_TASKS not in _TASK_BACKENDS:
    raise ImproperlyConfigured("SCHOLIA_TASKS must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[SCHOLIA_TASKS], "QUEUES": ["default"]}}

# Security. Production defaults are strict; a deployment behind a TLS-terminating proxy
# keeps them, a local benchmark over plain HTTP turns SECURE_SSL_REDIRECT off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The balancer asks over plain HTTP, from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

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
    }
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "config.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.LimitedJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.site.token_auth.ApiTokenAuthentication",
        "config.api.cors.SameOriginSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Scholia API",
    "DESCRIPTION": (
        "Read a scholarly edition paragraph by paragraph and the discussion written on it."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, wherever a field uses it.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "edition.models.BlockKind",
        "CommentStatusChoiceEnum": "commentary.models.Comment.Status",
        "FlagReasonEnum": "commentary.moderation.models.Flag.Reason",
        "ModerationActionEnum": "commentary.moderation.models.ModerationEvent.Action",
        "SanctionKindEnum": "commentary.moderation.models.Sanction.Kind",
        "QueueKindEnum": "commentary.moderation.api.filters.QUEUE_KINDS",
        "MemberRoleEnum": "commentary.groups.models.Membership.Role",
        "InviteRoleEnum": "commentary.groups.api.serializers.INVITE_ROLES",
        "GroupPolicyEnum": "commentary.groups.api.serializers.GROUP_POLICIES",
        "NotificationKindEnum": "commentary.notifications.models.Kind",
        "FollowTargetEnum": "commentary.notifications.models.Follow.Target",
        "EmailFrequencyEnum": "commentary.notifications.models.Frequency",
    },
}

# The largest text file the importer accepts, in bytes.
SCHOLIA_IMPORT_MAX_BYTES = int(os.environ.get("SCHOLIA_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# The most paragraphs (blocks) one version may hold: a 2 MB file of one-word lines is
# hundreds of thousands, which no editor reviews and no worker aligns within its timeout.
SCHOLIA_IMPORT_MAX_PARAGRAPHS = int(os.environ.get("SCHOLIA_IMPORT_MAX_PARAGRAPHS", "5000"))
# A draft review of up to this many rows shows every row's correction forms in place; a
# longer one links each row to its forms, so the page grows with the text alone.
SCHOLIA_REVIEW_INLINE_CORRECTIONS = 200

# Logs go to standard error, as JSON lines in production (LOG_FORMAT=json|text); every
# record names its request's id, and each request is logged once (config/request_log.py,
# SCHOLIA_REQUEST_LOG, on by default in production).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
SCHOLIA_REQUEST_LOG = env_bool("SCHOLIA_REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.request_log.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "scholia.requests": {"level": "INFO" if SCHOLIA_REQUEST_LOG else "WARNING"},
    },
}

# Prometheus metrics at /metrics (django-prometheus): requests, latency, database, the page
# cache's hits and the task queue's depth. Keep /metrics from the public (docs/deploy.md).
SCHOLIA_METRICS = env_bool("SCHOLIA_METRICS", False)
if SCHOLIA_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    # Above the cached pages' middleware, so that the pages it answers are counted too.
    cached_pages = MIDDLEWARE.index("config.site.cached_pages.CachedPagesMiddleware")
    MIDDLEWARE[cached_pages:cached_pages] = [
        "django_prometheus.middleware.PrometheusAfterMiddleware",
        "config.metrics.PageCacheMetricsMiddleware",
    ]

# Whole responses cached for readers without a session (see config/site/caching.py).
SCHOLIA_PAGE_CACHE = env_bool("SCHOLIA_PAGE_CACHE", True)
# The site's own origin ("https://scholia.example.org"): account mail links to it whatever
# host a request named, and only pages served under it are cached. Empty: trust the request
# (development).
SCHOLIA_SITE_URL = os.environ.get("SCHOLIA_SITE_URL", "")

# Cross-origin use of the API (config/api/cors.py): the origins whose pages may call it
# with a token, e.g. "https://course.example.org" (comma-separated). None by default.
CORS_ALLOWED_ORIGINS = env_list("SCHOLIA_CORS_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = False
# What such a page may send beyond the CORS-safelisted headers: its token, and the
# conditional, idempotency and Prefer headers the API reads.
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "prefer",
]
# What it may read beyond the CORS-safelisted headers.
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Link",
    "Location",
    "WWW-Authenticate",
    "Retry-After",
    "Allow",
    "Accept-Post",
    "Content-Location",
    "Preference-Applied",
]
CORS_PREFLIGHT_MAX_AGE = 600

# The largest page of an API list a client may ask for (REST_FRAMEWORK's PAGE_SIZE is the
# size it gets unless it asks).
SCHOLIA_API_MAX_PAGE_SIZE = int(os.environ.get("SCHOLIA_API_MAX_PAGE_SIZE", "200"))

# The largest JSON body the API reads, in bytes; a larger one answers 413.
SCHOLIA_API_MAX_BODY_BYTES = int(os.environ.get("SCHOLIA_API_MAX_BODY_BYTES", str(64 * 1024)))

# The largest annotation export the import page reads, in bytes.
SCHOLIA_IMPORT_MAX_BYTES = int(os.environ.get("SCHOLIA_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))

# Comments: the longest body in characters, and how deep replies may nest (a root is 0).
SCHOLIA_COMMENT_MAX_LENGTH = int(os.environ.get("SCHOLIA_COMMENT_MAX_LENGTH", "10000"))
# How many comments and replies one person may post in how many seconds ("count/seconds").
SCHOLIA_COMMENT_RATE = os.environ.get("SCHOLIA_COMMENT_RATE", "20/60")
# How many edits one person may make in how many seconds ("count/seconds").
SCHOLIA_COMMENT_EDIT_RATE = os.environ.get("SCHOLIA_COMMENT_EDIT_RATE", "10/60")
SCHOLIA_COMMENT_MAX_DEPTH = int(os.environ.get("SCHOLIA_COMMENT_MAX_DEPTH", "8"))
# How often an open discussion asks for new comments (commentary.pages.live).
SCHOLIA_LIVE_POLL_SECONDS = int(os.environ.get("SCHOLIA_LIVE_POLL_SECONDS", "15"))

# A member's download of their own data is written during the request for up to this many
# comments; a larger account's is written by the task worker.
SCHOLIA_EXPORT_INLINE_COMMENTS = int(os.environ.get("SCHOLIA_EXPORT_INLINE_COMMENTS", "500"))

# Moderation. A new member's comments are held until this many have been approved (0: no
# member is held for being new); then the member is trusted.
SCHOLIA_NEW_MEMBER_HELD = int(os.environ.get("SCHOLIA_NEW_MEMBER_HELD", "3"))
# How many distinct members' flags hide a comment until a moderator decides.
SCHOLIA_FLAGS_TO_HIDE = int(os.environ.get("SCHOLIA_FLAGS_TO_HIDE", "3"))
# Tighter rates ("count/seconds") for new members, and the rates of flagging.
SCHOLIA_NEW_MEMBER_COMMENT_RATE = os.environ.get("SCHOLIA_NEW_MEMBER_COMMENT_RATE", "5/300")
SCHOLIA_FLAG_RATE = os.environ.get("SCHOLIA_FLAG_RATE", "20/600")
SCHOLIA_NEW_MEMBER_FLAG_RATE = os.environ.get("SCHOLIA_NEW_MEMBER_FLAG_RATE", "5/600")

# Webhooks go only to public addresses; these networks (CIDR, comma-separated) are allowed
# besides, e.g. "10.1.0.0/16" for receivers inside a deployment's own network. Metadata
# addresses (169.254.169.254, fd00:ec2::254) are refused whatever this says.
SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS = [
    network.strip()
    for network in os.environ.get("SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS", "").split(",")
    if network.strip()
]
