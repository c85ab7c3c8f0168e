"""Opaque keyset cursors: a page after id N costs the same as the first page."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from labelhub.core.errors import InvalidInput

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id":
            raise ValueError(prefix)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The cursor is not valid: pass the 'next_cursor' of a previous page unchanged.") from None


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}.")
    return limit


def page_of(rows: list[T], limit: int, key: Callable[[T], int]) -> Page[T]:
    """``rows`` was fetched with ``limit + 1``; the extra row only tells whether more exist."""
    if len(rows) > limit:
        kept = rows[:limit]
        return Page(kept, encode_cursor(key(kept[-1])))
    return Page(rows, None)


__all__ = ["MAX_LIMIT", "Page", "check_limit", "decode_cursor", "encode_cursor", "page_of"]
