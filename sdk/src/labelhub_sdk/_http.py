"""The one place that talks HTTP: base URL, auth header, retries, problem details -> exceptions."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from labelhub_sdk._version import __version__
from labelhub_sdk.errors import ConnectionFailed, error_from_response, retry_after_seconds

API_PREFIX = "/api/v1"
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUS = frozenset({503})
MAX_BACKOFF = 8.0

Params = Mapping[str, str | int | float | bool | None]


def api_base(url: str) -> str:
    """``http://host:8080`` or ``http://host:8080/api/v1`` -> ``http://host:8080/api/v1``."""
    base = url.strip().rstrip("/")
    if not base:
        raise ValueError("give the server URL, for example 'http://localhost:8080'")
    if "://" not in base:
        raise ValueError(f"'{url}' is not a URL; write it with its scheme, for example 'http://{base}'")
    return base if base.endswith(API_PREFIX) else base + API_PREFIX


class Http:
    def __init__(
        self,
        url: str,
        token: str | None,
        *,
        timeout: float,
        transport: httpx.BaseTransport | None,
        retries: int,
        backoff: float,
    ) -> None:
        self.url = url
        self.base = api_base(url)
        self.retries = max(0, retries)
        self.backoff = backoff
        headers = {"User-Agent": f"labelhub-sdk/{__version__}", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(base_url=self.base, headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        self.client.close()

    def _clean(self, params: Params | None) -> dict[str, str | int | float | bool] | None:
        if params is None:
            return None
        return {k: v for k, v in params.items() if v is not None}

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        files: Any = None,
        data: Mapping[str, str] | None = None,
        stream: bool = False,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        attempts = 1 + (self.retries if method in IDEMPOTENT else 0)
        for attempt in range(attempts):
            last = attempt + 1 == attempts
            request = self.client.build_request(
                method, path, params=self._clean(params), json=json, files=files, data=data
            )
            try:
                response = self.client.send(request, stream=stream, follow_redirects=follow_redirects)
            except httpx.TimeoutException as e:
                if not last:
                    self._sleep(attempt, None)
                    continue
                raise ConnectionFailed(
                    f"the server at {self.url} did not answer {method} {path} in time ({type(e).__name__})"
                ) from e
            except httpx.TransportError as e:
                if not last:
                    self._sleep(attempt, None)
                    continue
                raise ConnectionFailed(f"cannot reach the server at {self.url} ({e or type(e).__name__})") from e
            if response.status_code in RETRY_STATUS and not last:
                wait = retry_after_seconds(response)
                response.close()
                self._sleep(attempt, wait)
                continue
            if response.status_code >= 400:
                try:
                    response.read()
                finally:
                    response.close()
                raise error_from_response(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _sleep(self, attempt: int, hint: float | None) -> None:
        time.sleep(min(MAX_BACKOFF, hint if hint is not None else self.backoff * (2**attempt)))

    def request(
        self, method: str, path: str, *, params: Params | None = None, json: Any = None, files: Any = None
    ) -> httpx.Response:
        return self._send(method, path, params=params, json=json, files=files)

    def json(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        files: Any = None,
        data: Mapping[str, str] | None = None,
    ) -> Any:
        """The decoded JSON answer, or ``None`` for 204 No Content."""
        response = self._send(method, path, params=params, json=json, files=files, data=data)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    @contextmanager
    def stream(self, path: str, *, params: Params | None = None) -> Iterator[httpx.Response]:
        response = self._send("GET", path, params=params, stream=True, follow_redirects=True)
        try:
            yield response
        finally:
            response.close()


__all__ = ["API_PREFIX", "Http", "api_base"]
