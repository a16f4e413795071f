"""IAM policy reasoning for the API Gateway account setting: does a role trust a service, can it
write CloudWatch Logs, which policy resources give it that, and who needs the setting at all.

Every answer is True, False or None, where None means the code alone cannot tell (a policy from a
variable, a data source whose statements are not literal, a customer managed policy ARN). Rules
report only on False: unknown is never a finding.

Policy documents come in several shapes and are read into one model (`Document`):
- CloudFormation: a mapping (`AssumeRolePolicyDocument`, `PolicyDocument`), or a JSON string;
  `!Sub "apigateway.${AWS::URLSuffix}"` and `arn:${AWS::Partition}:...` are read with their
  pseudo parameters filled in, any other intrinsic is unknown.
- Terraform: `jsonencode({...})` (the loader's value when fully known; otherwise the object is
  read here with its unknown leaves, so a `Condition` naming an account id does not hide the
  principal), a heredoc or string of JSON, or `data.aws_iam_policy_document.x.json`, whose
  literal `statement` blocks are read from the data source's declaration (`Resource.raw`).
  Reading Terraform syntax is otherwise the loaders' job; this module does it only for policy
  documents, which the catalog keeps as opaque values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Iterable

from iaclint.kinds import Kind
from iaclint.model import UNKNOWN, Fact, Resource, Symbol

if TYPE_CHECKING:
    from iaclint.graph import ResourceGraph

APIGATEWAY_SERVICE = "apigateway.amazonaws.com"
PUSH_TO_CLOUDWATCH_LOGS = "AmazonAPIGatewayPushToCloudWatchLogs"
PUSH_TO_CLOUDWATCH_LOGS_ARN = f"arn:aws:iam::aws:policy/service-role/{PUSH_TO_CLOUDWATCH_LOGS}"

# What AmazonAPIGatewayPushToCloudWatchLogs grants (its policy document, v1, unchanged since
# 2015), and what the developer guide ("Set up CloudWatch logging for REST APIs") lists as the
# permissions API Gateway needs from the account's CloudWatch role.
LOGS_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
)

# AWS managed policies whose grants we know; any other managed ARN is unknown, not "grants none".
_MANAGED_GRANTS: dict[str, tuple[str, ...]] = {
    PUSH_TO_CLOUDWATCH_LOGS: LOGS_ACTIONS,
    "CloudWatchLogsFullAccess": ("logs:*",),
    "AdministratorAccess": ("*",),
}
_AWS_MANAGED_ARN = re.compile(r":iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")

# CloudFormation pseudo parameters whose value does not change what a policy means here.
_PSEUDO = {"AWS::URLSuffix": "amazonaws.com", "AWS::Partition": "aws"}
_GAP = "\x00"  # stands for a part of a string the code does not give

_TF_DOCUMENT_TYPE = "aws_iam_policy_document"
_TF_POLICY_TYPE = "aws_iam_policy"  # a customer managed policy (no node kind): read raw


# --- three-valued logic --------------------------------------------------------------------


def _all(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _any(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


# --- the document model --------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One policy statement; every str may also be UNKNOWN."""

    effect: Any
    actions: tuple[Any, ...] | None  # None: the statement has no Action (NotAction, or neither)
    not_actions: tuple[Any, ...] | None
    # (principal type, identifier) pairs: ("Service", "apigateway.amazonaws.com"), ("*", "*").
    principals: tuple[tuple[Any, Any], ...] | None
    not_principal: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class Document:
    statements: tuple[Statement, ...]
    # False when the code may add statements we cannot see (a dynamic block, a merged source
    # document, a statement list that is not literal).
    complete: bool = True


def _text(value: Any) -> Any:
    """A string as the code gives it: str, a CloudFormation Sub/Join with gaps, or UNKNOWN."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Ref" and argument in _PSEUDO:
            return _PSEUDO[argument]
        if function == "Fn::Sub":
            text = argument[0] if isinstance(argument, list) and argument else argument
            if isinstance(text, str):
                return re.sub(r"\$\{([^}!][^}]*)\}", lambda m: _PSEUDO.get(m.group(1).strip(), _GAP), text)
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            delimiter, items = argument
            if isinstance(delimiter, str) and isinstance(items, list):
                parts = [_text(item) for item in items]
                return delimiter.join(part if isinstance(part, str) else _GAP for part in parts)
    return UNKNOWN


def _exact(value: Any) -> Any:
    """A string with no gaps, else UNKNOWN."""
    text = _text(value)
    return text if isinstance(text, str) and _GAP not in text else UNKNOWN


def _strings(value: Any) -> tuple[Any, ...]:
    """A string-or-list policy element as a tuple of str / UNKNOWN."""
    if isinstance(value, list):
        return tuple(_exact(item) for item in value)
    return (_exact(value),)


def _principals(value: Any) -> tuple[tuple[Any, Any], ...]:
    if value == "*":
        return (("*", "*"),)
    if isinstance(value, dict) and not _is_intrinsic(value):
        pairs: list[tuple[Any, Any]] = []
        for kind, identifiers in value.items():
            pairs.extend((kind, identifier) for identifier in _strings(identifiers))
        return tuple(pairs)
    return ((UNKNOWN, UNKNOWN),)


def _is_intrinsic(value: Any) -> bool:
    """A CloudFormation function call ({"Ref": ...}, {"Fn::Sub": ...}) rather than a mapping."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return key in ("Ref", "Condition") or str(key).startswith("Fn::")


def document_from_value(value: Any) -> Document | None:
    """A policy document from a JSON string or a mapping (values may be UNKNOWN); None when it is
    not one at all."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict) or _is_intrinsic(value):
        return None
    raw_statements = value.get("Statement")
    if isinstance(raw_statements, dict) and not _is_intrinsic(raw_statements):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list):
        return Document((), complete=False)
    statements = []
    complete = True
    for raw in raw_statements:
        if not isinstance(raw, dict) or _is_intrinsic(raw):
            complete = False
            continue
        statements.append(
            Statement(
                effect=_exact(raw.get("Effect")),
                actions=_strings(raw["Action"]) if "Action" in raw else None,
                not_actions=_strings(raw["NotAction"]) if "NotAction" in raw else None,
                principals=_principals(raw["Principal"]) if "Principal" in raw else None,
                not_principal="NotPrincipal" in raw,
                conditional=bool(raw.get("Condition")),
            )
        )
    return Document(tuple(statements), complete)


# --- questions on a document ---------------------------------------------------------------


def _pattern_matches(pattern: Any, name: str) -> bool | None:
    if not isinstance(pattern, str):
        return None
    return fnmatchcase(name.lower(), pattern.lower())  # IAM wildcards: * and ?


def _action_matches(statement: Statement, action: str) -> bool | None:
    if statement.actions is not None:
        return _any(_pattern_matches(p, action) for p in statement.actions)
    if statement.not_actions is not None:
        excluded = _any(_pattern_matches(p, action) for p in statement.not_actions)
        return None if excluded is None else not excluded
    return False


def _principal_matches(statement: Statement, service: str) -> bool | None:
    if statement.not_principal:
        return None
    if statement.principals is None:
        return False

    def one(kind: Any, identifier: Any) -> bool | None:
        if kind == "*":
            return True  # "Principal": "*" (Terraform: type "*"), which services match too
        if not isinstance(kind, str) or not isinstance(identifier, str):
            return None
        return kind.lower() == "service" and identifier.lower() == service.lower()

    return _any(one(kind, identifier) for kind, identifier in statement.principals)


def _decide(document: Document, matches: Any) -> bool | None:
    """Whether the document allows what `matches(statement)` describes: an explicit Deny wins,
    an Allow grants, anything unreadable makes the answer unknown."""
    allowed: bool | None = False
    denied: bool | None = False
    for statement in document.statements:
        match = matches(statement)
        if match is False:
            continue
        effect = statement.effect
        if effect == "Deny":
            denied = True if match and not statement.conditional else (denied or None)
        elif effect == "Allow":
            allowed = True if match else (allowed or None)
        else:
            allowed = allowed or None
            denied = denied or None
    if denied is True:
        return False
    if allowed is True:
        return True if denied is False else None
    if allowed is None or not document.complete:
        return None
    return False


def allows_action(document: Document, action: str) -> bool | None:
    return _decide(document, lambda s: _action_matches(s, action))


def trusts(document: Document, service: str) -> bool | None:
    """Whether a trust policy lets `service` assume the role (sts:AssumeRole)."""
    return _decide(document, lambda s: _all((_action_matches(s, "sts:AssumeRole"), _principal_matches(s, service))))


def trusted_services(document: Document) -> list[str]:
    """The service principals an Allow statement names, for messages."""
    found = []
    for statement in document.statements:
        if statement.effect != "Allow":
            continue
        for kind, identifier in statement.principals or ():
            if isinstance(kind, str) and kind.lower() == "service" and isinstance(identifier, str):
                found.append(identifier)
            elif kind == "*" or identifier == "*":
                found.append("*")
    return sorted(set(found))


# --- reading documents from the code -------------------------------------------------------


def document_of(graph: ResourceGraph, node: Resource, fact: Fact, expr: Any = None) -> Document | None:
    """The policy document a fact holds; None when it cannot be read.

    `expr` is the Terraform expression behind the fact, for values the loader could not
    evaluate whole (found from `node.raw` for a top-level attribute when not given).
    """
    if not fact.present:
        return None
    if fact.known:
        return document_from_value(fact.value)
    for part in fact.symbolic or ():
        if isinstance(part, Symbol) and part.attribute == "json":
            source = graph.get(part.node_id)
            if source is not None and source.type == _TF_DOCUMENT_TYPE:
                return _tf_document_block(source.raw)
    if expr is None:
        expr = _tf_attribute_expr(node.raw, fact.path)
    return _tf_document_expr(graph, expr)


def _tf_attribute_expr(raw: Any, name: str) -> Any:
    if type(raw).__name__ != "Block":  # not Terraform: no need to import the HCL module
        return None
    from iaclint.loaders.hcl import Block

    if not isinstance(raw, Block) or "." in name:
        return None
    attribute = raw.body.attributes.get(name)
    return attribute.expr if attribute is not None else None


def _tf_document_expr(graph: ResourceGraph, expr: Any) -> Document | None:
    """jsonencode({...}) with unknown leaves, or data.aws_iam_policy_document.x.json."""
    from iaclint.loaders.hcl import Call, Traversal
    from iaclint.loaders.terraform_values import Scope

    if isinstance(expr, Call) and expr.name == "jsonencode" and len(expr.args) == 1:
        return document_from_value(Scope({}, {}).evaluate(expr.args[0]))
    if isinstance(expr, Traversal) and expr.root == "data" and expr.steps[:1] == (_TF_DOCUMENT_TYPE,):
        source = graph.get(expr.dotted(3) or "")
        if source is not None:
            return _tf_document_block(source.raw)
    return None


def _tf_document_block(raw: Any) -> Document | None:
    """The literal statements of a `data "aws_iam_policy_document"` block."""
    from iaclint.loaders.hcl import Block
    from iaclint.loaders.terraform_values import Scope

    if not isinstance(raw, Block):
        return None
    scope = Scope({}, {})
    body = raw.body
    merged = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")
    complete = not any(name in body.attributes for name in merged)
    complete = complete and not any(b.labels == ("statement",) for b in body.blocks_of("dynamic"))
    entries: list[dict[str, Any]] = []
    for block in body.blocks_of("statement"):
        entry: dict[str, Any] = {name: scope.evaluate(a.expr) for name, a in block.body.attributes.items()}
        for kind in ("principals", "not_principals"):
            entry[kind] = [
                {name: scope.evaluate(a.expr) for name, a in inner.body.attributes.items()}
                for inner in block.body.blocks_of(kind)
            ]
            if any(b.labels == (kind,) for b in block.body.blocks_of("dynamic")):
                entry[kind].append(UNKNOWN)
        entry["condition"] = bool(block.body.blocks_of("condition")) or any(
            b.labels == ("condition",) for b in block.body.blocks_of("dynamic")
        )
        entries.append(entry)
    if "statement" in body.attributes:  # .tf.json writes blocks as lists of objects
        value = scope.evaluate(body.attributes["statement"].expr)
        items = value if isinstance(value, list) else [value]
        complete = complete and all(isinstance(item, dict) for item in items)
        entries.extend(item for item in items if isinstance(item, dict))
    statements = [_tf_statement(entry) for entry in entries]
    return Document(tuple(statements), complete)


def _tf_statement(entry: dict[str, Any]) -> Statement:
    def listed(name: str) -> tuple[Any, ...] | None:
        if name not in entry or entry[name] is None:
            return None
        value = entry[name]
        if not isinstance(value, list):
            return (UNKNOWN,)
        return tuple(item if isinstance(item, str) else UNKNOWN for item in value)

    principals: list[tuple[Any, Any]] = []
    for block in entry.get("principals") or []:
        if not isinstance(block, dict):
            principals.append((UNKNOWN, UNKNOWN))
            continue
        kind = block.get("type")
        identifiers = block.get("identifiers")
        kind = kind if isinstance(kind, str) else UNKNOWN
        if not isinstance(identifiers, list):
            principals.append((kind, UNKNOWN))
            continue
        principals.extend((kind, i if isinstance(i, str) else UNKNOWN) for i in identifiers)
    effect = entry.get("effect", "Allow")
    return Statement(
        effect="Allow" if effect is None else effect if isinstance(effect, str) else UNKNOWN,
        actions=listed("actions"),
        not_actions=listed("not_actions"),
        principals=tuple(principals) if principals else None,
        not_principal=bool(entry.get("not_principals")),
        conditional=bool(entry.get("condition")),
    )


# --- trust ---------------------------------------------------------------------------------


def trust_document(graph: ResourceGraph, role: Resource) -> Document | None:
    return document_of(graph, role, role.fact("trust_policy"))


def trusts_service(graph: ResourceGraph, role: Resource, service: str = APIGATEWAY_SERVICE) -> bool | None:
    """Whether the role's trust policy lets `service` assume it."""
    fact = role.fact("trust_policy")
    if fact.present and fact.known and not isinstance(fact.value, (str, dict)):
        return None
    document = trust_document(graph, role)
    return None if document is None else trusts(document, service)


# --- permissions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """What one source of permissions (a managed policy, an inline policy, a policy resource)
    says about each action: True allowed, False not allowed, None cannot tell; and which
    actions it explicitly denies (a Deny wins over any Allow, in any policy)."""

    actions: dict[str, bool | None]
    denies: frozenset[str] = frozenset()


def _unknown(actions: tuple[str, ...]) -> Grant:
    return Grant({action: None for action in actions})


def _grant_from_document(document: Document | None, actions: tuple[str, ...]) -> Grant:
    if document is None:
        return _unknown(actions)
    denies = frozenset(
        action
        for action in actions
        for statement in document.statements
        if statement.effect == "Deny" and not statement.conditional and _action_matches(statement, action) is True
    )
    return Grant({action: allows_action(document, action) for action in actions}, denies)


def _grant_from_managed(text: Any, actions: tuple[str, ...]) -> Grant:
    name = managed_policy_name(text)
    if name not in _MANAGED_GRANTS:
        return _unknown(actions)
    patterns = _MANAGED_GRANTS[name]
    return Grant({action: any(fnmatchcase(action.lower(), p.lower()) for p in patterns) for action in actions})


def managed_policy_name(text: Any) -> str | None:
    """The name of the AWS managed policy an ARN (possibly with gaps) names."""
    match = _AWS_MANAGED_ARN.search(text) if isinstance(text, str) else None
    return match.group("name") if match else None


def _fact_text(fact: Fact) -> Any:
    if fact.known:
        return _text(fact.value)
    if fact.symbolic:
        return "".join(part if isinstance(part, str) else _GAP for part in fact.symbolic)
    return UNKNOWN


def _tf_text(expr: Any) -> Any:
    from iaclint.loaders.hcl import Literal, Template

    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template):
        return "".join(part if isinstance(part, str) else _GAP for part in expr.parts)
    return UNKNOWN


def _policy_node_grant(graph: ResourceGraph, node: Resource, actions: tuple[str, ...]) -> Grant:
    """A policy that a managed policy list or an attachment points at: a CloudFormation
    AWS::IAM::ManagedPolicy, a Terraform aws_iam_policy, or data.aws_iam_policy (by name or ARN)."""
    from iaclint.loaders.terraform_values import Scope

    if node.kind == Kind.IAM_ROLE_POLICY:
        return _grant_from_document(document_of(graph, node, node.fact("policy")), actions)
    if node.address.startswith(f"data.{_TF_POLICY_TYPE}."):
        # data "aws_iam_policy" looks a policy up by ARN or by name (AWS managed ones included).
        for attribute in ("arn", "name"):
            value = Scope({}, {}).evaluate(_tf_attribute_expr(node.raw, attribute))
            if isinstance(value, str):
                return _grant_from_managed(value if attribute == "arn" else f":iam::aws:policy/{value}", actions)
    elif node.type == _TF_POLICY_TYPE:
        expr = _tf_attribute_expr(node.raw, "policy")
        value = Scope({}, {}).evaluate(expr)
        document = document_from_value(value) if value is not UNKNOWN else _tf_document_expr(graph, expr)
        return _grant_from_document(document, actions)
    return _unknown(actions)


def _managed_list_grants(graph: ResourceGraph, role: Resource, actions: tuple[str, ...]) -> list[Grant]:
    """Grants from a role's list of managed policy ARNs (managed_policy_arns / ManagedPolicyArns)."""
    fact = role.fact("managed_policies")
    if not fact.present:
        return []
    if fact.unknown or not isinstance(fact.value, list):
        return [_unknown(actions)]
    items = getattr(_tf_attribute_expr(role.raw, fact.path), "items", ())
    referenced = [node for node in graph.references(role, fact.path) if not node.external]
    grants = [_policy_node_grant(graph, node, actions) for node in referenced]
    by_reference = 0
    for index, item in enumerate(fact.value):
        text = _text(item)
        if text is UNKNOWN and index < len(items):
            text = _tf_text(items[index])  # "arn:${data.aws_partition.x.partition}:iam::aws:policy/..."
        if managed_policy_name(text):
            grants.append(_grant_from_managed(text, actions))
        elif item is UNKNOWN or (isinstance(item, dict) and next(iter(item), None) in ("Ref", "Fn::GetAtt")):
            by_reference += 1  # answered by the referenced nodes above, if it names one
        else:
            grants.append(_unknown(actions))  # a customer managed policy's ARN
    if by_reference > len(referenced):
        grants.append(_unknown(actions))  # a variable or a parameter
    return grants


def _inline_grants(graph: ResourceGraph, role: Resource, actions: tuple[str, ...]) -> list[Grant]:
    """Grants from the role's own inline policies (inline_policy blocks / Policies)."""
    fact = role.fact("inline_policies")
    if not fact.present:
        return []
    if fact.unknown:
        return [_unknown(actions)]
    blocks = role.raw.body.blocks_of(fact.path) if hasattr(role.raw, "body") else []  # HCL, not a plan
    grants = []
    for index, section in enumerate(fact.value):
        attribute = blocks[index].body.attributes.get("policy") if index < len(blocks) else None
        document = document_of(graph, role, section.fact("policy"), attribute.expr if attribute else None)
        grants.append(_grant_from_document(document, actions))
    return grants


def role_policies(graph: ResourceGraph, role: Resource) -> list[tuple[Resource, bool | None]]:
    """Policy resources (attachments, inline role policies, AWS::IAM::Policy Roles) that may
    give the role permissions: (node, True if it names the role, None if it may)."""
    found = []
    for policy in graph.resources(Kind.IAM_ROLE_POLICY):
        verdict = _names_role(graph, policy, role)
        if verdict is not False:
            found.append((policy, verdict))
    return found


def _names_role(graph: ResourceGraph, policy: Resource, role: Resource) -> bool | None:
    """Whether a policy resource's role (or roles) is this role: by reference, or by a literal
    name equal to the role's name."""
    roles = policy.fact("roles")
    if not roles.present:
        return False
    referenced = graph.references(policy, roles.path)
    if any(node.node_id == role.node_id for node in referenced):
        return True
    if roles.unknown:
        parts = roles.symbolic or (UNKNOWN,)
        return False if referenced and all(isinstance(p, (str, Symbol)) for p in parts) else None
    name = role.fact("name")
    verdicts: list[bool | None] = []
    for item in roles.value if isinstance(roles.value, list) else [roles.value]:
        if isinstance(item, str):
            verdicts.append(None if name.unknown else name.known and item == name.value)
        elif item is UNKNOWN or isinstance(item, dict):
            verdicts.append(False if referenced else None)  # a reference, to another role
        else:
            verdicts.append(None)
    return _any(verdicts)


def _attached_grant(graph: ResourceGraph, policy: Resource, actions: tuple[str, ...]) -> Grant:
    """What a policy resource grants: an attachment's managed policy, or its own document."""
    arn = policy.fact("policy_arn")
    if not arn.present:
        return _grant_from_document(document_of(graph, policy, policy.fact("policy")), actions)
    text = _fact_text(arn)
    if managed_policy_name(text):
        return _grant_from_managed(text, actions)
    targets = [node for node in graph.references(policy, arn.path) if not node.external]
    return _policy_node_grant(graph, targets[0], actions) if targets else _unknown(actions)


def role_grants(graph: ResourceGraph, role: Resource, actions: tuple[str, ...] = LOGS_ACTIONS) -> list[Grant]:
    """Every source of the role's permissions the code shows, each with its verdicts."""
    grants = _managed_list_grants(graph, role, actions) + _inline_grants(graph, role, actions)
    for policy, names in role_policies(graph, role):
        grant = _attached_grant(graph, policy, actions)
        if names is None:  # it may be another role's: what it allows is unknown for this one
            grant = Grant({a: None if v is not False else False for a, v in grant.actions.items()})
        grants.append(grant)
    return grants


def combine(grants: list[Grant], actions: tuple[str, ...] = LOGS_ACTIONS) -> dict[str, bool | None]:
    """Per action: denied anywhere -> False; allowed somewhere -> True; else unknown or False."""
    result: dict[str, bool | None] = {}
    for action in actions:
        if any(action in grant.denies for grant in grants):
            result[action] = False
        else:
            result[action] = _any(grant.actions.get(action) for grant in grants)
    return result


def missing_logs_actions(graph: ResourceGraph, role: Resource) -> list[str] | None:
    """The logs actions the role certainly lacks ([] when it has them all); None when some
    cannot be told and none is certainly missing."""
    verdicts = combine(role_grants(graph, role))
    missing = [action for action, verdict in verdicts.items() if verdict is False]
    if missing:
        return missing
    return [] if all(verdicts.values()) else None


def grants_logs_with(graph: ResourceGraph, role: Resource, policies: Iterable[Resource] = ()) -> bool:
    """True when the role resource itself (managed policy list, inline policies) and these
    separate policy resources certainly grant every logs action between them."""
    grants = _managed_list_grants(graph, role, LOGS_ACTIONS) + _inline_grants(graph, role, LOGS_ACTIONS)
    grants += [_attached_grant(graph, policy, LOGS_ACTIONS) for policy in policies]
    return all(verdict is True for verdict in combine(grants).values())


def logs_policy_resources(graph: ResourceGraph, role: Resource) -> list[Resource]:
    """Separate policy resources that certainly name the role and grant it some logs action."""
    found = []
    for policy, names in role_policies(graph, role):
        if names is True and any(v is True for v in _attached_grant(graph, policy, LOGS_ACTIONS).actions.values()):
            found.append(policy)
    return found


# --- the account setting ---------------------------------------------------------------------


def account_role(graph: ResourceGraph, account: Resource) -> Resource | None:
    """The role of the scan an account setting names, by reference or by a literal ARN ending in
    the role's name; None when it names no role of the scan (or none at all)."""
    fact = account.fact("cloudwatch_role")
    if not fact.present:
        return None
    for node in graph.references(account, fact.path):
        if node.kind == Kind.IAM_ROLE:
            return node
    text = _fact_text(fact)  # "arn:aws:iam::123456789012:role/x", or with ${AWS::AccountId}
    if isinstance(text, str) and ":role/" in text:
        wanted = text.rsplit("/", 1)[-1]
        for role in graph.resources(Kind.IAM_ROLE):
            name = role.fact("name")
            if wanted and _GAP not in wanted and name.known and name.value == wanted:
                return role
    return None


def sets_role(account: Resource) -> bool | None:
    """Whether an account setting names a CloudWatch role at all (None: from a variable)."""
    fact = account.fact("cloudwatch_role")
    if not fact.present:
        return False
    if fact.unknown:
        return None if not fact.symbolic else True
    return isinstance(fact.value, str) and bool(fact.value.strip())


def may_not_exist(node: Resource) -> bool:
    """A Terraform resource with count or for_each: how many exist is not known here."""
    return node.fact("meta.count").present or node.fact("meta.for_each").present


def region_key(node: Resource) -> str:
    """Which provider configuration (so which region) a Terraform resource is created with;
    "" for the default one and for CloudFormation (one template, one region)."""
    provider = node.fact("meta.provider")
    if not provider.present:
        return ""
    return provider.value if provider.known else "?"
