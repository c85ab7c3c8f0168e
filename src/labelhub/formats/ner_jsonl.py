"""NER as JSON Lines (``ner-jsonl``): one object per text task, every span kept (overlaps too).

``{"file_name", "asset_id", "task_id", "state", "split", "text", "spans": [{"id", "start", "end",
"label", "text", "attributes"}], "classifications"}``; spans sorted by start then end, offsets
in Unicode code points (``text[start:end]`` in Python is the span's text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

import orjson

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report
from labelhub.formats.ner_common import rows_with_spans


class NerJsonlExporter:
    name = "ner-jsonl"
    version = "1.0"
    extension = "jsonl"
    media_type = "application/x-ndjson"
    description = "Text spans (NER) as JSON Lines: text, spans with character offsets, classifications."
    shapes: tuple[str, ...] = ("text_span",)

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        report = Report()
        total = source.count_items()
        for row, text, found in rows_with_spans(source, options, report):
            spans = sorted(found, key=lambda s: (s.start, s.end))
            line = {
                "file_name": row.file_name,
                "asset_id": row.item.asset["id"],
                "task_id": row.item.task_id,
                "state": row.item.state,
                "split": row.split,
                "text": text,
                "spans": [
                    {
                        "id": s.id,
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "text": text[s.start : s.end],
                        "attributes": s.attributes,
                    }
                    for s in spans
                ],
                "classifications": row.classifications,
            }
            out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
            progress(report.images, total)
        progress(report.images, total)
        return report.as_dict()


__all__ = ["NerJsonlExporter"]
