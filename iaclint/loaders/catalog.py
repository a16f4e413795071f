"""Which provider types become which node kinds, and where each canonical fact lives.

This table is the only place outside the loaders where provider type strings appear. A fact
path is dotted: attributes and nested blocks (Terraform) or properties (CloudFormation).
A SAM resource expands to several nodes, as SAM does when it transforms the template: the
first is the declared resource, the others are implicit and reported under its logical id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iaclint.kinds import Kind


@dataclass(frozen=True)
class NodeShape:
    kind: Kind
    facts: dict[str, str] = field(default_factory=dict)
    # Facts the resource type fixes, whatever the code says (a SAM HttpApi is always HTTP).
    fixed: dict[str, Any] = field(default_factory=dict)
    # Non-empty for an implicit node: the suffix of its node id.
    implicit: str = ""


_TF_ACCESS_LOG = {
    "access_log": "access_log_settings",
    "access_log.destination": "access_log_settings.destination_arn",
    "access_log.format": "access_log_settings.format",
}

TERRAFORM: dict[str, tuple[NodeShape, ...]] = {
    "aws_api_gateway_rest_api": (NodeShape(Kind.REST_API, {"name": "name"}),),
    "aws_api_gateway_stage": (
        NodeShape(Kind.REST_STAGE, {"stage_name": "stage_name", "api": "rest_api_id", **_TF_ACCESS_LOG}),
    ),
    "aws_api_gateway_deployment": (
        NodeShape(Kind.REST_DEPLOYMENT, {"stage_name": "stage_name", "api": "rest_api_id"}),
    ),
    "aws_api_gateway_method_settings": (
        NodeShape(
            Kind.REST_METHOD_SETTINGS,
            {
                "api": "rest_api_id",
                "stage_name": "stage_name",
                "method_path": "method_path",
                "logging_level": "settings.logging_level",
                "data_trace": "settings.data_trace_enabled",
            },
        ),
    ),
    "aws_api_gateway_account": (
        NodeShape(Kind.APIGW_ACCOUNT, {"cloudwatch_role": "cloudwatch_role_arn"}),
    ),
    "aws_apigatewayv2_api": (
        NodeShape(Kind.V2_API, {"protocol": "protocol_type", "quick_create_target": "target"}),
    ),
    "aws_apigatewayv2_stage": (
        NodeShape(Kind.V2_STAGE, {"stage_name": "name", "api": "api_id", **_TF_ACCESS_LOG}),
    ),
    "aws_cloudwatch_log_group": (
        NodeShape(
            Kind.LOG_GROUP,
            {"name": "name", "retention_days": "retention_in_days", "class": "log_group_class"},
        ),
    ),
    "aws_iam_role": (NodeShape(Kind.IAM_ROLE, {"trust_policy": "assume_role_policy"}),),
}

_CFN_REST_ACCESS_LOG = {
    "access_log": "AccessLogSetting",
    "access_log.destination": "AccessLogSetting.DestinationArn",
    "access_log.format": "AccessLogSetting.Format",
}
_CFN_V2_ACCESS_LOG = {
    "access_log": "AccessLogSettings",
    "access_log.destination": "AccessLogSettings.DestinationArn",
    "access_log.format": "AccessLogSettings.Format",
}

CLOUDFORMATION: dict[str, tuple[NodeShape, ...]] = {
    "AWS::ApiGateway::RestApi": (NodeShape(Kind.REST_API, {"name": "Name"}),),
    "AWS::ApiGateway::Stage": (
        NodeShape(
            Kind.REST_STAGE,
            {"stage_name": "StageName", "api": "RestApiId", "method_settings": "MethodSettings", **_CFN_REST_ACCESS_LOG},
        ),
    ),
    "AWS::ApiGateway::Deployment": (
        NodeShape(Kind.REST_DEPLOYMENT, {"stage_name": "StageName", "api": "RestApiId"}),
    ),
    "AWS::ApiGateway::Account": (NodeShape(Kind.APIGW_ACCOUNT, {"cloudwatch_role": "CloudWatchRoleArn"}),),
    "AWS::ApiGatewayV2::Api": (
        NodeShape(Kind.V2_API, {"protocol": "ProtocolType", "quick_create_target": "Target"}),
    ),
    "AWS::ApiGatewayV2::Stage": (
        NodeShape(Kind.V2_STAGE, {"stage_name": "StageName", "api": "ApiId", **_CFN_V2_ACCESS_LOG}),
    ),
    "AWS::Logs::LogGroup": (
        NodeShape(
            Kind.LOG_GROUP,
            {"name": "LogGroupName", "retention_days": "RetentionInDays", "class": "LogGroupClass"},
        ),
    ),
    "AWS::IAM::Role": (NodeShape(Kind.IAM_ROLE, {"trust_policy": "AssumeRolePolicyDocument"}),),
    # SAM: the API resource, and the stage it generates (StageName is required on an Api).
    "AWS::Serverless::Api": (
        NodeShape(Kind.REST_API, {"name": "Name"}),
        NodeShape(Kind.REST_STAGE, {"stage_name": "StageName", **_CFN_REST_ACCESS_LOG}, implicit="Stage"),
    ),
    "AWS::Serverless::HttpApi": (
        NodeShape(Kind.V2_API, {"name": "Name"}, fixed={"protocol": "HTTP"}),
        NodeShape(Kind.V2_STAGE, {"stage_name": "StageName", **_CFN_V2_ACCESS_LOG}, implicit="Stage"),
    ),
}
