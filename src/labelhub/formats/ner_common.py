"""What the NER exports share: the text of a text asset, its spans, tokens cut at span edges, and
the one rule for overlapping spans.

Offsets are Unicode code points of the stored text (``docs/annotations.md``: ``start``
inclusive, ``end`` exclusive), which is also how Python and spaCy index strings.

**Overlapping spans** (allowed when the ontology says so) cannot all be written where a format
holds one label per token (CoNLL BIO, spaCy's ``doc.ents``).  The rule, the same everywhere:
leftmost-longest: spans are ordered by start, then longest first, then annotation order; a span
is *kept* when it overlaps no span kept before it.  The others are *not dropped silently*: JSONL and spaCy's
``doc.spans`` keep every span, and CoNLL counts each left-out span in the report
(``dropped: {"overlapping span (kept in ner-jsonl and ner-spacy spans)": n}``) with a warning
naming the task and object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report, Row, class_table, iter_rows

OVERLAP = "overlapping span (kept in ner-jsonl and ner-spacy spans)"
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    id: str
    attributes: dict[str, Any]
    order: int


def read_text(source: ExportSource, asset: dict[str, Any]) -> str | None:
    stream = source.open_media(asset)
    if stream is None:
        return None
    with stream:
        data = stream.read()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None  # unreachable: latin-1 decodes every byte


def text_or_drop(source: ExportSource, row: Row, report: Report) -> str | None:
    if row.item.asset.get("kind") != "text":
        report.images -= 1
        report.splits[row.split] -= 1
        report.drop("not a text asset", row.item)
        return None
    text = read_text(source, row.item.asset)
    if text is None:
        report.drop("the text is not readable", row.item)
    return text


def spans_of(row: Row, text: str, known: set[str], report: Report) -> list[Span]:
    """The row's valid text spans, in annotation order; others are dropped with a reason."""
    out: list[Span] = []
    for n, obj in enumerate(row.objects):
        g = obj.get("geometry") or {}
        if g.get("type") != "text_span":
            report.drop(f"unsupported shape {g.get('type')}", row.item, obj)
            continue
        if obj.get("class_id") not in known:
            report.drop(f"class '{obj.get('class_id')}' is not in the current ontology", row.item, obj)
            continue
        start, end = g.get("start"), g.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            report.drop("span outside the text", row.item, obj)
            continue
        out.append(Span(start, end, str(obj["class_id"]), str(obj.get("id")), obj.get("attributes") or {}, n))
        report.objects += 1
        report.shapes["text_span"] += 1
    return out


def non_overlapping(spans: list[Span]) -> tuple[list[Span], list[Span]]:
    """``(kept, left_out)`` by the module's rule; ``kept`` sorted by start."""
    kept: list[Span] = []
    left: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.order)):
        if any(s.start < k.end and k.start < s.end for k in kept):
            left.append(s)
        else:
            kept.append(s)
    return sorted(kept, key=lambda s: s.start), left


def tokens(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """``(start, end)`` of each token: words and single punctuation marks, additionally cut at
    every span edge so that every span is a whole number of tokens."""
    cuts = {s.start for s in spans} | {s.end for s in spans}
    out: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        a, b = m.start(), m.end()
        inner = sorted(c for c in cuts if a < c < b)
        for c in inner:
            out.append((a, c))
            a = c
        out.append((a, b))
    return out


def rows_with_spans(
    source: ExportSource, options: ExportOptions, report: Report
) -> Iterator[tuple[Row, str, list[Span]]]:
    """(row, its text, its spans of known classes) for every text task; the others are dropped in the report."""
    known = {c.id for c in class_table(source)}
    for row in iter_rows(source, options, report):
        text = text_or_drop(source, row, report)
        if text is not None:
            yield row, text, spans_of(row, text, known, report)


__all__ = [
    "OVERLAP",
    "Span",
    "non_overlapping",
    "read_text",
    "rows_with_spans",
    "spans_of",
    "text_or_drop",
    "tokens",
]
