"""iaclint: a static policy linter for AWS API Gateway logging in Terraform and CloudFormation."""

__version__ = "0.1.0"
