"""Consistent UID replacement and date shifting, both keyed by a per-deployment secret.

``UidMapper.map(uid)`` is ``2.25.<int>`` where ``<int>`` is the first 128 bits of
HMAC-SHA256(secret, uid): the same original UID always maps to the same new UID in one deployment
(so a series uploaded in two batches stays one series, and references between instances stay
intact), it cannot be reversed without the secret, and it fits DICOM's 64-character UID limit.
Registered UIDs (transfer syntaxes, SOP classes, coding schemes) are not identifying and are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

MAX_SHIFT_DAYS = 3650


class UidMapper:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError(f"the de-identification secret must be at least 16 bytes, got {len(secret)}")
        self._secret = secret
        self._cache: dict[str, str] = {}

    def map(self, uid: str) -> str:
        uid = uid.strip().rstrip("\x00")
        if not uid or is_registered(uid):
            return uid
        new = self._cache.get(uid)
        if new is None:
            digest = hmac.new(self._secret, b"uid:" + uid.encode("ascii", "replace"), hashlib.sha256).digest()
            new = f"2.25.{int.from_bytes(digest[:16], 'big')}"
            self._cache[uid] = new
        return new

    def date_shift_days(self, patient_key: str) -> int:
        """Days (1..``MAX_SHIFT_DAYS``) to move every date of one patient back, the same on every upload."""
        digest = hmac.new(self._secret, b"date:" + patient_key.encode("utf-8", "replace"), hashlib.sha256).digest()
        return 1 + int.from_bytes(digest[:4], "big") % MAX_SHIFT_DAYS


def is_registered(uid: str) -> bool:
    """A UID from the DICOM standard (``1.2.840.10008.*``): a transfer syntax, SOP class, etc."""
    return uid.startswith("1.2.840.10008.")


def shift_da(value: str, days: int) -> str:
    """``YYYYMMDD`` moved back by ``days``; an unparseable value becomes empty (it might identify)."""
    try:
        day = dt.datetime.strptime(value.strip()[:8], "%Y%m%d").date()
    except ValueError:
        return ""
    return (day - dt.timedelta(days=days)).strftime("%Y%m%d")


def shift_dt(value: str, days: int) -> str:
    """A DT value with its date part shifted and its time part kept; unparseable -> empty."""
    value = value.strip()
    date = shift_da(value[:8], days)
    return date + value[8:] if date else ""


__all__ = ["MAX_SHIFT_DAYS", "UidMapper", "is_registered", "shift_da", "shift_dt"]
