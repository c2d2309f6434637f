"""Bounded-time atheris run of the fuzz targets in this folder (`nox -s fuzz`).

    python ci/fuzz/run.py [--seconds N] [--target json|dtype ...]

For each target: first every seed input of corpus/<target>/ is replayed through the check
(a regression pass), then libFuzzer mutates for N seconds (default: $TVM_FFI_FUZZ_SECONDS or
60) starting from a scratch copy of the seed corpus, with the target's dictionary. Crash
reproducers go to $TVM_FFI_FUZZ_ARTIFACTS (default <tmp>/tvm-ffi-fuzz-artifacts/; `nox -s fuzz`
uses $BUILD/fuzz-artifacts/). Prints one line per
target: `FUZZ target=<t> runs=<executions> seconds=<s> corpus=<units> result=ok|FAILED`, and
exits non-zero if any target failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ("json", "dtype")


def run_target(target: str, seconds: int, artifacts: Path) -> bool:
    script = HERE / f"fuzz_{target}.py"
    seeds = HERE / "corpus" / target
    artifacts.mkdir(parents=True, exist_ok=True)
    # 1. regression pass over the seeds (libFuzzer runs file arguments once each)
    replay = subprocess.run(
        [sys.executable, str(script), *sorted(str(p) for p in seeds.iterdir())],
        capture_output=True,
        text=True,
    )
    if replay.returncode != 0:
        print(replay.stdout[-3000:] + replay.stderr[-6000:])
        print(f"FUZZ target={target} replay=FAILED")
        return False
    # 2. mutation for a bounded time, on a scratch corpus (the seeds stay as committed)
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{target}-") as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(seeds, corpus)
        cmd = [
            sys.executable,
            str(script),
            str(corpus),
            f"-max_total_time={seconds}",
            f"-dict={HERE / (target + '.dict')}",
            "-max_len=4096",
            "-timeout=20",
            "-rss_limit_mb=4096",
            "-print_final_stats=1",
            f"-artifact_prefix={artifacts}{os.sep}{target}-",
        ]
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.monotonic() - start
        units = len(list(corpus.iterdir()))
    log = proc.stdout + proc.stderr
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    runs = int(m.group(1)) if m else -1
    ok = proc.returncode == 0 and runs > 0
    if not ok:
        print(log[-8000:])
    print(
        f"FUZZ target={target} runs={runs} seconds={elapsed:.0f} corpus={units} "
        f"result={'ok' if ok else 'FAILED'}",
        flush=True,
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("TVM_FFI_FUZZ_SECONDS", "60"))
    )
    parser.add_argument("--target", action="append", choices=TARGETS)
    args = parser.parse_args()
    artifacts = Path(
        os.environ.get(
            "TVM_FFI_FUZZ_ARTIFACTS", Path(tempfile.gettempdir()) / "tvm-ffi-fuzz-artifacts"
        )
    )
    results = [run_target(t, args.seconds, artifacts) for t in (args.target or TARGETS)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
