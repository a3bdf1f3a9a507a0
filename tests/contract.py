"""The HTTP contract every framework serves (DESIGN.md section 3a), as one driver.

``drive_contract`` talks to a running service over HTTP like a client and
checks everything the contract fixes: paths, status codes, the JSON shape of
every answer and of every error, headers, pagination, owner scoping, and the
OpenAPI schema's operation ids and documented statuses. The project tier runs
it against every project it boots, whatever the framework, so a client
cannot tell the frameworks apart; tests/test_contract.py plants deviations
in a stand-in service and sees the driver name each one.

Free text (error messages, validation ``msg`` and ``type``) is the framework's
own; its place in the body is not.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
OPERATION_IDS = {
    "live",
    "ready",
    "list_items",
    "create_item",
    "get_item",
    "update_item",
    "delete_item",
}
AUTH_OPERATION_IDS = {"register", "login", "me"}
ITEM_KEYS = {"id", "name", "description", "created_at", "updated_at"}
# With a task queue: when a worker ran the item's task (null until then).
TASK_EFFECT = "processed_at"
PAGE_KEYS = {"items", "total", "limit", "offset"}
DEFAULT_LIMIT = 20
PASSWORD = "a long enough password"


class ContractError(AssertionError):
    """The service answered something the contract does not allow."""


def check(condition: bool, what: str, response: httpx.Response | None = None) -> None:
    if condition:
        return
    if response is not None:
        request = response.request
        answer = f"{response.status_code} {response.text[:300]}"
        what += f"\n  {request.method} {request.url.path} -> {answer}"
    raise ContractError(what)


def drive_contract(client: httpx.Client, *, auth: bool, queue: bool = False) -> None:
    """Every row of the contract, against the service ``client`` points at.

    ``client`` has the service's base URL and an address of its own for the
    rate limits (X-Forwarded-For); ``auth`` says whether auth=jwt was chosen,
    ``queue`` whether a task queue was (items then show the task's effect).
    """
    _health(client)
    _errors_without_a_route(client)
    if auth:
        owner = _auth(client)
        stranger = _register_and_log_in(client)
        check_error(client.get("/items"), 401, "items without a token")
    else:
        owner = stranger = {}
        check_status(client.post("/auth/register", json={}), 404, "/auth without auth")
    _items(
        client, owner, stranger, scoped=auth, keys=ITEM_KEYS | ({TASK_EFFECT} if queue else set())
    )
    _openapi(client, auth=auth)


# Answers ----------------------------------------------------------------------


def check_common(response: httpx.Response) -> None:
    """What every answer carries: a request id and the security headers."""
    check(bool(response.headers.get("x-request-id")), "no X-Request-ID", response)
    for name, value in SECURITY_HEADERS.items():
        check(response.headers.get(name) == value, f"header {name} is not {value!r}", response)


def check_status(response: httpx.Response, status: int, what: str) -> None:
    check_common(response)
    check(response.status_code == status, f"{what}: expected {status}", response)


def check_json(response: httpx.Response, status: int, what: str) -> Any:
    check_status(response, status, what)
    check(
        response.headers.get("content-type", "").startswith("application/json"),
        f"{what}: not JSON",
        response,
    )
    return response.json()


def check_error(response: httpx.Response, status: int, what: str) -> Any:
    """An error answer: ``{"detail": ..., "request_id": <the header's id>}``."""
    body = check_json(response, status, what)
    check(
        isinstance(body, dict) and set(body) == {"detail", "request_id"}, f"{what}: body", response
    )
    check(body["request_id"] == response.headers["x-request-id"], f"{what}: request_id", response)
    return body["detail"]


def check_validation_error(response: httpx.Response, what: str, field: str) -> None:
    """422 naming the field: ``detail`` lists ``{loc, msg, type}`` objects."""
    detail = check_error(response, 422, what)
    check(isinstance(detail, list) and bool(detail), f"{what}: detail is not a list", response)
    for error in detail:
        check(
            isinstance(error, dict)
            and isinstance(error.get("loc"), list)
            and isinstance(error.get("msg"), str)
            and isinstance(error.get("type"), str),
            f"{what}: each error has loc, msg and type",
            response,
        )
    places = [[str(part) for part in error["loc"]] for error in detail]
    check(any(field in place for place in places), f"{what}: no error at {field!r}", response)


def check_utc(value: object, what: str) -> None:
    check(isinstance(value, str), f"{what}: not a string")
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    check(moment.utcoffset() is not None, f"{what}: {value} has no time zone")
    check(moment.astimezone(UTC) == moment, f"{what}: {value} is not UTC")


# Rows -------------------------------------------------------------------------


def _health(client: httpx.Client) -> None:
    body = check_json(client.get("/health/live"), 200, "live")
    check(body == {"status": "ok"}, f"live answers {body}")
    body = check_json(client.get("/health/ready"), 200, "ready")
    check(set(body) == {"status", "checks"} and body["status"] == "ok", f"ready answers {body}")
    check(
        isinstance(body["checks"], dict) and set(body["checks"].values()) <= {"ok"},
        f"ready checks {body['checks']}",
    )


def _errors_without_a_route(client: httpx.Client) -> None:
    check_error(client.get(f"/no-such-path-{uuid.uuid4().hex}"), 404, "unknown path")
    wrong_method = client.put("/items", json={})
    check_error(wrong_method, 405, "PUT /items")
    allowed = {m.strip() for m in wrong_method.headers.get("allow", "").split(",")}
    check({"GET", "POST"} <= allowed, "405 without Allow: GET, POST", wrong_method)
    malformed = client.post(
        "/items", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    check(malformed.status_code in {400, 401, 422}, "malformed JSON: not 400/401/422", malformed)
    check_error(malformed, malformed.status_code, "malformed JSON")


def _register_and_log_in(client: httpx.Client) -> dict[str, str]:
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    check_json(
        client.post("/auth/register", json={"email": email, "password": PASSWORD}), 201, "register"
    )
    token = check_json(
        client.post("/auth/login", data={"username": email, "password": PASSWORD}), 200, "login"
    )
    return {"Authorization": f"Bearer {token['access_token']}"}


def _auth(client: httpx.Client) -> dict[str, str]:
    email = f"User-{uuid.uuid4().hex[:10]}@Example.com"
    registered = client.post("/auth/register", json={"email": email, "password": PASSWORD})
    user = check_json(registered, 201, "register")
    check(set(user) == {"id", "email"} and isinstance(user["id"], int), f"register answers {user}")
    check(user["email"] == email.lower(), f"register keeps {user['email']!r} for {email!r}")
    taken = client.post("/auth/register", json={"email": email.lower(), "password": PASSWORD})
    check_error(taken, 409, "register a taken e-mail")
    check_validation_error(
        client.post("/auth/register", json={"email": "not an address", "password": PASSWORD}),
        "register a bad e-mail",
        "email",
    )
    check_validation_error(
        client.post("/auth/register", json={"email": f"x{email}", "password": "short"}),
        "register a short password",
        "password",
    )
    check_validation_error(
        client.post("/auth/register", json={"email": email}),
        "register without password",
        "password",
    )

    wrong = client.post("/auth/login", data={"username": email, "password": "not the password"})
    check_error(wrong, 401, "login with a wrong password")
    check(wrong.headers.get("www-authenticate") == "Bearer", "401 without WWW-Authenticate", wrong)
    check_validation_error(
        client.post("/auth/login", data={"username": email}), "login", "password"
    )
    login = client.post("/auth/login", data={"username": email, "password": PASSWORD})
    token = check_json(login, 200, "login")
    check(set(token) == {"access_token", "token_type", "expires_in"}, f"login answers {token}")
    check(token["token_type"] == "bearer", "token_type is not bearer", login)
    check(isinstance(token["expires_in"], int) and token["expires_in"] > 0, "expires_in", login)
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    me = check_json(client.get("/auth/me", headers=headers), 200, "me")
    check(me == user, f"me answers {me}, registered {user}")
    for refused in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}):
        answer = client.get("/auth/me", headers=refused)
        check_error(answer, 401, f"me with {refused or 'no token'}")
        check(
            answer.headers.get("www-authenticate") == "Bearer",
            "401 without WWW-Authenticate",
            answer,
        )
    return headers


def _items(
    client: httpx.Client,
    owner: dict[str, str],
    stranger: dict[str, str],
    *,
    scoped: bool,
    keys: set[str],
) -> None:
    created = client.post("/items", json={"name": "Widget"}, headers=owner)
    item = check_json(created, 201, "create an item")
    check(set(item) == keys, f"item keys {sorted(item)}", created)
    if TASK_EFFECT in keys:
        check(item[TASK_EFFECT] is None, f"{TASK_EFFECT} not null at creation", created)
    check(isinstance(item["id"], int) and item["name"] == "Widget", f"item {item}", created)
    check(item["description"] is None, "description not null when not given", created)
    check_utc(item["created_at"], "created_at")
    check_utc(item["updated_at"], "updated_at")
    url = f"/items/{item['id']}"

    described = check_json(
        client.post("/items", json={"name": "Gear", "description": "Ünïcode ✓"}, headers=owner),
        201,
        "create with a description",
    )
    check(described["description"] == "Ünïcode ✓", f"description {described['description']!r}")

    for body, field in (({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 1000}, "name")):
        check_validation_error(
            client.post("/items", json=body, headers=owner), f"create {body}", field
        )

    fetched = check_json(client.get(url, headers=owner), 200, "get an item")
    if fetched.get(TASK_EFFECT) is not None:
        # A worker ran the item's task meanwhile.
        check_utc(fetched[TASK_EFFECT], TASK_EFFECT)
        fetched = {**fetched, TASK_EFFECT: None}
    check(fetched == item, f"get answers {fetched}, created {item}")
    renamed = check_json(client.patch(url, json={"name": "Gadget"}, headers=owner), 200, "rename")
    check(renamed["name"] == "Gadget" and renamed["id"] == item["id"], f"renamed {renamed}")
    check_utc(renamed["updated_at"], "updated_at after PATCH")
    check_validation_error(
        client.patch(url, json={"name": ""}, headers=owner), "PATCH {name: ''}", "name"
    )

    page = check_json(client.get("/items", headers=owner), 200, "list")
    check(set(page) == PAGE_KEYS, f"page keys {sorted(page)}")
    check(page["limit"] == DEFAULT_LIMIT and page["offset"] == 0, f"default page {page}")
    check(isinstance(page["total"], int) and page["total"] >= 2, f"total {page['total']}")
    check(all(set(entry) == keys for entry in page["items"]), "listed item keys")
    one = check_json(
        client.get("/items", params={"limit": 1, "offset": 1}, headers=owner), 200, "page"
    )
    check(len(one["items"]) == 1 and (one["limit"], one["offset"]) == (1, 1), f"page {one}")
    for params, field in (
        ({"limit": 0}, "limit"),
        ({"limit": 10_000}, "limit"),
        ({"offset": -1}, "offset"),
    ):
        check_validation_error(
            client.get("/items", params=params, headers=owner), f"list {params}", field
        )

    check_validation_error(
        client.get("/items/not-a-number", headers=owner), "get /items/x", "item_id"
    )
    missing = client.get(f"/items/{2**31 - 2}", headers=owner)
    check(check_error(missing, 404, "an absent item") == "Item not found", "404 detail", missing)
    if scoped:
        check_error(client.get(url, headers=stranger), 404, "another user's item")
        check_error(client.patch(url, json={"name": "x"}, headers=stranger), 404, "PATCH another's")
        check_error(client.delete(url, headers=stranger), 404, "DELETE another's")
        theirs = check_json(client.get("/items", headers=stranger), 200, "a stranger's list")
        check(
            all(entry["id"] != item["id"] for entry in theirs["items"]), "owner scoping of the list"
        )

    deleted = client.delete(url, headers=owner)
    check_status(deleted, 204, "delete")
    check(deleted.content == b"", "204 with a body", deleted)
    check_error(client.get(url, headers=owner), 404, "a deleted item")


def _openapi(client: httpx.Client, *, auth: bool) -> None:
    schema = check_json(client.get("/openapi.json"), 200, "the OpenAPI schema")
    operations = {
        operation["operationId"]: operation
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    expected = OPERATION_IDS | (AUTH_OPERATION_IDS if auth else set())
    check(
        set(operations) == expected,
        f"operationIds {sorted(operations)}, expected {sorted(expected)}",
    )
    for name, operation in operations.items():
        statuses = set(operation.get("responses", {}))
        if operation.get("security"):
            check("401" in statuses, f"{name} does not document 401")
        if "requestBody" in operation:
            check({"413", "422"} <= statuses, f"{name} does not document 413 and 422")
            check(len(operation["requestBody"]["content"]) == 1, f"{name}: one body content type")
        if name != "live":
            check("503" in statuses, f"{name} does not document 503")
    for name in ("get_item", "update_item", "delete_item"):
        check("404" in operations[name]["responses"], f"{name} does not document 404")


# Planted deviations ---------------------------------------------------------


class Tampering(httpx.BaseTransport):
    """A transport that passes requests to a real service and changes one kind
    of answer on the way back: the contract driver's planted defects."""

    def __init__(self, inner: httpx.BaseTransport, defect: str) -> None:
        self.inner = inner
        self.defect = defect

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        status, headers, body = response.status_code, dict(response.headers), response.content
        path, method = request.url.path, request.method
        if self.defect == "created answers 200" and (method, path) == ("POST", "/items"):
            status = 200 if status == 201 else status
        elif self.defect == "no request id" and path.startswith("/items/"):
            headers.pop("x-request-id", None)
        elif self.defect == "an extra key" and method == "GET" and path.startswith("/items/"):
            body = _edit_json(body, lambda data: {**data, "owner_id": 1})
        elif self.defect == "error without request_id" and status == 404:
            body = _edit_json(body, lambda data: {"detail": data["detail"]})
        elif self.defect == "naive timestamps" and (method, path, status) == (
            "POST",
            "/items",
            201,
        ):
            body = _edit_json(body, lambda data: {**data, "created_at": "2026-01-01T00:00:00"})
        elif self.defect == "another operation id" and path == "/openapi.json":
            body = body.replace(b'"operationId":"get_item"', b'"operationId":"read_item"')
            body = body.replace(b'"operationId": "get_item"', b'"operationId": "read_item"')
        headers.pop("content-length", None)
        return httpx.Response(status, headers=headers, content=body, request=request)


def _edit_json(body: bytes, edit: Callable[[Any], Any]) -> bytes:
    return json.dumps(edit(json.loads(body))).encode()


# Each planted defect and the words of the driver's report that name it.
PLANTED_DEFECTS = {
    "created answers 200": "create an item: expected 201",
    "no request id": "no X-Request-ID",
    "an extra key": "get answers",
    "error without request_id": "body",
    "naive timestamps": "has no time zone",
    "another operation id": "operationIds",
}
