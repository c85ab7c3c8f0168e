"""Sign-in, accounts and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from labelhub.api.deps import CSRF_COOKIE, SESSION_COOKIE, CurrentActor, PlatformDep, client_address
from labelhub.api.schemas import (
    LoginRequest,
    SessionPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from labelhub.services.access import require_admin

router = APIRouter(tags=["auth"])


@router.post("/auth/login", response_model=SessionPublic)
def login(body: LoginRequest, request: Request, response: Response, platform: PlatformDep) -> SessionPublic:
    new = platform.auth.login(body.username, body.password, client_address(request))
    secure = platform.settings.secure_cookies
    response.set_cookie(
        SESSION_COOKIE, new.token, max_age=new.max_age_seconds, httponly=True, samesite="lax", secure=secure, path="/"
    )
    response.set_cookie(
        CSRF_COOKIE,
        new.csrf_token,
        max_age=new.max_age_seconds,
        httponly=False,
        samesite="lax",
        secure=secure,
        path="/",
    )
    user = platform.auth.get_user(new.actor.username)
    return SessionPublic(user=UserPublic.model_validate(user), csrf_token=new.csrf_token)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, platform: PlatformDep, actor: CurrentActor) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        platform.auth.logout(token)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/auth/me", response_model=UserPublic)
def me(platform: PlatformDep, actor: CurrentActor) -> UserPublic:
    return UserPublic.model_validate(platform.auth.get_user(actor.username))


@router.get("/users", response_model=list[UserPublic])
def list_users(platform: PlatformDep, actor: CurrentActor) -> list[UserPublic]:
    require_admin(actor)
    return [UserPublic.model_validate(u) for u in platform.auth.list_users(actor)]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, platform: PlatformDep, actor: CurrentActor) -> UserPublic:
    user = platform.auth.create_user(
        body.username, body.password, is_admin=body.is_admin, display_name=body.display_name, by=actor
    )
    return UserPublic.model_validate(user)


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(platform: PlatformDep, actor: CurrentActor) -> list[TokenPublic]:
    return [TokenPublic.model_validate(t) for t in platform.auth.list_tokens(actor)]


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, platform: PlatformDep, actor: CurrentActor) -> TokenCreated:
    new = platform.auth.create_token(actor, body.name, days=body.days)
    return TokenCreated.model_validate({**TokenPublic.model_validate(new.record).model_dump(), "token": new.token})


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, platform: PlatformDep, actor: CurrentActor) -> None:
    platform.auth.revoke_token(actor, token_id)
