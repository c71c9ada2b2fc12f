"""Peak memory of the open-data exports: 10,000 against 100,000 commitments.

For each size, a throwaway database is filled with generated published plans
(plans/sample_data.py: plans of 5,000 commitments with 1 milestone and 2
indicators each, plus a one-commitment plan to warm up on). Then, in a fresh
Python process per size and format, the "all plans" commitments file is
requested through Django's test client (middleware, URL language prefix and
all), after one warm-up download of the small plan, and the streamed
response is consumed to its last byte. Printed per size and format:

- peak Python allocations during the download (tracemalloc, reset after the
  warm-up): what the export itself holds at once;
- the process's maximum resident set size (getrusage), Python start-up and
  Django included;
- the time the download took and its size.

Streaming holds when the two sizes' peaks differ by less than 20%; the
script exits non-zero otherwise.

    .venv/bin/python bench/export_memory.py                      # SQLite
    .venv/bin/python bench/export_memory.py --formats csv --sizes 1000 10000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_bench \\
        .venv/bin/python bench/export_memory.py                  # one database per size
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PLAN_SIZE = 5_000
WARM_UP_PLAN = "bench-warm-up"
MAX_RATIO = 1.2


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings")
    import django

    django.setup()


def fill(size: int) -> None:
    """Migrate the database and generate `size` published commitments."""
    setup_django()
    from django.core.management import call_command

    from plans.sample_data import sample_plan_create

    call_command("migrate", "--no-input", verbosity=0)
    sample_plan_create(
        slug=WARM_UP_PLAN, identifier_prefix="BW", commitments=1, milestones_per_commitment=1
    )
    plans, rest = divmod(size, PLAN_SIZE)
    for number in range(plans + (1 if rest else 0)):
        # Two capital letters per plan: identifiers BAA0001, BAB0001...
        prefix = "B" + chr(ord("A") + number // 26) + chr(ord("A") + number % 26)
        sample_plan_create(
            slug=f"bench-plan-{number + 1}",
            identifier_prefix=prefix,
            commitments=PLAN_SIZE if number < plans else rest,
            milestones_per_commitment=1,
        )


def measure(fmt: str, dataset: str) -> dict:
    """Download one file fully and report the memory it took."""
    setup_django()
    import resource
    import tracemalloc

    from django.test import Client

    client = Client()

    def download(path) -> int:
        response = client.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
        assert response.streaming, path
        return sum(len(piece) for piece in response.streaming_content)

    download(f"/en/open-data/plans/{WARM_UP_PLAN}/{dataset}.{fmt}")
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    size = download(f"/en/open-data/{dataset}.{fmt}")
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "bytes": size,
        "seconds": round(seconds, 1),
        "peak_python_mib": round(peak / 2**20, 2),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_self(env, *args) -> str:
    return subprocess.run(
        [PYTHON, __file__, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout


def postgres_database(base_url: str, size: int) -> str:
    """A fresh database on BENCH_DATABASE_URL's server for this size."""
    import psycopg

    server, _slash, name = base_url.rpartition("/")
    database = f"{name}_{size}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    return f"{server}/{database}"


def drop_postgres_database(url: str) -> None:
    import psycopg

    server, _slash, database = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--formats", default="csv,json,xlsx")
    parser.add_argument("--dataset", default="commitments")
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        return fill(args.fill)
    if args.measure:
        return print(json.dumps(measure(args.measure, args.dataset)))

    formats = args.formats.split(",")
    base_url = os.environ.get("BENCH_DATABASE_URL", "")
    results = {}
    with tempfile.TemporaryDirectory(prefix="ogp-export-bench-") as workdir:
        for size in args.sizes:
            database = (
                postgres_database(base_url, size)
                if base_url
                else f"sqlite:///{workdir}/bench-{size}.sqlite3"
            )
            env = {
                **os.environ,
                "DJANGO_DEBUG": "false",
                "DJANGO_HTTPS": "false",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "testserver",
                "DATABASE_URL": database,
                "PUBLIC_PAGE_CACHE_SECONDS": "0",
            }
            started = time.perf_counter()
            run_self(env, "--fill", str(size))
            print(f"{size:>7} commitments generated in {time.perf_counter() - started:.0f} s")
            for fmt in formats:
                output = run_self(env, "--measure", fmt, "--dataset", args.dataset)
                results[size, fmt] = json.loads(output.strip().splitlines()[-1])
            if base_url:
                drop_postgres_database(database)

    small, large = args.sizes
    print(
        f"\nExport of the {args.dataset} of all plans, database "
        f"{'postgresql' if base_url else 'sqlite'}; peak Python allocations during the "
        f"download (tracemalloc) and the process's max RSS\n"
    )
    print(
        f"{'format':<7}{'commitments':>12}{'file MiB':>10}{'seconds':>9}"
        f"{'peak MiB':>10}{'max RSS MiB':>13}"
    )
    failing = []
    for fmt in formats:
        for size in args.sizes:
            row = results[size, fmt]
            print(
                f"{fmt:<7}{size:>12,}{row['bytes'] / 2**20:>10.1f}{row['seconds']:>9.1f}"
                f"{row['peak_python_mib']:>10.2f}{row['max_rss_mib']:>13.1f}"
            )
        peak_ratio = results[large, fmt]["peak_python_mib"] / results[small, fmt]["peak_python_mib"]
        rss_ratio = results[large, fmt]["max_rss_mib"] / results[small, fmt]["max_rss_mib"]
        print(f"{'':<7}{'ratio':>12}{'':>19}{peak_ratio:>10.2f}{rss_ratio:>13.2f}")
        if max(peak_ratio, rss_ratio) >= MAX_RATIO:
            failing.append(fmt)
    if failing:
        print(f"\nMemory grows with the rows ({MAX_RATIO:.0%} or more) for: {', '.join(failing)}")
        sys.exit(1)
    print(
        f"\nEvery format: {large:,} rows take less than {MAX_RATIO:.0%} of {small:,} rows' memory."
    )


if __name__ == "__main__":
    main()
