"""What an ontology change does to stored annotations, and how to migrate them explicitly.

``breaking_changes(old, new)`` lists what the new version drops; ``usages(body, changes)`` says
which of those a stored body uses; ``migrate_body`` applies a ``Migration`` to a body.  A change
that would orphan stored data is refused unless a migration says what to do with each piece.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labelhub.core.errors import InvalidInput
from labelhub.core.ontology import Ontology, Question, iter_questions


@dataclass(frozen=True, slots=True)
class Changes:
    removed_classes: frozenset[str] = frozenset()
    retooled_classes: frozenset[str] = frozenset()
    # scope "" is the whole asset; a class id otherwise.  (scope, question id)
    removed_questions: frozenset[tuple[str, str]] = frozenset()
    # (scope, question id, option id)
    removed_options: frozenset[tuple[str, str, str]] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.removed_classes or self.retooled_classes or self.removed_questions or self.removed_options)


@dataclass(frozen=True, slots=True)
class Migration:
    """``class_map``: old class id -> new class id, or None to delete those objects.
    ``drop_answers``: remove answers to removed questions and options instead of refusing."""

    class_map: Mapping[str, str | None] = field(default_factory=dict)
    drop_answers: bool = False

    @staticmethod
    def parse(raw: Any) -> Migration:
        if raw is None:
            return Migration()
        if not isinstance(raw, Mapping):
            raise InvalidInput("migration must be {'class_map': {old: new or null}, 'drop_answers': bool}.")
        cmap = raw.get("class_map", {})
        if not isinstance(cmap, Mapping) or not all(isinstance(v, str | None) for v in cmap.values()):
            raise InvalidInput("migration.class_map must map old class ids to a new class id or null.")
        return Migration(dict(cmap), bool(raw.get("drop_answers", False)))


def _questions_by_scope(o: Ontology) -> dict[str, dict[str, Question]]:
    scopes = {"": {q.id: q for q in iter_questions(o.classifications)}}
    for c in o.classes:
        scopes[c.id] = {q.id: q for q in iter_questions(c.attributes)}
    return scopes


def breaking_changes(old: Ontology, new: Ontology) -> Changes:
    new_ids = {c.id: c for c in new.classes}
    removed = frozenset(c.id for c in old.classes if c.id not in new_ids)
    retooled = frozenset(c.id for c in old.classes if c.id in new_ids and new_ids[c.id].tool != c.tool)
    old_q, new_q = _questions_by_scope(old), _questions_by_scope(new)
    rq: set[tuple[str, str]] = set()
    ro: set[tuple[str, str, str]] = set()
    for scope, questions in old_q.items():
        if scope in removed:
            continue
        for qid, q in questions.items():
            nq = new_q.get(scope, {}).get(qid)
            if nq is None or nq.kind != q.kind:
                rq.add((scope, qid))
                continue
            kept = {o.id for o in nq.options}
            ro.update((scope, qid, o.id) for o in q.options if o.id not in kept)
    return Changes(removed, retooled, frozenset(rq), frozenset(ro))


def usages(body: Mapping[str, Any], ch: Changes) -> set[str]:
    """Human-readable names of the dropped pieces this body uses."""
    found: set[str] = set()
    for obj in body.get("objects", []):
        cid = obj.get("class_id")
        if cid in ch.removed_classes:
            found.add(f"class '{cid}'")
        if cid in ch.retooled_classes:
            found.add(f"class '{cid}' (tool changed)")
        found |= _answer_usages(cid, obj.get("attributes", {}), ch)
    found |= _answer_usages("", body.get("classifications", {}), ch)
    for answers in (body.get("slice_classifications") or {}).values():
        found |= _answer_usages("", answers, ch)
    return found


def _answer_usages(scope: str, answers: Mapping[str, Any], ch: Changes) -> set[str]:
    found = set()
    for qid, value in answers.items():
        if (scope, qid) in ch.removed_questions:
            found.add(f"question '{qid}'" + (f" of class '{scope}'" if scope else ""))
        for opt in value if isinstance(value, list) else [value]:
            if isinstance(opt, str) and (scope, qid, opt) in ch.removed_options:
                found.add(f"option '{opt}' of question '{qid}'")
    return found


def check_migration(ch: Changes, m: Migration, new: Ontology, used: set[str]) -> None:
    """Refuse unless every used dropped piece has an explicit instruction."""
    for cid in ch.removed_classes | ch.retooled_classes:
        if any(u.startswith(f"class '{cid}'") for u in used) and cid not in m.class_map:
            raise InvalidInput(f"migration.class_map must say what becomes of class '{cid}' (a class id, or null).")
    for old, target in m.class_map.items():
        if target is not None and not new.has_class(target):
            raise InvalidInput(f"migration.class_map['{old}'] names '{target}', which the new ontology lacks.")
    answers_used = any(u.startswith(("question", "option")) for u in used)
    if answers_used and not m.drop_answers:
        raise InvalidInput("Stored answers use removed questions or options; set migration.drop_answers to true.")


def migrate_body(body: dict[str, Any], m: Migration, ch: Changes, new: Ontology) -> dict[str, Any]:
    objects = []
    for obj in body.get("objects", []):
        cid = obj["class_id"]
        if cid in m.class_map:
            target = m.class_map[cid]
            if target is None:
                continue
            if new.get_class(target).tool.value != obj["geometry"]["type"]:
                raise InvalidInput(f"Objects of '{cid}' cannot become '{target}': the tools differ.")
            obj = {**obj, "class_id": target, "attributes": {}}
        objects.append({**obj, "attributes": _drop(obj["class_id"], obj.get("attributes", {}), ch)})
    out = {"objects": objects, "classifications": _drop("", body.get("classifications", {}), ch)}
    per_slice = {k: _drop("", a, ch) for k, a in (body.get("slice_classifications") or {}).items()}
    if any(per_slice.values()):
        out["slice_classifications"] = {k: a for k, a in per_slice.items() if a}
    return out


def _drop(scope: str, answers: Mapping[str, Any], ch: Changes) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, value in answers.items():
        if (scope, qid) in ch.removed_questions:
            continue
        if isinstance(value, list):
            value = [v for v in value if (scope, qid, v) not in ch.removed_options]
            if not value:
                continue
        elif isinstance(value, str) and (scope, qid, value) in ch.removed_options:
            continue
        out[qid] = value
    return out


__all__ = ["Changes", "Migration", "breaking_changes", "check_migration", "migrate_body", "usages"]
