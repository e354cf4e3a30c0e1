"""Settings for Zhixing, read from the environment (django-environ).

With nothing set, the app runs on the embedded default: SQLite, local-memory cache and Celery tasks run
eagerly in the web process. Set DATABASE_URL, REDIS_URL and/or CELERY_BROKER_URL to use PostgreSQL and Redis.
"""

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-zhixing-development-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.admin_site.AdminConfig",  # django.contrib.admin, scoped to the administrator's court
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Domain apps, in the one direction their imports may point (architecture.md).
    "core",
    "cases",
    "enforcement",
    "assets",
    "credit",
    "bankruptcy",
    "command",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # before the timeouts and two-step login, which answer htmx apart
    "core.sessions.SessionTimeoutMiddleware",
    "core.otp.OtpRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.ApplicationErrorMiddleware",
    # Last, as django-axes asks: it turns a login refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an eager task share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login lockout (django-axes): the first backend counts failed logins per username *and* client address and
# refuses a pair that failed AXES_FAILURE_LIMIT times for AXES_COOLOFF_TIME; the court administrator unlocks
# early in the admin (Axes → access attempts: delete the row). One user mistyping never locks out the others
# of the same office, and a stranger cannot lock a judge out from elsewhere.
AUTHENTICATION_BACKENDS = ["core.authentication.LoginLockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # locked for 30 minutes, not for as long as someone keeps trying
AXES_LOCKOUT_CALLABLE = "core.authentication.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.authentication.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address from the right.
ZHIXING_PROXY_COUNT = env.int("ZHIXING_PROXY_COUNT", default=0)
# Sessions end after ZHIXING_SESSION_IDLE_SECONDS without a request, and ZHIXING_SESSION_ABSOLUTE_SECONDS after
# the login however busy the user (core.sessions).
ZHIXING_SESSION_IDLE_SECONDS = env.int("ZHIXING_SESSION_IDLE_SECONDS", default=30 * 60)
# Two-step login (core.otp): staff may enrol an authenticator app (TOTP); then every login asks for its code.
# With ZHIXING_REQUIRE_OTP every member of staff must enrol at the next login.
ZHIXING_REQUIRE_OTP = env.bool("ZHIXING_REQUIRE_OTP", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Zhixing 执行")

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Internationalisation: Simplified Chinese by default, English switchable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests) whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)
WHITENOISE_AUTOREFRESH = DEBUG
warnings.filterwarnings("ignore", message="No directory at")
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.drf.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.drf.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhixing 执行 API",
    "DESCRIPTION": "Court enforcement case management: filing, trial, enforcement, bankruptcy, credit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several serializers have fields called "role", "kind" or "status": each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "core.roles.Role",
        "PartyRoleEnum": "cases.choices.PartyRole",
        "PartyKindEnum": "cases.choices.PartyKind",
        "DocumentKindEnum": "cases.choices.DocumentKind",
        "TrialEventKindEnum": "cases.choices.TrialEventKind",
        "PreservationKindEnum": "cases.choices.PreservationKind",
        "PreservationStatusEnum": "cases.choices.PreservationStatus",
        "MeasureKindEnum": "cases.choices.MeasureKind",
        "MeasureStatusEnum": "cases.choices.MeasureStatus",
        "PropertyClassEnum": "cases.choices.PropertyClass",
        "EnforcementStatusEnum": "enforcement.choices.Status",
        "ClosingKindEnum": "enforcement.choices.ClosingKind",
        "NoticeKindEnum": "enforcement.choices.NoticeKind",
        "ServiceMethodEnum": "enforcement.choices.ServiceMethod",
        "SuspensionGroundEnum": "enforcement.choices.SuspensionGround",
        "ExtensionStatusEnum": "enforcement.choices.ExtensionStatus",
        "TrackEnum": "enforcement.choices.Track",
        "AssetCategoryEnum": "assets.choices.AssetCategory",
        "AgencyRequestKindEnum": "assets.choices.RequestKind",
        "AgencyRequestStatusEnum": "assets.choices.RequestStatus",
        "QueryResultOutcomeEnum": "assets.choices.ResultOutcome",
        "ControlKindEnum": "assets.choices.ControlKind",
        "ControlStatusEnum": "assets.choices.ControlStatus",
        "DeductionStatusEnum": "assets.choices.DeductionStatus",
        "ConfirmOutcomeEnum": "assets.choices.ConfirmOutcome",
        "TrackingStatusEnum": "assets.choices.TrackingStatus",
        "TrackingOutcomeEnum": "assets.choices.TrackingOutcome",
        "BatchPurposeEnum": "assets.choices.BatchPurpose",
        "ProposalStatusEnum": "enforcement.choices.ProposalStatus",
        "TerminationReasonEnum": "enforcement.choices.TerminationReason",
        "FollowUpEnum": "enforcement.choices.FollowUp",
        "ApplicantOpinionEnum": "enforcement.choices.ApplicantOpinion",
        "ListingDecisionEnum": "enforcement.choices.ListingDecision",
        "RestorationRequestStatusEnum": "enforcement.choices.RestorationRequestStatus",
        "NotificationChannelEnum": "cases.choices.NotificationChannel",
        "NotificationStatusEnum": "cases.choices.NotificationStatus",
        "ListingGroundEnum": "credit.choices.ListingGround",
        "ListingStatusEnum": "credit.choices.ListingStatus",
        "RemovalEventEnum": "credit.choices.RemovalEvent",
        "RestrictionKindEnum": "credit.choices.RestrictionKind",
        "RestrictionStatusEnum": "credit.choices.RestrictionStatus",
        "ProhibitedConsumptionEnum": "credit.choices.ProhibitedConsumption",
        "LiftGroundEnum": "credit.choices.LiftGround",
        "BoundPersonRoleEnum": "credit.choices.BoundPersonRole",
        "CorrectionGroundEnum": "credit.choices.CorrectionGround",
        "CorrectionStatusEnum": "credit.choices.CorrectionStatus",
        "FeedEventKindEnum": "credit.choices.FeedEventKind",
        "AuctionKindEnum": "assets.choices.AuctionKind",
        "AuctionStatusEnum": "assets.choices.AuctionStatus",
        "PriceMethodEnum": "assets.choices.PriceMethod",
        "PriceStatusEnum": "assets.choices.PriceStatus",
        "AgencyKindEnum": "assets.choices.AgencyKind",
        "RelationKindEnum": "cases.models.RelationKind",
        "TransferCategoryEnum": "cases.models.TransferCategory",
        "BankruptcySuggestionStatusEnum": "bankruptcy.choices.SuggestionStatus",
        "BankruptcyTransferStatusEnum": "bankruptcy.choices.TransferStatus",
        "BankruptcyConsentRoleEnum": "bankruptcy.choices.ConsentRole",
        "BankruptcyStatusEnum": "bankruptcy.choices.BankruptcyStatus",
        "BankruptcyEffectKindEnum": "bankruptcy.choices.EffectKind",
        "BankruptcyClaimKindEnum": "bankruptcy.choices.ClaimKind",
        "BankruptcyClaimStatusEnum": "bankruptcy.choices.ClaimStatus",
        "ObjectionKindEnum": "enforcement.choices.ObjectionKind",
        "CoerciveKindEnum": "enforcement.choices.CoerciveKind",
        "ObstructionGroundEnum": "enforcement.choices.ObstructionGround",
    },
    # Public on purpose (on the allowlist of public pages): a bank's integrators read the API before they
    # hold credentials, and the schema describes endpoints, never data.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# Celery: without a broker, tasks run eagerly in-process so `make run` works with nothing installed.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "assets.tasks.query_*": {"queue": "queries"},
    "assets.tasks.tracking_*": {"queue": "tracking"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, a task held by a worker that dies is handed out again after the visibility timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# A task sent while Redis restarts waits for it (retries for about 20 s) instead of failing after the commit.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 12, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 2}
# A worker that loses the broker cancels what it runs (it can no longer acknowledge it): it is redelivered.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
ZHIXING_SESSION_ABSOLUTE_SECONDS = env.int("ZHIXING_SESSION_ABSOLUTE_SECONDS", default=SESSION_COOKIE_AGE)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind TLS in production (docker-compose and `make check-deploy` set these): redirect to HTTPS and send HSTS.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): scripts, styles, fonts and images come only from our own static files
# (no CDN, no inline <script>, <style> or style="…", no on*= handlers, no eval: htmx runs without hx-on or js:
# values and injects no indicator style; ECharts draws its tooltips on the canvas). The API docs page (Swagger UI)
# gets its own additions in config/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Start the network asset query by itself once a case's notices are served (assets.receivers).
ZHIXING_AUTO_QUERY_AFTER_NOTICES = env.bool("ZHIXING_AUTO_QUERY_AFTER_NOTICES", default=True)

# Notifications (cases.services.notify_party): email through Django's mail settings, SMS through the backend
# named here (core.sms: a class with send(*, phone, text) -> reference; the default logs and keeps an outbox).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="zhixing@court.example")
ZHIXING_SMS_BACKEND = env("ZHIXING_SMS_BACKEND", default="core.sms.LoggingSmsBackend")
# Electronic seal (core.signing): the court signing keys are stored encrypted with a key derived from this secret
# (SECRET_KEY when empty). Set it in production and never change it, or the stored keys become unusable.
ZHIXING_SIGNING_KEY_SECRET = env("ZHIXING_SIGNING_KEY_SECRET", default="")

# Post-termination tracking (终本规定 2016 art. 9: every 6 months for 5 years). The dispatcher sends at most
# this many tracking queries to each agency per day (an agency may override it: Agency.tracking_daily_quota),
# and at most ZHIXING_TRACKING_BATCH_LIMIT batches per run, so that 100,000 cases due together spread over days.
ZHIXING_TRACKING_DAILY_QUOTA = env.int("ZHIXING_TRACKING_DAILY_QUOTA", default=2000)
ZHIXING_TRACKING_BATCH_LIMIT = env.int("ZHIXING_TRACKING_BATCH_LIMIT", default=200)

# Long work runs in the background with a progress bar (core.jobs): an export of more rows than this, a bulk
# assignment of more cases than this.
ZHIXING_ASYNC_EXPORT_ROWS = env.int("ZHIXING_ASYNC_EXPORT_ROWS", default=5000)
ZHIXING_ASYNC_ASSIGN_CASES = env.int("ZHIXING_ASYNC_ASSIGN_CASES", default=20)
# A deduction (扣划) above this amount waits for a division head other than the officer who ordered it.
ZHIXING_DEDUCTION_APPROVAL_ABOVE = Decimal(env("ZHIXING_DEDUCTION_APPROVAL_ABOVE", default="500000.00"))

# Demo data may only be built on a development instance.
DEMO_PASSWORD = "zhixing-demo"  # noqa: S105 - the documented demo password, refused when DEBUG is off
