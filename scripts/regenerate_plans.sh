#!/usr/bin/env bash
# Regenerate fixtures/plans/<case>/plan.json: a real `terraform plan` of each case's configuration.
#
# Offline: the AWS provider comes from a filesystem mirror (IACLINT_TF_MIRROR, default
# /opt/tf-plugins) and every case configures it with mock credentials and no API calls, so
# planning needs neither network nor an AWS account. Each case is planned in a scratch copy, so
# no .terraform, lock file or plan.out is left in the repository.
#
# The JSON is pretty-printed as `python -m json.tool` does (4 spaces), so each key has its own
# line and iaclint's locations mean something; its `timestamp` is pinned and its
# `relevant_attributes` sorted, so that a rerun changes nothing unless the plan does. Then
# refresh each case's expected.json (pytest --update-expected) and read both diffs as code.
#
# Usage: scripts/regenerate_plans.sh [case ...]   (default: every folder under fixtures/plans/)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plans="$root/fixtures/plans"
mirror="${IACLINT_TF_MIRROR:-/opt/tf-plugins}"
python="${PYTHON:-python3}"

command -v terraform >/dev/null || { echo "terraform is not installed" >&2; exit 1; }
[ -d "$mirror" ] || { echo "no provider mirror at $mirror (set IACLINT_TF_MIRROR)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

if [ "$#" -gt 0 ]; then
  cases=("$@")
else
  cases=()
  for dir in "$plans"/*/; do cases+=("$(basename "$dir")"); done
fi

for name in "${cases[@]}"; do
  source="$plans/$name"
  [ -d "$source" ] || { echo "no case $source" >&2; exit 1; }
  scratch="$work/$name"
  mkdir -p "$scratch"
  # The configuration only (and its terraform.tfvars): the plan and the report are outputs.
  (cd "$source" && find . \( -name '*.tf' -o -name '*.tfvars' \) -not -path '*/.terraform/*' \
    -exec cp --parents {} "$scratch" \;)
  echo "planning $name" >&2
  (
    cd "$scratch"
    terraform init -backend=false -input=false -no-color >init.log 2>&1 || { cat init.log >&2; exit 1; }
    terraform plan -refresh=false -input=false -lock=false -no-color -out plan.out >plan.log 2>&1 || { cat plan.log >&2; exit 1; }
    terraform show -json plan.out >plan.raw.json
  )
  "$python" - "$scratch/plan.raw.json" "$source/plan.json" <<'PY'
import json
import sys

source, target = sys.argv[1:]
with open(source, encoding="utf-8") as handle:
    plan = json.load(handle)
# The parts of a plan that change on every run: its time, and the order of relevant_attributes
# (terraform lists them from a map).
plan["timestamp"] = "2000-01-01T00:00:00Z"
if isinstance(plan.get("relevant_attributes"), list):
    plan["relevant_attributes"].sort(key=lambda item: json.dumps(item, sort_keys=True))
with open(target, "w", encoding="utf-8") as handle:
    json.dump(plan, handle, indent=4)  # as `python -m json.tool` writes it
    handle.write("\n")
PY
done
