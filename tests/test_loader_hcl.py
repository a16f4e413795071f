"""HCL syntax: source text -> blocks, attributes with positions, expressions."""

from __future__ import annotations

import pytest

from iaclint.loaders import hcl
from iaclint.loaders.hcl import (
    Access,
    Call,
    Conditional,
    ForExpr,
    Literal,
    Opaque,
    Operation,
    Template,
    Traversal,
)

A, B, C = Traversal("a"), Traversal("b"), Traversal("c")


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
        ("splat with index steps", "x = var.l[*].a[0]", Traversal("var", ("l", "*", "a", (0,)))),
        ("legacy splat ends before an index", "x = var.l.*.a[0]", Access(Traversal("var", ("l", "*", "a")), ((0,),))),
        ("parentheses end a splat", "x = (var.l[*].a)[0]", Access(Traversal("var", ("l", "*", "a")), ((0,),))),
        ("index on a call", "x = f(a)[0].b", Access(Call("f", (A,)), ((0,), "b"))),
        (
            "template",
            'x = "${aws_cloudwatch_log_group.g.arn}:*"',
            Template((Traversal("aws_cloudwatch_log_group", ("g", "arn")), ":*")),
        ),
        ("call", "x = lower(var.v)", Call("lower", (Traversal("var", ("v",)),))),
        ("call with trailing comma", "x = f(a,\n  b,\n)", Call("f", (A, B))),
        ("call expanding its last argument", "x = max(a, b...)", Call("max", (A, B), expand_final=True)),
        ("expansion after a space", "x = max(b ...)", Call("max", (B,), expand_final=True)),
        ("dots in a comment are not expansion", "x = max(b # and so on...\n)", Call("max", (B,))),
        (
            "for tuple",
            "x = [for i, s in var.l : upper(s) if i > 0]",
            ForExpr("i", "s", Traversal("var", ("l",)), None, Call("upper", (Traversal("s"),)),
                    Operation(">", (Traversal("i"), Literal(0)))),
        ),
        (
            "for object with grouping",
            "x = {for s in var.l : s.k => s...}",
            ForExpr(None, "s", Traversal("var", ("l",)), Traversal("s", ("k",)), Traversal("s"), None, True),
        ),
        ("template directive", 'x = "%{ if var.on }x%{ endif }"', Opaque((Traversal("var", ("on",)),))),
        ("escaped directive", 'x = "a%%{b}"', Literal("a%{b}")),
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


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # python-hcl2's grammar nests these to the right with no precedence; HCL's `? :` binds
        # loosest and the binary operators follow the usual arithmetic/logic order.
        ("a > 2 ? 1 : 0", Conditional(Operation(">", (A, Literal(2))), Literal(1), Literal(0))),
        ('a == "x" ? b : c', Conditional(Operation("==", (A, Literal("x"))), B, C)),
        ("!a ? 1 : 2", Conditional(Operation("!", (A,)), Literal(1), Literal(2))),
        ("a && b ? 1 : 2", Conditional(Operation("&&", (A, B)), Literal(1), Literal(2))),
        ("a + 1 ? b : c", Conditional(Operation("+", (A, Literal(1))), B, C)),
        ("a > (2 ? 1 : 0)", Operation(">", (A, Conditional(Literal(2), Literal(1), Literal(0))))),
        ("a ? b : c ? 1 : 2", Conditional(A, B, Conditional(C, Literal(1), Literal(2)))),
        ("a ? b ? 1 : 2 : c", Conditional(A, Conditional(B, Literal(1), Literal(2)), C)),
        ("2 * a + 1", Operation("+", (Operation("*", (Literal(2), A)), Literal(1)))),
        ("a - b - c", Operation("-", (Operation("-", (A, B)), C))),
        ("(a + b) * c", Operation("*", (Operation("+", (A, B)), C))),
        ("a || b && c", Operation("||", (A, Operation("&&", (B, C))))),
        ("a == b && b < c", Operation("&&", (Operation("==", (A, B)), Operation("<", (B, C))))),
        ("-a * 2", Operation("*", (Operation("-", (A,)), Literal(2)))),
    ],
)
def test_operator_precedence(source: str, expected: object) -> None:
    assert attr(f"x = {source}\n").expr == expected


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


def test_nested_for_expressions_keep_outer_references_only() -> None:
    expr = attr("x = {for k, v in var.m : k => [for s in v : s[var.i] if s != local.skip]}\n").expr
    assert list(hcl.references(expr)) == [
        Traversal("var", ("m",)),
        Traversal("var", ("i",)),
        Traversal("local", ("skip",)),
    ]


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
