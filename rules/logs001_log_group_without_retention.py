"""CloudWatch log group keeps logs forever, or asks for a retention CloudWatch rejects.

What it flags:
    A log group with no retention (Terraform: also 0), so its logs never expire: severity low.
    With the option min_retention_days, also a retention shorter than that: severity low.
    A retention CloudWatch Logs does not accept (45, "two weeks", and in CloudFormation 0), so
    the deployment fails: severity high. A DELIVERY-class log group is never flagged: its
    retention is fixed at 2 days by CloudWatch.
Why it matters:
    Logs that never expire are stored, and billed, forever, and keep personal data longer than
    most policies allow. An unsupported value fails `terraform apply` or the stack update, often
    only in the pipeline after merge.
How to fix:
    Set the retention to one of the values CloudWatch accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120,
    150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days. In
    CloudFormation, keeping logs forever is written by leaving RetentionInDays out, never as 0.
Formats:
    Terraform       aws_cloudwatch_log_group.retention_in_days
    CloudFormation  AWS::Logs::LogGroup.RetentionInDays (SAM: the same resource)
Unknown values:
    A retention from a variable or parameter without a value is unknown and never reported.
Options:
    min_retention_days (default: none). Security Hub CloudWatch.16 and AWS Config's
    cw-loggroup-retention-period-check ask for 365; teams differ, so it is off by default.
References:
    CloudWatch Logs API reference, PutRetentionPolicy:
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
    Accepted values: the AWS::Logs::LogGroup resource schema (RetentionInDays enum), read from
    the schemas bundled with cfn-lint.
    Terraform aws_cloudwatch_log_group: 0 or absent means never expire; with
    log_group_class = "DELIVERY" retention is forced to 2 days.
"""

from __future__ import annotations

from typing import Any, Iterator

from iaclint.cfn_schema import property_enum
from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Rule, Severity

RULE = Rule(
    id="LOGS001",
    slug="log-group-without-retention",
    summary="log group has no retention, or one CloudWatch rejects",
    severity=Severity.LOW,
    kinds=frozenset({Kind.LOG_GROUP}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    options=(("min_retention_days", int, None),),
    related=(
        ("securityhub", "CloudWatch.16"),
        ("config", "cw-loggroup-retention-period-check"),
        ("checkov", "CKV_AWS_66, CKV_AWS_338"),
        ("trivy", "none"),
        ("kics", "ef0b316a-211e-42f1-888e-64efe172b755 (terraform)"),
    ),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    accepted = property_enum("AWS::Logs::LogGroup", "RetentionInDays")
    minimum = RULE.option(graph, "min_retention_days")
    for group in graph.resources(Kind.LOG_GROUP):
        log_class = group.fact("class")
        if log_class.known and isinstance(log_class.value, str) and log_class.value.upper() == "DELIVERY":
            continue  # CloudWatch fixes the retention of delivery log groups at 2 days
        days = group.fact("retention_days")
        if days.unknown:
            continue  # from a variable or parameter with no value: silence beats a guess
        if not days.present:
            yield RULE.finding(group, None, f"no retention: logs never expire; set {days.leaf}, e.g. 365")
            continue
        value = _as_int(days.value)
        if value == 0 and group.format == "terraform":
            # The provider reads 0 as "never expire"; CloudFormation rejects 0 (below).
            yield RULE.finding(group, days, f"{days.leaf} is 0: logs never expire; set a retention, e.g. 365")
        elif value not in accepted:
            yield RULE.finding(
                group,
                days,
                f"{days.leaf} is {days.value!r}, which CloudWatch Logs rejects; {_suggest(value, accepted)}",
                severity=Severity.HIGH,
            )
        elif minimum is not None and value < minimum:
            yield RULE.finding(group, days, f"{days.leaf} is {value}, below the required {minimum} days; raise it")


def _as_int(value: Any) -> int | None:
    """CloudFormation and Terraform both accept "30" for 30; anything else is no day count."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _suggest(value: int | None, accepted: tuple[int, ...]) -> str:
    if value == 0:
        return "leave it out to keep logs forever, or use an accepted value, e.g. 365"
    if value is None or value < 0:
        return "use an accepted day count, e.g. 365"
    below = [days for days in accepted if days < value]
    above = [days for days in accepted if days > value]
    nearest = [str(x) for x in (below[-1:] + above[:1])]
    return f"use an accepted value such as {' or '.join(nearest)}"


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_cloudwatch_log_group" "api_access" {
  name = "/aws/apigateway/orders/access"
}
''',
        compliant='''
resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/orders/access"
  retention_in_days = 365
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
      LogGroupName: /aws/apigateway/orders/access
      RetentionInDays: 45
''',
        compliant='''
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/apigateway/orders/access
      RetentionInDays: 365
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
''',
    ),
)
