#!/usr/bin/env python3
"""SAM expansion: aws-sam-translator against iaclint's own loader, on the SAM fixtures (issue 5.6).

Usage (from the checkout; the translator lives in a venv of its own, it is no iaclint dependency):

    python3.11 -m venv /tmp/samt && /tmp/samt/bin/pip install aws-sam-translator==1.115.0 pyyaml
    SAM_TRANSLATOR_PYTHON=/tmp/samt/bin/python .venv/bin/python bench/sam_expansion.py [--runs N] [--details DIR]

Prints five sections: fidelity (the logging-relevant resources and facts each side produces, the
translator's output read by iaclint's CloudFormation loader), line numbers (how many translated
facts can be traced back to one source line), cost (import and per-template time), environment
(no region, no credentials, no network) and partial templates. `--details DIR` also writes each
translated template and its differences as JSON. Without SAM_TRANSLATOR_PYTHON, and without
samtranslator importable here, it says so and exits 0.

The translator side runs in a child process of the translator's interpreter (this same file with
`--worker`), so the top-level imports here are the standard library only.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "SAM_TRANSLATOR_PYTHON"
REGION = "us-east-1"  # what an integration would have to pick when the user has none configured

# Local paths SAM CLI uploads before deploying. The translator accepts only s3:// URIs there, so
# any integration must put placeholders in first (as SAM CLI's validate and older cfn-lint did).
_LOCAL_URI = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::Api": "DefinitionUri",
    "AWS::Serverless::HttpApi": "DefinitionUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


# --- worker: runs under the translator's interpreter -----------------------------------------


def _with_placeholders(template: dict[str, Any]) -> dict[str, Any]:
    """The template with each local path replaced by an S3 URI, which is all the translator reads."""
    sections = [body for body in template.get("Resources", {}).values() if isinstance(body, dict)]
    function_globals = template.get("Globals", {}).get("Function")
    if isinstance(function_globals, dict):
        sections.append({"Type": "AWS::Serverless::Function", "Properties": function_globals})
    for body in sections:
        name = _LOCAL_URI.get(body.get("Type"))
        properties = body.get("Properties")
        path = properties.get(name) if name and isinstance(properties, dict) else None
        if isinstance(path, str) and not path.startswith("s3://"):
            properties[name] = "s3://placeholder/" + (path.strip("./") or "code")
    return template


def _translate_once(template: dict[str, Any], region: str | None) -> dict[str, Any]:
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    # No session given: the translator asks boto3 for the region itself, as SAM CLI lets it.
    session = boto3.Session(region_name=region) if region else None
    return Translator(None, Parser(), boto_session=session).translate(copy.deepcopy(template), {})


def _error(error: Exception) -> dict[str, Any]:
    causes = getattr(error, "causes", None)
    messages = [str(getattr(cause, "message", cause)) for cause in causes] if causes else [str(error)]
    return {"type": type(error).__name__, "causes": messages}


def worker() -> int:
    """Read jobs as JSON on stdin, translate each, answer JSON on stdout."""
    import logging

    logging.disable(logging.CRITICAL)  # the translator logs warnings about what it rewrites
    request = json.load(sys.stdin)
    start = time.perf_counter()
    import samtranslator.translator.translator  # noqa: F401  (timed: the in-process import cost)
    from samtranslator.yaml_helper import yaml_parse

    answer: dict[str, Any] = {"import_seconds": time.perf_counter() - start, "results": []}
    for job in request["jobs"]:
        result: dict[str, Any] = {"name": job["name"], "translate_seconds": [], "parse_seconds": []}
        try:
            for _ in range(request.get("runs", 1)):
                started = time.perf_counter()
                template = yaml_parse(job["text"])
                parsed = time.perf_counter()
                if job.get("prepare"):
                    template = _with_placeholders(template)
                result["template"] = _translate_once(template, job.get("region"))
                result["parse_seconds"].append(parsed - started)
                result["translate_seconds"].append(time.perf_counter() - parsed)
        except Exception as error:  # noqa: BLE001  (the outcome being measured, whatever its type)
            result["error"] = _error(error)
        answer["results"].append(result)
    answer["packages"] = _package_sizes()
    json.dump(answer, sys.stdout, default=str)
    return 0


def _package_sizes() -> dict[str, int]:
    """Bytes on disk of each third-party top-level package imported so far."""
    import sysconfig

    site = sysconfig.get_paths()["purelib"]
    sizes: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if "." in name or not path.startswith(site):
            continue
        root = Path(path).parent if path.endswith("__init__.py") else Path(path)
        sizes[name] = (
            sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) if root.is_dir() else root.stat().st_size
        )
    return dict(sorted(sizes.items()))


# --- driver: runs under iaclint's interpreter ------------------------------------------------


def sam_fixtures() -> list[Path]:
    found = [
        *ROOT.glob("fixtures/*/*/sam/*.yaml"),
        *ROOT.glob("fixtures/*/*/sam/*.json"),
        *ROOT.glob("fixtures/scenarios/sam_*/template.*"),
        *ROOT.glob("fixtures/examples/sam-app/template.yaml"),
    ]
    return sorted(p for p in found if not p.name.endswith(".expected.json"))


def translator_python() -> str | None:
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return chosen
    try:
        import samtranslator  # noqa: F401
    except ImportError:
        return None
    return sys.executable


@functools.cache
def _empty_home() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="samx-home-")  # removed when the driver exits


def clean_env(region: str | None = None) -> dict[str, str]:
    """No AWS variables, no ~/.aws: what a CI job or a fresh laptop has."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": _empty_home().name, "LANG": "C.UTF-8"}
    if region:
        env["AWS_DEFAULT_REGION"] = region
    return env


def offline(command: list[str]) -> list[str]:
    """The command in a network namespace of its own (no interface but loopback), where we may."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [unshare, "-n", *command]
    return command


def run_worker(
    python: str, jobs: list[dict[str, Any]], runs: int = 1, env: dict[str, str] | None = None
) -> dict[str, Any]:
    command = offline([python, str(Path(__file__).resolve()), "--worker"])
    done = subprocess.run(
        command,
        input=json.dumps({"jobs": jobs, "runs": runs}),
        capture_output=True,
        text=True,
        env=env or clean_env(),
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"translator worker failed ({done.returncode}):\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- iaclint's side: the same templates through our loader -----------------------------------

STAGE_KINDS = ("rest_stage", "v2_stage")
# Facts that say how a node was made, not what it deploys: they differ by construction.
BOOKKEEPING = frozenset({"api", "created_by", "sam_implicit_api"})
IMPLICIT_IDS = ("ServerlessRestApi", "ServerlessHttpApi")


def load_source(path: str, text: str) -> Any:
    """The template as iaclint reads it: (document, LoadedUnit)."""
    from iaclint.loaders.cloudformation import load_template, template_format
    from iaclint.loaders.documents import load_json, load_yaml

    document = load_json(text) if path.endswith(".json") else load_yaml(text)
    return document, load_template(path, document, template_format(document) or "sam")


def load_translated(path: str, template: dict[str, Any]) -> Any:
    """The translator's CloudFormation output through iaclint's CloudFormation loader."""
    from iaclint.loaders.cloudformation import load_template
    from iaclint.loaders.documents import load_json

    return load_template(path, load_json(json.dumps(template, indent=1)), "cloudformation")


def canonical(value: Any) -> Any:
    """Plain JSON with one spelling per intrinsic (`!GetAtt A.B` and `[A, B]` alike)."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Fn::GetAtt"), str):
            return {"Fn::GetAtt": value["Fn::GetAtt"].split(".", 1)}
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def shown(fact: Any) -> str:
    """A fact as one comparable string: '-' absent, the value, or '~' and its symbolic parts."""
    from iaclint.model import Section, Symbol

    if not fact.present:
        return "-"
    if fact.unknown:
        parts = fact.symbolic or ()
        return "~" + "".join(
            f"${{{p.node_id}.{p.attribute}}}" if isinstance(p, Symbol) else p if isinstance(p, str) else "?"
            for p in parts
        )
    value = fact.value
    if isinstance(value, tuple) and all(isinstance(item, Section) for item in value):
        entries = [{name: shown(f) for name, f in sorted(item.fields.items())} for item in value]
        return json.dumps(sorted(entries, key=json.dumps) if entries and "route_key" in entries[0] else entries)
    return json.dumps(canonical(value), sort_keys=True)


def owner(address: str, known: list[str]) -> str:
    """The source resource a generated logical id comes from: its longest known prefix."""
    candidates = [k for k in known if address.startswith(k)]
    return max(candidates, key=len) if candidates else "?" + address


def api_of(node: Any) -> str:
    from iaclint.model import Symbol

    parts = node.fact("api").symbolic or ()
    return parts[0].node_id if len(parts) == 1 and isinstance(parts[0], Symbol) else node.address


def view(unit: Any, known: list[str]) -> dict[tuple[str, str, str], Any]:
    """Nodes by (kind, source resource, stage name): the key both sides can agree on."""
    nodes: dict[tuple[str, str, str], Any] = {}
    for node in unit.resources:
        if node.kind is None:
            continue
        if node.kind in STAGE_KINDS:
            key = (str(node.kind), owner(api_of(node), known), shown(node.fact("stage_name")))
        else:
            key = (str(node.kind), owner(node.address, known), "")
        while key in nodes:
            key = (key[0], key[1], key[2] + "#")
        nodes[key] = node
    return nodes


def pair(ours: dict[tuple, Any], theirs: dict[tuple, Any]) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Matched (our key, their key) pairs, then keys only we have, then keys only they have.
    Exact keys first; then what is left of one kind and source resource pairs in order
    (an HttpApi stage we leave unnamed against the translator's "$default")."""
    pairs = [(k, k) for k in ours if k in theirs]
    left_ours = [k for k in ours if k not in theirs]
    left_theirs = [k for k in theirs if k not in ours]
    for key in list(left_ours):
        match = next((t for t in left_theirs if t[:2] == key[:2]), None)
        if match:
            pairs.append((key, match))
            left_ours.remove(key)
            left_theirs.remove(match)
    return pairs, left_ours, left_theirs


def fact_differences(ours: Any, theirs: Any) -> list[tuple[str, str, str]]:
    names = sorted((set(ours.facts) | set(theirs.facts)) - BOOKKEEPING)
    return [
        (n, shown(ours.fact(n)), shown(theirs.fact(n))) for n in names if shown(ours.fact(n)) != shown(theirs.fact(n))
    ]


def findings(unit: Any, rules: list[Any], known: list[str]) -> set[tuple[str, str]]:
    from iaclint.engine import check_unit

    return {(f.rule_id, owner(f.resource, known)) for f in check_unit(unit, rules)}


def source_index(document: Any) -> dict[str, list[int]]:
    """Every value written in the source, as canonical JSON, with the lines it is written at."""
    index: dict[str, list[int]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                index.setdefault(json.dumps(canonical(item), sort_keys=True), []).append(value.key_span(key).line)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return index


def raw_value(node: Any, path: str) -> Any:
    value = node.raw
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


# --- the five measurements -------------------------------------------------------------------


@dataclass
class Tally:
    templates: int = 0
    refused: int = 0
    pairs: int = 0
    identical: int = 0
    same_findings: int = 0
    differences: Counter = field(default_factory=Counter)  # by kind of difference
    lines: Counter = field(default_factory=Counter)  # generated facts traced back by value
    nodes: Counter = field(default_factory=Counter)  # generated nodes traced back by logical id


def compare(name: str, text: str, result: dict[str, Any], rules: list[Any], tally: Tally) -> list[str]:
    """One template both ways: the differences, as lines to print; counts go to the tally."""
    tally.templates += 1
    if "error" in result:
        tally.refused += 1
        return [f"translator refuses it ({result['error']['type']}): {'; '.join(result['error']['causes'])[:240]}"]
    document, ours = load_source(name, text)
    sources = document.get("Resources", {})
    known = [str(k) for k in sources] + list(IMPLICIT_IDS)
    theirs = load_translated(name, result["template"])
    our_view, their_view = view(ours, known), view(theirs, known)
    pairs, only_ours, only_theirs = pair(our_view, their_view)
    lines = [f"only ours: {' '.join(k)}" for k in only_ours] + [f"only translator: {' '.join(k)}" for k in only_theirs]
    tally.differences.update(f"only ours: {k[0]}" for k in only_ours)
    tally.differences.update(f"only translator: {k[0]}" for k in only_theirs)
    tally.pairs += len(pairs)
    for our_key, their_key in pairs:
        differences = fact_differences(our_view[our_key], their_view[their_key])
        tally.identical += not differences
        for fact, a, b in differences:
            lines.append(f"{' '.join(our_key)}: {fact}: ours {a} | translator {b}")
            tally.differences[
                f"{our_key[0]}.{fact}: ours {a if a == '-' else 'set'}, translator {b if b == '-' else 'set'}"
            ] += 1
    our_findings, their_findings = findings(ours, rules, known), findings(theirs, rules, known)
    tally.same_findings += our_findings == their_findings
    lines += [f"finding only ours: {' '.join(f)}" for f in sorted(our_findings - their_findings)]
    lines += [f"finding only translator: {' '.join(f)}" for f in sorted(their_findings - our_findings)]
    tally.differences.update(f"finding only ours: {f[0]}" for f in our_findings - their_findings)
    tally.differences.update(f"finding only translator: {f[0]}" for f in their_findings - our_findings)
    trace(document, our_view, their_view, pairs, tally)
    return lines


def trace(document: Any, ours: dict[tuple, Any], theirs: dict[tuple, Any], pairs: list[tuple], tally: Tally) -> None:
    """How far could a translated node and its facts be traced back to the SAM source, by
    logical id and by value? Only nodes SAM generates count; other resources pass through."""
    index = source_index(document)
    sources = document.get("Resources", {})
    for our_key, their_key in pairs:
        node, source = theirs[their_key], our_key[1]
        source_type = sources.get(source, {}).get("Type", "") if isinstance(sources.get(source), dict) else ""
        if source in sources and not source_type.startswith("AWS::Serverless::"):
            continue
        if source not in sources:
            tally.nodes["implicit API: no source resource, the creating event must be found again"] += 1
        elif node.address == source:
            tally.nodes["logical id is the SAM resource's"] += 1
        else:
            tally.nodes[f"generated logical id ({node.type}): by name prefix only"] += 1
        for name, fact in node.facts.items():
            if name in BOOKKEEPING or not fact.present:
                continue
            lines = set(index.get(json.dumps(canonical(raw_value(node, fact.path)), sort_keys=True), []))
            if not lines:
                tally.lines["value written nowhere in the source (synthesized or merged)"] += 1
            elif len(lines) > 1:
                tally.lines["value written at several lines (ambiguous)"] += 1
            elif lines == {ours[our_key].fact(name).location.line}:
                tally.lines["one line, the one iaclint reports"] += 1
            else:
                tally.lines["one line, another than iaclint reports"] += 1


def fidelity(paths: list[Path], translated: dict[str, Any], details: Path | None) -> Tally:
    from iaclint.registry import load_rules

    rules = load_rules()
    tally = Tally()
    print("\n## Fidelity: iaclint's SAM loader vs the translator's output read by iaclint's CloudFormation loader")
    for path in paths:
        name = relative(path)
        lines = compare(name, path.read_text(), translated[name], rules, tally)
        print(f"- {name}" + ("" if lines else ": same nodes, facts and findings"))
        for line in lines:
            print(f"    {line}")
        if details:
            out = details / (name.replace("/", "__") + ".json")
            body = {"translated": translated[name].get("template"), "differences": lines}
            out.write_text(json.dumps(body, indent=1, default=str))
    return tally


def cost(python: str, paths: list[Path], answer: dict[str, Any], runs: int) -> None:
    print("\n## Cost")
    ours_import = import_cost(sys.executable, "import iaclint.loaders.cloudformation, iaclint.loaders.documents")
    theirs_import = import_cost(
        python, "import samtranslator.translator.translator, samtranslator.parser.parser, samtranslator.yaml_helper"
    )
    for label, (seconds, modules, wall, rss) in (
        ("iaclint loaders", ours_import),
        ("aws-sam-translator", theirs_import),
    ):
        print(
            f"- import {label}: -X importtime total {seconds * 1000:.0f} ms over {modules} modules; "
            f"cold process wall {wall * 1000:.0f} ms over a bare interpreter; peak RSS {rss:.0f} MiB"
        )
    packages = answer["packages"]
    print(
        f"- translator's third-party packages on disk: {sum(packages.values()) / 2**20:.1f} MiB "
        f"({', '.join(f'{k} {v / 2**20:.1f}' for k, v in packages.items() if v > 2**19)})"
    )
    ours_times = []
    for path in paths:
        text, name = path.read_text(), relative(path)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            load_source(name, text)
            samples.append(time.perf_counter() - started)
        ours_times.append(statistics.median(samples))
    ok = [r for r in answer["results"] if "error" not in r]
    parse = [statistics.median(r["parse_seconds"]) for r in ok]
    translate = [statistics.median(r["translate_seconds"]) for r in ok]
    print(f"- per template, median of {runs} warm runs, over {len(paths)} fixtures ({len(ok)} the translator accepts):")
    print(
        f"    iaclint decode+load:        median {ms(ours_times)} ms, max {max(ours_times) * 1000:.2f} ms, "
        f"all {sum(ours_times) * 1000:.1f} ms"
    )
    print(
        f"    translator yaml_parse:      median {ms(parse)} ms, max {max(parse) * 1000:.2f} ms, all {sum(parse) * 1000:.1f} ms"
    )
    print(
        f"    translator translate:       median {ms(translate)} ms, max {max(translate) * 1000:.2f} ms, "
        f"all {sum(translate) * 1000:.1f} ms"
    )
    first = ok[0]
    print(
        f"    translator's first call in a process: {first['translate_seconds'][0] * 1000:.1f} ms, against "
        f"{statistics.median(first['translate_seconds']) * 1000:.1f} ms warm on the same template; its import "
        f"in that process {answer['import_seconds'] * 1000:.0f} ms"
    )


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.2f}"


def import_cost(python: str, statement: str) -> tuple[float, int, float, float]:
    """(-X importtime total seconds, module count, cold wall seconds over `pass`, peak RSS MiB)."""
    done = subprocess.run([python, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True)
    rows = [
        line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:") and "self" not in line
    ]
    total = sum(int(row[0].split(":")[1]) for row in rows) / 1e6

    def wall(code: str) -> float:
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run([python, "-c", code], check=True)
            samples.append(time.perf_counter() - started)
        return min(samples)

    rss_code = statement + "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    rss = int(subprocess.run([python, "-c", rss_code], capture_output=True, text=True, check=True).stdout) / 1024
    return total, len(rows), wall(statement) - wall("pass"), rss


HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
# An API that must be reported (no access logs) next to each defect: is it still checked?
BAD_API = """  BadApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      OpenApiVersion: 3.0.1
"""


def function(events: str, code: str = "      InlineCode: 'def handler(e, c): pass'\n") -> str:
    return (
        "  Handler:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        f"      Runtime: python3.12\n      Handler: app.handler\n{code}      Events:\n{events}"
    )


SAR = "nested application from the Serverless Application Repository"
API_EVENT = "        Get:\n          Type: Api\n          Properties:\n            RestApiId: !Ref BadApi\n"
PARTIAL = {
    "local CodeUri (any template before sam build)": function(
        API_EVENT + "            Path: /\n            Method: get\n", "      CodeUri: src/\n"
    ),
    "function without CodeUri or InlineCode": function(
        API_EVENT + "            Path: /\n            Method: get\n", ""
    ),
    "Api event without Path and Method": function(API_EVENT),
    "event Type misspelled (API)": function(
        "        Get:\n          Type: API\n          Properties:\n            Path: /\n            Method: get\n"
    ),
    "Events under Fn::If": function(
        "        Fn::If:\n          - IsProd\n          - Get:\n              Type: Api\n"
        "              Properties: {Path: /, Method: get}\n          - !Ref AWS::NoValue\n"
    ),
    "Path from Fn::Sub": function(API_EVENT + "            Path: !Sub /${AWS::Region}\n            Method: get\n"),
    "StageName from a parameter without Default": "  BadApi:\n    Type: AWS::Serverless::Api\n"
    "    Properties:\n      StageName: !Ref Stage\n      OpenApiVersion: 3.0.1\n",
    "access log destination from an undeclared parameter": "  BadApi:\n    Type: AWS::Serverless::Api\n"
    "    Properties:\n      StageName: prod\n      OpenApiVersion: 3.0.1\n      AccessLogSetting:\n"
    "        DestinationArn: !Ref Undeclared\n        Format: $context.status\n",
    "Globals.Api.StageName (not a Globals property)": "  Other:\n    Type: AWS::Serverless::Api\n"
    "    Properties:\n      OpenApiVersion: 3.0.1\n",
    SAR: "  App:\n"
    "    Type: AWS::Serverless::Application\n    Properties:\n      Location:\n"
    "        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/x\n"
    "        SemanticVersion: 1.0.0\n",
}
_PREAMBLE = {
    "Events under Fn::If": "Conditions:\n  IsProd: !Equals [!Ref AWS::AccountId, '123456789012']\n",
    "StageName from a parameter without Default": "Parameters:\n  Stage:\n    Type: String\n",
    "Globals.Api.StageName (not a Globals property)": "Globals:\n  Api:\n    StageName: prod\n",
}


def partial_template(case: str) -> str:
    resources = PARTIAL[case]
    api = "" if resources.startswith("  BadApi") else BAD_API
    return HEAD + _PREAMBLE.get(case, "") + "Resources:\n" + api + resources


def partial(python: str) -> None:
    from iaclint.engine import check_unit
    from iaclint.registry import load_rules

    print("\n## Partial and invalid templates (translator as written, region given, offline)")
    rules = load_rules()
    jobs = [{"name": case, "text": partial_template(case), "prepare": False, "region": REGION} for case in PARTIAL]
    answer = run_worker(python, jobs)
    for case, result in zip(PARTIAL, answer["results"]):
        if "error" in result:
            theirs = f"raises {result['error']['type']}: {'; '.join(result['error']['causes'])[:200]}"
        else:
            generated = result["template"]["Resources"]
            stages = sorted(
                k
                for k, v in generated.items()
                if v["Type"] in ("AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")
            )
            theirs = f"ok, {len(generated)} resources; stages and deployments: {', '.join(stages)}"
        _, unit = load_source("partial.yaml", partial_template(case))
        found = sorted({f"{f.rule_id}@{f.resource}" for f in check_unit(unit, rules)})
        ours = f"{len(unit.errors)} load errors, findings {', '.join(found) or 'none'}"
        print(f"- {case}\n    translator: {theirs}\n    iaclint:    {ours}")


def environment(python: str, sample: Path) -> None:
    network = "no network" if offline(["x"])[0] != "x" else "network as is"
    print(f"\n## Environment (no AWS variables, empty HOME, {network})")
    sar = partial_template(SAR)
    probes = [
        ("no region anywhere", sample.read_text(), None, None),
        ("AWS_DEFAULT_REGION only, no credentials", sample.read_text(), REGION, None),
        ("region given by the caller (boto3 Session), no credentials", sample.read_text(), None, REGION),
        ("a Serverless Application Repository app, region given by the caller", sar, None, REGION),
        ("a Serverless Application Repository app, AWS_DEFAULT_REGION, no credentials", sar, REGION, None),
    ]
    for label, text, env_region, session_region in probes:
        job = {"name": label, "text": text, "prepare": True, "region": session_region}
        started = time.perf_counter()
        (result,) = run_worker(python, [job], env=clean_env(env_region))["results"]
        took = time.perf_counter() - started
        outcome = (
            f"raises {result['error']['type']}: {result['error']['causes'][0][:160]}" if "error" in result else "ok"
        )
        print(f"- {label}: {outcome} ({took:.1f} s for the whole child process)")
    for region in ("us-gov-west-1", "cn-north-1"):
        (result,) = run_worker(
            python, [{"name": region, "text": sample.read_text(), "prepare": True, "region": region}]
        )["results"]
        arns = sorted({v.split(":")[1] for v in _strings(result.get("template", {})) if v.startswith("arn:aws")})
        print(f"- region {region}: partitions written into generated ARNs: {', '.join(arns) or 'none'}")


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


LOGS = (
    "    AccessLogSetting:\n      DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:a\n"
    "      Format: $context.requestId\n"
)
GET = "        Get:\n          Type: Api\n          Properties:\n            Path: /\n            Method: get\n"
# Targeted templates for SAM behaviour the fixtures do not exercise: compared like the fixtures.
QUIRKS = {
    "implicit API from a function under a condition that is false": "Parameters:\n  Env:\n    Type: String\n"
    "    Default: dev\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n"
    + function(GET).replace(
        "    Type: AWS::Serverless::Function\n", "    Type: AWS::Serverless::Function\n    Condition: IsProd\n"
    ),
    "implicit API from a function under a condition of unknown value": "Parameters:\n  Env:\n    Type: String\n"
    "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n"
    + function(GET).replace(
        "    Type: AWS::Serverless::Function\n", "    Type: AWS::Serverless::Function\n    Condition: IsProd\n"
    ),
    "explicit API under a condition": "Parameters:\n  Env:\n    Type: String\nConditions:\n"
    "  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Condition: IsProd\n"
    "    Properties:\n      StageName: prod\n",
    "IgnoreGlobals on an API": "Globals:\n  Api:\n    OpenApiVersion: 3.0.1\n"
    + LOGS
    + "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    IgnoreGlobals: '*'\n    Properties:\n"
    "      StageName: prod\n",
    "OpenApiVersion from a parameter": "Parameters:\n  Version:\n    Type: String\n    Default: 3.0.1\nResources:\n"
    "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      OpenApiVersion: !Ref Version\n",
    "OpenApiVersion 2.0 (SAM accepts any 2.x or 3.x)": "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n"
    "    Properties:\n      StageName: prod\n      OpenApiVersion: '2.0'\n",
    "OpenApiVersion empty": "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n"
    "      StageName: prod\n      OpenApiVersion: ''\n",
    "DefinitionBody in OpenAPI 3 without OpenApiVersion": "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n"
    "    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: 3.0.1\n"
    "        info: {title: t, version: '1'}\n        paths: {}\n",
    "account setting naming the role SAM generates for a function": "Resources:\n  Account:\n"
    "    Type: AWS::ApiGateway::Account\n    Properties:\n      CloudWatchRoleArn: !GetAtt HandlerRole.Arn\n"
    + function(GET),
}


def quirks(python: str) -> Tally:
    from iaclint.registry import load_rules

    print("\n## Targeted SAM behaviour, compared the same way")
    rules, tally = load_rules(), Tally()
    texts = {case: HEAD + body for case, body in QUIRKS.items()}
    jobs = [{"name": case, "text": text, "prepare": True, "region": REGION} for case, text in texts.items()]
    for case, result in zip(QUIRKS, run_worker(python, jobs)["results"]):
        lines = compare("quirk.yaml", texts[case], result, rules, tally)
        print(f"- {case}" + ("" if lines else ": same nodes, facts and findings"))
        for line in lines:
            print(f"    {line}")
    return tally


def summary(tally: Tally) -> None:
    accepted = tally.templates - tally.refused
    print(
        f"\nSummary: the translator refuses {tally.refused} of {tally.templates}; over the {accepted} others, "
        f"{tally.pairs} node pairs of which {tally.identical} agree on every fact, and the same findings "
        f"(rule, source resource) in {tally.same_findings} templates. Differences by kind:"
    )
    for label, count in sorted(tally.differences.items(), key=lambda item: (-item[1], item[0])):
        print(f"    {count:4d}  {label}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="warm runs per template for the timings")
    parser.add_argument("--details", type=Path, help="write translated templates and differences here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker()
    python = translator_python()
    if python is None:
        print(f"aws-sam-translator not found: set {ENV_VAR} to a python that has it (see the docstring); skipped")
        return 0
    if args.details:
        args.details.mkdir(parents=True, exist_ok=True)
    paths = sam_fixtures()
    version = subprocess.run(
        [python, "-c", "import samtranslator; print(samtranslator.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(
        f"# SAM expansion: aws-sam-translator {version} vs iaclint, {len(paths)} SAM fixtures, "
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus"
    )
    jobs = [{"name": relative(p), "text": p.read_text(), "prepare": True, "region": REGION} for p in paths]
    prepared = run_worker(python, jobs, runs=args.runs)
    raw = run_worker(python, [{**job, "prepare": False} for job in jobs], env=clean_env(REGION))
    raw_failures = [r for r in raw["results"] if "error" in r]
    print(
        f"\nAs written (region set, no placeholders): the translator refuses {len(raw_failures)} of {len(paths)} templates; "
        f"with local paths replaced by s3:// placeholders: {sum('error' in r for r in prepared['results'])}."
    )
    tally = fidelity(paths, {r["name"]: r for r in prepared["results"]}, args.details)
    summary(tally)
    print("\n## Line numbers: nodes SAM generates, traced back to the source (fixtures)")
    for label, count in sorted(tally.nodes.items()) + sorted(tally.lines.items()):
        print(f"- {label}: {count}")
    summary(quirks(python))
    cost(python, paths, prepared, args.runs)
    environment(python, ROOT / "fixtures/scenarios/sam_implicit_globals/template.yaml")
    partial(python)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
