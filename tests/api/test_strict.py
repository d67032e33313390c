"""Strict types in every request body (严格类型), found by walking the app: for every route that
takes a JSON body model, every typed field of that body — nested ones included, as the OpenAPI
document describes them — is sent with a value of the wrong JSON type that a lax reader would
convert ("60" for a number, "yes" or 1 for a boolean, 1 for a string): each must be refused
with 422 naming that field. A key given twice in one object is refused as in a scenario. A route
added later is walked too, so it cannot forget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.strict import StrictJSONRoute
from tests.api.conftest import JSON, TINY, Keys, auth, store

DUMMY_ID = "0" * 32
#: wrong-typed values per JSON type: what a lax reader would take for that type
WRONG: dict[str, list[Any]] = {"number": ["60"], "integer": ["5"], "boolean": ["yes", 1, "true"],
                               "string": [1]}


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _leaves(schema: dict[str, Any], doc: dict[str, Any], path: str, depth: int = 0
            ) -> Iterator[tuple[str, str, Any]]:
    """(path as the error names it, JSON type, a body placing a value at the path: a function
    of that value) for every typed scalar in `schema`."""
    schema = _resolve(schema, doc)
    if depth > 6:
        return
    options = [_resolve(s, doc) for s in schema.get("anyOf", [schema])]
    for option in options:
        kind = option.get("type")
        if kind == "object":
            for name, sub in option.get("properties", {}).items():
                for leaf_path, leaf_kind, place in _leaves(sub, doc, f"{path}.{name}", depth + 1):
                    yield leaf_path, leaf_kind, (lambda v, n=name, p=place: {n: p(v)})
        elif kind == "array" and "items" in option:
            for leaf_path, leaf_kind, place in _leaves(option["items"], doc, f"{path}[0]", depth + 1):
                yield leaf_path, leaf_kind, (lambda v, p=place: [p(v)])
        elif kind in WRONG and "enum" not in option and "const" not in option:
            yield path, kind, (lambda v: v)


def _url(client: TestClient, keys: Keys, path: str) -> str:
    """`path` with a scenario and a (queued) run the admin key sees: the district check, which
    comes first, lets the request through to the body."""
    sid = store(client, keys.m)["id"]
    rid = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m)).json()["id"]
    return path.replace("{scenario_id}", sid).replace("{run_id}", rid)


def _body_routes(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    doc = client.get("/openapi.json").json()
    out = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = content.get("schema")
            if schema is not None and schema.get("$ref", "").rsplit("/", 1)[-1] != "Scenario":
                out.append((method.upper(), path, _resolve(schema, doc)))
    return out


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """The app's routes, those of included routers too (FastAPI keeps them as included
    routers: their own routes are under `original_router`)."""
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        elif hasattr(r, "original_router"):
            yield from _api_routes(r.original_router.routes)


def test_every_body_route_reads_its_body_strictly(client: TestClient) -> None:
    """Every route of the app with a body model decodes it as a scenario is decoded."""
    with_body = [r for r in _api_routes(client.app.routes) if r.body_field is not None]  # type: ignore[attr-defined]
    assert len(with_body) >= 7
    assert [r.path for r in with_body if not isinstance(r, StrictJSONRoute)] == []


def test_every_typed_field_of_every_body_refuses_a_wrong_type(client: TestClient, keys: Keys) -> None:
    doc = client.get("/openapi.json").json()
    routes = _body_routes(client)
    assert {p for _, p, _ in routes} >= {"/scenarios/{scenario_id}/runs", "/keys", "/convert/workbook"}
    accepted, checked = [], 0
    for method, path, schema in routes:
        url = _url(client, keys, path)
        for leaf, kind, place in _leaves(schema, doc, "body"):
            for wrong in WRONG[kind]:
                r = client.request(method, url, content=json.dumps(place(wrong)),
                                   headers=auth(keys.admin, **JSON))
                checked += 1
                named = r.status_code == 422 and any(p["path"] == leaf for p in r.json()["detail"])
                if not named:
                    accepted.append((method, path, leaf, wrong, r.status_code, r.text[:160]))
    print(f"\n{checked} wrong-typed values sent to {len(routes)} routes")
    assert checked >= 40
    assert accepted == [], accepted


def test_the_cases_of_the_issue(client: TestClient, keys: Keys) -> None:
    r = client.post(f"/scenarios/{DUMMY_ID}/runs", json={"time_limit": "60"}, headers=auth(keys.m))
    assert r.status_code == 422 and r.json()["detail"][0]["path"] == "body.time_limit", r.text
    r = client.post("/keys", json={"court": "M", "admin": "yes"}, headers=auth(keys.admin))
    assert r.status_code == 422 and r.json()["detail"][0]["path"] == "body.admin", r.text
    assert client.get("/keys", headers=auth(keys.admin)).json()["total"] == 2  # no key was made


def test_a_key_given_twice_is_refused_in_every_body(client: TestClient, keys: Keys) -> None:
    for method, path, schema in _body_routes(client):
        url = _url(client, keys, path)
        name = next(iter(schema.get("properties", {"x": {}})))
        r = client.request(method, url, content=f'{{"{name}": null, "{name}": null}}',
                           headers=auth(keys.admin, **JSON))
        assert r.status_code == 422 and f"duplicate key '{name}'" in r.text, (method, path, r.text)
    r = client.post(f"/scenarios/{DUMMY_ID}/runs", content=b'{"time_limit": 60, "time_limit": 5}',
                    headers=auth(keys.m, **JSON))
    assert r.status_code == 422 and "duplicate key 'time_limit'" in r.text, r.text


def test_a_scenario_body_is_strict_too(client: TestClient, keys: Keys) -> None:
    """The scenario reader's strict JSON rule holds over HTTP: officers written as text is a 422
    naming the field, and nothing is stored."""
    raw = json.loads(TINY)
    raw["courts"][0]["officers"] = "30"
    before = client.get("/scenarios", headers=auth(keys.m)).json()
    r = client.post("/scenarios", content=json.dumps(raw, ensure_ascii=False).encode(),
                    headers={**JSON, **auth(keys.m)})
    assert r.status_code == 422, r.text
    assert "courts[0].officers" in r.text and "not the text" in r.text
    assert client.get("/scenarios", headers=auth(keys.m)).json() == before
