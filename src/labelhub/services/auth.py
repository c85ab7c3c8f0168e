"""Accounts, browser sessions, API tokens and login throttling.

Passwords are hashed with argon2id (argon2-cffi's defaults).  Session ids and API tokens are
random 256-bit strings shown once; only their SHA-256 is stored, so a database leak does not
leak credentials.  Login failures are throttled per username and per client address.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update

from labelhub.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited, Unauthenticated
from labelhub.db.engine import rowcount
from labelhub.db.tables import ApiToken, BrowserSession, User, utcnow
from labelhub.services import audit
from labelhub.services.context import Actor, Deps

_USERNAME = re.compile(r"^[A-Za-z0-9_.@\-]{2,64}$")
_hasher = PasswordHasher()
TOKEN_PREFIX = "lh_"
MIN_PASSWORD = 10


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    csrf_token: str
    max_age_seconds: int
    actor: Actor


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str
    record: ApiToken


class LoginThrottle:
    """Sliding-window failure counter.  In-process: each API process throttles on its own."""

    def __init__(self, max_failures: int, window_seconds: int) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                q = self._failures.get(key)
                while q and now - q[0] > self.window:
                    q.popleft()
                if q and len(q) >= self.max_failures:
                    retry = int(self.window - (now - q[0])) + 1
                    raise RateLimited(
                        f"Too many failed sign-in attempts; try again in {retry} seconds.", retry_after=retry
                    )

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class AuthService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.throttle = LoginThrottle(deps.limits.login_max_failures, deps.limits.login_window_seconds)

    # -- users -------------------------------------------------------------------------------
    def create_user(
        self, username: str, password: str, *, is_admin: bool = False, display_name: str = "", by: Actor | None = None
    ) -> User:
        if by is not None and not by.is_admin:
            raise Forbidden("Only an organization admin can create accounts.")
        if not _USERNAME.match(username):
            raise InvalidInput("A username is 2-64 letters, digits or '_.@-'.")
        if len(password) < MIN_PASSWORD:
            raise InvalidInput(f"The password must have at least {MIN_PASSWORD} characters.")
        with self.deps.db.write() as s:
            if s.scalar(select(User.id).where(User.username == username.lower())) is not None:
                raise Conflict(f"The username '{username}' is taken; choose another.")
            user = User(
                username=username.lower(),
                display_name=display_name or username,
                password_hash=_hasher.hash(password),
                is_admin=is_admin,
            )
            s.add(user)
            s.flush()
            audit.record(s, by.user_id if by else None, "user.create", f"user:{user.id}", admin=is_admin)
            return user

    def count_users(self) -> int:
        with self.deps.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(User)) or 0)

    def list_users(self, actor: Actor) -> list[User]:
        with self.deps.db.read() as s:
            return list(s.scalars(select(User).order_by(User.id)))

    def get_user(self, username: str) -> User:
        with self.deps.db.read() as s:
            user = s.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                raise NotFound(f"No user named '{username}'.")
            return user

    def set_password(self, actor: Actor, user_id: int, password: str, old_password: str | None = None) -> None:
        if len(password) < MIN_PASSWORD:
            raise InvalidInput(f"The password must have at least {MIN_PASSWORD} characters.")
        with self.deps.db.write() as s:
            user = s.get(User, user_id)
            if user is None or (not actor.is_admin and actor.user_id != user_id):
                raise NotFound("No such user.")
            if not actor.is_admin and (old_password is None or not _verify(user.password_hash, old_password)):
                raise Forbidden("The current password is wrong.")
            user.password_hash = _hasher.hash(password)
            s.execute(update(BrowserSession).where(BrowserSession.user_id == user_id).values(expires_at=utcnow()))
            audit.record(s, actor.user_id, "user.password", f"user:{user_id}")

    # -- browser sessions --------------------------------------------------------------------
    def login(self, username: str, password: str, client: str) -> NewSession:
        name = username.strip().lower()
        keys = (f"user:{name}", f"ip:{client}")
        self.throttle.check(*keys)
        with self.deps.db.read() as s:
            user = s.scalar(select(User).where(User.username == name))
        ok = user is not None and user.is_active and _verify(user.password_hash, password)
        if not ok or user is None:
            if user is None:
                _hasher.hash(password)  # same cost either way: no username probing by timing
            self.throttle.fail(*keys)
            with self.deps.db.write() as s:  # its own transaction: the failure must stay on record
                audit.record(s, None, "auth.login_failed", f"username:{name}", client=client)
            raise Unauthenticated("Wrong username or password.")
        with self.deps.db.write() as s:
            user = s.get(User, user.id)
            assert user is not None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            max_age = self.deps.limits.session_days * 86400
            s.add(
                BrowserSession(
                    id_hash=_digest(token),
                    user_id=user.id,
                    csrf_token=csrf,
                    expires_at=utcnow() + timedelta(seconds=max_age),
                )
            )
            audit.record(s, user.id, "auth.login", f"user:{user.id}", client=client)
            self.throttle.reset(keys[0])
            return NewSession(token, csrf, max_age, Actor(user.id, user.username, user.is_admin))

    def purge_expired_sessions(self) -> int:
        with self.deps.db.write() as s:
            return rowcount(s.execute(delete(BrowserSession).where(BrowserSession.expires_at <= utcnow())))

    def logout(self, session_token: str) -> None:
        with self.deps.db.write() as s:
            row = s.get(BrowserSession, _digest(session_token))
            if row is not None:
                s.delete(row)

    def resolve_session(self, session_token: str) -> tuple[Actor, str]:
        """The actor and the session's CSRF token; ``Unauthenticated`` when unknown or expired."""
        with self.deps.db.read() as s:
            row = s.execute(
                select(
                    User.id,
                    User.username,
                    User.is_admin,
                    User.is_active,
                    BrowserSession.csrf_token,
                    BrowserSession.expires_at,
                )
                .join(BrowserSession, BrowserSession.user_id == User.id)
                .where(BrowserSession.id_hash == _digest(session_token))
            ).one_or_none()
        if row is None or not row.is_active or row.expires_at <= utcnow():
            raise Unauthenticated("Your session has ended; sign in again.")
        return Actor(row.id, row.username, row.is_admin), row.csrf_token

    # -- API tokens --------------------------------------------------------------------------
    def create_token(self, actor: Actor, name: str, *, user_id: int | None = None, days: int | None = None) -> NewToken:
        target = user_id if user_id is not None else actor.user_id
        if target != actor.user_id and not actor.is_admin:
            raise Forbidden("Only an admin can create tokens for another user.")
        if not name.strip() or len(name) > 128:
            raise InvalidInput("Give the token a name of 1-128 characters (what it is for).")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.deps.db.write() as s:
            if s.get(User, target) is None:
                raise NotFound("No such user.")
            rec = ApiToken(
                user_id=target,
                name=name.strip(),
                prefix=token[:10],
                token_hash=_digest(token),
                expires_at=utcnow() + timedelta(days=days) if days else None,
            )
            s.add(rec)
            s.flush()
            audit.record(s, actor.user_id, "token.create", f"token:{rec.id}", user=target)
            return NewToken(token, rec)

    def list_tokens(self, actor: Actor) -> list[ApiToken]:
        with self.deps.db.read() as s:
            q = select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)
            return list(s.scalars(q))

    def revoke_token(self, actor: Actor, token_id: int) -> None:
        with self.deps.db.write() as s:
            rec = s.get(ApiToken, token_id)
            if rec is None or (rec.user_id != actor.user_id and not actor.is_admin):
                raise NotFound(f"No token {token_id} of yours.")
            if rec.revoked_at is None:
                rec.revoked_at = utcnow()
                audit.record(s, actor.user_id, "token.revoke", f"token:{token_id}")

    def resolve_token(self, token: str) -> Actor:
        if not token.startswith(TOKEN_PREFIX):
            raise Unauthenticated("That is not a labelhub API token (they start with 'lh_').")
        digest = _digest(token)
        with self.deps.db.read() as s:
            row = s.execute(
                select(
                    ApiToken.id,
                    ApiToken.revoked_at,
                    ApiToken.expires_at,
                    ApiToken.last_used_at,
                    User.id.label("uid"),
                    User.username,
                    User.is_admin,
                    User.is_active,
                )
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == digest)
            ).one_or_none()
        now = utcnow()
        if row is None or row.revoked_at is not None or not row.is_active or (row.expires_at and row.expires_at <= now):
            raise Unauthenticated("The API token is unknown, revoked or expired; create a new one.")
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
            with self.deps.db.write() as s:  # at most one write per token per 5 minutes
                s.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
        return Actor(row.uid, row.username, row.is_admin, via_token=True)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


__all__ = ["MIN_PASSWORD", "TOKEN_PREFIX", "AuthService", "LoginThrottle", "NewSession", "NewToken"]
