"""Canonical node kinds: what a resource is, whatever format declared it.

Rules select resources by kind, so one rule covers Terraform, CloudFormation and SAM alike.
"""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    REST_API = "rest_api"
    REST_STAGE = "rest_stage"
    REST_DEPLOYMENT = "rest_deployment"
    REST_METHOD_SETTINGS = "rest_method_settings"
    APIGW_ACCOUNT = "apigw_account"
    V2_API = "v2_api"
    V2_STAGE = "v2_stage"
    LOG_GROUP = "log_group"
    IAM_ROLE = "iam_role"
    # A policy given to roles from outside the role resource (attachments, inline role policies).
    IAM_ROLE_POLICY = "iam_role_policy"
    # A CloudWatch Logs delivery source: logs a service sends through CloudWatch Logs delivery.
    LOG_DELIVERY_SOURCE = "log_delivery_source"
    FIREHOSE_STREAM = "firehose_stream"
