#!/usr/bin/env python3
"""A Terraform monorepo of module trees: how long a cold `iaclint check` takes.

Usage:  python bench/module_tree.py [--files 200] [--runs 3]

Generates (in a temporary directory) root modules that call local modules, which call nested
modules, about --files .tf files in all, sized like real ones (API Gateway stages, method
settings, log groups, IAM roles, from bench/samples/small.tf), then times cold scans.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = (Path(__file__).resolve().parent / "samples" / "small.tf").read_text()

LOGS_MODULE = """
variable "name" {
  type = string
}

variable "retention_days" {
  type    = number
  default = 365
}

resource "aws_cloudwatch_log_group" "this" {
  name              = var.name
  retention_in_days = var.retention_days
}

output "arn" {
  value = aws_cloudwatch_log_group.this.arn
}
"""


def generate(root: Path, files: int) -> int:
    """Roots of 10 files: main.tf + 4 sample files in the root, an api module of 4 files that
    calls a logs module (1 file). Returns the number of .tf files written."""
    written = 0
    index = 0
    while written < files:
        project = root / f"service{index:03d}"
        api = project / "modules" / "api"
        logs = api / "modules" / "logs"
        for directory in (project, api, logs):
            directory.mkdir(parents=True)
        (project / "main.tf").write_text(
            'module "api" {\n  source = "./modules/api"\n  name   = "svc%d"\n}\n\nmodule "api_dev" {\n'
            '  source = "./modules/api"\n  name   = "svc%d-dev"\n}\n' % (index, index)
        )
        for n in range(4):
            (project / f"part{n}.tf").write_text(SAMPLE.replace('"this"', f'"this{n}"').replace('"cloudwatch"', f'"cloudwatch{n}"').replace('"access"', f'"access{n}"').replace('"execution"', f'"execution{n}"').replace('"orders"', f'"orders{n}"').replace('"get_orders"', f'"get_orders{n}"').replace('"all"', f'"all{n}"').replace('"apigateway_assume"', f'"apigateway_assume{n}"').replace("aws_api_gateway_account.this", f"aws_api_gateway_account.this{n}"))
        (api / "variables.tf").write_text('variable "name" {\n  type = string\n}\n')
        (api / "logs.tf").write_text('module "logs" {\n  source = "./modules/logs"\n  name   = "/aws/apigateway/${var.name}"\n}\n')
        for n in range(2):
            (api / f"api{n}.tf").write_text(SAMPLE.replace('"this"', f'"this{n}"').replace('"cloudwatch"', f'"cloudwatch{n}"').replace('"access"', f'"access{n}"').replace('"execution"', f'"execution{n}"').replace('"orders"', f'"orders{n}"').replace('"get_orders"', f'"get_orders{n}"').replace('"all"', f'"all{n}"').replace('"apigateway_assume"', f'"apigateway_assume{n}"').replace("aws_api_gateway_account.this", f"aws_api_gateway_account.this{n}").replace('variable "name"', f'variable "unused{n}"'))
        (logs / "main.tf").write_text(LOGS_MODULE)
        written += 10
        index += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        count = generate(root, args.files)
        size = sum(p.stat().st_size for p in root.rglob("*.tf")) / 1024
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "iaclint", "check", "--format", "json", "."], cwd=root, capture_output=True, text=True
            )
            times.append(time.perf_counter() - start)
        summary = result.stdout[result.stdout.rfind('"summary"') :].split("}")[0]
        print(f"{count} .tf files ({size:.0f} KB) in module trees: median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s over {args.runs} cold runs; {summary.strip()}}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
