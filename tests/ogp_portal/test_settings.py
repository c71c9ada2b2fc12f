"""The settings fail closed: no debug unless asked for, no default secret key in production.

Each case imports the settings in a fresh interpreter with a controlled
environment. The settings file is copied into an empty folder first, so that
a developer's own .env (read from the folder above the settings) cannot
change the outcome.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ogp_portal.settings

PRINT_SETTINGS = "from ogp_portal import settings; print(settings.DEBUG, bool(settings.SECRET_KEY))"


@pytest.fixture
def import_settings(tmp_path):
    """Return a function importing the settings under the given variables only."""
    package = tmp_path / "ogp_portal"
    package.mkdir()
    (package / "__init__.py").touch()
    shutil.copy(Path(ogp_portal.settings.__file__), package / "settings.py")
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "CACHE_", "EMAIL_"))
    }

    def run(code=PRINT_SETTINGS, **variables):
        return subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env={**inherited, "PYTHONPATH": str(tmp_path), **variables},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run


def test_settings_without_secret_key_and_without_debug_refuse_to_load(import_settings):
    result = import_settings()

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("debug", ["false", "0", "no", ""])
def test_settings_with_debug_off_and_an_empty_secret_key_refuse_to_load(import_settings, debug):
    result = import_settings(DJANGO_DEBUG=debug, DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_without_secret_key_load_in_debug(import_settings):
    result = import_settings(DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_debug_is_off_unless_asked_for(import_settings):
    result = import_settings(DJANGO_SECRET_KEY="a-production-secret")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


PRINT_SCALE_OUT = (
    "from ogp_portal import settings; "
    "print(settings.STORAGES['default']['BACKEND']); "
    "print(settings.TASKS['default']['BACKEND']); "
    "print(settings.CACHES['default']['BACKEND']); "
    "print(settings.SESSION_ENGINE)"
)
PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 60}


def test_production_defaults_share_nothing_in_process_but_the_local_folder(import_settings):
    result = import_settings(PRINT_SCALE_OUT, **PRODUCTION)

    storage, tasks, cache, sessions = result.stdout.split()
    assert storage == "django.core.files.storage.FileSystemStorage"
    assert tasks == "django_tasks_db.DatabaseBackend"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert cache.endswith("LocMemCache")


def test_several_app_servers_share_media_on_s3_and_the_cache_on_redis(import_settings):
    result = import_settings(
        PRINT_SCALE_OUT,
        **PRODUCTION,
        DJANGO_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="ogp-uploads",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        CACHE_URL="redis://redis.internal:6379/0",
    )

    storage, _tasks, cache, _sessions = result.stdout.split()
    assert storage == "storages.backends.s3.S3Storage"
    assert cache == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("variable", "value"), [("DJANGO_MEDIA_STORAGE", "ftp"), ("TASKS_BACKEND", "celery")]
)
def test_unknown_backends_are_refused_by_name(import_settings, variable, value):
    result = import_settings(PRINT_SCALE_OUT, **PRODUCTION, **{variable: value})

    assert result.returncode != 0
    assert variable in result.stderr
