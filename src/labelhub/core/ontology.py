"""Ontologies: the object classes a project labels and the questions it asks.

An ontology is plain JSON on the wire and in the database; ``Ontology.parse`` validates it once
and returns frozen dataclasses.  Shape::

    {"classes": [{"id": "car", "name": "Car", "tool": "bbox", "color": "#e6194b", "hotkey": "1",
                  "skeleton": {"points": ["head", "tail"], "edges": [[0, 1]]},   # keypoints only
                  "attributes": [<question>, ...]}],                               # per-object questions
     "classifications": [<question>, ...],                                        # whole-asset questions
     "allow_overlapping_spans": false}

    <question> = {"id": "quality", "name": "Quality", "kind": "radio" | "checklist" | "text" | "number",
                  "required": false, "min": 0, "max": 10,                          # number only
                  "scope": "asset" | "slice",          # top-level classifications only; default asset
                  "options": [{"id": "bad", "name": "Bad", "questions": [<question>, ...]}]}

Nested questions are *conditional*: they exist only while their parent option is chosen.
Answers are a flat mapping ``{question_id: value}`` per scope (the asset, or one object), so
question ids are unique within a scope: the whole-asset tree, or one class's attribute tree.

A top-level classification with ``"scope": "slice"`` (and its follow-ups) is asked per axial
slice of a volume: its answers live in the body's ``slice_classifications`` (see annotations.py),
not in ``classifications``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from labelhub.core.errors import InvalidInput

_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class ToolKind(StrEnum):
    """The geometry an object class is drawn with; also the ``type`` of its stored geometry."""

    BBOX = "bbox"
    ROTATED_BBOX = "rotated_bbox"
    POLYGON = "polygon"
    POLYLINE = "polyline"
    POINT = "point"
    KEYPOINTS = "keypoints"
    ELLIPSE = "ellipse"
    CUBOID = "cuboid"
    MASK = "mask"
    TEXT_SPAN = "text_span"
    DOCUMENT_REGION = "document_region"
    VOLUME_MASK = "volume_mask"
    VOLUME_BOX = "volume_box"
    VOLUME_POLYGON = "volume_polygon"


class QuestionScope(StrEnum):
    """Where a top-level classification is answered: once per asset, or per axial slice of a volume."""

    ASSET = "asset"
    SLICE = "slice"


class QuestionKind(StrEnum):
    RADIO = "radio"
    CHECKLIST = "checklist"
    TEXT = "text"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    name: str
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    name: str
    kind: QuestionKind
    required: bool = False
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    scope: QuestionScope = QuestionScope.ASSET

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Skeleton:
    points: tuple[str, ...]
    edges: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ObjectClass:
    id: str
    name: str
    tool: ToolKind
    color: str
    hotkey: str | None = None
    skeleton: Skeleton | None = None
    attributes: tuple[Question, ...] = ()


@dataclass(frozen=True, slots=True)
class Ontology:
    classes: tuple[ObjectClass, ...]
    classifications: tuple[Question, ...] = ()
    allow_overlapping_spans: bool = False
    _by_id: Mapping[str, ObjectClass] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def parse(raw: Any) -> Ontology:
        """Validate a JSON ontology; raise ``InvalidInput`` naming the first offending path."""
        if not isinstance(raw, Mapping):
            raise InvalidInput("The ontology must be a JSON object with 'classes' and 'classifications'.")
        unknown = set(raw) - {"classes", "classifications", "allow_overlapping_spans"}
        if unknown:
            raise InvalidInput(
                f"Unknown ontology keys {sorted(unknown)}; allowed: classes, classifications, allow_overlapping_spans."
            )
        classes_raw = raw.get("classes", [])
        if not isinstance(classes_raw, list):
            raise InvalidInput("ontology.classes must be a list.")
        classes = tuple(_parse_class(c, f"classes[{i}]") for i, c in enumerate(classes_raw))
        _unique([c.id for c in classes], "class id")
        _unique([c.hotkey for c in classes if c.hotkey], "class hotkey")
        classifications = _parse_questions(raw.get("classifications", []), "classifications", top_level=True)
        _unique(list(_question_ids(classifications)), "question id", "classifications")
        overlap = raw.get("allow_overlapping_spans", False)
        if not isinstance(overlap, bool):
            raise InvalidInput("ontology.allow_overlapping_spans must be true or false.")
        return Ontology(classes, classifications, overlap, {c.id: c for c in classes})

    @property
    def asset_classifications(self) -> tuple[Question, ...]:
        """Top-level questions answered once per asset (the body's ``classifications``)."""
        return tuple(q for q in self.classifications if q.scope is QuestionScope.ASSET)

    @property
    def slice_classifications(self) -> tuple[Question, ...]:
        """Top-level questions answered per axial slice of a volume (``slice_classifications``)."""
        return tuple(q for q in self.classifications if q.scope is QuestionScope.SLICE)

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": [_class_json(c) for c in self.classes],
            "classifications": [_question_json(q) for q in self.classifications],
            "allow_overlapping_spans": self.allow_overlapping_spans,
        }

    def get_class(self, class_id: str) -> ObjectClass:
        try:
            return self._by_id[class_id]
        except KeyError:
            known = ", ".join(sorted(self._by_id)) or "none"
            raise InvalidInput(f"Unknown class '{class_id}'. The project's ontology has: {known}.") from None

    def has_class(self, class_id: str) -> bool:
        return class_id in self._by_id


def _unique(values: list[str], what: str, where: str = "") -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise InvalidInput(f"Duplicate {what} '{v}'{' in ' + where if where else ''}: each must be unique.")
        seen.add(v)


def _req_str(raw: Mapping[str, Any], key: str, path: str, pattern: re.Pattern[str] | None = None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{path}.{key} must be a non-empty string.")
    if pattern is not None and not pattern.match(value):
        raise InvalidInput(f"{path}.{key} '{value}' is not a valid id: use 1-64 letters, digits, '_', '-' or '.'.")
    return value


def _parse_class(raw: Any, path: str) -> ObjectClass:
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{path} must be an object.")
    cid = _req_str(raw, "id", path, _ID)
    name = raw.get("name") or cid
    tool_raw = raw.get("tool")
    try:
        tool = ToolKind(str(tool_raw))
    except ValueError:
        raise InvalidInput(
            f"{path}.tool '{tool_raw}' is unknown; choose one of: {', '.join(t.value for t in ToolKind)}."
        ) from None
    color = raw.get("color", "#4363d8")
    if not isinstance(color, str) or not _COLOR.match(color):
        raise InvalidInput(f"{path}.color must be a hex colour like '#4363d8', got {color!r}.")
    hotkey = raw.get("hotkey")
    if hotkey is not None and (not isinstance(hotkey, str) or len(hotkey) != 1):
        raise InvalidInput(f"{path}.hotkey must be one character, got {hotkey!r}.")
    skeleton = None
    if raw.get("skeleton") is not None:
        if tool is not ToolKind.KEYPOINTS:
            raise InvalidInput(f"{path}.skeleton is only allowed for tool 'keypoints', not '{tool}'.")
        skeleton = _parse_skeleton(raw["skeleton"], f"{path}.skeleton")
    attributes = _parse_questions(raw.get("attributes", []), f"{path}.attributes")
    _unique(list(_question_ids(attributes)), "question id", f"{path}.attributes")
    return ObjectClass(cid, str(name), tool, color.lower(), hotkey, skeleton, attributes)


def _parse_skeleton(raw: Any, path: str) -> Skeleton:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("points"), list) or not raw["points"]:
        raise InvalidInput(f"{path} must be {{'points': [names...], 'edges': [[i, j], ...]}}.")
    points = tuple(str(p) for p in raw["points"])
    _unique(list(points), "point name", path)
    edges: list[tuple[int, int]] = []
    for k, edge in enumerate(raw.get("edges", [])):
        if (
            not isinstance(edge, list | tuple)
            or len(edge) != 2
            or not all(isinstance(i, int) and 0 <= i < len(points) for i in edge)
        ):
            raise InvalidInput(f"{path}.edges[{k}] must be two point indexes in 0..{len(points) - 1}.")
        edges.append((edge[0], edge[1]))
    return Skeleton(points, tuple(edges))


def _parse_questions(raw: Any, path: str, *, top_level: bool = False) -> tuple[Question, ...]:
    if not isinstance(raw, list):
        raise InvalidInput(f"{path} must be a list of questions.")
    return tuple(_parse_question(q, f"{path}[{i}]", top_level) for i, q in enumerate(raw))


def _parse_question(raw: Any, path: str, top_level: bool = False) -> Question:
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{path} must be an object.")
    qid = _req_str(raw, "id", path, _ID)
    try:
        kind = QuestionKind(str(raw.get("kind")))
    except ValueError:
        raise InvalidInput(
            f"{path}.kind {raw.get('kind')!r} is unknown; choose radio, checklist, text or number."
        ) from None
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise InvalidInput(f"{path}.required must be true or false.")
    options: list[Option] = []
    if kind in (QuestionKind.RADIO, QuestionKind.CHECKLIST):
        opts = raw.get("options")
        if not isinstance(opts, list) or not opts:
            raise InvalidInput(f"{path}: a {kind} question needs a non-empty 'options' list.")
        for i, o in enumerate(opts):
            opath = f"{path}.options[{i}]"
            if not isinstance(o, Mapping):
                raise InvalidInput(f"{opath} must be an object.")
            oid = _req_str(o, "id", opath, _ID)
            options.append(
                Option(oid, str(o.get("name") or oid), _parse_questions(o.get("questions", []), f"{opath}.questions"))
            )
        _unique([o.id for o in options], "option id", path)
    elif raw.get("options"):
        raise InvalidInput(f"{path}: a {kind} question has no options.")
    lo, hi = raw.get("min"), raw.get("max")
    for key, val in (("min", lo), ("max", hi)):
        if val is not None and (kind is not QuestionKind.NUMBER or not isinstance(val, int | float)):
            raise InvalidInput(f"{path}.{key} is only allowed on number questions, as a number.")
    if lo is not None and hi is not None and lo > hi:
        raise InvalidInput(f"{path}: min ({lo}) is greater than max ({hi}).")
    scope_raw = raw.get("scope", "asset")
    try:
        scope = QuestionScope(scope_raw) if isinstance(scope_raw, str) else None
    except ValueError:
        scope = None
    if scope is None:
        raise InvalidInput(f"{path}.scope {scope_raw!r} is unknown; choose 'asset' or 'slice'.")
    if scope is QuestionScope.SLICE and not top_level:
        raise InvalidInput(
            f"{path}.scope 'slice' is allowed only on top-level classifications "
            "(follow-up questions take their parent's scope; object attributes are per object)."
        )
    return Question(qid, str(raw.get("name") or qid), kind, required, tuple(options), lo, hi, scope)


def _question_ids(questions: tuple[Question, ...]) -> Iterator[str]:
    for q in questions:
        yield q.id
        for o in q.options:
            yield from _question_ids(o.questions)


def iter_questions(questions: tuple[Question, ...]) -> Iterator[Question]:
    """Every question of a tree, depth first."""
    for q in questions:
        yield q
        for o in q.options:
            yield from iter_questions(o.questions)


def validate_answers(
    questions: tuple[Question, ...], answers: Any, *, path: str, require_complete: bool
) -> dict[str, Any]:
    """Check ``answers`` ({question_id: value}) against a question tree and return them normalized.

    A nested question may be answered only while its parent option is chosen.  With
    ``require_complete`` every required question that is active (top level, or under a chosen
    option) must be answered; drafts pass ``False``.
    """
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        raise InvalidInput(f"{path} must be an object mapping question ids to answers.")
    out: dict[str, Any] = {}
    active = _walk_active(questions, answers, path, out, require_complete)
    stray = set(answers) - active
    if stray:
        known = {q.id for q in iter_questions(questions)}
        unknown = sorted(stray - known)
        if unknown:
            raise InvalidInput(f"{path}: unknown question(s) {unknown}.")
        raise InvalidInput(
            f"{path}: question(s) {sorted(stray)} are answered but their parent option is not chosen; "
            "choose the parent option or remove the answer."
        )
    return out


def _walk_active(
    questions: tuple[Question, ...],
    answers: Mapping[str, Any],
    path: str,
    out: dict[str, Any],
    require_complete: bool,
) -> set[str]:
    seen: set[str] = set()
    for q in questions:
        seen.add(q.id)
        value = answers.get(q.id)
        if value is None or value == [] or value == "":
            if require_complete and q.required:
                raise InvalidInput(f"{path}: required question '{q.name}' ({q.id}) is not answered.")
            continue
        chosen = _check_answer(q, value, f"{path}.{q.id}")
        out[q.id] = value
        for o in q.options:
            if o.id in chosen:
                seen |= _walk_active(o.questions, answers, path, out, require_complete)
    return seen


def _check_answer(q: Question, value: Any, path: str) -> set[str]:
    if q.kind is QuestionKind.RADIO:
        if not isinstance(value, str) or q.option(value) is None:
            raise InvalidInput(f"{path}: choose one of {[o.id for o in q.options]}, got {value!r}.")
        return {value}
    if q.kind is QuestionKind.CHECKLIST:
        if not isinstance(value, list) or not all(isinstance(v, str) and q.option(v) for v in value):
            raise InvalidInput(f"{path}: give a list of option ids from {[o.id for o in q.options]}.")
        if len(set(value)) != len(value):
            raise InvalidInput(f"{path}: an option is listed twice.")
        return set(value)
    if q.kind is QuestionKind.TEXT:
        if not isinstance(value, str) or len(value) > 10_000:
            raise InvalidInput(f"{path}: give text of at most 10,000 characters.")
        return set()
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise InvalidInput(f"{path}: give a number, got {value!r}.")
    if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
        raise InvalidInput(f"{path}: {value} is outside the allowed range [{q.min}, {q.max}].")
    return set()


def _question_json(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"id": q.id, "name": q.name, "kind": q.kind.value, "required": q.required}
    if q.options:
        out["options"] = [
            {"id": o.id, "name": o.name, "questions": [_question_json(n) for n in o.questions]} for o in q.options
        ]
    if q.min is not None:
        out["min"] = q.min
    if q.max is not None:
        out["max"] = q.max
    if q.scope is not QuestionScope.ASSET:
        out["scope"] = q.scope.value
    return out


def _class_json(c: ObjectClass) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "name": c.name, "tool": c.tool.value, "color": c.color}
    if c.hotkey:
        out["hotkey"] = c.hotkey
    if c.skeleton:
        out["skeleton"] = {"points": list(c.skeleton.points), "edges": [list(e) for e in c.skeleton.edges]}
    out["attributes"] = [_question_json(q) for q in c.attributes]
    return out


__all__ = [
    "ObjectClass",
    "Ontology",
    "Option",
    "Question",
    "QuestionKind",
    "QuestionScope",
    "Skeleton",
    "ToolKind",
    "iter_questions",
    "validate_answers",
]
