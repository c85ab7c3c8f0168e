"""Annotation bodies: the objects and whole-asset answers one labeler gives one asset.

Wire and storage shape (the same JSON)::

    {"objects": [{"id": "o1", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [...]},
                  "page": 0, "attributes": {...}, "source": {"kind": "human"}, "confidence": null}],
     "classifications": {"quality": "good"}}

``source.kind`` is ``human``, ``model`` (with ``name`` and ``version``) or ``import`` (with ``name``,
the format, and optionally ``file``), so AI utilization can be measured later.  ``validate_body``
returns a normalized copy; it never mutates its input.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from labelhub.core.errors import InvalidInput
from labelhub.core.geometry import AssetExtent, validate_geometry
from labelhub.core.ontology import Ontology, ToolKind, validate_answers

_OBJECT_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
MAX_OBJECTS = 20_000


class SourceKind(StrEnum):
    HUMAN = "human"
    MODEL = "model"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class BodyStats:
    object_count: int
    class_counts: dict[str, int]


def validate_body(raw: Any, ontology: Ontology, extent: AssetExtent, *, require_complete: bool) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("The annotation must be an object with 'objects' and 'classifications'.")
    objects_raw = raw.get("objects", [])
    if not isinstance(objects_raw, list):
        raise InvalidInput("annotation.objects must be a list.")
    if len(objects_raw) > MAX_OBJECTS:
        raise InvalidInput(f"An annotation holds at most {MAX_OBJECTS} objects; got {len(objects_raw)}.")
    seen: set[str] = set()
    objects = []
    for i, o in enumerate(objects_raw):
        obj = _validate_object(o, ontology, extent, f"objects[{i}]", require_complete)
        if obj["id"] in seen:
            raise InvalidInput(f"objects[{i}].id '{obj['id']}' is used twice; object ids must be unique.")
        seen.add(obj["id"])
        objects.append(obj)
    if not ontology.allow_overlapping_spans:
        _check_span_overlap(objects)
    classifications = validate_answers(
        ontology.classifications, raw.get("classifications"), path="classifications", require_complete=require_complete
    )
    return {"objects": objects, "classifications": classifications}


def _validate_object(
    raw: Any, ontology: Ontology, extent: AssetExtent, path: str, require_complete: bool
) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{path} must be an object.")
    oid = raw.get("id")
    if not isinstance(oid, str) or not _OBJECT_ID.match(oid):
        raise InvalidInput(f"{path}.id must be a string of 1-64 letters, digits or '_.:-'; got {oid!r}.")
    class_id = raw.get("class_id")
    if not isinstance(class_id, str):
        raise InvalidInput(f"{path}.class_id must name a class of the ontology.")
    try:
        cls = ontology.get_class(class_id)
    except InvalidInput as e:
        raise InvalidInput(f"{path}: {e.message}") from None
    page = raw.get("page", 0)
    if not isinstance(page, int) or isinstance(page, bool) or not 0 <= page < extent.pages:
        raise InvalidInput(f"{path}.page must be an integer in 0..{extent.pages - 1}, got {page!r}.")
    geometry = validate_geometry(raw.get("geometry"), extent, cls, f"{path}.geometry")
    attributes = validate_answers(
        cls.attributes, raw.get("attributes"), path=f"{path}.attributes", require_complete=require_complete
    )
    source = _validate_source(raw.get("source"), f"{path}.source")
    confidence = raw.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1
    ):
        raise InvalidInput(f"{path}.confidence must be a number in [0, 1] or null.")
    out: dict[str, Any] = {
        "id": oid,
        "class_id": class_id,
        "geometry": geometry,
        "page": page,
        "attributes": attributes,
        "source": source,
        "confidence": confidence,
    }
    if isinstance(raw.get("derived_from"), str):
        out["derived_from"] = raw["derived_from"]
    return out


def _validate_source(raw: Any, path: str) -> dict[str, Any]:
    if raw is None:
        return {"kind": "human"}
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{path} must be an object like {{'kind': 'human'}}.")
    try:
        kind = SourceKind(str(raw.get("kind")))
    except ValueError:
        raise InvalidInput(f"{path}.kind must be human, model or import, got {raw.get('kind')!r}.") from None
    if kind is SourceKind.HUMAN:
        return {"kind": "human"}
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidInput(f"{path}.name is required for a {kind} source (the model or format name).")
    out: dict[str, Any] = {"kind": kind.value, "name": name}
    for key in ("version", "file"):
        if raw.get(key) is not None:
            out[key] = str(raw[key])
    return out


def _check_span_overlap(objects: list[dict[str, Any]]) -> None:
    spans = sorted(
        (o["geometry"]["start"], o["geometry"]["end"], o["id"])
        for o in objects
        if o["geometry"]["type"] == ToolKind.TEXT_SPAN.value
    )
    for (s1, e1, a), (s2, _e2, b) in itertools.pairwise(spans):
        if s2 < e1:
            raise InvalidInput(
                f"Spans '{a}' [{s1}, {e1}) and '{b}' overlap, and the ontology does not allow overlapping spans."
            )


def body_stats(body: Mapping[str, Any]) -> BodyStats:
    counts: dict[str, int] = {}
    for o in body.get("objects", []):
        counts[o["class_id"]] = counts.get(o["class_id"], 0) + 1
    return BodyStats(sum(counts.values()), counts)


EMPTY_BODY: dict[str, Any] = {"objects": [], "classifications": {}}

__all__ = ["EMPTY_BODY", "MAX_OBJECTS", "BodyStats", "SourceKind", "body_stats", "validate_body"]
