"""IAM reasoning for the account CloudWatch role (iaclint.iam), table style: source -> verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from iaclint import iam
from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.loaders.cloudformation import load_template, template_format
from iaclint.loaders.documents import load_yaml
from iaclint.loaders.terraform import load_module

APIGW_TRUST = """jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })"""


def tf_graph(tmp_path: Path, text: str) -> ResourceGraph:
    (tmp_path / "main.tf").write_text(text)
    unit = load_module(str(tmp_path), [str(tmp_path / "main.tf")])
    assert not unit.errors
    return ResourceGraph(unit)


def cfn_graph(text: str) -> ResourceGraph:
    document = load_yaml(text)
    return ResourceGraph(load_template("t.yaml", document, template_format(document)))


def the_role(graph: ResourceGraph, address: str = "aws_iam_role.r"):  # type: ignore[no-untyped-def]
    roles = [r for r in graph.resources(Kind.IAM_ROLE) if r.address in (address, "Role")]
    assert len(roles) == 1
    return roles[0]


# --- trust -------------------------------------------------------------------------------------

TF_TRUST = [
    ("jsonencode", APIGW_TRUST, True),
    (
        "jsonencode with an unknown condition value",
        """jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = ["apigateway.amazonaws.com"] }
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })""",
        True,
    ),
    (
        "heredoc trusting lambda",
        '<<EOF\n{"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}\nEOF',
        False,
    ),
    ("heredoc with an interpolation", '<<EOF\n{"Statement": [${var.statement}]}\nEOF', None),
    ("data source document", "data.aws_iam_policy_document.trust.json", True),
    ("data source document trusting ec2", "data.aws_iam_policy_document.ec2_trust.json", False),
    ("data source document from a variable", "data.aws_iam_policy_document.variable_trust.json", None),
    ("a variable", "var.trust_policy", None),
    ("file()", 'file("${path.module}/trust.json")', None),
    (
        "a Deny for API Gateway",
        """jsonencode({
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } },
      { Effect = "Deny", Action = "sts:*", Principal = { Service = "apigateway.amazonaws.com" } },
    ]
  })""",
        False,
    ),
]

TF_TRUST_DOCUMENTS = """
variable "trusted" {
  type = list(string)
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "ec2_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "variable_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = var.trusted
    }
  }
}
"""


@pytest.mark.parametrize(("case", "policy", "expected"), TF_TRUST, ids=[c[0] for c in TF_TRUST])
def test_terraform_trust(tmp_path: Path, case: str, policy: str, expected: bool | None) -> None:
    graph = tf_graph(
        tmp_path,
        TF_TRUST_DOCUMENTS + f'resource "aws_iam_role" "r" {{\n  assume_role_policy = {policy}\n}}\n',
    )
    assert iam.trusts_service(graph, the_role(graph)) is expected


CFN_TRUST = [
    ("mapping", "Principal: {Service: apigateway.amazonaws.com}\n            Action: sts:AssumeRole", True),
    ("Sub with URLSuffix", 'Principal: {Service: !Sub "apigateway.${AWS::URLSuffix}"}\n            Action: ["sts:AssumeRole"]', True),
    ("lambda", "Principal: {Service: [lambda.amazonaws.com]}\n            Action: sts:AssumeRole", False),
    ("a parameter", "Principal: {Service: !Ref Trusted}\n            Action: sts:AssumeRole", None),
    ("everyone", 'Principal: "*"\n            Action: sts:*', True),
]


@pytest.mark.parametrize(("case", "statement", "expected"), CFN_TRUST, ids=[c[0] for c in CFN_TRUST])
def test_cloudformation_trust(case: str, statement: str, expected: bool | None) -> None:
    graph = cfn_graph(
        f"""
Parameters:
  Trusted:
    Type: String
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            {statement}
"""
    )
    assert iam.trusts_service(graph, the_role(graph)) is expected


# --- logs permissions ---------------------------------------------------------------------------

ALL = []
TF_PERMISSIONS = [
    (
        "managed_policy_arns with the managed policy",
        'managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]',
        "",
        ALL,
    ),
    (
        "managed_policy_arns with the partition from a data source",
        'managed_policy_arns = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]',
        'data "aws_partition" "current" {}',
        ALL,
    ),
    ("an unrelated AWS managed policy", 'managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]', "", None),
    ("a customer managed policy ARN", 'managed_policy_arns = ["arn:aws:iam::123456789012:policy/logs"]', "", None),
    ("nothing at all", "", "", iam.LOGS_ACTIONS),
    (
        "inline_policy with logs:*",
        'inline_policy {\n    name = "logs"\n    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })\n  }',
        "",
        ALL,
    ),
    (
        "inline_policy with a resource from a variable",
        'inline_policy {\n    name = "logs"\n    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = var.arn }] })\n  }',
        'variable "arn" {\n  type = string\n}',
        ALL,
    ),
    (
        "inline_policy granting write only",
        'inline_policy {\n    name = "logs"\n    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }] })\n  }',
        "",
        ["logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
    ),
    (
        "attachment of the managed policy",
        "",
        'resource "aws_iam_role_policy_attachment" "a" {\n  role = aws_iam_role.r.name\n  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"\n}',
        ALL,
    ),
    (
        "attachment of another role",
        "",
        ('resource "aws_iam_role" "other" {\n  assume_role_policy = "{}"\n}\n'
        'resource "aws_iam_role_policy_attachment" "a" {\n  role = aws_iam_role.other.name\n  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"\n}'),
        iam.LOGS_ACTIONS,
    ),
    (
        "attachment naming the role literally",
        "",
        'resource "aws_iam_role_policy_attachment" "a" {\n  role = "api-gateway-cloudwatch"\n  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"\n}',
        ALL,
    ),
    (
        "attachment of a role from a variable",
        "",
        ('variable "role" {\n  type = string\n}\n'
        'resource "aws_iam_role_policy_attachment" "a" {\n  role = var.role\n  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"\n}'),
        None,
    ),
    (
        "attachment of a customer policy declared here",
        "",
        ('resource "aws_iam_policy" "logs" {\n  policy = data.aws_iam_policy_document.logs.json\n}\n'
        'data "aws_iam_policy_document" "logs" {\n  statement {\n    actions = ["logs:*"]\n    resources = ["*"]\n  }\n}\n'
        'resource "aws_iam_role_policy_attachment" "a" {\n  role = aws_iam_role.r.id\n  policy_arn = aws_iam_policy.logs.arn\n}'),
        ALL,
    ),
    (
        "attachment through data.aws_iam_policy by name",
        "",
        ('data "aws_iam_policy" "push" {\n  name = "AmazonAPIGatewayPushToCloudWatchLogs"\n}\n'
        'resource "aws_iam_role_policy_attachment" "a" {\n  role = aws_iam_role.r.name\n  policy_arn = data.aws_iam_policy.push.arn\n}'),
        ALL,
    ),
    (
        "aws_iam_role_policy with a heredoc",
        "",
        ('resource "aws_iam_role_policy" "p" {\n  role = aws_iam_role.r.id\n  policy = <<EOF\n'
        '{"Statement": [{"Effect": "Allow", "Action": ["logs:*"], "Resource": "*"}]}\nEOF\n}'),
        ALL,
    ),
    (
        "aws_iam_policy_attachment listing roles",
        "",
        ('resource "aws_iam_policy_attachment" "a" {\n  name = "push"\n  roles = [aws_iam_role.r.name]\n'
        '  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"\n}'),
        ALL,
    ),
    (
        "an explicit Deny elsewhere wins",
        'managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]',
        ('resource "aws_iam_role_policy" "deny" {\n  role = aws_iam_role.r.id\n'
        '  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "logs:PutLogEvents", Resource = "*" }] })\n}'),
        ["logs:PutLogEvents"],
    ),
]


@pytest.mark.parametrize(("case", "inside", "beside", "expected"), TF_PERMISSIONS, ids=[c[0] for c in TF_PERMISSIONS])
def test_terraform_logs_permissions(tmp_path: Path, case: str, inside: str, beside: str, expected: object) -> None:
    graph = tf_graph(
        tmp_path,
        f'resource "aws_iam_role" "r" {{\n  name = "api-gateway-cloudwatch"\n  assume_role_policy = {APIGW_TRUST}\n  {inside}\n}}\n{beside}\n',
    )
    missing = iam.missing_logs_actions(graph, the_role(graph))
    assert missing == (list(expected) if isinstance(expected, (list, tuple)) else expected)


def test_cloudformation_logs_permissions() -> None:
    graph = cfn_graph(
        """
Resources:
  ByManagedSub:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs
  ByManagedPolicyResource:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [!Ref LogsPolicy]
  LogsPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "logs:*", Resource: "*"}
  ByRolePolicy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  RolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref ByRolePolicy
      PolicyName: logs
      PolicyDocument:
        Statement:
          - {Effect: Allow, NotAction: "iam:*", Resource: "*"}
  ByParameter:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [!Ref PolicyArn]
Parameters:
  PolicyArn:
    Type: String
"""
    )
    verdicts = {role.address: iam.missing_logs_actions(graph, role) for role in graph.resources(Kind.IAM_ROLE)}
    assert verdicts == {"ByManagedSub": [], "ByManagedPolicyResource": [], "ByRolePolicy": [], "ByParameter": None}


def test_logs_policy_resources_and_own_grants(tmp_path: Path) -> None:
    graph = tf_graph(
        tmp_path,
        f"""
resource "aws_iam_role" "r" {{
  assume_role_policy = {APIGW_TRUST}
}}
resource "aws_iam_role_policy_attachment" "logs" {{
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}}
resource "aws_iam_role_policy_attachment" "xray" {{
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}}
""",
    )
    role = the_role(graph)
    assert [p.address for p in iam.logs_policy_resources(graph, role)] == ["aws_iam_role_policy_attachment.logs"]
    assert not iam.grants_logs_with(graph, role)
    assert iam.grants_logs_with(graph, role, iam.logs_policy_resources(graph, role))


def test_account_role_by_reference_and_by_written_out_arn() -> None:
    graph = cfn_graph(
        """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: api-gateway-cloudwatch
      AssumeRolePolicyDocument: {}
  ByReference:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !GetAtt Role.Arn
  BySub:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/api-gateway-cloudwatch
  Elsewhere:
    Type: AWS::ApiGateway::Account
    Properties:
      CloudWatchRoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/another
  NoRole:
    Type: AWS::ApiGateway::Account
"""
    )
    found = {
        a.address: (getattr(iam.account_role(graph, a), "address", None), iam.sets_role(a))
        for a in graph.resources(Kind.APIGW_ACCOUNT)
    }
    assert found == {
        "ByReference": ("Role", True),
        "BySub": ("Role", True),
        "Elsewhere": (None, True),
        "NoRole": (None, False),
    }
