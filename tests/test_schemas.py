"""The trimmed Terraform schema of the API Gateway resources (iaclint/data), and what rules read
from it: which logging blocks belong to which family."""

from __future__ import annotations

from iaclint.schemas import blocks_holding, provider_version, terraform_arguments, terraform_types


def test_the_data_file_is_the_aws_providers() -> None:
    assert provider_version().startswith("hashicorp/aws ")
    assert {"aws_api_gateway_stage", "aws_apigatewayv2_stage", "aws_api_gateway_method_settings"} <= terraform_types()
    assert all(t.startswith(("aws_api_gateway_", "aws_apigatewayv2_")) for t in terraform_types())


def test_stage_arguments_differ_by_family() -> None:
    rest, v2 = terraform_arguments("aws_api_gateway_stage"), terraform_arguments("aws_apigatewayv2_stage")
    assert rest is not None and v2 is not None
    assert {"stage_name", "rest_api_id", "access_log_settings"} <= set(rest)
    assert {"name", "api_id", "access_log_settings", "default_route_settings", "route_settings"} <= set(v2)
    assert not {"default_route_settings", "route_settings"} & set(rest)
    assert rest["access_log_settings"] == {"destination_arn": None, "format": None}
    assert terraform_arguments("aws_lambda_function") is None


def test_logging_blocks() -> None:
    assert blocks_holding("aws_api_gateway_method_settings", "logging_level") == {"settings"}
    assert blocks_holding("aws_apigatewayv2_stage", "logging_level") == {"default_route_settings", "route_settings"}
    assert blocks_holding("aws_api_gateway_stage", "destination_arn") == {"access_log_settings"}
