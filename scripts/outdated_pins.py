"""Which pinned packages of requirements.lock have a newer patch release.

A patch release (5.2.19 -> 5.2.20) is where security fixes land, and it should
be safe to take at once: re-lock with `make lock` and run the tests. Newer
minor or major releases are not listed; they are upgrades to plan.

The versions come from PyPI's JSON API, else from pip's configured indexes
(`pip index versions`, then `pip download --no-deps`), so a machine with a
local mirror can answer too. Packages no source could answer for (offline,
say) are listed, and do not make the script fail: it exits 0 unless
`--strict` is given and a newer patch release exists.

    .venv/bin/python scripts/outdated_pins.py             # or: make outdated
    .venv/bin/python scripts/outdated_pins.py django nh3  # only these
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
PYPI_URL = os.environ.get("OUTDATED_PINS_PYPI_URL", "https://pypi.org/pypi/{name}/json")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")
SOURCES = ("pypi", "pip-index", "pip-download")


@dataclass
class Result:
    name: str
    pinned: str
    newest_patch: str | None = None
    source: str | None = None  # None: no source could answer


def read_pins(lock: Path) -> dict[str, str]:
    """name -> pinned version, for every `name==version` line of a pip-compile lock file."""
    pins = {}
    for line in lock.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def newest_patch(pinned: str, available) -> str | None:
    """The highest final release with the pin's major and minor, if newer than the pin."""
    try:
        current = Version(pinned)
    except InvalidVersion:
        return None
    candidates = []
    for text in available:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        same_series = version.release[:2] == current.release[:2]
        if same_series and not version.is_prerelease and not version.is_devrelease:
            candidates.append(version)
    best = max(candidates, default=None)
    return str(best) if best is not None and best > current else None


def versions_from_pypi(name: str, timeout: float) -> list[str]:
    """Released versions from PyPI's JSON API, yanked ones left out."""
    url = PYPI_URL.format(name=name)
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"Not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only, checked above
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310 # http(s) only
        releases = json.load(response)["releases"]
    return [
        version
        for version, files in releases.items()
        if files and not all(file.get("yanked") for file in files)
    ]


def pip(*args, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this interpreter's pip, fixed arguments  # nosec B603
        [sys.executable, "-m", "pip", *args, "--timeout", str(int(timeout)), "--retries", "0"],
        capture_output=True,
        text=True,
        timeout=timeout * 6,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


def versions_from_pip_index(name: str, timeout: float) -> list[str]:
    """Versions the configured indexes (a local mirror, say) offer, from `pip index versions`."""
    output = pip("index", "versions", name, timeout=timeout).stdout
    match = re.search(r"^Available versions: (.+)$", output, re.MULTILINE)
    if not match:
        raise LookupError(f"pip index versions gave no versions for {name}")
    return [version.strip() for version in match[1].split(",")]


def versions_from_pip_download(name: str, timeout: float) -> list[str]:
    """Versions from pip's "(from versions: ...)" message, asking for one that cannot exist."""
    with tempfile.TemporaryDirectory() as folder:
        result = pip(
            "download", "--no-deps", "--dest", folder, f"{name}===0+no.such.version",
            timeout=timeout,
        )  # fmt: skip
    match = re.search(r"\(from versions: ([^)]*)\)", result.stderr)
    if not match or match[1].strip() in ("", "none"):
        raise LookupError(f"pip download listed no versions for {name}")
    return [version.strip() for version in match[1].split(",")]


FETCHERS = {
    "pypi": versions_from_pypi,
    "pip-index": versions_from_pip_index,
    "pip-download": versions_from_pip_download,
}


def check(name: str, pinned: str, *, sources, timeout: float) -> Result:
    for source in sources:
        try:
            available = FETCHERS[source](name, timeout)
        except (OSError, ValueError, LookupError, KeyError, subprocess.SubprocessError):
            continue  # offline, unknown to this source, or an answer we cannot read
        return Result(name, pinned, newest_patch(pinned, available), source)
    return Result(name, pinned)


def report(results: list[Result], lock: Path) -> None:
    outdated = [result for result in results if result.newest_patch]
    unchecked = [result.name for result in results if result.source is None]
    checked = len(results) - len(unchecked)
    print(f"Pinned packages of {lock.name} with a newer patch release:")
    for result in outdated:
        print(
            f"  {result.name:<32}{result.pinned:>14} -> {result.newest_patch:<14}({result.source})"
        )
    if not outdated:
        print("  none")
    print(
        f"{checked} of {len(results)} packages checked; {len(outdated)} with a newer patch release."
    )
    if by_source := Counter(result.source for result in results if result.source):
        print("Versions from: " + ", ".join(f"{source} ({n})" for source, n in by_source.items()))
    if unchecked:
        print(f"Could not check {len(unchecked)} (offline, or unknown to every source):")
        print("  " + ", ".join(unchecked))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help="only these packages (default: every pin)")
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument(
        "--sources", default=",".join(SOURCES), help=f"in order, among {', '.join(SOURCES)}"
    )
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a newer patch release exists"
    )
    args = parser.parse_args(argv)
    sources = [source.strip() for source in args.sources.split(",") if source.strip()]
    if unknown := set(sources) - set(SOURCES):
        parser.error(f"unknown sources: {', '.join(sorted(unknown))}")

    pins = read_pins(args.lock)
    if args.packages:
        wanted = {canonicalize_name(name) for name in args.packages}
        if missing := wanted - set(pins):
            parser.error(f"not pinned in {args.lock.name}: {', '.join(sorted(missing))}")
        pins = {name: version for name, version in pins.items() if name in wanted}
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(
            pool.map(lambda item: check(*item, sources=sources, timeout=args.timeout), pins.items())
        )
    report(results, args.lock)
    return 1 if args.strict and any(result.newest_patch for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
