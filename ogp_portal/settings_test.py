"""Test settings: fast hashing, in-memory mail, plain static storage."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
# The test client and the live server speak plain http: no https redirect, no
# Secure or __Host- cookies. tests/ogp_portal/test_deploy.py checks the https settings.
os.environ["DJANGO_HTTPS"] = "false"

from ogp_portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The manifest storage needs collectstatic first and breaks admin pages in tests.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Off by default so each test sees its own data; tests of the cache turn it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Static files straight from the apps' folders, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The API's throttle stays on, with a rate no test reaches (tests of the
# throttle lower it themselves).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min"},
}
# Background tasks run at once (a test of the queue itself uses the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Text messages stay in consultations.sms.outbox.
SMS_BACKEND = "locmem"
