"""iaclint's built-in rule pack: API Gateway and CloudWatch Logs logging controls.

Registered through the `iaclint.rules` entry point like any third-party pack.
"""

from iaclint_rules import (
    apigw001_rest_stage_without_access_logs,
    apigw002_v2_stage_without_access_logs,
    logs001_log_group_without_retention,
)

RULE_MODULES = (
    apigw001_rest_stage_without_access_logs,
    apigw002_v2_stage_without_access_logs,
    logs001_log_group_without_retention,
)
