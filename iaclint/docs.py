"""Where each rule's documentation lives online (SARIF helpUri, LSP codeDescription)."""

from __future__ import annotations

# docs/rules/<ID>.md is generated from the rule docstrings (scripts/rule_docs.py) and kept in sync by a test.
REPOSITORY = "https://github.com/iaclint/iaclint"
RULE_DOCS = f"{REPOSITORY}/blob/main/docs/rules/"


def rule_doc_url(rule_id: str) -> str:
    return f"{RULE_DOCS}{rule_id}.md"
