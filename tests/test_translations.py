"""The interface is fully translated into every language of settings.LANGUAGES.

English is the source language; every other language has a catalog in
locale/<code>/LC_MESSAGES/django.po. The checks, cheapest first:
- each catalog exists, is valid for msgfmt and has no fuzzy or untranslated entry;
- the catalogs are up to date with the source: makemessages, run on a copy of the
  project with the Makefile's options, finds no string the catalogs lack and
  none they no longer need;
- the catalogs are the ones Django serves: compiled afresh, they turn known
  strings of the public pages (templates, model choices, IRM explanations) into
  the visitor's language.

When a test fails: `make messages`, translate the new or fuzzy entries, remove
their `#, fuzzy` flags, and check with `msgfmt --check --statistics`.
"""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from tests.factories import CommitmentFactory, MilestoneFactory

SOURCE_LANGUAGE = "en"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
# The Makefile's `messages` target, one language at a time instead of --all.
MAKEMESSAGES_OPTIONS = [
    "--ignore=.venv",
    "--ignore=bench",
    "--ignore=tests",
    "--no-obsolete",
    "--add-location",
    "file",
]
# Left out of the project copy: nothing makemessages would read in a clean clone.
NOT_COPIED = shutil.ignore_patterns(
    ".venv",
    ".git",
    ".ruff_cache",
    ".pytest_cache",
    "__pycache__",
    "staticfiles",
    "media",
    "test-artifacts",
    "*.sqlite3*",
    "*.mo",
    ".env",
)


def catalog(code, locale_dir=LOCALE_DIR):
    return locale_dir / code / "LC_MESSAGES" / "django.po"


def gettext_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install GNU gettext (apt-get install gettext)")
    return path


def run(command, **kwargs):
    # Fixed commands on the project's own files: no untrusted input.
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603


def statistics(po):
    """msgfmt's counts for a catalog: {"translated": n, "fuzzy": n, "untranslated": n}."""
    result = run([gettext_tool("msgfmt"), "--check", "--statistics", "-o", os.devnull, str(po)])
    assert result.returncode == 0, f"msgfmt --check rejects {po}:\n{result.stderr}"
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def test_english_is_the_source_language_without_a_catalog():
    assert not catalog(SOURCE_LANGUAGE).exists()
    assert LANGUAGES, "settings.LANGUAGES lists no language to translate into"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_complete(code):
    po = catalog(code)
    assert po.is_file(), f"No catalog for {code}: run `make messages` and translate {po}"
    counts = statistics(po)
    assert counts["translated"] > 0, f"{po} has no translated entry"
    assert counts["fuzzy"] == 0, f"{po} has {counts['fuzzy']} fuzzy entries"
    assert counts["untranslated"] == 0, f"{po} has {counts['untranslated']} untranslated entries"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_header(code):
    header = catalog(code).read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header
    assert f'"Language: {code}\\n"' in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=" in header


@pytest.fixture(scope="module")
def regenerated_locale(tmp_path_factory):
    """The catalogs as makemessages makes them from the current source, in a copy."""
    gettext_tool("xgettext")
    gettext_tool("msgmerge")
    copy = tmp_path_factory.mktemp("makemessages") / "project"
    shutil.copytree(BASE_DIR, copy, ignore=NOT_COPIED)
    command = [sys.executable, "manage.py", "makemessages"]
    command += [f"--locale={code}" for code in LANGUAGES] + MAKEMESSAGES_OPTIONS
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings_test"}
    result = run(command, cwd=copy, env=env)
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return copy / "locale"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_up_to_date_with_the_source(code, regenerated_locale):
    msgcmp = gettext_tool("msgcmp")
    committed, regenerated = catalog(code), catalog(code, regenerated_locale)
    # Every string of the source has a translation in the committed catalog.
    missing = run([msgcmp, str(committed), str(regenerated)])
    assert missing.returncode == 0, (
        f"Strings of the source are missing or untranslated in {committed}; "
        f"run `make messages` and translate them:\n{missing.stderr}"
    )
    # And the committed catalog holds nothing the source no longer uses.
    stale = run([msgcmp, "--use-fuzzy", "--use-untranslated", str(regenerated), str(committed)])
    assert stale.returncode == 0, (
        f"{committed} holds strings the source no longer uses; run `make messages`:\n{stale.stderr}"
    )


@pytest.fixture
def compiled_catalogs(settings, tmp_path):
    """Serve the committed catalogs, compiled now, whatever .mo files lie around."""
    msgfmt = gettext_tool("msgfmt")
    for code in LANGUAGES:
        target = tmp_path / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        result = run([msgfmt, "--check", "-o", str(target / "django.mo"), str(catalog(code))])
        assert result.returncode == 0, result.stderr
    # Changing LOCALE_PATHS resets Django's translation caches.
    settings.LOCALE_PATHS = [tmp_path]
    for cache in caches.all():
        cache.clear()  # no public page cached in another language or catalog
    yield
    for cache in caches.all():
        cache.clear()


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def assert_translated(text, code, msgids, path):
    with translation.override(code):
        for msgid in msgids:
            translated = translation.gettext(msgid)
            assert translated != msgid, f"{msgid!r} is not translated into {code}"
            assert translated in text, f"{translated!r} ({msgid!r}) is missing from {path}"


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogs")
@pytest.mark.parametrize("code", LANGUAGES)
def test_public_pages_render_in_the_visitors_language(client, code):
    commitment = CommitmentFactory(irm_completion="substantial")
    MilestoneFactory(commitment=commitment)
    pages = {
        f"/{code}/": [
            "Skip to main content",
            "Commitments",
            "How the figures are computed",
            "Open government action plans",
            "Log in",
        ],
        f"/{code}/commitments/": ["Filter and search", "Sort by", "All policy areas"],
        f"/{code}/about/figures/": [
            "Progress of a commitment",
            "Overdue milestones",
            "IRM ratings",
        ],
        f"/{code}/commitments/{commitment.identifier}/": [
            "Summary",
            "Milestones",
            "Not started",  # a model choice
            "Independent assessment (IRM)",
            "Substantial",  # an IRM rating
            "Most of it was done.",  # its plain-language explanation
            "Share this commitment",
        ],
    }
    for path, msgids in pages.items():
        text = page_text(client, path)
        assert f'lang="{code}"' in text, path
        assert_translated(text, code, msgids, path)


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogs")
@pytest.mark.parametrize(
    ("code", "expected", "direction"),
    [
        (
            "fr",
            ["Aller au contenu principal", "Engagements", "Comment les chiffres sont calculés"],
            "ltr",
        ),
        ("ar", ["الانتقال إلى المحتوى الرئيسي", "الالتزامات", "كيف تُحسب الأرقام"], "rtl"),
    ],
)
def test_home_page_spot_check(client, code, expected, direction):
    text = page_text(client, f"/{code}/")
    assert f'dir="{direction}"' in text
    for words in expected:
        assert words in text
