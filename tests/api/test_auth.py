"""Sign-in, sessions, CSRF, API tokens, login throttling, credential storage, the audit trail and
the ``labelhub user create`` command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update

from labelhub.db.tables import ApiToken, AuditEvent, BrowserSession, User
from labelhub.settings import Settings
from labelhub.wiring import Platform, build
from tests.conftest import PASSWORD, make_api

API = "/api/v1"
PROBLEM = "application/problem+json"


def assert_problem(r: Any, status: int, *fragments: str) -> dict[str, Any]:
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:400]}"
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status, body
    for fragment in fragments:
        assert fragment.lower() in body["detail"].lower(), f"{fragment!r} not in {body['detail']!r}"
    return dict(body)


def set_cookies(r: Any) -> dict[str, str]:
    """name -> the whole Set-Cookie header for it."""
    out = {}
    for header in r.headers.get_list("set-cookie"):
        out[header.split("=", 1)[0]] = header
    return out


def attrs(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")[1:]]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts}


@pytest.fixture
def alice(platform: Platform) -> User:
    return platform.auth.create_user("alice", PASSWORD)


def login(client: TestClient, username: str = "alice", password: str = PASSWORD) -> Any:
    return client.post(f"{API}/auth/login", json={"username": username, "password": password})


def count(platform: Platform, model: Any) -> int:
    with platform.deps.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# -- browser sessions ------------------------------------------------------------------------------
def test_login_sets_an_httponly_session_cookie_and_a_readable_csrf_cookie(
    platform: Platform, client: TestClient, alice: User
) -> None:
    r = login(client)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["username"] == "alice" and body["user"]["is_admin"] is False
    cookies = set_cookies(r)
    assert set(cookies) == {"lh_session", "lh_csrf"}
    session, csrf = attrs(cookies["lh_session"]), attrs(cookies["lh_csrf"])
    assert "httponly" in session and session["samesite"].lower() == "lax" and session["path"] == "/"
    assert "httponly" not in csrf and csrf["samesite"].lower() == "lax" and csrf["path"] == "/"
    assert int(session["max-age"]) == int(csrf["max-age"]) == 14 * 86400
    assert "secure" not in session  # secure_cookies is off by default (plain-HTTP test server)
    assert client.cookies["lh_csrf"] == body["csrf_token"]
    assert client.cookies["lh_session"] != body["csrf_token"]
    assert client.get(f"{API}/auth/me").json()["username"] == "alice"  # GET needs no CSRF header


def test_secure_cookies_setting_marks_both_cookies_secure(tmp_path: Path) -> None:
    from labelhub.api.app import create_app

    p = build(Settings(data_dir=tmp_path / "d", embedded_worker=False, secure_cookies=True), immediate_jobs=True)
    try:
        p.auth.create_user("alice", PASSWORD)
        with TestClient(create_app(p, run_worker=False), base_url="https://testserver") as c:
            r = login(c)
            assert r.status_code == 200
            assert all("secure" in attrs(h) for h in set_cookies(r).values())
    finally:
        p.close()


def test_cookie_post_needs_the_csrf_header(platform: Platform, client: TestClient, alice: User) -> None:
    csrf = login(client).json()["csrf_token"]
    tokens = count(platform, ApiToken)
    r = client.post(f"{API}/tokens", json={"name": "from the browser"})
    assert_problem(r, 403, "CSRF", "X-CSRF-Token")
    r = client.post(f"{API}/tokens", json={"name": "from the browser"}, headers={"X-CSRF-Token": "x" + csrf})
    assert_problem(r, 403, "CSRF")
    r = client.post(f"{API}/tokens", json={"name": "from the browser"}, headers={"X-CSRF-Token": ""})
    assert_problem(r, 403, "CSRF")
    assert count(platform, ApiToken) == tokens, "a refused request must not create the token"
    r = client.post(f"{API}/tokens", json={"name": "from the browser"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    assert count(platform, ApiToken) == tokens + 1


def test_csrf_token_of_another_session_is_refused(platform: Platform, client: TestClient, alice: User) -> None:
    other_csrf = login(client).json()["csrf_token"]
    client.cookies.clear()
    mine = login(client).json()["csrf_token"]
    assert mine != other_csrf
    assert_problem(client.post(f"{API}/tokens", json={"name": "x"}, headers={"X-CSRF-Token": other_csrf}), 403)


def test_wrong_password_is_401_and_starts_no_session(platform: Platform, client: TestClient, alice: User) -> None:
    r = login(client, password="not the password")
    wrong = assert_problem(r, 401, "wrong username or password")
    assert not set_cookies(r) and count(platform, BrowserSession) == 0
    r = login(client, username="nobody")
    assert assert_problem(r, 401)["detail"] == wrong["detail"], "unknown users must look like wrong passwords"
    assert_problem(client.get(f"{API}/auth/me"), 401)


def test_login_is_throttled_after_five_failures_even_with_the_right_password(
    platform: Platform, client: TestClient, alice: User
) -> None:
    for _ in range(5):
        assert login(client, password="guess").status_code == 401
    r = login(client)
    body = assert_problem(r, 429, "too many failed sign-in attempts", "try again in")
    retry = int(r.headers["retry-after"])
    assert 1 <= retry <= 301
    assert f"{retry} seconds" in body["detail"]
    assert body["title"] == "Too many requests"
    assert not set_cookies(r) and count(platform, BrowserSession) == 0
    assert login(client, password="guess").status_code == 429  # still refused, not a 401


def test_four_failures_do_not_lock_the_account(platform: Platform, client: TestClient, alice: User) -> None:
    for _ in range(4):
        assert login(client, password="guess").status_code == 401
    assert login(client).status_code == 200


def test_logout_ends_the_session(platform: Platform, client: TestClient, alice: User) -> None:
    csrf = login(client).json()["csrf_token"]
    session = client.cookies["lh_session"]
    assert count(platform, BrowserSession) == 1
    r = client.post(f"{API}/auth/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 204
    cleared = set_cookies(r)
    assert set(cleared) == {"lh_session", "lh_csrf"}
    assert all(attrs(h).get("max-age") == "0" for h in cleared.values())
    assert count(platform, BrowserSession) == 0
    client.cookies.clear()
    client.cookies.set("lh_session", session)  # a stolen copy of the old cookie is worthless now
    assert_problem(client.get(f"{API}/auth/me"), 401, "session has ended")


def test_logout_without_csrf_is_refused(platform: Platform, client: TestClient, alice: User) -> None:
    login(client)
    assert_problem(client.post(f"{API}/auth/logout"), 403, "CSRF")
    assert count(platform, BrowserSession) == 1
    assert client.get(f"{API}/auth/me").status_code == 200


def test_expired_session_is_401(platform: Platform, client: TestClient, alice: User) -> None:
    login(client)
    with platform.deps.db.write() as s:
        s.execute(update(BrowserSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert_problem(client.get(f"{API}/auth/me"), 401, "session has ended")


# -- API tokens ------------------------------------------------------------------------------------
def test_api_token_life_cycle(platform: Platform, client: TestClient) -> None:
    me = make_api(platform, client, "bob")
    r = me.post(f"{API}/tokens", json={"name": "ci"})
    assert r.status_code == 201, r.text
    created = r.json()
    token = created["token"]
    assert token.startswith("lh_") and len(token) >= 40 and created["prefix"] == token[:10]
    assert created["revoked_at"] is None and created["expires_at"] is None
    # Shown once: the list never carries the secret.
    listed = me.get(f"{API}/tokens")
    assert listed.status_code == 200
    assert token not in listed.text and token[10:] not in listed.text
    entry = next(t for t in listed.json() if t["id"] == created["id"])
    assert "token" not in entry and entry["name"] == "ci" and entry["prefix"] == token[:10]
    # It works...
    new = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/auth/me", headers=new).json()["username"] == "bob"
    # ...until revoked.
    assert me.delete(f"{API}/tokens/{created['id']}").status_code == 204
    assert_problem(client.get(f"{API}/auth/me", headers=new), 401, "revoked")
    entry = next(t for t in me.get(f"{API}/tokens").json() if t["id"] == created["id"])
    assert entry["revoked_at"] is not None
    assert me.get(f"{API}/auth/me").status_code == 200, "revoking one token leaves the others working"


def test_tokens_of_other_users_are_invisible(platform: Platform, client: TestClient) -> None:
    bob, carol = make_api(platform, client, "bob"), make_api(platform, client, "carol")
    tid = bob.post(f"{API}/tokens", json={"name": "mine"}).json()["id"]
    assert tid not in [t["id"] for t in carol.get(f"{API}/tokens").json()]
    assert_problem(carol.delete(f"{API}/tokens/{tid}"), 404)
    with platform.deps.db.read() as s:
        assert s.get(ApiToken, tid).revoked_at is None


def test_garbage_bearer_token_is_401(platform: Platform, client: TestClient) -> None:
    make_api(platform, client, "bob")  # a real token exists; none of these is it
    cases = {
        "garbage": "not a labelhub api token",
        "lh_": "unknown, revoked or expired",
        "lh_" + "A" * 43: "unknown, revoked or expired",
        "Bearer lh_x": "not a labelhub api token",
        "": "",
        "ZHVtbXktc2VjcmV0LXRoYXQtbG9va3MtcmFuZG9tLWVub3VnaA": "not a labelhub api token",
    }
    for value, fragment in cases.items():
        r = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {value}"})
        body = assert_problem(r, 401, fragment)
        assert body["title"] == "Not authenticated", value
    assert_problem(client.get(f"{API}/auth/me", headers={"Authorization": "Basic Ym9iOnB3"}), 401)


def test_expired_token_is_401(platform: Platform, client: TestClient) -> None:
    me = make_api(platform, client, "bob")
    created = me.post(f"{API}/tokens", json={"name": "short", "days": 1}).json()
    assert created["expires_at"] is not None
    with platform.deps.db.write() as s:
        s.execute(
            update(ApiToken)
            .where(ApiToken.id == created["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert_problem(
        client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {created['token']}"}), 401, "expired"
    )


def test_bearer_token_needs_no_csrf_header(platform: Platform, client: TestClient) -> None:
    me = make_api(platform, client, "bob")
    assert me.post(f"{API}/tokens", json={"name": "script"}).status_code == 201


# -- what is stored ----------------------------------------------------------------------------------
def _row_texts(platform: Platform, table: str) -> list[str]:
    with platform.deps.db.read() as s:
        return [" | ".join(str(v) for v in row) for row in s.execute(text(f"SELECT * FROM {table}"))]


def test_passwords_are_stored_as_argon2id_hashes(platform: Platform, alice: User) -> None:
    with platform.deps.db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "alice"))
    assert stored.startswith("$argon2id$")
    assert all(PASSWORD not in row for row in _row_texts(platform, "users"))


def test_tokens_and_sessions_are_stored_hashed(platform: Platform, client: TestClient) -> None:
    me = make_api(platform, client, "bob")
    token = me.post(f"{API}/tokens", json={"name": "ci"}).json()["token"]
    secret = token[len("lh_") :]
    rows = _row_texts(platform, "api_tokens")
    assert rows and all(token not in row and secret not in row for row in rows)
    with platform.deps.db.read() as s:
        hashes = list(s.scalars(select(ApiToken.token_hash)))
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    # Browser sessions likewise keep only a digest of the cookie.
    platform.auth.create_user("alice", PASSWORD)
    login(client)
    session = client.cookies["lh_session"]
    assert all(session not in row for row in _row_texts(platform, "browser_sessions"))


# -- audit -------------------------------------------------------------------------------------------
def _audit(platform: Platform) -> list[AuditEvent]:
    with platform.deps.db.read() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _assert_no_secrets(events: list[AuditEvent], *secrets_: str) -> None:
    for e in events:
        blob = f"{e.action} {e.target} {e.details_json}"
        for secret in secrets_:
            assert secret not in blob, f"audit event {e.action} carries a secret"


def test_audit_records_login_and_token_creation_without_secrets(
    platform: Platform, client: TestClient, alice: User
) -> None:
    r = login(client)
    csrf = r.json()["csrf_token"]
    session = client.cookies["lh_session"]
    token = client.post(f"{API}/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf}).json()
    events = _audit(platform)
    by_action = {e.action: e for e in events}
    assert by_action["auth.login"].user_id == alice.id
    assert by_action["auth.login"].target == f"user:{alice.id}"
    assert orjson.loads(by_action["auth.login"].details_json) == {"client": "testclient"}
    created = by_action["token.create"]
    assert created.user_id == alice.id and created.target == f"token:{token['id']}"
    _assert_no_secrets(events, PASSWORD, token["token"], token["token"][3:], session, csrf)


def test_audit_records_failed_login_without_the_password(platform: Platform, client: TestClient, alice: User) -> None:
    assert login(client, password="hunter2-wrong-guess").status_code == 401
    failed = [e for e in _audit(platform) if e.action == "auth.login_failed"]
    assert len(failed) == 1
    assert failed[0].user_id is None and failed[0].target == "username:alice"
    _assert_no_secrets(failed, "hunter2-wrong-guess", PASSWORD)


# -- the command line ----------------------------------------------------------------------------------
LABELHUB = Path(sys.executable).with_name("labelhub")


def run_cli(*args: str, stdin: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
    return subprocess.run(
        [str(LABELHUB), *args, "--data-dir", str(data_dir)],
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def _users(data_dir: Path) -> list[User]:
    p = build(Settings(data_dir=data_dir, embedded_worker=False), immediate_jobs=True)
    try:
        with p.deps.db.read() as s:
            return list(s.scalars(select(User)))
    finally:
        p.close()


def test_cli_user_create_makes_an_admin(tmp_path: Path) -> None:
    assert LABELHUB.exists(), LABELHUB
    r = run_cli("user", "create", "--username", "root-admin", "--admin", stdin=PASSWORD + "\n", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "created admin user 'root-admin'" in r.stdout
    [user] = _users(tmp_path)
    assert user.username == "root-admin" and user.is_admin and user.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_cli_user_create_with_a_short_password_fails_cleanly(tmp_path: Path) -> None:
    assert LABELHUB.exists(), LABELHUB
    r = run_cli("user", "create", "--username", "shorty", "--admin", stdin="short\n", data_dir=tmp_path)
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "at least 10 characters" in lines[0]
    assert "Traceback" not in r.stderr + r.stdout
    assert _users(tmp_path) == []


def test_admin_creates_users_over_the_api_and_the_new_user_can_sign_in(platform: Platform, client: TestClient) -> None:
    admin = make_api(platform, client, "admin", admin=True)
    r = admin.post(f"{API}/users", json={"username": "Dave", "password": PASSWORD, "display_name": "Dave D"})
    assert r.status_code == 201, r.text
    assert r.json()["username"] == "dave" and r.json()["is_admin"] is False
    assert_problem(admin.post(f"{API}/users", json={"username": "dave", "password": PASSWORD}), 409, "taken")
    assert_problem(
        admin.post(f"{API}/users", json={"username": "eve", "password": "short"}), 400, "at least 10 characters"
    )
    assert login(client, "dave").status_code == 200
    me = client.get(f"{API}/auth/me").json()
    assert (me["id"], me["username"], me["is_admin"], me["display_name"]) == (r.json()["id"], "dave", False, "Dave D")
