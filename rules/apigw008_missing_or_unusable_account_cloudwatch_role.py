"""API Gateway logging with no usable account CloudWatch role, or with two account settings.

What it flags:
    REST or WebSocket logging is turned on (a REST stage with CloudWatch access logs, or
    execution logging at ERROR or INFO through method settings; a WebSocket stage with access
    logs or a default or route logging level of ERROR or INFO) and:
    - the scanned code (a Terraform root module with the local modules it calls, a template)
      declares no API Gateway account setting
      (aws_api_gateway_account / AWS::ApiGateway::Account): reported once, on the first
      resource that turns logging on, at the setting that does;
    - or every account setting it declares names no CloudWatch role: reported on the account.
    Whether or not logging is on in the same code:
    - the role an account setting names, when it is declared in the scan, does not let
      apigateway.amazonaws.com assume it: reported on the role, at its trust policy;
    - that role lacks some of the CloudWatch Logs permissions of the managed policy
      AmazonAPIGatewayPushToCloudWatchLogs (logs:CreateLogGroup, CreateLogStream,
      DescribeLogGroups, DescribeLogStreams, PutLogEvents, GetLogEvents, FilterLogEvents), from
      its managed policies, inline policies, attachments or AWS::IAM::Policy/ManagedPolicy
      Roles: reported on the role, naming the missing actions;
    - two account settings in one scan unit for the same region (Terraform: the same provider
      configuration): reported on every one after the first.
    HTTP APIs are never flagged: their access logs do not use the account role (inferred from
    the HTTP API logging guide, which lists only the caller's permissions). Nor are REST access
    logs sent to Firehose, which API Gateway writes with its service-linked role.
Why it matters:
    The account setting (cloudWatchRoleArn) is how API Gateway writes REST and WebSocket logs
    to CloudWatch. Without it, enabling logging fails the deployment: "CloudWatch Logs role ARN
    must be set in account settings to enable logging". A role API Gateway cannot assume, or
    one without the logs permissions, fails the account update ("The role ARN does not have
    required permissions configured") or leaves the logs unwritten. The setting is one per
    region: two declarations overwrite each other on every apply, and whichever ran last wins.
How to fix:
    Declare the account setting once per region (often in a shared account-baseline stack),
    with a role that trusts apigateway.amazonaws.com and has the managed policy
    arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs attached. If the
    account setting is managed elsewhere, set the option below and this rule stays silent.
    Keep a single account setting per region and delete the others.
Formats:
    Terraform       aws_api_gateway_account.cloudwatch_role_arn, aws_iam_role (assume_role_policy,
                    managed_policy_arns, inline_policy), aws_iam_role_policy_attachment,
                    aws_iam_policy_attachment, aws_iam_role_policy, aws_iam_policy,
                    data.aws_iam_policy_document, data.aws_iam_policy
    CloudFormation  AWS::ApiGateway::Account.CloudWatchRoleArn, AWS::IAM::Role
                    (AssumeRolePolicyDocument, ManagedPolicyArns, Policies), AWS::IAM::Policy,
                    AWS::IAM::ManagedPolicy and AWS::IAM::RolePolicy (SAM: the same resources;
                    SAM never generates the account setting)
Unknown values:
    A role outside the scan (an ARN from a variable, a parameter, another stack), a trust or
    permissions policy that is not literal (a variable, file(), a data source statement built
    from variables, a dynamic block), a customer managed policy given by ARN, or an AWS managed
    policy other than AmazonAPIGatewayPushToCloudWatchLogs, CloudWatchLogsFullAccess and
    AdministratorAccess are never judged. Terraform account settings with count or for_each are
    not counted as duplicates, nor are settings under different provider configurations (other
    regions); a CloudFormation Condition on an account resource is not seen. Logging whose API,
    stage or protocol cannot be told is not counted as logging.
Options:
    account_role_managed_elsewhere (default: false). Many organisations set the account role
    once per account and region outside application code; set
    --option APIGW008.account_role_managed_elsewhere=true and the rule reports nothing.
References:
    API Gateway developer guide, "Set up CloudWatch logging for REST APIs in API Gateway",
    "Permissions for CloudWatch logging":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs:
    https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonAPIGatewayPushToCloudWatchLogs.html
    AWS::ApiGateway::Account ("only one AWS::ApiGateway::Account resource per region per
    account"): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
    Terraform aws_api_gateway_account documentation (a role and its policy, once per region).
    API Gateway developer guide, "Log REST API calls to Amazon Data Firehose" (service-linked
    role): https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-logging-to-kinesis.html
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.iam import (
    APIGATEWAY_SERVICE,
    LOGS_ACTIONS,
    PUSH_TO_CLOUDWATCH_LOGS_ARN,
    account_role,
    may_not_exist,
    missing_logs_actions,
    region_key,
    sets_role,
    trust_document,
    trusted_services,
    trusts_service,
)
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Resource, Rule, Severity
from iaclint.queries import logging_sites

RULE = Rule(
    id="APIGW008",
    slug="missing-or-unusable-account-cloudwatch-role",
    summary="REST/WebSocket logging without a usable API Gateway account CloudWatch role",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.APIGW_ACCOUNT, Kind.IAM_ROLE, Kind.REST_STAGE, Kind.V2_STAGE, Kind.REST_METHOD_SETTINGS}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    options=(("account_role_managed_elsewhere", bool, False),),
    related=(
        ("securityhub", "none"),
        ("config", "none"),
        ("checkov", "none"),
        ("trivy", "none"),
        ("kics", "none"),
    ),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    if RULE.option(graph, "account_role_managed_elsewhere"):
        return
    accounts = graph.resources(Kind.APIGW_ACCOUNT)
    yield from _no_role_for_logging(graph, accounts)
    yield from _duplicates(graph, accounts)
    checked: set[str] = set()
    for account in accounts:
        role = account_role(graph, account)
        if role is None or role.node_id in checked:
            continue  # the role is outside the scan (or named by a variable): nothing to judge
        checked.add(role.node_id)
        yield from _unusable_role(graph, account, role)


def _no_role_for_logging(graph: ResourceGraph, accounts: list[Resource]) -> Iterator[Finding]:
    sites = logging_sites(graph)
    if not sites:
        return
    site = sites[0]
    if not accounts:
        yield RULE.finding(
            site.node,
            site.fact,
            f"logging is on ({site.what}) but this {_unit(graph)} declares no {_account_type(graph)} to give "
            f"API Gateway its CloudWatch role; declare one, or set APIGW008.account_role_managed_elsewhere=true",
        )
        return
    if any(sets_role(account) is not False for account in accounts):
        return  # some account setting names a role (or one from a variable)
    account = accounts[0]
    role = account.fact("cloudwatch_role")
    yield RULE.finding(
        account,
        role if role.present else None,
        f"{role.leaf} is {'empty' if role.present else 'not set'}, so the logging {site.node.address} turns on "
        f"({site.what}) is rejected; set it to the ARN of a role trusting {APIGATEWAY_SERVICE}",
    )


def _duplicates(graph: ResourceGraph, accounts: list[Resource]) -> Iterator[Finding]:
    first_per_region: dict[str, Resource] = {}
    for account in accounts:
        if may_not_exist(account):
            continue  # count / for_each: whether it exists is decided at plan time
        first = first_per_region.setdefault(region_key(account), account)
        if first is not account:
            yield RULE.finding(
                account,
                None,
                f"{first.address} also sets this region's API Gateway account (its CloudWatch role); "
                "whichever is applied last wins: keep one",
            )


def _unusable_role(graph: ResourceGraph, account: Resource, role: Resource) -> Iterator[Finding]:
    if trusts_service(graph, role) is False:
        trust = role.fact("trust_policy")
        document = trust_document(graph, role)
        services = trusted_services(document) if document else []
        seen = ", ".join(repr(s) for s in services) if services else "no service"
        yield RULE.finding(
            role,
            trust,
            f"{trust.leaf} trusts {seen}, not {APIGATEWAY_SERVICE}, yet {account.address} makes this the "
            f"CloudWatch role API Gateway assumes; add {APIGATEWAY_SERVICE!r} as a Service principal",
        )
    missing = missing_logs_actions(graph, role)
    if missing:
        if len(missing) == len(LOGS_ACTIONS):
            lack = "is granted none of the CloudWatch Logs actions"
        else:
            lack = f"lacks {', '.join(missing)}"
        yield RULE.finding(
            role,
            None,
            f"this role, the CloudWatch role of {account.address}, {lack} that API Gateway needs; "
            f"attach {PUSH_TO_CLOUDWATCH_LOGS_ARN}",
        )


def _account_type(graph: ResourceGraph) -> str:
    return "aws_api_gateway_account" if graph.format == "terraform" else "AWS::ApiGateway::Account"


def _unit(graph: ResourceGraph) -> str:
    return "module" if graph.format == "terraform" else "template"


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
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}
''',
        compliant='''
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch.arn
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  name = "api-gateway-cloudwatch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  ApiStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: ERROR
''',
        compliant='''
Resources:
  ApiGatewayAccount:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !GetAtt ApiGatewayCloudWatchRole.Arn
  ApiGatewayCloudWatchRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: apigateway.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs
  ApiStage:
    Type: AWS::ApiGateway::Stage
    DependsOn: ApiGatewayAccount
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: ERROR
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      OpenApiVersion: "3.0.1"
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: INFO
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  ApiGatewayAccount:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !GetAtt ApiGatewayCloudWatchRole.Arn
  ApiGatewayCloudWatchRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: apigateway.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs
  Api:
    Type: AWS::Serverless::Api
    DependsOn: ApiGatewayAccount
    Properties:
      StageName: prod
      OpenApiVersion: "3.0.1"
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: INFO
''',
    ),
)
