"""The last saved body of recent drafts, parsed, in this process.

A delta save (``AnnotationService.patch_draft``) applies a few changed objects to the stored draft;
parsing that draft's JSON again for each save was most of the save's time with thousands of
objects. Entries are keyed by (task, user) and only used while the stored draft's ``updated_at``
and ontology version still equal the cached ones, so a save by another process or tab is never
missed (it changes ``updated_at``); a miss just parses the stored JSON. Cached bodies are never
mutated: a save builds a new body around the unchanged object dicts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

SIZE = 64  # drafts kept: a few per labeler working on this process


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


class DraftCache:
    def __init__(self, size: int = SIZE) -> None:
        self._items: OrderedDict[tuple[int, int], tuple[datetime, int, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, task_id: int, user_id: int, updated_at: datetime, version: int) -> dict[str, Any] | None:
        """The cached body if it is the stored one (same ``updated_at`` and ontology version)."""
        with self._lock:
            hit = self._items.get((task_id, user_id))
            if hit is None or hit[0] != _utc(updated_at) or hit[1] != version:
                return None
            self._items.move_to_end((task_id, user_id))
            return hit[2]

    def put(self, task_id: int, user_id: int, updated_at: datetime, version: int, body: dict[str, Any]) -> None:
        with self._lock:
            self._items[(task_id, user_id)] = (_utc(updated_at), version, body)
            self._items.move_to_end((task_id, user_id))
            while len(self._items) > self._size:
                self._items.popitem(last=False)


__all__ = ["DraftCache"]
