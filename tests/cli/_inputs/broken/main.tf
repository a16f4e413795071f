resource "aws_cloudwatch_log_group" "x" {
  name = "x"
