"""YAML and JSON documents decoded with the position of every mapping, key and list.

One decoder for both: JSON is YAML once tabs (only ever whitespace outside JSON strings) become
spaces, so templates in either syntax come out identical, with libyaml's C speed and lines for
every key. CloudFormation's short-form tags become the long form (`!Ref X` -> `{"Ref": "X"}`),
as cfn-lint does, so nothing past this module knows which syntax a template used. Other local
tags become `{"Tag::<name>": value}`, an unknown value; YAML's Python-object tags are refused.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from iaclint.loaders import Span

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PosDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers where it and each of its keys start."""

    __slots__ = ("span", "key_spans")

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.key_spans: dict[Any, Span] = {}

    def key_span(self, key: Any) -> Span:
        return self.key_spans.get(key, self.span)


class PosList(list):  # type: ignore[type-arg]
    __slots__ = ("span",)

    def __init__(self, items: list[Any], span: Span) -> None:
        super().__init__(items)
        self.span = span


class DocumentError(Exception):
    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _span(node: Any) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


# CloudFormation reads `2010-09-09` as a string, not a date; keep every scalar JSON-like.
_Loader.yaml_implicit_resolvers = {
    first: [entry for entry in resolvers if entry[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: Any, node: Any) -> Any:
    data = PosDict(_span(node))
    yield data
    _fill_mapping(loader, node, data)


def _fill_mapping(loader: Any, node: Any, data: PosDict) -> None:
    # Keys a YAML merge (`<<: *base`) brings in may be overridden; written twice, they may not.
    merges = any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value)
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise DocumentError("a mapping key must be a scalar", *_mark(key_node))
        if key in data.key_spans and not merges:
            # CloudFormation rejects a template with a duplicate key; YAML would keep the last.
            first = data.key_spans[key].line
            raise DocumentError(f"duplicate key {key!r} (first at line {first})", *_mark(key_node))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_spans[key] = _span(key_node)


def _construct_sequence(loader: Any, node: Any) -> Any:
    data = PosList([], _span(node))
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

# Short form -> long form, per the CloudFormation intrinsic function reference.
_INTRINSICS = {
    "Ref": "Ref",
    "Condition": "Condition",
    "GetAtt": "Fn::GetAtt",
    **{
        name: f"Fn::{name}"
        for name in (
            "And Base64 Cidr Equals FindInMap ForEach GetAZs If ImportValue Join Length Not Or "
            "Select Split Sub ToJsonString Transform"
        ).split()
    },
}


def _construct_intrinsic(loader: Any, tag_suffix: str, node: Any) -> Any:
    # A tag CloudFormation does not define (a preprocessor's, like rain's !Rain::Embed) is a
    # value known only to that tool: kept as an unknown value, so the rest is still checked.
    name = _INTRINSICS.get(tag_suffix, f"Tag::{tag_suffix}")
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = PosList(value.split(".", 1), _span(node))
    elif isinstance(node, yaml.SequenceNode):
        value = PosList([loader.construct_object(c, deep=True) for c in node.value], _span(node))
    else:
        value = PosDict(_span(node))
        _fill_mapping(loader, node, value)
    data = PosDict(_span(node))
    data[name] = value
    data.key_spans[name] = _span(node)
    return data


_Loader.add_multi_constructor("!", _construct_intrinsic)


def load_yaml(text: str) -> Any:
    """Decode one YAML document; raise DocumentError with a line on any failure."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except DocumentError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        if error.problem and error.context and error.context_mark:
            problem += f" ({error.context} started at line {error.context_mark.line + 1})"
        raise DocumentError(problem, line, column) from None
    except yaml.YAMLError as error:
        raise DocumentError(str(error).splitlines()[0], 1) from None
    except RecursionError:
        raise DocumentError("nesting too deep to parse", 1) from None


def load_json(text: str) -> Any:
    """Decode JSON with positions; syntax errors are judged, and described, by JSON's rules."""
    try:
        value = json.loads(text)  # strict and C-fast: YAML would accept `{"a": }`
    except json.JSONDecodeError as error:
        raise DocumentError(error.msg.lower(), error.lineno, error.colno) from None
    except RecursionError:
        raise DocumentError("nesting too deep to parse", 1) from None
    try:
        return load_yaml(text.replace("\t", " "))
    except DocumentError as error:
        if error.message.startswith("duplicate key"):
            raise  # JSON keeps the last of two equal keys; CloudFormation and Terraform refuse them
        # Valid JSON that YAML 1.1 rejects (rare): keep the values, at line 1.
        return _at_first_line(value)


def _at_first_line(value: Any) -> Any:
    start = Span(1, 1, 1, 1)
    if isinstance(value, dict):
        data = PosDict(start)
        data.update((key, _at_first_line(item)) for key, item in value.items())
        return data
    if isinstance(value, list):
        return PosList([_at_first_line(item) for item in value], start)
    return value
