"""Request dependencies: the platform, the current actor, CSRF protection."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from labelhub.core.errors import Forbidden, Unauthenticated
from labelhub.services.context import Actor
from labelhub.wiring import Platform

SESSION_COOKIE = "lh_session"
CSRF_COOKIE = "lh_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def get_platform(request: Request) -> Platform:
    """Async on purpose: a sync dependency costs a thread-pool hop per request, and this does no I/O."""
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_actor(request: Request, platform: PlatformDep) -> Actor:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return platform.auth.resolve_token(auth[7:].strip())
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        raise Unauthenticated("Sign in, or send 'Authorization: Bearer <API token>'.")
    actor, csrf = platform.auth.resolve_session(session)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, csrf):
            raise Forbidden("Missing or wrong CSRF token: send the 'lh_csrf' cookie's value as X-CSRF-Token.")
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]

__all__ = ["CSRF_COOKIE", "SESSION_COOKIE", "CurrentActor", "PlatformDep", "client_address", "current_actor"]
