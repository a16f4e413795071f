resource "aws_cloudwatch_log_group" "kept_forever" {
  name = "/aws/lambda/orders"
}
