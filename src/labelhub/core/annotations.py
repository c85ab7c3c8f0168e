"""Annotation bodies: the objects and whole-asset answers one labeler gives one asset.

Wire and storage shape (the same JSON)::

    {"objects": [{"id": "o1", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [...]},
                  "page": 0, "attributes": {...}, "source": {"kind": "human"}, "confidence": null}],
     "classifications": {"quality": "good"},
     "slice_classifications": {"12": {"finding": "nodule"}}}        # volumes only; optional

``slice_classifications`` holds the answers to the ontology's slice-scope questions per axial
slice (see ``_validate_slice_answers``); it is left out when no slice has answers.

``source.kind`` is ``human``, ``model`` (with ``name`` and ``version``) or ``import`` (with ``name``,
the format, and optionally ``file``), so AI utilization can be measured later.  ``validate_body``
returns a normalized copy; it never mutates its input.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import orjson

from labelhub.core.errors import InvalidInput
from labelhub.core.geometry import AssetExtent, validate_geometry
from labelhub.core.ontology import Ontology, ToolKind, iter_questions, validate_answers

_SLICE_KEY = re.compile(r"^(0|[1-9][0-9]{0,8})$")
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


def validate_body(
    raw: Any,
    ontology: Ontology,
    extent: AssetExtent,
    *,
    require_complete: bool,
    known: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The body, checked and normalized. ``known``: objects by id that passed this same validation
    before (e.g. the stored draft, same ontology version and asset); an incoming object equal to its
    known one is taken as it is instead of being validated again (a draft save usually changes one
    object of thousands). Equality treats ``True`` as ``1``, so objects holding a boolean anywhere
    are always validated."""
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
        oid = o.get("id") if known and isinstance(o, dict) else None
        prior = known.get(oid) if known and isinstance(oid, str) else None
        if isinstance(prior, dict) and o is prior:  # the very object validated before (a delta save's unchanged ones)
            obj = prior
        elif prior is not None and o == prior and not _holds_bool(o):
            obj = dict(prior)
        else:
            obj = _validate_object(o, ontology, extent, f"objects[{i}]", require_complete)
        if obj["id"] in seen:
            raise InvalidInput(f"objects[{i}].id '{obj['id']}' is used twice; object ids must be unique.")
        seen.add(obj["id"])
        objects.append(obj)
    if not ontology.allow_overlapping_spans:
        _check_span_overlap(objects)
    asset_answers = raw.get("classifications")
    slice_ids = {q.id for q in iter_questions(ontology.slice_classifications)}
    if isinstance(asset_answers, Mapping) and slice_ids & set(asset_answers):
        misplaced = sorted(slice_ids & set(asset_answers))
        raise InvalidInput(
            f"classifications: question(s) {misplaced} are asked per slice; "
            "put their answers under slice_classifications['<k>']."
        )
    classifications = validate_answers(
        ontology.asset_classifications, asset_answers, path="classifications", require_complete=require_complete
    )
    out: dict[str, Any] = {"objects": objects, "classifications": classifications}
    per_slice = _validate_slice_answers(raw.get("slice_classifications"), ontology, extent)
    if per_slice:
        out["slice_classifications"] = per_slice
    return out


def _validate_slice_answers(raw: Any, ontology: Ontology, extent: AssetExtent) -> dict[str, dict[str, Any]]:
    """``{"<k>": {question_id: answer}}``: answers to the slice-scope questions per axial slice ``k``.

    Keys are slice indexes along the volume's third voxel axis (k, the axial slices of a volume
    stored the usual way), as decimal strings.  Answers are checked like ``classifications``
    (known questions, valid answers, follow-ups only under their chosen option), but required
    slice questions never block a submit: not every slice needs answers.  Slices without answers
    are dropped; keys come back in slice order.
    """
    path = "slice_classifications"
    if raw is None or raw == {}:
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{path} must be an object mapping slice indexes ('0', '1', ...) to answers.")
    questions = ontology.slice_classifications
    if not questions:
        raise InvalidInput(f"{path}: the ontology has no classification with scope 'slice'.")
    if extent.depth is None:
        raise InvalidInput(f"{path}: per-slice answers need a volume asset.")
    out: dict[int, dict[str, Any]] = {}
    for key, answers in raw.items():
        if not isinstance(key, str) or not _SLICE_KEY.match(key) or int(key) >= extent.depth:
            raise InvalidInput(
                f"{path}: key {key!r} must be an axial slice index in 0..{extent.depth - 1} (a decimal string)."
            )
        checked = validate_answers(questions, answers, path=f"{path}['{key}']", require_complete=False)
        if checked:
            out[int(key)] = checked
    return {str(k): out[k] for k in sorted(out)}


def _holds_bool(value: Any) -> bool:
    """Whether a JSON value holds true or false anywhere."""
    text = orjson.dumps(value)
    return b"true" in text or b"false" in text


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
    if extent.page_text_length is not None and cls.tool is ToolKind.TEXT_SPAN:
        # A span on a document indexes its page's text layer (offsets restart on every page).
        extent = replace(extent, text_length=extent.page_text_length(page), text_page=page)
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
    # Per page: a document's spans index their own page's text, so only spans on one page can overlap.
    spans = sorted(
        (o["page"], o["geometry"]["start"], o["geometry"]["end"], o["id"])
        for o in objects
        if o["geometry"]["type"] == ToolKind.TEXT_SPAN.value
    )
    for (p1, s1, e1, a), (p2, s2, _e2, b) in itertools.pairwise(spans):
        if p1 == p2 and s2 < e1:
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
