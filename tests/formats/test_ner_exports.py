"""NER exports (JSONL, CoNLL-2003 BIO, spaCy DocBin) with named cases: overlapping spans, spans at
both ends of a document, a span across a line break, characters outside the BMP, other kinds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from labelhub.core.formats import Exporter, ExportItem, ExportOptions
from labelhub.formats.ner_common import OVERLAP
from labelhub.formats.ner_conll import NerConllExporter
from labelhub.formats.ner_jsonl import NerJsonlExporter
from labelhub.formats.ner_spacy import NerSpacyExporter
from labelhub.formats.registry import default_formats
from tests.formats.conftest import FakeSource

ONTO = {
    "classes": [
        {"id": "PER", "name": "Person", "tool": "text_span"},
        {"id": "ORG", "name": "Organization", "tool": "text_span"},
        {"id": "LOC", "name": "Location", "tool": "text_span"},
    ],
    "classifications": [{"id": "topic", "kind": "radio", "options": [{"id": "news"}, {"id": "sport"}]}],
}


def span(oid: str, label: str, start: int, end: int, **kw: Any) -> dict[str, Any]:
    return {"id": oid, "class_id": label, "geometry": {"type": "text_span", "start": start, "end": end}, **kw}


class TextSource(FakeSource):
    """Items: (file name, text, objects[, classifications])."""

    def __init__(self, docs: list[tuple[Any, ...]]) -> None:
        items = [(d[0], None, None, d[2], d[3] if len(d) > 3 else {}) for d in docs]
        super().__init__(items, ONTO, {d[0]: d[1].encode("utf-8") for d in docs})
        self.kinds = {d[0]: "text" if not d[0].endswith(".png") else "image" for d in docs}

    def iter_items(self) -> Iterator[ExportItem]:
        for item in super().iter_items():
            item.asset["kind"] = self.kinds[item.asset["filename"]]
            yield item


def run(exporter: Exporter, source: TextSource) -> tuple[bytes, dict[str, Any]]:
    buf = io.BytesIO()
    report = exporter.export(source, buf, ExportOptions(), lambda done, total: None)  # type: ignore[arg-type]
    return buf.getvalue(), report


def conll_docs(data: bytes) -> list[list[tuple[str, str]]]:
    docs: list[list[tuple[str, str]]] = []
    for line in data.decode("utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            docs.append([])
        elif line:
            cols = line.split(" ")
            assert len(cols) == 4 and cols[1:3] == ["-X-", "_"], line
            docs[-1].append((cols[0], cols[3]))
    return docs


TEXT = "Ada Lovelace met Charles Babbage in London."
#       0   4        13  17      25      33 36    42
ADA = span("p1", "PER", 0, 12)
BABBAGE = span("p2", "PER", 17, 32)
LONDON = span("l1", "LOC", 36, 42)


def test_registered_names() -> None:
    names = default_formats().names()["exporters"]
    assert {"ner-jsonl", "ner-conll", "ner-spacy", "nifti-labels", "volume-boxes"} <= set(names)


def test_jsonl_keeps_every_span_with_its_text() -> None:
    src = TextSource([("a.txt", TEXT, [LONDON, ADA, BABBAGE], {"topic": "news"})])
    data, report = run(NerJsonlExporter(), src)
    (line,) = [orjson.loads(x) for x in data.splitlines()]
    assert line["text"] == TEXT and line["classifications"] == {"topic": "news"}
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in line["spans"]] == [
        (0, 12, "PER", "Ada Lovelace"),
        (17, 32, "PER", "Charles Babbage"),
        (36, 42, "LOC", "London"),
    ]
    assert report["objects"] == 3 and report["dropped_total"] == 0


def test_conll_bio_tags() -> None:
    data, _ = run(NerConllExporter(), TextSource([("a.txt", TEXT, [ADA, BABBAGE, LONDON])]))
    (doc,) = conll_docs(data)
    assert doc == [
        ("Ada", "B-PER"), ("Lovelace", "I-PER"), ("met", "O"), ("Charles", "B-PER"), ("Babbage", "I-PER"),
        ("in", "O"), ("London", "B-LOC"), (".", "O"),
    ]  # fmt: skip


def test_overlapping_spans_are_reported_never_silently_dropped() -> None:
    """ "University of London" (ORG, 0-20) overlaps "London" (LOC, 14-20): CoNLL keeps the
    leftmost, reports the other by name; JSONL and spaCy's span group keep both."""
    text = "University of London is old"
    org, loc = span("org", "ORG", 0, 20), span("loc", "LOC", 14, 20)
    src = TextSource([("o.txt", text, [loc, org])])
    data, report = run(NerConllExporter(), src)
    (doc,) = conll_docs(data)
    assert doc[:3] == [("University", "B-ORG"), ("of", "I-ORG"), ("London", "I-ORG")]
    assert report["dropped"] == {OVERLAP: 1} and report["objects"] == 1
    assert "object 'loc'" in report["warnings"][0]
    jsonl, _ = run(NerJsonlExporter(), src)
    assert [s["id"] for s in orjson.loads(jsonl)["spans"]] == ["org", "loc"]


def test_overlap_rule_is_leftmost_then_longest_then_annotation_order() -> None:
    text = "New York City"
    a, b, c = span("a", "LOC", 0, 8), span("b", "ORG", 4, 13), span("c", "PER", 0, 8)
    data, report = run(NerConllExporter(), TextSource([("e.txt", text, [c, b, a])]))
    (doc,) = conll_docs(data)
    # c and a start first and are equally long: c was annotated first; b overlaps c.
    assert doc == [("New", "B-PER"), ("York", "I-PER"), ("City", "O")]
    assert report["dropped"] == {OVERLAP: 2}
    assert {w.split("object ")[1].split(" ")[0] for w in report["warnings"]} == {"'a'", "'b'"}
    longer = span("d", "LOC", 0, 13)
    data, _ = run(NerConllExporter(), TextSource([("e.txt", text, [c, longer])]))
    assert conll_docs(data)[0] == [("New", "B-LOC"), ("York", "I-LOC"), ("City", "I-LOC")]


def test_spans_at_both_document_ends() -> None:
    text = "Paris loves Berlin"
    src = TextSource([("ends.txt", text, [span("s", "LOC", 0, 5), span("e", "LOC", 12, 18)])])
    data, report = run(NerConllExporter(), src)
    (doc,) = conll_docs(data)
    assert doc == [("Paris", "B-LOC"), ("loves", "O"), ("Berlin", "B-LOC")]
    assert report["dropped_total"] == 0


def test_whole_document_span_and_span_inside_a_word() -> None:
    """A span may cut a word ("Lovelace's" -> "Lovelace" + "'s"): tokens are cut at span edges."""
    text = "Lovelace's notes"
    data, _ = run(NerConllExporter(), TextSource([("w.txt", text, [span("p", "PER", 0, 8)])]))
    assert conll_docs(data)[0][:3] == [("Lovelace", "B-PER"), ("'", "O"), ("s", "O")]
    data, _ = run(NerConllExporter(), TextSource([("all.txt", "Ada", [span("p", "PER", 0, 3)])]))
    assert conll_docs(data) == [[("Ada", "B-PER")]]


def test_line_breaks_end_sentences_except_inside_a_span() -> None:
    text = "Ada wrote.\nCharles\nBabbage read."
    data, _ = run(NerConllExporter(), TextSource([("l.txt", text, [span("p", "PER", 11, 26)])]))
    body = data.decode().split("\n")
    assert body[:2] == ["-DOCSTART- -X- -X- O", ""]
    sentences = "\n".join(body[2:]).strip().split("\n\n")
    assert len(sentences) == 2  # one break between "wrote." and "Charles"; none inside the span
    assert sentences[1].splitlines()[:2] == ["Charles -X- _ B-PER", "Babbage -X- _ I-PER"]


def test_offsets_are_code_points_outside_the_bmp() -> None:
    text = "🙂 Bob 🙂 Alice"
    bob, alice = span("b", "PER", 2, 5), span("a", "PER", 8, 13)
    jsonl, _ = run(NerJsonlExporter(), TextSource([("u.txt", text, [bob, alice])]))
    assert [s["text"] for s in orjson.loads(jsonl)["spans"]] == ["Bob", "Alice"]
    data, _ = run(NerConllExporter(), TextSource([("u.txt", text, [bob, alice])]))
    assert ("Bob", "B-PER") in conll_docs(data)[0] and ("Alice", "B-PER") in conll_docs(data)[0]


def test_non_text_assets_and_bad_spans_are_reported() -> None:
    src = TextSource(
        [
            ("img.png", "", [], {}),
            ("t.txt", "short", [span("x", "PER", 2, 99), span("y", "NOPE", 0, 2), span("z", "PER", 0, 5)]),
        ]
    )
    for exporter in (NerJsonlExporter(), NerConllExporter()):
        _, report = run(exporter, src)
        assert report["images"] == 1 and report["objects"] == 1
        assert report["dropped"] == {
            "not a text asset": 1,
            "span outside the text": 1,
            "class 'NOPE' is not in the current ontology": 1,
        }


def test_spacy_docbin_round_trip() -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    text = "University of London  is in\nLondon."
    spans = [span("org", "ORG", 0, 20), span("loc", "LOC", 14, 20), span("l2", "LOC", 28, 34)]
    data, report = run(NerSpacyExporter(), TextSource([("s.txt", text, spans, {"topic": "news"})]))
    assert report["objects"] == 3
    (doc,) = list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))
    assert doc.text == text  # whitespace runs and line breaks kept: offsets agree
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [(0, 20, "ORG"), (28, 34, "LOC")]
    assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]) == [
        (0, 20, "ORG"),
        (14, 20, "LOC"),
        (28, 34, "LOC"),
    ]
    assert doc.cats == {"topic=news": 1.0}
    assert doc.user_data["file_name"] == "s.txt"
