"""Property tests generated from the OpenAPI document (schemathesis): whatever it sends, no 5xx,
and every response matches its documented status, content type and schema; schema-invalid
requests are refused. Bounded: a few examples per operation.

(The operations are driven from a plain test with hypothesis: schemathesis's fixture-based
`from_fixture` does not run under pytest 9, and the app here is built per database.)"""

from __future__ import annotations

import itertools

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.jobs import Worker
from tests.api.conftest import auth, store

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
BOUNDED = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


def _real_ids(client, keys, service) -> dict[str, str]:
    """Ids of stored things, so generated requests reach past the 404s too."""
    sid = store(client, keys.m)["id"]
    rid = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 5}, headers=auth(keys.m)).json()["id"]
    Worker(service.settings, service.engine).run(once=True)
    key_id = next(k["id"] for k in client.get("/keys", headers=auth(keys.admin)).json()["items"] if not k["admin"])
    return {"scenario_id": sid, "run_id": rid, "other_run_id": rid, "key_id": key_id}


def _property(strategy, headers, checks):
    @BOUNDED
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=checks)

    return check


def test_no_server_errors_and_responses_match_the_schema(client, keys, service):
    api = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 18
    ids = _real_ids(client, keys, service)
    failures = []
    for operation, mode in itertools.product(operations, GenerationMode):
        names = {p.name for p in operation.path_parameters}
        # /validate answers 200 for an invalid scenario by design (it lists the problems)
        checks = CHECKS[:-1] if operation.path == "/validate" else CHECKS
        if operation.path == "/health/ready":  # 503 is its documented answer: no worker runs here
            checks = [c for c in checks if c is not not_a_server_error]
        pinned = {k: v for k, v in ids.items() if k in names} if mode == GenerationMode.POSITIVE else None

        try:
            _property(operation.as_strategy(mode, path_parameters=pinned or None), auth(keys.admin), checks)()
        except Unsatisfiable:  # nothing to get wrong: a route without parameters or body
            assert mode == GenerationMode.NEGATIVE
        except Exception as e:  # collect: one report for all operations
            failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {e}")
    assert not failures, "\n\n".join(failures)
