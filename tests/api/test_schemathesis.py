"""A bounded schemathesis run: every operation of the schema, called as a dispatcher with generated valid
and invalid data, answers without a server error and as its schema says (status, content type, body).

The schema is loaded from the app in-process (WSGI), inside the test's database transaction.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from daiban.apitokens.services import token_create
from daiban.approvals.services import cases_generate

# A deeper run on demand: DAIBAN_SCHEMATHESIS_EXAMPLES=200 pytest tests/api/test_schemathesis.py
MAX_EXAMPLES = int(os.environ.get("DAIBAN_SCHEMATHESIS_EXAMPLES", "20"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction():
    """Keep Django from closing the test's connection at each request (as its own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(db, in_test_transaction, today, project, other_project, milestone_kinds):
    """Two projects with their cases, so generated ids sometimes hit real rows."""
    for row in (project, other_project):
        cases_generate(actor=None, project=row)


@pytest.fixture
def auth_headers(data, dispatcher) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(actor=None, user=dispatcher)[1]}"}


# Note: loaded when the module is collected (the schema needs no database). Not from_fixture: its lazy
# loader sets a private pytest attribute that pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
