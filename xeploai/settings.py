"""The one settings module. Every value comes from an environment variable (see .env.example)."""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


ENVIRONMENT = env_str("XEPLOAI_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured("XEPLOAI_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env_str("XEPLOAI_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "XEPLOAI_SECRET_KEY is not set. Production refuses to start without a secret key."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

# The key of the audit chain's keyed hashes. Keep it outside the database (and its backups):
# whoever holds it can rewrite the chain. Defaults to a key derived from XEPLOAI_SECRET_KEY;
# changing either key makes `xeploai audit verify` report every earlier event.
AUDIT_KEY = env_str("XEPLOAI_AUDIT_KEY")

DEBUG = env_bool("XEPLOAI_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [h for h in env_str("XEPLOAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("XEPLOAI_CSRF_TRUSTED_ORIGINS").split(",") if o]

DATA_DIR = Path(env_str("XEPLOAI_DATA_DIR", str(Path.cwd() / "var")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "xeploai.org",
    "xeploai.accounts",
    "xeploai.audit",
    "xeploai.cycles",
    "xeploai.reports",
    "xeploai.api",
    "xeploai.web",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xeploai.web.middleware.LanguageMiddleware",
    "xeploai.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xeploai.web.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a refused login into the login page with the time to come back.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xeploai.urls"
WSGI_APPLICATION = "xeploai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xeploai.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("XEPLOAI_SQLITE_PATH", str(DATA_DIR / "xeploai.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while the import or a decision batch writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if "TEST" not in DATABASES["default"] and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("XEPLOAI_TEST_DATABASE", "test_xeploai")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("XEPLOAI_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login attempts (django-axes, its database handler: one count shared by every worker process,
# kept across restarts). A client is a login name from an address: five wrong passwords lock
# that pair for a cool-off, so a stranger elsewhere cannot lock a real user out. An address that
# fails on many names (spraying) is locked for every name. See docs/SECURITY.md.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "xeploai.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = env_int("XEPLOAI_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("XEPLOAI_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("XEPLOAI_LOGIN_COOLOFF_MINUTES", 15))
# Tries made while locked are refused without being counted: the time the page gives for the
# next try stays true, however often the user tries in between.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "xeploai.accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "xeploai.accounts.lockout.client_username"
AXES_LOCKOUT_CALLABLE = "xeploai.accounts.views.login_locked_out"
# Failures are logged (logger "axes") with the login name and the address; passwords never.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False

# The address of the client. Behind the TLS proxy every request comes from the proxy: name the
# header the proxy sets (X-Forwarded-For, X-Real-IP) and how many proxies append to it. Off by
# default: a header is trusted only when a proxy in front of the server always sets it.
TRUSTED_PROXY_HEADER = env_str("XEPLOAI_TRUSTED_PROXY_HEADER")
if TRUSTED_PROXY_HEADER and not re.fullmatch(r"[A-Za-z0-9-]+", TRUSTED_PROXY_HEADER):
    raise ImproperlyConfigured(
        f"XEPLOAI_TRUSTED_PROXY_HEADER must be a header name such as X-Forwarded-For, "
        f"not {TRUSTED_PROXY_HEADER!r}"
    )
TRUSTED_PROXY_COUNT = env_int("XEPLOAI_TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("XEPLOAI_TRUSTED_PROXY_COUNT must be 1 or more")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("XEPLOAI_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

SESSION_COOKIE_SECURE = env_bool("XEPLOAI_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("XEPLOAI_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS: in production every http:// request is redirected and browsers are told (HSTS) to use
# https only, for a year by default.
SECURE_SSL_REDIRECT = env_bool("XEPLOAI_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("XEPLOAI_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XEPLOAI_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("XEPLOAI_HSTS_PRELOAD", False)
# Asking browsers to preload HSTS is the decision of whoever owns the registered domain, not of
# one application on it, so it stays off unless asked for and `check --deploy` does not nag.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind the TLS proxy Django sees plain http: name the header by which the proxy says the
# request came over https (X-Forwarded-Proto), or the redirect to https never ends.
PROXY_SSL_HEADER = env_str("XEPLOAI_PROXY_SSL_HEADER")
if PROXY_SSL_HEADER:
    if not re.fullmatch(r"[A-Za-z0-9-]+", PROXY_SSL_HEADER):
        raise ImproperlyConfigured(
            f"XEPLOAI_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
            f"not {PROXY_SSL_HEADER!r}"
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Limits on uploaded files (xeploai/limits.py, docs/SECURITY-limits.md). The roster limits are
# sized on the largest roster imported in one file: 200,000 members (a province imports its
# committees one by one). Such a roster measures 9 MB as .xlsx (138 MB of XML once unzipped)
# and 30 MB as CSV, in about 10 columns of at most a few dozen characters.
ROSTER_MAX_UPLOAD_MB = env_int("XEPLOAI_ROSTER_MAX_UPLOAD_MB", 32)
ROSTER_MAX_ROWS = env_int("XEPLOAI_ROSTER_MAX_ROWS", 200_000)
# The template has 11 columns; committees add their own notes, rarely past column Z.
ROSTER_MAX_COLUMNS = env_int("XEPLOAI_ROSTER_MAX_COLUMNS", 100)
# The reader allocates the used area whole, empty cells included: 200,000 rows × 20 columns.
ROSTER_MAX_CELLS = env_int("XEPLOAI_ROSTER_MAX_CELLS", 4_000_000)
# A name or a unit's name is under 200 characters; 2,000 leaves room for a note.
ROSTER_MAX_CELL_CHARS = env_int("XEPLOAI_ROSTER_MAX_CELL_CHARS", 2000)
ROSTER_MAX_UNZIPPED_MB = env_int("XEPLOAI_ROSTER_MAX_UNZIPPED_MB", 200)
# A cycle's plan or guidance: a scanned PDF of a dozen pages is 2-10 MB.
DOCUMENT_MAX_UPLOAD_MB = env_int("XEPLOAI_DOCUMENT_MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The calibration board posts two fields per subject (the level and the tick): a deciding unit of
# 10,000 subjects fits. The body's size is still bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 25_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XEPLOAI_LOG_LEVEL", "WARNING")},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
FORMAT_MODULE_PATH = ["xeploai.formats"]

# Mail (the password reset). `smtp` sends through XEPLOAI_EMAIL_HOST; `file` writes each
# message under XEPLOAI_EMAIL_FILE_PATH (the demo); `console` prints it.
_MAIL_BACKEND = env_str("XEPLOAI_EMAIL_BACKEND", "smtp" if PRODUCTION else "file")
if _MAIL_BACKEND == "smtp":
    _MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("XEPLOAI_EMAIL_HOST", "localhost"),
            "port": env_int("XEPLOAI_EMAIL_PORT", 25),
            "username": env_str("XEPLOAI_EMAIL_USER"),
            "password": env_str("XEPLOAI_EMAIL_PASSWORD"),
            "use_tls": env_bool("XEPLOAI_EMAIL_STARTTLS", False),
            "use_ssl": env_bool("XEPLOAI_EMAIL_SSL", False),
            "timeout": env_int("XEPLOAI_EMAIL_TIMEOUT_SECONDS", 20),
        },
    }
    if _MAILER["OPTIONS"]["use_tls"] and _MAILER["OPTIONS"]["use_ssl"]:
        raise ImproperlyConfigured("Set XEPLOAI_EMAIL_STARTTLS or XEPLOAI_EMAIL_SSL, not both")
elif _MAIL_BACKEND == "file":
    _MAILER = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": env_str("XEPLOAI_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))},
    }
elif _MAIL_BACKEND == "console":
    _MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
else:
    raise ImproperlyConfigured("XEPLOAI_EMAIL_BACKEND must be smtp, file or console")
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = env_str("XEPLOAI_EMAIL_FROM", "xeploai@localhost")
# How long a password reset link works (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("XEPLOAI_PASSWORD_RESET_HOURS", 24) * 3600
