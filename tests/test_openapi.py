"""`/openapi.json` says what the server really answers: schemathesis's response-conformance checks
(status codes, content types, response bodies) on every operation against a live server."""

from __future__ import annotations

from typing import Any

from tests.conftest import LiveServer, message
from tests.livekit import ingest


def test_responses_conform_to_the_openapi_document(live: LiveServer) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    show = live.show()
    ingest(live.url, live.token("ingest"), [message(i) for i in range(3)])
    producer = live.login("conformance", "producer")
    headers = {**producer.headers, "Cookie": producer.cookie, "Authorization": f"Bearer {live.token('ingest')}"}
    served = producer.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(served)
    skip = {"/prompter/{show_id}/events", "/api/auth/logout"}  # an endless stream; ends the session
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    failures: list[str] = []
    checked: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in skip:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            if "show_id" in (case.path_parameters or {}):
                case.path_parameters["show_id"] = show["id"]  # most cases reach a real show
            response = case.call(base_url=live.url, headers=headers, timeout=10)
            checked.add(f"{case.method} {case.operation.path} {response.status_code}")
            try:
                case.validate_response(response, checks=checks)
            except Exception as exc:  # schemathesis raises one error naming every failed check
                failures.append(f"{case.method} {case.formatted_path} {response.status_code}: {str(exc)[:300]}")

        check()
    assert not failures, failures[:5]
    # the successes the document describes were really exercised, not only the 4xx answers
    assert {"POST /api/shows 201", "GET /api/shows 200", "GET /api/shows/{show_id}/questions 200"} <= checked


def test_declared_statuses_and_shapes(live: LiveServer) -> None:
    doc = live.login("reader", "producer").get("/openapi.json").json()
    created = doc["paths"]["/api/shows"]["post"]["responses"]
    assert "201" in created and "200" not in created
    assert "201" in doc["paths"]["/api/shows/{show_id}/questions"]["post"]["responses"]
    listed = doc["paths"]["/api/shows"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"type": "array", "items": {"$ref": "#/components/schemas/Show"}}
    questions = doc["paths"]["/api/shows/{show_id}/questions"]["get"]["responses"]["200"]
    assert questions["content"]["application/json"]["schema"]["type"] == "array"
