#!/usr/bin/env python3
"""Cold `iaclint check` on one small file, as a pre-commit hook or an editor runs it.

Usage:  python bench/cold_start.py [--runs N]      (from the checkout, with iaclint installed)

Times a fresh process per run on bench/samples/small.tf (about 4 KB) and small.yaml (about
3 KB), prints min/median wall time and peak RSS, and checks what each run imported: a
Terraform-only run must import nothing of cfn-lint. When `checkov` is on PATH it is timed on the
same files in the same run, for the ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"
IACLINT = [sys.executable, "-m", "iaclint", "check"]


def timed(command: list[str], runs: int, cwd: Path) -> tuple[list[float], int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return times, peak_kb


def imported_modules(sample: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "iaclint", "check", sample],
        cwd=SAMPLES, capture_output=True, text=True, check=False,
    )
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env_note = f"python {sys.version.split()[0]}, {os.cpu_count()} cpus"
    print(f"cold iaclint check, {args.runs} runs each ({env_note})")
    for sample in ("small.tf", "small.yaml"):
        size = (SAMPLES / sample).stat().st_size
        times, peak = timed([*IACLINT, sample], args.runs, SAMPLES)
        line = f"  {sample:<11} {size / 1024:4.1f} KB  min {min(times):.3f} s  median {statistics.median(times):.3f} s"
        modules = imported_modules(sample)
        cfnlint = sorted(m for m in modules if m.split(".")[0] == "cfnlint")
        line += f"  cfnlint modules: {len(cfnlint)}  networkx: {'yes' if 'networkx' in modules else 'no'}"
        print(line)
        checkov = shutil.which("checkov")
        if checkov:
            runs = max(3, args.runs // 5)
            their, _ = timed([checkov, "--quiet", "--compact", "-f", sample], runs, SAMPLES)
            ratio = statistics.median(their) / statistics.median(times)
            print(f"  {'':<11} checkov median {statistics.median(their):.3f} s over {runs} runs: iaclint is {ratio:.1f}x faster")
    print(f"  peak RSS of the slowest child: {peak / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
