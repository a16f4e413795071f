"""Templates with undecided conditions are checked once per deployment the conditions allow;
findings that hold in only some name the condition (loaders/cfn_deployments.py, deployments.py)."""

from __future__ import annotations

import pytest
from helpers import builtin_rules

from iaclint.deployments import describe
from iaclint.engine import check_unit
from iaclint.loaders.cfn_deployments import MAX_DEPLOYMENTS, Deployment
from iaclint.loaders.cloudformation import load_template, template_format
from iaclint.loaders.documents import load_yaml

STAGE = """\
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: api
      ProtocolType: HTTP
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: $default
      AccessLogSettings: !If
        - {condition}
        - DestinationArn: !GetAtt Logs.Arn
          Format: $context.requestId
        - !Ref AWS::NoValue
"""


def messages(parameters: str, conditions: str, condition: str, given: dict[str, str] | None = None) -> list[str]:
    text = (
        'AWSTemplateFormatVersion: "2010-09-09"\n'
        f"Parameters:\n{parameters}Conditions:\n{conditions}Resources:\n" + STAGE.replace("{condition}", condition)
    )
    document = load_yaml(text)
    unit = load_template("t.yaml", document, template_format(document), given)
    return sorted(f.message for f in check_unit(unit, list(builtin_rules())) if f.rule_id == "APIGW002")


NO_DEFAULT = "  Env:\n    Type: String\n"
IS_PROD = "  IsProd: !Equals [!Ref Env, prod]\n"
OFF = "access logging is off: no AccessLogSettings; add it with a DestinationArn"


def test_undecided_condition_names_the_branch_that_fails() -> None:
    assert messages(NO_DEFAULT, IS_PROD, "IsProd") == [f"{OFF} (when condition IsProd is false)"]


def test_a_given_parameter_decides_the_condition() -> None:
    assert messages(NO_DEFAULT, IS_PROD, "IsProd", {"Env": "prod"}) == []
    assert messages(NO_DEFAULT, IS_PROD, "IsProd", {"Env": "dev"}) == [OFF]


def test_a_default_decides_what_is_reported_and_the_condition_is_named() -> None:
    with_default = "  Env:\n    Type: String\n    Default: dev\n"
    assert messages(with_default, IS_PROD, "IsProd") == [f"{OFF} (when condition IsProd is false)"]
    prod_default = "  Env:\n    Type: String\n    Default: prod\n"
    assert messages(prod_default, IS_PROD, "IsProd") == []  # off only when someone overrides it


def test_conditions_on_one_parameter_stay_consistent() -> None:
    conditions = IS_PROD + "  IsDev: !Equals [!Ref Env, dev]\n  Either: !Or [!Condition IsProd, !Condition IsDev]\n"
    allowed = "  Env:\n    Type: String\n    AllowedValues: [dev, prod]\n"
    assert messages(allowed, conditions, "Either") == []  # no allowed value makes both false
    assert messages(NO_DEFAULT, conditions, "Either") == [f"{OFF} (when condition Either is false)"]


def test_pseudo_parameters_are_undecided_too() -> None:
    conditions = "  InUsEast: !Equals [!Ref AWS::Region, us-east-1]\n"
    assert messages(NO_DEFAULT, conditions, "InUsEast") == [f"{OFF} (when condition InUsEast is false)"]


def test_too_many_deployments_leave_the_condition_unknown() -> None:
    count = MAX_DEPLOYMENTS.bit_length() + 1  # parameters of two values each: 2**count > MAX
    parameters = "".join(f"  P{i}:\n    Type: String\n" for i in range(count))
    conditions = "  All: !And [" + ", ".join(f"!Equals [!Ref P{i}, x]" for i in range(count)) + "]\n"
    assert messages(parameters, conditions, "All") == []


def _deployment(**conditions: bool) -> Deployment:
    return Deployment(tuple(sorted(conditions.items())), (), True)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({0, 1}, "when condition A is true"),
        ({3}, "when condition A is false and condition B is false"),
        ({0, 3}, "in some deployments, depending on conditions A, B"),
    ],
)
def test_describe(where: set[int], expected: str) -> None:
    deployments = [_deployment(A=True, B=True), _deployment(A=True, B=False), _deployment(A=False, B=True), _deployment(A=False, B=False)]
    assert describe(deployments, where) == expected
