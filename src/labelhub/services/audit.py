"""The audit trail: who did what to what.  Never carries secrets or PHI, only ids and names."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.orm import Session

from labelhub.db.tables import AuditEvent


def record(session: Session, user_id: int | None, action: str, target: str = "", **details: Any) -> None:
    session.add(AuditEvent(user_id=user_id, action=action, target=target, details_json=orjson.dumps(details).decode()))


__all__ = ["record"]
