"""A logging resource is not ordered after something it needs that the same code declares.

What it flags:
    Deployment ordering on the resource graph, where a reference is itself an ordering edge and
    paths count whether direct or transitive (through references, depends_on or DependsOn):
    (a) an access log destination naming a log group of the same code by a literal ARN (or an
        ARN built around its literal name), with no path from the stage to the log group:
        reported at the destination;
    (b) a declared REST execution log group, API-Gateway-Execution-Logs_{api id}/{stage}, that
        the resource turning execution logging on (ERROR or INFO) is not ordered after, directly
        or through the stage it depends on (Terraform: the method settings; CloudFormation: the
        stage or deployment holding MethodSettings / StageDescription);
    (c) a stage or method settings whose logging needs the account's CloudWatch role (REST
        access or execution logs, WebSocket logs; not HTTP APIs) that is not ordered after an
        API Gateway account setting of the same code that names a role; when a stage and the
        method settings depending on it are both unordered, only the stage is reported;
    (d) an account setting not ordered after the separate policy resources (attachment, inline
        role policy, AWS::IAM::Policy with Roles) that give its role the CloudWatch Logs
        permissions, when the role resource alone does not grant them; or not ordered after the
        role itself, when it names a role of the same code by a written-out ARN.
    Each finding is on the dependent side of the missing edge, the resource to edit, and names
    the edge to add.
Why it matters:
    Terraform and CloudFormation create resources in parallel unless something orders them. A
    stage created before the account setting fails with "CloudWatch Logs role ARN must be set in
    account settings to enable logging" (aws-cdk #10722); an account setting applied before its
    role's policy is attached fails with "The role ARN does not have required permissions
    configured" (terraform-provider-aws #11711, rain #163). When execution logging starts
    before the declared execution log group exists, API Gateway may create the group itself,
    and the log group's creation then fails because it already exists (the Terraform stage
    documentation's warning). A literal destination ARN gives no order at all. These races pass
    one deployment and fail the next.
How to fix:
    Prefer references, which order by themselves (aws_cloudwatch_log_group.x.arn,
    !GetAtt LogGroup.Arn). Where no reference fits, add the edge the message names:
    depends_on = [...] in Terraform, DependsOn in CloudFormation and SAM.
Formats:
    Terraform       aws_api_gateway_stage, aws_apigatewayv2_stage, aws_api_gateway_method_settings,
                    aws_api_gateway_account, aws_cloudwatch_log_group, aws_iam_role_policy_attachment,
                    aws_iam_policy_attachment, aws_iam_role_policy (depends_on)
    CloudFormation  AWS::ApiGateway::Stage, AWS::ApiGateway::Deployment (StageDescription),
                    AWS::ApiGatewayV2::Stage, AWS::ApiGateway::Account, AWS::Logs::LogGroup,
                    AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy (DependsOn)
    SAM             The stage SAM generates for AWS::Serverless::Api / WebSocketApi is reported
                    on the API resource. SAM gives the API's DependsOn to the RestApi it
                    generates, and the generated stage references that RestApi, so a DependsOn
                    on the API orders the stage: cases (a) and (c) apply. Case (b) is not
                    checked for SAM's generated stages: the execution log group's name needs the
                    API id (!Sub "...${Api}/..."), so a DependsOn on the API would form a cycle;
                    declare an AWS::ApiGateway::Stage yourself when the race matters. Case (d)
                    involves only plain CloudFormation resources and applies as in templates.
Unknown values:
    A destination, log group name, logging level or policy that is not literal, method settings
    whose stage cannot be told, and an account setting whose role is outside the scan are
    never reported. Local Terraform modules join their caller's graph, so ordering across them
    is judged (a module call's depends_on orders everything inside it); modules outside the
    scan and separate CloudFormation stacks cannot be seen and are not judged.
References:
    Terraform aws_api_gateway_stage documentation, "Managing the API Logging CloudWatch Log
    Group" (depends_on the log group).
    Terraform aws_api_gateway_account documentation.
    aws-cdk issue #10722 (stage before account setting); terraform-provider-aws issue #11711
    and aws-cloudformation/rain issue #163 (account setting before the role's policy).
    aws-sam-translator api_generator.py: the API's DependsOn goes to the generated RestApi.
    API Gateway developer guide, "Set up CloudWatch logging for REST APIs in API Gateway":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from __future__ import annotations

from typing import Any, Iterator

from iaclint.graph import ResourceGraph
from iaclint.iam import account_role, grants_logs_with, logs_policy_resources, region_key, sets_role
from iaclint.kinds import Kind
from iaclint.model import Example, Fact, Finding, Resource, Rule, Severity
from iaclint.queries import (
    LOGGING_LEVELS,
    LoggingSite,
    log_group_name_in_arn,
    logging_level,
    logging_sites,
    method_settings_of,
    names_stage_execution_log_group,
)

RULE = Rule(
    id="APIGW009",
    slug="unordered-logging-dependency",
    summary="logging resource not ordered after the log group, account setting or role policy it needs",
    severity=Severity.MEDIUM,
    kinds=frozenset(
        {
            Kind.REST_STAGE,
            Kind.V2_STAGE,
            Kind.REST_METHOD_SETTINGS,
            Kind.APIGW_ACCOUNT,
            Kind.LOG_GROUP,
            Kind.IAM_ROLE_POLICY,
        }
    ),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none"),
        ("config", "none"),
        ("checkov", "none"),
        ("trivy", "none"),
        ("kics", "none"),
    ),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    yield from _literal_destinations(graph)
    yield from _execution_log_groups(graph)
    yield from _account_before_logging(graph)
    yield from _policies_before_account(graph)


# (a) ------------------------------------------------------------------------------------------


def _literal_destinations(graph: ResourceGraph) -> Iterator[Finding]:
    groups: dict[str, Resource] = {}
    for group in graph.resources(Kind.LOG_GROUP):
        name = group.fact("name")
        if name.known and isinstance(name.value, str):
            groups.setdefault(name.value, group)
    if not groups:
        return
    for stage in graph.resources(Kind.REST_STAGE, Kind.V2_STAGE):
        destination = stage.fact("access_log.destination")
        group = groups.get(_literal_log_group_name(destination) or "")
        if group is None or graph.depends_on(stage, group):
            continue
        reference = f"{group.address}.arn" if graph.format == "terraform" else f"!GetAtt {group.address}.Arn"
        yield RULE.finding(
            stage,
            destination,
            f"{destination.leaf} names log group {group.address} by a written-out ARN, so nothing orders this stage "
            f"after it; use {reference}, or {_add_dependency(graph, stage, [group])}",
        )


def _literal_log_group_name(destination: Fact) -> str | None:
    """The log group name a destination spells out: a literal ARN, or an ARN whose account and
    region are filled in (`arn:aws:logs:${var.region}:...:log-group:/aws/x`) but whose name is
    literal. None when the name itself comes from a reference."""
    if not destination.present:
        return None
    if destination.known:
        return log_group_name_in_arn(destination.value) if isinstance(destination.value, str) else None
    parts: tuple[Any, ...] = destination.symbolic or ()
    if not parts or not isinstance(parts[-1], str) or ":log-group:" not in parts[-1]:
        return None
    name = parts[-1].split(":log-group:", 1)[1]
    name = name.removesuffix(":*")
    return name or None


# (b) ------------------------------------------------------------------------------------------


def _execution_log_groups(graph: ResourceGraph) -> Iterator[Finding]:
    groups = graph.resources(Kind.LOG_GROUP)
    if not groups:
        return
    for stage in graph.resources(Kind.REST_STAGE):
        if _sam_generated(graph, stage):
            continue  # ordering it after a group named from the API's id would be a cycle
        named = [g for g in groups if names_stage_execution_log_group(graph, g, stage) is True]
        if not named:
            continue
        settings, _ = method_settings_of(graph, stage)
        owners: dict[str, tuple[Resource, Fact]] = {}
        for setting in settings:
            if logging_level(setting) in LOGGING_LEVELS:
                owners.setdefault(setting.owner.node_id, (setting.owner, setting.logging_level))
        for owner, level in owners.values():
            for group in named:
                if graph.depends_on(owner, group):
                    continue
                where = " here or on its stage" if owner.kind == Kind.REST_METHOD_SETTINGS else ""
                yield RULE.finding(
                    owner,
                    None,
                    f'turns on execution logging ({level.leaf} "{_level_text(level)}") without being ordered '
                    f"after {group.address}, so API Gateway may create that log group first and its creation then "
                    f"fails; {_add_dependency(graph, owner, [group])}{where}",
                )


def _sam_generated(graph: ResourceGraph, stage: Resource) -> bool:
    declared = graph.get(stage.address)
    return stage.implicit and declared is not None and declared.type.startswith("AWS::Serverless::")


# (c) ------------------------------------------------------------------------------------------


def _account_before_logging(graph: ResourceGraph) -> Iterator[Finding]:
    accounts = [a for a in graph.resources(Kind.APIGW_ACCOUNT) if sets_role(a) is not False]
    if not accounts:
        return
    unordered: list[LoggingSite] = [
        site for site in logging_sites(graph) if not any(graph.depends_on(site.node, a) for a in accounts)
    ]
    for site in unordered:
        # Method settings that depend on an unordered stage are fixed with it: report the stage.
        if any(other is not site and graph.depends_on(site.node, other.node) for other in unordered):
            continue
        account = _nearest(site.node, accounts)
        yield RULE.finding(
            site.node,
            None,
            f"turns on logging ({site.what}) without being ordered after {account.address}, which sets the "
            f"CloudWatch role that logging needs; {_add_dependency(graph, site.node, [account])}",
        )


# (d) ------------------------------------------------------------------------------------------


def _policies_before_account(graph: ResourceGraph) -> Iterator[Finding]:
    for account in graph.resources(Kind.APIGW_ACCOUNT):
        role = account_role(graph, account)
        if role is None:
            continue
        if not graph.depends_on(account, role):
            # Named by a literal ARN: even the role itself may not exist yet.
            yield RULE.finding(
                account,
                account.fact("cloudwatch_role"),
                f"names {role.address} by a written-out ARN, so nothing orders it after the role; reference the "
                f"role's ARN, or {_add_dependency(graph, account, [role])}",
            )
            continue
        if grants_logs_with(graph, role):
            continue  # the role resource itself carries the permissions
        policies = logs_policy_resources(graph, role)
        ordered = [p for p in policies if graph.depends_on(account, p)]
        if not policies or grants_logs_with(graph, role, ordered):
            continue
        missing = [p for p in policies if p not in ordered]
        names = ", ".join(p.address for p in missing)
        yield RULE.finding(
            account,
            None,
            f"is not ordered after {names}, which gives {role.address} its CloudWatch Logs permissions, so "
            f"API Gateway may find the role without them; {_add_dependency(graph, account, missing)}",
        )


def _nearest(node: Resource, accounts: list[Resource]) -> Resource:
    """The account setting to name: of the same region (provider), then of the same file."""
    return min(
        accounts,
        key=lambda a: (region_key(a) != region_key(node), a.location.file != node.location.file, a.location),
    )


def _level_text(level: Fact) -> str:
    return level.value.upper() if isinstance(level.value, str) else str(level.value)


def _add_dependency(graph: ResourceGraph, dependent: Resource, nodes: list[Resource]) -> str:
    """The remedy: the depends_on / DependsOn to add to the dependent resource. An implicit SAM
    API (created by function events) has no resource to put it on: it must be declared."""
    addresses = [node.address for node in nodes]
    if graph.format == "terraform":
        return f"add depends_on = [{', '.join(addresses)}]"
    clause = f"DependsOn: {addresses[0]}" if len(addresses) == 1 else f"DependsOn: [{', '.join(addresses)}]"
    section = dependent.fact("sam_implicit_api").value
    if section:
        return f"declare the API explicitly (AWS::Serverless::{section}) with {clause}"
    return f"add {clause}"


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch.arn
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  name = "api-gateway-cloudwatch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  role       = aws_iam_role.api_gateway_cloudwatch.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}
''',
        compliant='''
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch.arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch]
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  name = "api-gateway-cloudwatch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  role       = aws_iam_role.api_gateway_cloudwatch.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/apigateway/orders
      RetentionInDays: 90
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      AccessLogSetting:
        DestinationArn: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/apigateway/orders
        Format: '{"requestId":"$context.requestId"}'
''',
        compliant='''
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/apigateway/orders
      RetentionInDays: 90
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  ApiGatewayAccount:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/api-gateway-cloudwatch
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      OpenApiVersion: "3.0.1"
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: ERROR
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  ApiGatewayAccount:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/api-gateway-cloudwatch
  Api:
    Type: AWS::Serverless::Api
    DependsOn: ApiGatewayAccount
    Properties:
      StageName: prod
      OpenApiVersion: "3.0.1"
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: ERROR
''',
    ),
)
