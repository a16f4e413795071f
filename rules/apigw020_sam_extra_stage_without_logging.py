"""SAM API deploys an extra stage named "Stage" with no logging.

What it flags:
    An `AWS::Serverless::Api` (explicit, or the implicit `ServerlessRestApi` SAM creates from
    function events) with no `OpenApiVersion`, neither its own nor in `Globals.Api`. Besides its
    named stage, SAM then deploys a second stage literally named "Stage", through the
    `AWS::ApiGateway::Deployment` it generates (`StageName: Stage`), and that stage gets none of
    the API's settings: no access logging and no execution logging, whatever the API says.
Why it matters:
    The "Stage" stage is a live, invokable stage of the same API. Requests to it are not logged
    anywhere, and it does not show in the template, so reviews miss it. Reported apart from
    APIGW001 and APIGW003, which judge the stage the API names, so that teams can decide on
    this one separately.
How to fix:
    Set `OpenApiVersion: 3.0.1` (or later), usually once in `Globals.Api` so that every API,
    the implicit one included, gets it. SAM then no longer creates the extra stage.
Formats:
    SAM             AWS::Serverless::Api.OpenApiVersion (Globals.Api.OpenApiVersion)
Unknown values:
    An OpenApiVersion from a parameter or a condition counts as set.
References:
    AWS SAM specification, AWS::Serverless::Api, OpenApiVersion ("... set this property to any
    valid value to remove the 'Stage' stage"):
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
    aws-sam-translator's output for an Api without OpenApiVersion (a Deployment with StageName: Stage).
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Rule, Severity

RULE = Rule(
    id="APIGW020",
    slug="sam-extra-stage-without-logging",
    summary="SAM API without OpenApiVersion also deploys a stage named 'Stage' with no logging",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.REST_STAGE}),
    formats=frozenset({"sam"}),
    related=(("securityhub", "none"), ("config", "none"), ("checkov", "none"), ("trivy", "none"), ("kics", "none")),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.REST_STAGE):
        if stage.fact("created_by").value == "sam_without_openapi_version":
            yield RULE.finding(
                stage,
                None,
                "without OpenApiVersion SAM also deploys a stage named 'Stage' with no access or execution logging; "
                "set OpenApiVersion: '3.0.1' (in Globals.Api for every API)",
            )


EXAMPLES = (
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    OpenApiVersion: "3.0.1"
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
''',
    ),
)
