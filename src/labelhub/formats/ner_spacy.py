"""NER as spaCy's binary training format, a ``DocBin`` (``ner-spacy``, file ``.spacy``), read by
``spacy train`` and ``DocBin().from_disk``.

Each text task is one ``Doc`` whose tokens are ``ner_common.tokens`` (words and punctuation, cut
at span edges, so every span maps to tokens exactly; no language model is loaded) plus
whitespace tokens, so ``doc.text`` is the labelhub text and character offsets agree.  Every span is
in ``doc.spans["sc"]`` (a span group may overlap: spaCy's span categorizer trains on it), and the
non-overlapping ones by ``ner_common``'s rule (leftmost-longest) are ``doc.ents`` for the entity
recognizer.  ``doc.cats`` holds the radio/checklist classification answers as ``"<question>=<option>": 1.0``;
``doc.user_data`` holds ``asset_id``, ``task_id``, ``file_name`` and ``split``.

spaCy (>= 3.7; it does not need torch) is imported when an export runs; without it the export
fails with the command to install it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any, BinaryIO

from labelhub.core.errors import UnsupportedMedia
from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report
from labelhub.formats.ner_common import non_overlapping, rows_with_spans, tokens


def _cats(classifications: dict[str, Any]) -> dict[str, float]:
    cats: dict[str, float] = {}
    for q, v in classifications.items():
        for option in v if isinstance(v, list) else [v]:
            if isinstance(option, str):
                cats[f"{q}={option}"] = 1.0
    return cats


def _words_and_spaces(text: str, toks: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's ``words``/``spaces`` for ``toks`` such that ``doc.text == text``: a single space after
    a token is its ``whitespace_``; any other whitespace becomes whitespace tokens, as spaCy's own
    tokenizer does.  So character offsets in the Doc are the offsets in labelhub."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for a, b in [*toks, (len(text), len(text))]:
        gap = text[pos:a]
        if gap:
            if words and gap.startswith(" ") and not spaces[-1]:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        if b > a:
            words.append(text[a:b])
            spaces.append(False)
        pos = b
    return words, spaces


def _span(doc: Any, s: Any) -> Any:
    made = doc.char_span(s.start, s.end, label=s.label, span_id=s.id, alignment_mode="strict")
    if made is None:  # cannot happen: tokens are cut at every span edge
        raise ValueError(f"span [{s.start}, {s.end}) does not align with the tokens")
    return made


class NerSpacyExporter:
    name = "ner-spacy"
    version = "1.0"
    extension = "spacy"
    media_type = "application/octet-stream"
    description = "Text spans as a spaCy DocBin (.spacy): doc.ents (non-overlapping) and doc.spans['sc'] (all)."
    shapes: tuple[str, ...] = ("text_span",)

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        if importlib.util.find_spec("spacy") is None:
            raise UnsupportedMedia(
                "the ner-spacy export needs spaCy: pip install 'spacy>=3.7' (it does not need torch)"
            )
        from spacy.tokens import Doc, DocBin
        from spacy.vocab import Vocab

        vocab = Vocab()
        report = Report()
        total = source.count_items()
        bin_ = DocBin(store_user_data=True)
        for row, text, spans in rows_with_spans(source, options, report):
            doc = Doc(vocab, *_words_and_spaces(text, tokens(text, spans)))

            kept, _left = non_overlapping(spans)
            doc.spans["sc"] = [_span(doc, s) for s in sorted(spans, key=lambda s: (s.start, s.end))]
            doc.ents = [_span(doc, s) for s in kept]
            doc.cats = _cats(row.classifications)
            doc.user_data.update(
                {
                    "asset_id": row.item.asset["id"],
                    "task_id": row.item.task_id,
                    "file_name": row.file_name,
                    "split": row.split,
                }
            )
            bin_.add(doc)
            progress(report.images, total)
        out.write(bin_.to_bytes())
        progress(report.images, total)
        return report.as_dict()


__all__ = ["NerSpacyExporter"]
