"""Throughput of the public pages, as a share of a trivial view's.

Starts gunicorn on a throwaway database holding the demo data plus a
generated large plan (500 commitments, 6 milestones each), loads each public
page and the trivial view (/healthz) with wrk in the same run, and prints
requests per second, p50 and p99 latency, and each page's throughput as a
share of the trivial view's. Target: every page at 50% or more.

Two rounds: with the anonymous page cache (as deployed) and without it (every
request renders the page and queries the database), so both are visible.

    make bench          # or: .venv/bin/python bench/public_pages.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_bench make bench

Needs wrk (Debian package `wrk`). Results are also written as JSON to
bench/results/.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_SHARE = 0.5
LARGE_PLAN = "bench-large-plan"
PAGES = {
    "trivial view": "/healthz",
    "home": "/en/",
    "plan (500 commitments)": f"/en/plans/{LARGE_PLAN}/",
    "filtered list": f"/en/commitments/?plan={LARGE_PLAN}&value=technology&sort=-progress",
    "commitment": "/en/commitments/BX0250/",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env):
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo")
    manage(
        env,
        "generate_sample_plan",
        "--slug", LARGE_PLAN,
        "--identifier-prefix", "BX",
        "--commitments", "500",
        "--milestones", "6",
    )  # fmt: skip
    manage(env, "collectstatic", "--no-input", "-v0")


def wait_until_up(base_url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=1):  # noqa: S310  # nosec B310 # our local server
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def run_wrk(url, *, duration, connections, threads):
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = count_errors(output)
    latency = {
        percentile: to_ms(value)
        for percentile, value in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE)
    }
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"], "errors": errors}


def count_errors(wrk_output: str) -> int:
    """Non-2xx/3xx answers plus every kind of socket error wrk reports."""
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", wrk_output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        wrk_output)  # fmt: skip
    return (int(errors.group(1)) if errors else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
    return float(number) * factor


def measure_round(env, *, label, cache_seconds, args):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    round_env = {**env, "PUBLIC_PAGE_CACHE_SECONDS": str(cache_seconds)}
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "ogp_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=round_env,
    )
    try:
        wait_until_up(base_url, server)
        results = {}
        for name, path in PAGES.items():
            for _ in range(3):  # warm-up: imports, caches, database pages
                with urllib.request.urlopen(base_url + path, timeout=10) as response:  # noqa: S310  # nosec B310 # our local server
                    assert response.status == 200, (path, response.status)
            results[name] = run_wrk(
                base_url + path,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
            )
        return {"label": label, "pages": results}
    finally:
        server.terminate()
        server.wait(timeout=10)


def print_round(measured):
    trivial = measured["pages"]["trivial view"]["rps"]
    print(f"\n{measured['label']}")
    print(f"  {'page':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'share':>9}")
    for name, row in measured["pages"].items():
        share = row["rps"] / trivial
        row["share_of_trivial"] = round(share, 3)
        print(
            f"  {name:<24}{row['rps']:>10.0f}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}"
            f"{row['errors']:>8}{share:>8.0%}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="ogp-bench-") as workdir:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_HTTPS": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": os.environ.get(
                "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
            ),
            "DJANGO_MEDIA_ROOT": f"{workdir}/media",
        }
        prepare_database(env)
        rounds = [
            measure_round(env, label="With the anonymous page cache (as deployed)",
                          cache_seconds=300, args=args),
            measure_round(env, label="Without the page cache (every request renders)",
                          cache_seconds=0, args=args),
        ]  # fmt: skip
    print(
        f"\ngunicorn {args.workers} sync workers; wrk {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s per page; "
        f"database {env['DATABASE_URL'].split(':')[0]}"
    )
    for measured in rounds:
        print_round(measured)
    cached = rounds[0]["pages"]
    failing = [name for name, row in cached.items() if row["share_of_trivial"] < TARGET_SHARE] + [
        name for measured in rounds for name, row in measured["pages"].items() if row["errors"]
    ]
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (results_dir / f"public_pages-{stamp}.json").write_text(
        json.dumps({"args": vars(args), "rounds": rounds}, indent=2)
    )
    if failing:
        print(f"\nBelow {TARGET_SHARE:.0%} of the trivial view, or with errors: {failing}")
        sys.exit(1)
    print(f"\nEvery page at {TARGET_SHARE:.0%} or more of the trivial view's throughput.")


if __name__ == "__main__":
    main()
