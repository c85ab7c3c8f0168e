"""Whole-asset answers (classifications) as CSV or JSON Lines, one row per task.

CSV columns: ``file_name, asset_id, task_id, state, split`` and then one column per question of
the ontology's classification tree (depth first); a checklist answer is its option ids joined by
``;``; an unanswered question is an empty cell.  JSONL: ``{"file_name", "asset_id", "task_id",
"state", "split", "classifications": {...}}`` with the answers as stored.  Every asset kind is
exported (text and documents too).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import orjson

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report, current_ontology, iter_rows

_BASE = ["file_name", "asset_id", "task_id", "state", "split"]


def question_ids(questions: list[dict[str, Any]]) -> Iterator[str]:
    for q in questions:
        yield q["id"]
        for o in q.get("options", []):
            yield from question_ids(o.get("questions", []))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return str(v)


class ClassificationsExporter:
    version = "1.0"
    shapes: tuple[str, ...] = ()

    def __init__(self, kind: str = "csv") -> None:
        self.kind = kind
        self.name = f"classifications-{kind}"
        self.extension = kind
        self.media_type = "text/csv" if kind == "csv" else "application/x-ndjson"
        self.description = f"Whole-asset answers (classifications) as {kind.upper()}, one row per task."

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        report = Report()
        total = source.count_items()
        top = current_ontology(source).get("classifications", [])
        # Per-asset questions only: slice-scope answers live in slice_classifications (volumes).
        questions = list(question_ids([q for q in top if q.get("scope", "asset") == "asset"]))
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text) if self.kind == "csv" else None
        if writer is not None:
            writer.writerow(_BASE + questions)
        for row in iter_rows(source, options, report):
            base = [row.file_name, row.item.asset["id"], row.item.task_id, row.item.state, row.split]
            if writer is not None:
                writer.writerow(base + [_cell(row.classifications.get(q)) for q in questions])
            else:
                line = dict(zip(_BASE, base, strict=True), classifications=row.classifications)
                out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
            if report.images % 10000 == 0:
                progress(report.images, total)
        text.flush()
        text.detach()
        progress(report.images, total)
        return report.as_dict()


__all__ = ["ClassificationsExporter", "question_ids"]
