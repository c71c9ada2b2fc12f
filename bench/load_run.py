"""A load run as in production: 60 seconds at 32 connections across the public
pages, through gunicorn, on PostgreSQL, with Redis as the shared cache.

Creates a throwaway PostgreSQL database (dropped afterwards) holding the demo
data plus a generated 500-commitment plan, starts gunicorn, and lets wrk
cycle through the public pages (home, plans, filtered lists, commitments,
about, sitemap) in English and Arabic, after one warm-up request of each page
per worker (the cold times are printed too). Prints requests per second, latency
percentiles and errors; the target is zero errors and p99 under one second.

    make bench-load        # or: .venv/bin/python bench/load_run.py [--duration 60]

Needs wrk, PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432)
and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9).
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from public_pages import (  # noqa: E402
    LARGE_PLAN,
    PYTHON,
    ROOT,
    count_errors,
    free_port,
    prepare_database,
    to_ms,
    wait_until_up,
)

PATHS = [
    f"/{lang}{path}"
    for lang in ("en", "ar")
    for path in (
        "/",
        f"/plans/{LARGE_PLAN}/",
        f"/plans/{LARGE_PLAN}/?page=7",
        "/plans/kutaisi-2022-2025/",
        "/plans/georgia-2018-2019/",
        "/commitments/",
        f"/commitments/?plan={LARGE_PLAN}&value=technology&sort=-progress",
        "/commitments/?policy_area=e-government",
        "/commitments/?at_risk=true&page=2",
        "/commitments/GE0067/",
        "/commitments/BX0001/",
        "/commitments/BX0499/",
        "/commitments/KUT0001/",
        "/about/figures/",
    )
] + ["/sitemap.xml"]

# Django's Redis cache key for ogp_portal.page_cache.GENERATION_KEY (version 1, no prefix).
GENERATION_KEY = ":1:public-pages:generation"

LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def warm_up(base_url, workers) -> dict:
    """Request every page once per worker before the measured run, as after a
    deployment's smoke test: the first request renders a page into the shared
    cache, the others load each worker's translations. Returns each page's
    first (uncached) time in milliseconds, printed beside the run."""
    cold = {}
    for path in PATHS:
        for attempt in range(workers):
            started = time.perf_counter()
            with urllib.request.urlopen(base_url + path, timeout=30) as response:  # noqa: S310  # nosec B310 # our local server
                response.read()
                assert response.status == 200, (path, response.status)
            if attempt == 0:
                cold[path] = (time.perf_counter() - started) * 1000
    return cold


class StaffChanges(threading.Thread):
    """Bump the page cache's content generation every `interval` seconds, as
    any staff save does (ogp_portal/page_cache.py), straight in Redis."""

    def __init__(self, cache_url, interval):
        super().__init__(daemon=True)
        self.cache_url, self.interval = cache_url, interval
        self.stopped = threading.Event()
        self.count = 0

    def run(self):
        while self.interval and not self.stopped.wait(self.interval):
            subprocess.run(["redis-cli", "-u", self.cache_url, "INCR", GENERATION_KEY],
                           check=True, capture_output=True)  # fmt: skip
            self.count += 1

    def stop(self):
        self.stopped.set()
        self.join()


def psql(admin_url, sql):
    subprocess.run(["psql", admin_url, "-qc", sql], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 2))
    parser.add_argument(
        "--change-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="Invalidate every cached page this often during the run, as a staff save does.",
    )
    args = parser.parse_args()
    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install wrk postgresql-client)")

    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    database = f"ogp_load_{os.getpid()}"
    admin_url = f"{server_url}/postgres"
    psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    psql(admin_url, f"CREATE DATABASE {database}")
    try:
        with tempfile.TemporaryDirectory(prefix="ogp-load-") as workdir:
            env = {
                **os.environ,
                "DJANGO_DEBUG": "false",
                "DJANGO_HTTPS": "false",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": f"{server_url}/{database}",
                "CACHE_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
                "DJANGO_MEDIA_ROOT": f"{workdir}/media",
            }
            prepare_database(env)
            subprocess.run(["redis-cli", "-u", env["CACHE_URL"], "FLUSHDB"], check=False,
                           capture_output=True)  # fmt: skip
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            script = Path(workdir) / "paths.lua"
            script.write_text(LUA % ", ".join(f'"{path}"' for path in PATHS))
            server = subprocess.Popen(
                [str(Path(PYTHON).parent / "gunicorn"), "ogp_portal.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                 "--log-level", "warning"],
                cwd=ROOT,
                env=env,
            )  # fmt: skip
            try:
                wait_until_up(base_url, server)
                cold = warm_up(base_url, args.workers)
                changes = StaffChanges(env["CACHE_URL"], args.change_every)
                changes.start()
                output = subprocess.run(
                    ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
                     "--latency", "-s", str(script), base_url],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
                changes.stop()
            finally:
                server.terminate()
                server.wait(timeout=10)
    finally:
        psql(admin_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

    print("First, uncached request of each page (ms):")
    for path, ms in cold.items():
        print(f"  {ms:7.1f}  {path}")
    print(output)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        p: to_ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", output, re.M)
    }
    errors = count_errors(output)
    print(
        f"{len(PATHS)} public pages, {args.connections} connections, {args.duration} s, "
        f"gunicorn {args.workers} workers, PostgreSQL + Redis, "
        f"{changes.count} staff changes: {rps:.0f} requests/s, "
        f"p50 {latency['50']:.1f} ms, p99 {latency['99']:.1f} ms, errors {errors}"
    )
    if errors or latency["99"] >= 1000:
        sys.exit("Target missed: zero errors and p99 under one second.")
    print("Target met: zero errors, p99 under one second.")


if __name__ == "__main__":
    main()
