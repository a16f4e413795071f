"""Fixtures are real IaC: templates pass cfn-lint and Terraform files pass `terraform validate`,
except where a fixture exists to show a value the tools reject (listed in fixtures/invalid.json
with the codes or messages we expect from them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT
from test_fixtures import FIXTURE_FILES

INVALID = json.loads((FIXTURES / "invalid.json").read_text())
TEMPLATES = [p for p in FIXTURE_FILES if p.suffix in (".yaml", ".yml", ".json", ".template") and not p.name.endswith(".tf.json")]
TERRAFORM = [p for p in FIXTURE_FILES if p not in TEMPLATES]
PROVIDER_MIRROR = Path(os.environ.get("IACLINT_TF_MIRROR", "/opt/tf-plugins"))


def _key(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


# Templates of the scenarios and examples too: every template in fixtures/ is CloudFormation's.
PROJECT_TEMPLATES = sorted(
    p
    for group in ("examples", "scenarios")
    for p in (FIXTURES / group).rglob("*")
    if p.suffix in (".yaml", ".yml", ".json") and ".terraform" not in p.parts
    and p.name not in ("expected.json", "command.json") and not p.name.endswith(".tfvars.json")
)
ALL_TEMPLATES = TEMPLATES + PROJECT_TEMPLATES


def _cfn_lint_errors(path: Path) -> tuple[str, list[str], list[str]]:
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(path, config=ManualArgs(regions=["us-east-1"]))
    return str(path), sorted({m.rule.id for m in matches if m.rule.id.startswith("E")}), [str(m) for m in matches]


@pytest.fixture(scope="module")
def cfn_lint_results() -> dict[str, tuple[list[str], list[str]]]:
    """cfn-lint over every template once, on all cores (it is most of this file's time)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return {path: (errors, text) for path, errors, text in pool.map(_cfn_lint_errors, ALL_TEMPLATES, chunksize=8)}


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=[_key(p) for p in ALL_TEMPLATES])
def test_template_passes_cfn_lint(path: Path, cfn_lint_results: dict[str, tuple[list[str], list[str]]]) -> None:
    errors, matches = cfn_lint_results[str(path)]
    assert errors == sorted(INVALID["cfn-lint"].get(_key(path), [])), matches


def test_invalid_list_names_existing_fixtures() -> None:
    for section in ("cfn-lint", "terraform"):  # noqa: B007
        for key in INVALID[section]:
            assert (FIXTURES / key).exists(), key


@pytest.fixture(scope="module")
def terraform_workdir() -> Path:
    terraform = shutil.which("terraform")
    if terraform is None or not PROVIDER_MIRROR.is_dir():
        pytest.skip("terraform or the offline AWS provider mirror is not installed")
    work = Path(tempfile.mkdtemp(prefix="iaclint-tf-"))
    (work / "terraformrc").write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path = "{PROVIDER_MIRROR}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }}\n'
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n'
    )
    shared = work / "shared"
    shared.mkdir()
    (shared / "main.tf").write_text('terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n')
    _terraform(["init", "-backend=false", "-input=false"], shared, work)
    yield work
    shutil.rmtree(work, ignore_errors=True)


def _terraform(
    args: list[str], cwd: Path, work: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(work / "terraformrc"),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        **(extra_env or {}),
    }
    return subprocess.run(["terraform", *args, "-no-color"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _validate(paths: tuple[Path, ...], work: Path) -> tuple[tuple[Path, ...], str]:
    """Validate files as one module, reusing the provider initialised in the shared dir."""
    case = Path(tempfile.mkdtemp(dir=work))
    for path in paths:
        shutil.copy(path, case / path.name)
    (case / "providers.tf").write_text((work / "shared" / "main.tf").read_text())
    (case / ".terraform").symlink_to(work / "shared" / ".terraform")
    shutil.copy(work / "shared" / ".terraform.lock.hcl", case)
    result = _terraform(["validate"], case, work)
    return paths, "" if result.returncode == 0 else result.stderr + result.stdout


def _batches() -> list[tuple[Path, ...]]:
    """A folder validates as one module (as iaclint loads it) unless it holds a file meant to be
    invalid; those folders validate file by file, so each file's outcome is its own."""
    folders: dict[Path, list[Path]] = {}
    for path in TERRAFORM:
        folders.setdefault(path.parent, []).append(path)
    batches: list[tuple[Path, ...]] = []
    for files in folders.values():
        if any(_key(f) in INVALID["terraform"] for f in files):
            batches.extend((f,) for f in files)
        else:
            batches.append(tuple(files))
    return batches


def test_terraform_fixtures_validate(terraform_workdir: Path) -> None:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        outcomes = dict(pool.map(lambda batch: _validate(batch, terraform_workdir), _batches()))
    problems = []
    for paths, output in outcomes.items():
        expected = INVALID["terraform"].get(_key(paths[0])) if len(paths) == 1 else None
        names = ", ".join(_key(p) for p in paths)
        if expected is None and output:
            problems.append(f"{names} does not validate:\n{output}")
        elif expected is not None and expected not in output:
            problems.append(f"{names} should fail validation with {expected!r}, got:\n{output or 'success'}")
    assert not problems, "\n".join(problems)


def test_fixture_folders_scan_as_a_whole_like_their_files() -> None:
    """The README's first command scans fixtures/ by folder: no errors, same findings as per file."""
    from helpers import builtin_rules

    from iaclint.engine import scan

    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        result = scan(["fixtures"], list(builtin_rules()))
    finally:
        os.chdir(previous)
    assert result.errors == []
    expected = set()
    for path in FIXTURES.glob("*/fail/*/*.expected.json"):
        for finding in json.loads(path.read_text()):
            expected.add((finding["rule"], finding["resource"], finding["line"], str(path.parent.relative_to(ROOT) / finding["path"])))
    found = {
        (f.rule_id, f.resource, f.location.line, f.location.file)
        for f in result.findings
        if f.location.file.split("/")[1] == f.rule_id and "/fail/" in f.location.file
    }
    assert found == expected
    in_pass = [f for f in result.findings if "/pass/" in f.location.file and f.location.file.split("/")[1] == f.rule_id]
    assert in_pass == []


PROJECT_DIRS = sorted(
    p for group in ("examples", "scenarios") for p in (FIXTURES / group).iterdir() if p.is_dir() and any(p.glob("*.tf"))
)


def _validate_project(project: Path, work: Path) -> tuple[Path, str]:
    """`terraform get` (its modules) and `validate`, with the provider the shared dir installed:
    no init per project, so parallel runs never race to install the provider."""
    case = Path(tempfile.mkdtemp(dir=work)) / project.name
    shutil.copytree(project, case, ignore=shutil.ignore_patterns(".terraform", "expected.json", "command.json"))
    (case / "iaclint_providers.tf").write_text((work / "shared" / "main.tf").read_text())
    get = _terraform(["get"], case, work)
    if get.returncode != 0:
        return project, get.stderr + get.stdout
    (case / ".terraform").mkdir(exist_ok=True)
    (case / ".terraform" / "providers").symlink_to(work / "shared" / ".terraform" / "providers")
    shutil.copy(work / "shared" / ".terraform.lock.hcl", case)
    result = _terraform(["validate"], case, work)
    return project, "" if result.returncode == 0 else result.stderr + result.stdout


def test_project_fixtures_validate(terraform_workdir: Path) -> None:
    """Examples and scenarios are real Terraform too (modules included)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        outcomes = dict(pool.map(lambda project: _validate_project(project, terraform_workdir), PROJECT_DIRS))
    problems = []
    for project, output in outcomes.items():
        expected = INVALID["terraform"].get(_key(project))
        if expected is None and output:
            problems.append(f"{_key(project)} does not validate:\n{output}")
        elif expected is not None and expected not in output:
            problems.append(f"{_key(project)} should fail with {expected!r}, got:\n{output or 'success'}")
    assert not problems, "\n".join(problems)
