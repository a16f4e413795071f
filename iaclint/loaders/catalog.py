"""Which provider types become which node kinds, and where each canonical fact lives.

This table is the only place outside the loaders where provider type strings appear. A fact
path is dotted: attributes and nested blocks (Terraform) or properties (CloudFormation). An
`Each` fact is a repeated block or list (method settings, route settings): its value is a tuple
of Sections whose fields are facts too.

A resource may expand to several nodes, as the service does when it deploys it: the first is
the declared resource, the others are implicit (the stage a SAM API or a deployment's
`stage_name` creates) and are reported under the declaring resource's address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from iaclint.kinds import Kind


@dataclass(frozen=True)
class Each:
    path: str
    fields: dict[str, str]
    # For a mapping keyed by name (CloudFormation RouteSettings), the field that holds the key.
    key: str | None = None


FactPath = Union[str, Each]


@dataclass(frozen=True)
class NodeShape:
    kind: Kind
    facts: dict[str, FactPath] = field(default_factory=dict)
    # Facts the resource type fixes, whatever the code says; None means "never present".
    fixed: dict[str, Any] = field(default_factory=dict)
    # Non-empty for an implicit node: the suffix of its node id.
    implicit: str = ""
    # An implicit node exists only when this path holds a known, non-empty value...
    when: str = ""
    # ...and not when this path is written at all.
    unless: str = ""


# --- Terraform ---------------------------------------------------------------------------

_TF_ACCESS_LOG = {
    "access_log": "access_log_settings",
    "access_log.destination": "access_log_settings.destination_arn",
    "access_log.format": "access_log_settings.format",
}
_TF_ROUTE_SETTINGS = {
    "default_route.logging_level": "default_route_settings.logging_level",
    "default_route.data_trace": "default_route_settings.data_trace_enabled",
    "route_settings": Each(
        "route_settings",
        {"route_key": "route_key", "logging_level": "logging_level", "data_trace": "data_trace_enabled"},
    ),
}
_TF_POLICY = {"policy": "policy"}

TERRAFORM: dict[str, tuple[NodeShape, ...]] = {
    "aws_api_gateway_rest_api": (NodeShape(Kind.REST_API, {"name": "name"}),),
    "aws_api_gateway_stage": (
        NodeShape(Kind.REST_STAGE, {"stage_name": "stage_name", "api": "rest_api_id", **_TF_ACCESS_LOG}),
    ),
    "aws_api_gateway_deployment": (
        NodeShape(Kind.REST_DEPLOYMENT, {"stage_name": "stage_name", "api": "rest_api_id"}),
        # `stage_name` creates a stage with no way to give it access logs (deprecated in
        # provider 5.x, removed in 6.0).
        NodeShape(
            Kind.REST_STAGE,
            {"stage_name": "stage_name", "api": "rest_api_id"},
            fixed={"access_log": None, "created_by": "deprecated_deployment_stage_name"},
            implicit="stage",
            when="stage_name",
        ),
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
                "metrics": "settings.metrics_enabled",
            },
        ),
    ),
    "aws_api_gateway_account": (NodeShape(Kind.APIGW_ACCOUNT, {"cloudwatch_role": "cloudwatch_role_arn"}),),
    "aws_apigatewayv2_api": (
        NodeShape(Kind.V2_API, {"name": "name", "protocol": "protocol_type", "quick_create_target": "target"}),
        # Quick create: a `$default` stage that configuration cannot reach.
        NodeShape(
            Kind.V2_STAGE,
            {"quick_create_target": "target"},
            fixed={"stage_name": "$default", "access_log": None, "created_by": "quick_create"},
            implicit="$default",
            when="target",
        ),
    ),
    "aws_apigatewayv2_stage": (
        NodeShape(
            Kind.V2_STAGE,
            {"stage_name": "name", "api": "api_id", **_TF_ACCESS_LOG, **_TF_ROUTE_SETTINGS},
        ),
    ),
    "aws_cloudwatch_log_group": (
        NodeShape(Kind.LOG_GROUP, {"name": "name", "retention_days": "retention_in_days", "class": "log_group_class"}),
    ),
    "aws_cloudwatch_log_delivery_source": (
        NodeShape(Kind.LOG_DELIVERY_SOURCE, {"log_type": "log_type", "resource": "resource_arn"}),
    ),
    "aws_kinesis_firehose_delivery_stream": (NodeShape(Kind.FIREHOSE_STREAM, {"name": "name"}),),
    "aws_iam_role": (
        NodeShape(
            Kind.IAM_ROLE,
            {
                "name": "name",
                "trust_policy": "assume_role_policy",
                "managed_policies": "managed_policy_arns",
                "inline_policies": Each("inline_policy", _TF_POLICY),
            },
        ),
    ),
    "aws_iam_role_policy_attachment": (NodeShape(Kind.IAM_ROLE_POLICY, {"roles": "role", "policy_arn": "policy_arn"}),),
    "aws_iam_policy_attachment": (NodeShape(Kind.IAM_ROLE_POLICY, {"roles": "roles", "policy_arn": "policy_arn"}),),
    "aws_iam_role_policy": (NodeShape(Kind.IAM_ROLE_POLICY, {"roles": "role", **_TF_POLICY}),),
}

# --- CloudFormation and SAM --------------------------------------------------------------

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
_CFN_METHOD_SETTING = {
    "http_method": "HttpMethod",
    "resource_path": "ResourcePath",
    "logging_level": "LoggingLevel",
    "data_trace": "DataTraceEnabled",
    "metrics": "MetricsEnabled",
}
_CFN_ROUTE_SETTINGS = {
    "default_route.logging_level": "DefaultRouteSettings.LoggingLevel",
    "default_route.data_trace": "DefaultRouteSettings.DataTraceEnabled",
    "route_settings": Each(
        "RouteSettings", {"logging_level": "LoggingLevel", "data_trace": "DataTraceEnabled"}, key="route_key"
    ),
}
_CFN_POLICY_DOCUMENT = {"policy": "PolicyDocument"}

CLOUDFORMATION: dict[str, tuple[NodeShape, ...]] = {
    "AWS::ApiGateway::RestApi": (NodeShape(Kind.REST_API, {"name": "Name"}),),
    "AWS::ApiGateway::Stage": (
        NodeShape(
            Kind.REST_STAGE,
            {
                "stage_name": "StageName",
                "api": "RestApiId",
                "method_settings": Each("MethodSettings", _CFN_METHOD_SETTING),
                **_CFN_REST_ACCESS_LOG,
            },
        ),
    ),
    "AWS::ApiGateway::Deployment": (
        NodeShape(Kind.REST_DEPLOYMENT, {"stage_name": "StageName", "api": "RestApiId"}),
        # `StageName` creates a stage configured by `StageDescription`.
        NodeShape(
            Kind.REST_STAGE,
            {
                "stage_name": "StageName",
                "api": "RestApiId",
                "access_log": "StageDescription.AccessLogSetting",
                "access_log.destination": "StageDescription.AccessLogSetting.DestinationArn",
                "access_log.format": "StageDescription.AccessLogSetting.Format",
                "logging_level": "StageDescription.LoggingLevel",
                "data_trace": "StageDescription.DataTraceEnabled",
                "method_settings": Each("StageDescription.MethodSettings", _CFN_METHOD_SETTING),
            },
            fixed={"created_by": "deployment_stage_name"},
            implicit="Stage",
            when="StageName",
        ),
    ),
    "AWS::ApiGateway::Account": (NodeShape(Kind.APIGW_ACCOUNT, {"cloudwatch_role": "CloudWatchRoleArn"}),),
    "AWS::ApiGatewayV2::Api": (
        NodeShape(Kind.V2_API, {"name": "Name", "protocol": "ProtocolType", "quick_create_target": "Target"}),
        NodeShape(
            Kind.V2_STAGE,
            {"quick_create_target": "Target"},
            fixed={"stage_name": "$default", "access_log": None, "created_by": "quick_create"},
            implicit="$default",
            when="Target",
        ),
    ),
    "AWS::ApiGatewayV2::Stage": (
        NodeShape(
            Kind.V2_STAGE, {"stage_name": "StageName", "api": "ApiId", **_CFN_V2_ACCESS_LOG, **_CFN_ROUTE_SETTINGS}
        ),
    ),
    "AWS::Logs::LogGroup": (
        NodeShape(Kind.LOG_GROUP, {"name": "LogGroupName", "retention_days": "RetentionInDays", "class": "LogGroupClass"}),
    ),
    "AWS::Logs::DeliverySource": (
        NodeShape(Kind.LOG_DELIVERY_SOURCE, {"log_type": "LogType", "resource": "ResourceArn"}),
    ),
    "AWS::KinesisFirehose::DeliveryStream": (NodeShape(Kind.FIREHOSE_STREAM, {"name": "DeliveryStreamName"}),),
    "AWS::IAM::Role": (
        NodeShape(
            Kind.IAM_ROLE,
            {
                "name": "RoleName",
                "trust_policy": "AssumeRolePolicyDocument",
                "managed_policies": "ManagedPolicyArns",
                "inline_policies": Each("Policies", _CFN_POLICY_DOCUMENT),
            },
        ),
    ),
    "AWS::IAM::Policy": (NodeShape(Kind.IAM_ROLE_POLICY, {"roles": "Roles", **_CFN_POLICY_DOCUMENT}),),
    "AWS::IAM::ManagedPolicy": (NodeShape(Kind.IAM_ROLE_POLICY, {"roles": "Roles", **_CFN_POLICY_DOCUMENT}),),
    "AWS::IAM::RolePolicy": (NodeShape(Kind.IAM_ROLE_POLICY, {"roles": "RoleName", **_CFN_POLICY_DOCUMENT}),),
    # SAM: the API and the stage it generates. Without OpenApiVersion SAM's generated deployment
    # also creates a stage named "Stage" that gets none of the API's settings.
    "AWS::Serverless::Api": (
        NodeShape(Kind.REST_API, {"name": "Name"}),
        NodeShape(
            Kind.REST_STAGE,
            {
                "stage_name": "StageName",
                "method_settings": Each("MethodSettings", _CFN_METHOD_SETTING),
                **_CFN_REST_ACCESS_LOG,
            },
            implicit="Stage",
        ),
        NodeShape(
            Kind.REST_STAGE,
            {},
            fixed={"stage_name": "Stage", "access_log": None, "created_by": "sam_without_openapi_version"},
            implicit="DeploymentStage",
            unless="OpenApiVersion",
        ),
    ),
    "AWS::Serverless::HttpApi": (
        NodeShape(Kind.V2_API, {"name": "Name"}, fixed={"protocol": "HTTP"}),
        NodeShape(Kind.V2_STAGE, {"stage_name": "StageName", **_CFN_V2_ACCESS_LOG, **_CFN_ROUTE_SETTINGS}, implicit="Stage"),
    ),
    "AWS::Serverless::WebSocketApi": (
        NodeShape(Kind.V2_API, {"name": "Name"}, fixed={"protocol": "WEBSOCKET"}),
        NodeShape(Kind.V2_STAGE, {"stage_name": "StageName", **_CFN_V2_ACCESS_LOG, **_CFN_ROUTE_SETTINGS}, implicit="Stage"),
    ),
}
