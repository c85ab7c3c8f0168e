"""Problem details -> the SDK's exception tree, against the real server; retries with a mock transport."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from labelhub_sdk import (
    BadRequest,
    Client,
    Conflict,
    ConnectionFailed,
    Forbidden,
    LabelhubError,
    NotFound,
    RateLimited,
    ServerError,
    TooLarge,
    Unauthorized,
)

from .conftest import BOX_ONTOLOGY, Server, free_port
from .test_client import BOX, body


def test_not_found_carries_the_problem(client: Client) -> None:
    with pytest.raises(NotFound) as err:
        client.projects.get(987654)
    e = err.value
    assert isinstance(e, LabelhubError)
    assert (e.status, e.title) == (404, "Not found")
    assert str(e) == e.detail == "Project 987654 not found."
    assert e.body["instance"] == "/api/v1/projects/987654" and e.body["type"] == "about:blank"
    with pytest.raises(NotFound):
        client.tasks.get(987654)
    with pytest.raises(NotFound, match="No export format 'nope'"):
        client.exports.start(1, "nope")


def test_forbidden_and_invisible_for_another_user(server: Server, client: Client, project_id: int) -> None:
    name = f"bob{uuid.uuid4().hex[:6]}"
    with server.client(server.make_user(name)) as bob:
        assert bob.me().username == name
        with pytest.raises(Forbidden) as err:
            bob.users.list()
        assert err.value.status == 403 and "admin" in str(err.value)
        with pytest.raises(NotFound):  # not a member: the project does not exist for bob
            bob.projects.get(project_id)
        assert project_id not in {p.id for p in bob.projects.iter()}

        client.projects.set_member(project_id, name, "labeler")
        assert bob.projects.get(project_id).role == "labeler"
        with pytest.raises(Forbidden, match="manager"):
            bob.exports.start(project_id, "native")
        with pytest.raises(Forbidden):
            bob.assets.upload(project_id, b"\x89PNG", "x.png")


def test_unauthorized_with_a_bad_token(server: Server) -> None:
    with server.client("lh_not_a_real_token") as bad:
        with pytest.raises(Unauthorized) as err:
            bad.me()
        assert err.value.status == 401 and err.value.detail
        assert bad.health()["status"] == "ok"  # health needs no token
    with Client(server.url, "") as anonymous, pytest.raises(Unauthorized, match="Bearer"):
        anonymous.projects.list()


def test_duplicate_upload_names_the_existing_asset(client: Client, project_id: int, images: dict[str, Path]) -> None:
    first = client.assets.upload(project_id, images["camera.png"])
    with pytest.raises(Conflict) as err:
        client.assets.upload(project_id, images["camera.png"].read_bytes(), "copy.png")
    e = err.value
    assert e.status == 409 and e.duplicate and e.asset_id == first.id
    assert f"asset {first.id}" in str(e) and e.current_revision is None


def test_stale_submit_carries_current_revision(client: Client, project_id: int, images: dict[str, Path]) -> None:
    client.assets.upload(project_id, images["coffee.jpg"])
    task = client.tasks.next(project_id)
    assert task is not None
    first = client.tasks.submit(task.id, body(BOX))
    amended = body({**BOX, "id": "o2"})
    with pytest.raises(Conflict) as err:  # based on "nothing" while the head is `first`
        client.tasks.submit(task.id, amended, base_revision_id=None)
    current = err.value.current_revision
    assert current is not None and current["id"] == first.id and current["body"]["objects"][0]["id"] == "o1"
    assert err.value.asset_id is None and not err.value.duplicate
    kept = client.tasks.get_draft(task.id)  # the refused body is kept as the draft
    assert kept is not None and kept.body["objects"][0]["id"] == "o2" and kept.base_revision_id == first.id
    second = client.tasks.submit(task.id, amended, base_revision_id=current["id"])
    assert second.parent_id == first.id


def test_bad_requests(client: Client, project_id: int) -> None:
    with pytest.raises(BadRequest, match="tool"):
        client.projects.create("bad", {"classes": [{"id": "car", "tool": "crayon"}]})
    with pytest.raises(BadRequest) as err:  # FastAPI's 422 is a BadRequest with field errors
        client.projects.list(limit=0)
    assert err.value.status == 422 and err.value.errors and err.value.errors[0]["loc"][-1] == "limit"
    with pytest.raises(BadRequest) as bad_file:
        client.assets.upload(project_id, b"just some text that is no image", "notes.bin")
    assert bad_file.value.status in (400, 415)
    with pytest.raises(BadRequest, match="cursor"):
        client.projects.list(cursor="garbage")


def test_connection_failed_names_the_server() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with Client(url, "lh_x", retries=0) as lh, pytest.raises(ConnectionFailed) as err:
        lh.me()
    assert err.value.status == 0 and str(err.value).startswith(f"cannot reach the server at {url}")


def test_client_url_forms(server: Server, client: Client) -> None:
    with Client(server.url + "/api/v1/", server.token) as lh:
        assert lh.me().username == "admin"
    with pytest.raises(ValueError, match="scheme"):
        Client("localhost:8080")


# -- without a server: retries and statuses the real one rarely gives ---------------------------
def mock_client(handler: Callable[[httpx.Request], httpx.Response], **kw: object) -> Client:
    return Client("http://labelhub.test", "lh_t", transport=httpx.MockTransport(handler), backoff=0, **kw)  # type: ignore[arg-type]


def problem(status: int, detail: str, **extra: object) -> httpx.Response:
    return httpx.Response(
        status,
        json={"type": "about:blank", "title": "T", "status": status, "detail": detail, **extra},
        headers={"content-type": "application/problem+json"},
    )


def test_gets_are_retried_on_503_and_connection_errors() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        assert request.headers["authorization"] == "Bearer lh_t"
        if len(calls) == 1:
            raise httpx.ConnectError("refused")
        if len(calls) == 2:
            return problem(503, "database restarting")
        return httpx.Response(
            200, json={"id": 1, "username": "a", "display_name": "", "is_admin": False, "is_active": True}
        )

    with mock_client(handler) as lh:
        assert lh.me().username == "a"
    assert calls == ["GET", "GET", "GET"]


def test_writes_are_never_retried() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return problem(503, "queue down")

    with mock_client(handler) as lh, pytest.raises(ServerError, match="queue down") as err:
        lh.tasks.next(1)
    assert err.value.status == 503 and calls == ["POST"]


def test_retries_give_up() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return problem(503, "still down")

    with mock_client(handler, retries=2) as lh, pytest.raises(ServerError, match="still down"):
        lh.projects.get(1)
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequest), (413, TooLarge), (415, BadRequest), (429, RateLimited), (500, ServerError), (418, BadRequest)],
)
def test_status_mapping(status: int, cls: type[LabelhubError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        response = problem(status, f"detail {status}")
        if status == 429:
            response.headers["Retry-After"] = "7"
        return response

    with mock_client(handler) as lh, pytest.raises(cls) as err:
        lh.projects.create("p", BOX_ONTOLOGY)
    assert err.value.status == status and str(err.value) == f"detail {status}"
    if isinstance(err.value, RateLimited):
        assert err.value.retry_after == 7.0


def test_non_json_error_body() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad gateway</html>")

    with mock_client(handler, retries=0) as lh, pytest.raises(ServerError) as err:
        lh.projects.get(1)
    assert err.value.status == 502 and "502" in str(err.value) and "Bad gateway" in str(err.value)
