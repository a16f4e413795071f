resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/orders"
  retention_in_days = var.retention_days
}

variable "retention_days" {
  type    = number
  default = 0
}
