"""iaclint's built-in rule pack: API Gateway and CloudWatch Logs logging controls.

Registered through the `iaclint.rules` entry point like any third-party pack.
"""

from iaclint_rules import (
    apigw001_rest_stage_without_access_logs,
    apigw002_v2_stage_without_access_logs,
    apigw003_rest_stage_without_execution_logs,
    apigw004_execution_logging_on_narrow_method_path,
    apigw005_websocket_stage_without_execution_logs,
    apigw006_http_stage_with_execution_log_settings,
    apigw007_v1_v2_mix_up,
    apigw008_missing_or_unusable_account_cloudwatch_role,
    apigw009_unordered_logging_dependency,
    apigw010_unmanaged_execution_log_group,
    apigw011_access_log_settings_unusable,
    apigw019_data_trace_enabled,
    apigw020_sam_extra_stage_without_logging,
    logs001_log_group_without_retention,
)

RULE_MODULES = (
    apigw001_rest_stage_without_access_logs,
    apigw002_v2_stage_without_access_logs,
    apigw003_rest_stage_without_execution_logs,
    apigw004_execution_logging_on_narrow_method_path,
    apigw005_websocket_stage_without_execution_logs,
    apigw006_http_stage_with_execution_log_settings,
    apigw007_v1_v2_mix_up,
    apigw008_missing_or_unusable_account_cloudwatch_role,
    apigw009_unordered_logging_dependency,
    apigw010_unmanaged_execution_log_group,
    apigw011_access_log_settings_unusable,
    apigw019_data_trace_enabled,
    apigw020_sam_extra_stage_without_logging,
    logs001_log_group_without_retention,
)
