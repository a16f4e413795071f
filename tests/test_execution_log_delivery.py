"""APIGW010: which CloudWatch Logs delivery sources count as routing a stage's execution logs.
The resource ARN is arn:aws:apigateway:{region}:{account-id}:/restapis/{api-id}/stages/{stage}."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import scan_file

TEMPLATE = """
Parameters:
  ArnFromOutside:
    Type: String
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: quotes
  Other:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: other
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: d1
      StageName: prod
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: INFO
  Source:
    Type: AWS::Logs::DeliverySource
    Properties:
      Name: execution
      LogType: {log_type}
      ResourceArn: {arn}
"""


SUB = "!Sub arn:aws:apigateway:${AWS::Region}:${AWS::AccountId}:/restapis/"


@pytest.mark.parametrize(
    ("log_type", "arn", "fires"),
    [
        ("EXECUTION_LOGS", SUB + "${Api}/stages/prod", False),
        ("EXECUTION_LOGS", SUB + "${Api}/stages/${Prod}", False),
        ("EXECUTION_LOGS", "arn:aws:apigateway:us-east-1:123456789012:/restapis/a1b2c3/stages/prod", False),
        ("EXECUTION_LOGS", "!Ref ArnFromOutside", False),
        ("EXECUTION_LOGS", SUB + "${Api}/stages/dev", True),
        ("EXECUTION_LOGS", SUB + "${Other}/stages/prod", True),
        ("EXECUTION_LOGS", "arn:aws:apigateway:us-east-1:123456789012:/restapis/a1b2c3/stages/dev", True),
        ("ACCESS_LOGS", SUB + "${Api}/stages/prod", True),
    ],
)
def test_delivery_source_counts_for_its_stage_only(log_type: str, arn: str, fires: bool, tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE.format(log_type=log_type, arn=arn))
    result = scan_file(path, select=("APIGW010",))
    assert not result.errors
    assert bool([f for f in result.findings if f.rule_id == "APIGW010"]) == fires
