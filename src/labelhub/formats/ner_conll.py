"""NER as CoNLL-2003 (``ner-conll``): one token per line, ``TOKEN -X- _ TAG`` (the four columns
of CoNLL-2003 with POS and chunk unknown, as spaCy's ``convert`` and Hugging Face's ``conll2003``
loader read them), BIO tags ``B-<class id>`` / ``I-<class id>`` / ``O``.

Each task starts with ``-DOCSTART- -X- -X- O`` and a blank line; a line break in the text ends a
sentence (blank line) unless it lies inside a span.  Tokens are words and single punctuation
marks, cut at span edges so every span is whole tokens.  Overlapping spans follow the rule of
``ner_common`` (leftmost, then longest, wins); the others are counted in the report and named in
its warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report
from labelhub.formats.ner_common import OVERLAP, Span, non_overlapping, rows_with_spans, tokens


def conll_lines(text: str, kept: list[Span]) -> list[str]:
    """The lines of one document (without ``-DOCSTART-``), sentences separated by ``""``."""
    lines: list[str] = []
    toks = tokens(text, kept)
    prev_end = 0
    for a, b in toks:
        inside = [s for s in kept if s.start <= a and b <= s.end]
        gap = text[prev_end:a]
        in_span_gap = any(s.start < prev_end and a < s.end for s in kept)
        if "\n" in gap and not in_span_gap and lines and lines[-1] != "":
            lines.append("")
        if inside:
            span = inside[0]
            tag = ("B-" if a == span.start else "I-") + span.label
        else:
            tag = "O"
        lines.append(f"{text[a:b]} -X- _ {tag}")
        prev_end = b
    if lines and lines[-1] != "":
        lines.append("")
    return lines


class NerConllExporter:
    name = "ner-conll"
    version = "1.0"
    extension = "conll"
    media_type = "text/plain"
    description = "Text spans (NER) as CoNLL-2003 BIO (TOKEN -X- _ TAG); overlapping spans: leftmost-longest."
    shapes: tuple[str, ...] = ("text_span",)

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        report = Report()
        total = source.count_items()
        for row, text, spans in rows_with_spans(source, options, report):
            kept, left = non_overlapping(spans)
            for s in left:
                report.objects -= 1
                report.drop(OVERLAP, row.item, {"id": s.id})
            body = ["-DOCSTART- -X- -X- O", "", *conll_lines(text, kept)]
            out.write(("\n".join(body) + "\n").encode("utf-8"))
            progress(report.images, total)
        progress(report.images, total)
        return report.as_dict()


__all__ = ["NerConllExporter", "conll_lines"]
