"""DICOM de-identification: the PS3.15 E.1-1 profile as data (``profile``), its application
(``engine``), consistent UIDs and date shifts (``uids``) and the verification scan (``verify``).
Imports pydicom lazily, like every reader."""

from __future__ import annotations

from labelhub.media.deid.engine import METHOD, Deidentifier, DeidOptions, DeidReport
from labelhub.media.deid.profile import PROFILE, action_for, resolve
from labelhub.media.deid.uids import UidMapper
from labelhub.media.deid.verify import Phi, collect_phi, scan

__all__ = [
    "METHOD",
    "PROFILE",
    "DeidOptions",
    "DeidReport",
    "Deidentifier",
    "Phi",
    "UidMapper",
    "action_for",
    "collect_phi",
    "resolve",
    "scan",
]
