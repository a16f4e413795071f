"""Which files a scan reads: Terraform module directories and candidate templates."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

TERRAFORM_SUFFIXES = (".tf", ".tofu", ".tf.json", ".tofu.json")
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# Tool state, vendored code and build output: never the IaC a user writes. `.aws-sam` holds
# `sam build`'s copies of templates, `.terragrunt-cache` terragrunt's copies of modules.
SKIPPED_DIRECTORIES = frozenset(
    {".terraform", ".git", "node_modules", ".venv", "venv", "site-packages", "__pycache__", ".tox",
     ".aws-sam", ".terragrunt-cache"}
)


@dataclass
class Targets:
    # Module directory -> its Terraform files; paths as the user would type them.
    modules: dict[str, list[str]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def display_path(path: str) -> str:
    """The path relative to the current directory, with forward slashes."""
    relative = os.path.relpath(path)
    return relative.replace(os.sep, "/")


def is_terraform(name: str) -> bool:
    return name.endswith(TERRAFORM_SUFFIXES)


def is_document(name: str) -> bool:
    return name.endswith(DOCUMENT_SUFFIXES) and not is_terraform(name)


def discover(paths: list[str], excludes: list[str]) -> Targets:
    targets = Targets()
    for path in paths:
        if os.path.isdir(path):
            _walk(path, excludes, targets)
        elif os.path.isfile(path):
            _add_file(path, excludes, targets, explicit=True)
        else:
            targets.missing.append(path)
    for files in targets.modules.values():
        files.sort()
    targets.modules = dict(sorted(targets.modules.items()))
    targets.documents = sorted(set(targets.documents))
    return targets


def _excluded(path: str, excludes: list[str]) -> bool:
    shown = display_path(path)
    name = os.path.basename(shown)
    return any(fnmatchcase(shown, glob) or fnmatchcase(name, glob) for glob in excludes)


def _walk(root: str, excludes: list[str], targets: Targets) -> None:
    # Directory symlinks are not followed: they can loop, or lead outside the scanned tree.
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            d for d in subdirectories
            if d not in SKIPPED_DIRECTORIES and not _excluded(os.path.join(directory, d), excludes)
        )
        for name in sorted(files):
            _add_file(os.path.join(directory, name), excludes, targets, explicit=False)


def _add_file(path: str, excludes: list[str], targets: Targets, explicit: bool) -> None:
    if _excluded(path, excludes):
        return
    name = os.path.basename(path)
    if is_terraform(name):
        directory = os.path.dirname(path) or "."
        if explicit:
            # A module is its whole directory: a file given alone is checked with its siblings.
            for sibling in sorted(os.listdir(directory)):
                sibling_path = os.path.join(directory, sibling)
                if is_terraform(sibling) and os.path.isfile(sibling_path) and not _excluded(sibling_path, excludes):
                    _add_module_file(directory, sibling_path, targets)
        else:
            _add_module_file(directory, path, targets)
    elif is_document(name):
        targets.documents.append(display_path(path))


def _add_module_file(directory: str, path: str, targets: Targets) -> None:
    files = targets.modules.setdefault(display_path(directory), [])
    shown = display_path(path)
    if shown not in files:
        files.append(shown)
