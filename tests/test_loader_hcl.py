"""HCL syntax: source text -> blocks, attributes with positions, expressions."""

from __future__ import annotations

import pytest

from iaclint.loaders import hcl
from iaclint.loaders.hcl import Call, Conditional, Literal, Opaque, Template, Traversal


def attr(source: str, name: str = "x") -> hcl.Attribute:
    return hcl.parse(source).attributes[name]


@pytest.mark.parametrize(
    ("case", "source", "expected"),
    [
        ("string", 'x = "prod"', Literal("prod")),
        ("escapes", r'x = "a\"b\n\u00e9"', Literal('a"b\né')),
        ("escaped interpolation", 'x = "$${var.y}"', Literal("${var.y}")),
        ("number", "x = 30", Literal(30)),
        ("float", "x = 1.5", Literal(1.5)),
        ("bool", "x = true", Literal(True)),
        ("null", "x = null", Literal(None)),
        ("reference", "x = aws_cloudwatch_log_group.g.arn", Traversal("aws_cloudwatch_log_group", ("g", "arn"))),
        ("index", 'x = var.m["k"]', Traversal("var", ("m", ("k",)))),
        ("legacy index", "x = var.l.0", Traversal("var", ("l", (0,)))),
        ("splat", "x = aws_x.y[*].arn", Traversal("aws_x", ("y", "*", "arn"))),
        (
            "template",
            'x = "${aws_cloudwatch_log_group.g.arn}:*"',
            Template((Traversal("aws_cloudwatch_log_group", ("g", "arn")), ":*")),
        ),
        ("call", "x = lower(var.v)", Call("lower", (Traversal("var", ("v",)),))),
        (
            "conditional",
            "x = var.on ? 30 : 0",
            Conditional(Traversal("var", ("on",)), Literal(30), Literal(0)),
        ),
        ("heredoc", "x = <<EOT\nhello\nEOT\n", Literal("hello\n")),
        ("indented heredoc", "x = <<-EOT\n    a\n      b\n  EOT\n", Literal("a\n  b\n")),
        ("heredoc, marker then blanks", "x = <<EOT\nhello\nEOT   \n", Literal("hello\n")),
        ("heredoc interpolation", "x = <<EOT\n${var.a}\nEOT\n", Opaque((Traversal("var", ("a",)),))),
    ],
)
def test_expressions(case: str, source: str, expected: object) -> None:
    assert attr(source + "\n").expr == expected


def test_positions_of_blocks_and_attributes() -> None:
    body = hcl.parse(
        'resource "aws_api_gateway_stage" "prod" {\n'
        '  stage_name = "prod"\n'
        "\n"
        "  access_log_settings {\n"
        "    destination_arn = aws_cloudwatch_log_group.g.arn\n"
        "  }\n"
        "}\n"
    )
    (block,) = body.blocks
    assert (block.type, block.labels) == ("resource", ("aws_api_gateway_stage", "prod"))
    assert (block.span.line, block.span.end_line) == (1, 7)
    assert block.body.attributes["stage_name"].span.line == 2
    assert block.body.attributes["stage_name"].span.column == 3
    (settings,) = block.body.blocks_of("access_log_settings")
    assert settings.span.line == 4
    assert settings.body.attributes["destination_arn"].span.line == 5


def test_crlf_and_bom_do_not_move_lines() -> None:
    body = hcl.parse('\ufeffa = 1\r\n\r\nb = "x"\r\n')
    assert body.attributes["b"].span.line == 3


def test_for_expression_keeps_outer_references_only() -> None:
    expr = attr("x = [for s in var.stages : s.name if s.enabled]\n").expr
    assert list(hcl.references(expr)) == [Traversal("var", ("stages",))]


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ('resource "a" "b" {\n  x = \n}\n', 3, "unexpected '}'"),
        ('resource "a" "b" {\n  x = 1\n', 2, "unexpected end of file: a block, string or bracket is not closed"),
        ("x = 1\ny = @\n", 2, "unexpected '@'"),
    ],
)
def test_syntax_errors_say_where(source: str, line: int, message: str) -> None:
    with pytest.raises(hcl.HclSyntaxError) as caught:
        hcl.parse(source)
    assert caught.value.line == line
    assert caught.value.message == message
