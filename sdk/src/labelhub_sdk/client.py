"""The client: one HTTP connection pool and the resource groups on it."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, Self

import httpx

from labelhub_sdk._http import Http
from labelhub_sdk.ai import Models, Reports
from labelhub_sdk.datasets import AnnotationImports, DatasetVersions
from labelhub_sdk.models import User
from labelhub_sdk.resources import Assets, Exports, Imports, Jobs, Projects, Review, Tasks, Tokens, Users


class Client:
    """A labelhub server, authenticated with an API token.

    ``url`` is the server's address (``http://host:8080``; a trailing ``/api/v1`` is accepted).
    ``token`` defaults to the ``LABELHUB_TOKEN`` environment variable.  GET requests are retried
    ``retries`` times on connection errors and 503 answers; nothing else is retried.
    ``transport`` is handed to ``httpx.Client`` (for tests, proxies or custom TLS).

    Use it as a context manager, or call ``close()``::

        with Client("http://localhost:8080", token) as lh:
            print(lh.me().username)
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 30,
        transport: httpx.BaseTransport | None = None,
        retries: int = 3,
        backoff: float = 0.25,
    ) -> None:
        if token is None:
            token = os.environ.get("LABELHUB_TOKEN") or None
        self.url = url
        self._http = Http(url, token, timeout=timeout, transport=transport, retries=retries, backoff=backoff)
        self.projects = Projects(self._http)
        self.assets = Assets(self._http)
        self.tasks = Tasks(self._http)
        self.review = Review(self._http)
        self.jobs = Jobs(self._http)
        self.exports = Exports(self._http)
        self.imports = Imports(self._http)
        self.annotation_imports = AnnotationImports(self._http)
        self.dataset_versions = DatasetVersions(self._http)
        self.tokens = Tokens(self._http)
        self.users = Users(self._http)
        self.models = Models(self._http)
        self.reports = Reports(self._http)

    def me(self) -> User:
        """The account the token belongs to."""
        return User.from_json(self._http.json("GET", "/auth/me"))

    def health(self) -> dict[str, Any]:
        """The server's health answer (``status``, ``version``, ``queue``); needs no token."""
        return dict(self._http.json("GET", "/health"))

    def formats(self) -> dict[str, list[str]]:
        """The export and project-import format names this server knows."""
        data = self._http.json("GET", "/formats")
        return {str(k): [str(x) for x in v] for k, v in data.items()}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client({self.url!r})"


__all__ = ["Client"]
