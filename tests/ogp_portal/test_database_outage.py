"""The portal while its database is unreachable.

Pages answer 503 with Retry-After and a maintenance page at once; a write
cut off by the outage leaves nothing half-saved; once the database is back,
pages work again without restarting the app.

The first tests fake the outage in-process (every connection attempt fails)
and run on both databases. The last one is the real thing, on PostgreSQL
only: its own PostgreSQL server in a temporary folder, gunicorn in front of
it as in production, and the server stopped (`pg_ctl stop -m immediate`, as
in a crash) in the middle of an admin save, then started again.
"""

import contextlib
import http.cookiejar
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import translation

from commitments.models import Milestone, Novelty
from ogp_portal.middleware import DatabaseUnavailableMiddleware
from ogp_portal.views import server_error
from tests.admin_forms import add_inline_forms, form_data
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
REFUSED = OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)


@pytest.fixture
def database_down(django_db_blocker):
    """Every attempt to reach the database fails, as with the server stopped."""
    with (
        django_db_blocker.unblock(),
        mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=REFUSED),
    ):
        yield


def assert_maintenance_page(response, *, language="en"):
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert f'lang="{language}"' in page
    assert "css/portal" in page


def test_public_page_answers_the_maintenance_page_while_the_database_is_down(client, database_down):
    response = client.get("/en/")

    assert_maintenance_page(response)
    assert "The portal is temporarily unavailable" in response.content.decode()


def test_maintenance_page_is_in_the_visitors_language_and_direction(client, database_down):
    assert_maintenance_page(client.get("/fr/commitments/"), language="fr")
    arabic = client.get("/ar/")
    assert_maintenance_page(arabic, language="ar")
    assert 'dir="rtl"' in arabic.content.decode()


def test_admin_of_a_logged_in_user_answers_the_maintenance_page(client, database_down):
    # Reading the session and the user needs the database.
    client.cookies["sessionid"] = "a" * 32

    assert_maintenance_page(client.get(reverse("admin:index")))


def test_liveness_still_answers_while_the_database_is_down(client, database_down):
    assert client.get("/healthz").status_code == 200


def test_database_error_outside_a_view_answers_the_maintenance_page(rf):
    # A middleware (saving a session, say) failing reaches handler500, not
    # process_exception; Django calls the handler inside its `except`.
    try:
        raise REFUSED
    except OperationalError:
        with translation.override("fr"):
            response = server_error(rf.get("/fr/"))

    assert_maintenance_page(response, language="fr")


def test_other_errors_keep_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError as error:
        assert DatabaseUnavailableMiddleware(None).process_exception(rf.get("/"), error) is None
        response = server_error(rf.get("/"))

    assert response.status_code == 500


# ---------------------------------------------------------------- the real outage

IDENTIFIER = "OUT0001"
# Each milestone row is 9 form fields: 90 keep the form under Django's 1,000.
MILESTONES = 90
SEED = """
from tests.factories import ActionPlanFactory, InstitutionFactory, UserFactory
plan = ActionPlanFactory()
lead = InstitutionFactory(jurisdiction=plan.jurisdiction)
UserFactory(username="admin", is_staff=True, is_superuser=True)
print(plan.pk, lead.pk)
"""


def postgres_bin() -> Path | None:
    """The folder of the PostgreSQL server's programs (initdb, pg_ctl), if installed."""
    if pg_config := shutil.which("pg_config"):
        bindir = subprocess.run(  # noqa: S603
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if bindir and (Path(bindir) / "initdb").exists():
            return Path(bindir)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL server of its own in a temporary folder, trust auth, one
    database `portal`. PostgreSQL refuses to run as root: as root, the server
    runs as the `postgres` account."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="ogp-outage-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.account = "postgres" if os.geteuid() == 0 else None
        if self.account:
            owner = pwd.getpwnam(self.account)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)

    def run(self, program, *args):
        subprocess.run(  # noqa: S603 - PostgreSQL's own programs, our arguments
            [str(self.bindir / program), *map(str, args)],
            user=self.account,
            cwd=self.folder,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create(self):
        self.run(
            "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
        )
        self.start()
        self.run("createdb", "-h", self.folder, "-p", self.port, "-U", "postgres", "portal")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.folder / "server.log",
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/portal"

    def connect(self):
        import psycopg

        return psycopg.connect(self.url(), autocommit=True)

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Answer:
    status: int
    headers: dict
    body: str
    seconds: float


class Browser:
    """urllib with cookies, not following redirects, timing each answer."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def open(self, path, data=None) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310
        start = time.monotonic()
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            content = response.read().decode()
        return Answer(response.status, dict(response.headers), content, time.monotonic() - start)

    def post_form(self, path, data) -> Answer:
        """GET the form for its CSRF cookie, then POST it."""
        self.open(path)
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        return self.open(path, {**data, "csrfmiddlewaretoken": token})


def wait_for(condition, *, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message())
        time.sleep(0.001)


@pytest.fixture
def postgres_server():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgres://...")
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("needs the PostgreSQL server programs (initdb, pg_ctl)")
    server = ThrowawayPostgres(bindir)
    try:
        server.create()
        yield server
    finally:
        server.remove()


@pytest.fixture
def app_env(postgres_server, tmp_path):
    """The environment of a production run against the throwaway server."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "CACHE_", "PUBLIC_PAGE_", "TASKS_"))
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings",
        "DATABASE_URL": postgres_server.url(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "PUBLIC_PAGE_CACHE_SECONDS": "0",
        "TASKS_BACKEND": "immediate",
    }


def manage(env, *args) -> str:
    return subprocess.run(  # noqa: S603 - our interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def answers(url) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - our own server
            return True
    except OSError:
        return False


@pytest.fixture
def portal(app_env, tmp_path):
    """gunicorn, two workers, serving the migrated portal; yields its address."""
    manage(app_env, "migrate", "--no-input", "-v0")
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ogp_portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=app_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: process.poll() is not None or answers(base_url + "/healthz"),
            timeout=30,
            message=lambda: f"gunicorn did not start:\n{log_path.read_text()}",
        )
        assert process.poll() is None, log_path.read_text()
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def count(server, table, where) -> int:
    with server.connect() as db:
        return db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]  # noqa: S608


def commitment_with_milestones(client, plan_pk, lead_pk) -> dict:
    """The admin add form of a commitment with MILESTONES milestones, filled in."""
    data = form_data(client.get(reverse("admin:commitments_commitment_add")))
    data.update(
        plan=plan_pk,
        lead_institution=lead_pk,
        identifier=IDENTIFIER,
        number="1",
        title_en="Commitment saved during an outage",
        start_date="2023-01-01",
        end_date="2024-12-31",
        is_published="on",
    )
    row = {
        "weight": "1",
        "novelty": Novelty.NEW,
        "start_date": "2023-01-01",
        "end_date": "2023-06-30",
        "status": Milestone.Status.NOT_STARTED,
        "completion_date": "",
    }
    rows = [{**row, "order": str(n), "title_en": f"Outage step {n}"} for n in range(MILESTONES)]
    return add_inline_forms(data, "milestones", rows)


@pytest.mark.django_db
def test_outage_answers_503_fast_rolls_back_the_write_and_recovers_without_restart(
    postgres_server, app_env, portal, superuser_client
):
    server = postgres_server
    plan_pk, lead_pk = manage(app_env, "shell", "-v0", "-c", SEED).split()
    visitor, staff = Browser(portal), Browser(portal)

    # Normal service.
    assert visitor.open("/en/").status == 200
    assert visitor.open("/fr/commitments/").status == 200
    login = staff.post_form(
        "/en/accounts/login/", {"username": "admin", "password": PASSWORD, "next": "/en/admin/"}
    )
    assert login.status == 302, login.body

    # An admin save of a commitment with its milestones, in one request...
    add_url = "/en/admin/commitments/commitment/add/"
    data = commitment_with_milestones(superuser_client, plan_pk, lead_pk)
    result = {}
    save = threading.Thread(target=lambda: result.update(save=staff.post_form(add_url, data)))
    with server.connect() as watcher:
        save.start()
        # ...is writing its milestones (its transaction has written rows)...
        wait_for(
            lambda: (
                not save.is_alive()
                or watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'portal' "
                    "AND backend_xid IS NOT NULL AND query LIKE '%\"commitments_%milestone\"%'"
                ).fetchone()[0]
            ),
            timeout=20,
            message=lambda: "the save never reached its milestones",
        )
    assert save.is_alive(), f"the save ended before the outage: {result}"
    # ...when the database stops, as in a crash.
    server.stop("immediate")
    save.join(timeout=30)
    assert result["save"].status == 503

    # Every page answers the maintenance page, within a second.
    for browser, path in [
        (visitor, "/en/"),
        (visitor, "/fr/commitments/"),
        (visitor, "/ar/"),
        (staff, "/en/admin/"),
        (staff, "/en/admin/commitments/commitment/"),
    ]:
        answer = browser.open(path)
        assert answer.status == 503, (path, answer.body)
        assert answer.headers["Retry-After"] == "30"
        assert "css/portal" in answer.body
        assert answer.seconds < 1, (path, answer.seconds)
    assert visitor.open("/healthz").status == 200

    # Back without restarting gunicorn: every worker answers again.
    server.start()
    for _ in range(6):
        assert visitor.open("/en/").status == 200
        assert staff.open("/en/admin/").status == 200

    # The interrupted save left nothing: no commitment, no milestone, no history.
    assert count(server, "commitments_commitment", f"identifier = '{IDENTIFIER}'") == 0
    assert count(server, "commitments_historicalcommitment", f"identifier = '{IDENTIFIER}'") == 0
    assert count(server, "commitments_milestone", "title_en LIKE 'Outage step %'") == 0
    assert count(server, "commitments_historicalmilestone", "title_en LIKE 'Outage step %'") == 0

    # The same save now goes through, whole.
    assert staff.post_form(add_url, data).status == 302
    assert count(server, "commitments_milestone", "title_en LIKE 'Outage step %'") == MILESTONES
