import { describe, expect, it } from "vitest";
import { Editor } from "../src/editor";
import type { Ontology } from "../src/schema";
import { OffsetMap, codePointLength } from "../src/viewers/text/offsets";
import { snapSelection } from "../src/viewers/text/words";
import { chunkOf, chunkText, findOverlap, segment, spanLevels } from "../src/viewers/text/segments";
import { addSpan, changeSpanClass, spanGeometry, spanText, unitSpans } from "../src/viewers/text/model";

const EMOJI = "🙂"; // one code point, two UTF-16 units
const ACCENT = "e\u0301"; // e + combining acute: two code points, two units

describe("OffsetMap (UTF-16 <-> code points)", () => {
  it("is the identity without astral characters", () => {
    const m = new OffsetMap(`caf${ACCENT} Ada`);
    expect(m.length).toBe(9);
    for (let i = 0; i <= 9; i++) {
      expect(m.toPoint(i)).toBe(i);
      expect(m.toUnit(i)).toBe(i);
    }
  });

  it("counts an emoji as one code point", () => {
    const text = `${EMOJI} ${ACCENT} Ada ${EMOJI}${EMOJI}x`;
    const m = new OffsetMap(text);
    expect(m.length).toBe([...text].length);
    expect(codePointLength(text)).toBe(12);
    const unit = text.indexOf("Ada");
    expect(unit).toBe(6);
    expect(m.toPoint(unit)).toBe(5);
    expect(m.toUnit(5)).toBe(6);
    expect(m.toPoint(text.length)).toBe(12);
    expect(m.toUnit(12)).toBe(text.length);
    // round trip at every character boundary
    let u = 0;
    for (const [p, ch] of [...text].entries()) {
      expect(m.toPoint(u)).toBe(p);
      expect(m.toUnit(p)).toBe(u);
      u += ch.length;
    }
  });

  it("treats an index inside a surrogate pair as the pair's start and clamps", () => {
    const m = new OffsetMap(`a${EMOJI}b`);
    expect(m.toPoint(2)).toBe(1);
    expect(m.toPoint(-4)).toBe(0);
    expect(m.toUnit(99)).toBe(4);
  });
});

describe("snapSelection", () => {
  const text = `Hello ${EMOJI} Ada Lovelace met O'Brien and Jean-Luc. Zo${"\u0308"}e!`;
  const sel = (word: string, from = 0, to = word.length) => {
    const at = text.indexOf(word);
    return snapSelection(text, at + from, at + to);
  };
  it("widens a partial selection to whole words", () => {
    const r = sel("Lovelace", 2, 5);
    expect(r && text.slice(r.start, r.end)).toBe("Lovelace");
    const two = sel("Ada Lovelace", 1, 7);
    expect(two && text.slice(two.start, two.end)).toBe("Ada Lovelace");
  });
  it("keeps apostrophes and hyphens inside words", () => {
    const r = sel("O'Brien", 3, 5);
    expect(r && text.slice(r.start, r.end)).toBe("O'Brien");
    const j = sel("Jean-Luc", 0, 2);
    expect(j && text.slice(j.start, j.end)).toBe("Jean-Luc");
  });
  it("trims white space and punctuation is not widened into", () => {
    const at = text.indexOf(" Ada ");
    const r = snapSelection(text, at, at + 5);
    expect(r && text.slice(r.start, r.end)).toBe("Ada");
    const dot = text.indexOf("Luc.");
    const p = snapSelection(text, dot, dot + 4);
    expect(p && text.slice(p.start, p.end)).toBe("Jean-Luc.");
  });
  it("keeps combining accents with their letter", () => {
    const r = sel(`Zo${"\u0308"}e`, 0, 2);
    expect(r && text.slice(r.start, r.end)).toBe(`Zo${"\u0308"}e`);
    const exact = text.indexOf(`Zo${"\u0308"}e`);
    const cut = snapSelection(text, exact, exact + 2, false);
    expect(cut && text.slice(cut.start, cut.end)).toBe(`Zo${"\u0308"}`);
  });
  it("never cuts a surrogate pair, and exact mode keeps the selection", () => {
    const at = text.indexOf(EMOJI);
    const r = snapSelection(text, at + 1, at + 2, false);
    expect(r && text.slice(r.start, r.end)).toBe(EMOJI);
    const part = sel("Lovelace", 2, 5);
    expect(part).not.toBeNull();
    const exact = text.indexOf("Lovelace");
    const e = snapSelection(text, exact + 2, exact + 5, false);
    expect(e && text.slice(e.start, e.end)).toBe("vel");
  });
  it("is null for white space only and handles reversed ends", () => {
    expect(snapSelection(text, 5, 6)).toBeNull();
    const at = text.indexOf("Ada");
    expect(snapSelection(text, at + 3, at)).toEqual({ start: at, end: at + 3 });
  });
});

describe("segment and levels", () => {
  const spans = [
    { id: "a", classId: "org", start: 0, end: 10 },
    { id: "b", classId: "per", start: 4, end: 7 },
    { id: "c", classId: "per", start: 8, end: 14 },
  ];
  it("stacks nested and crossing spans on different levels", () => {
    const levels = spanLevels(spans);
    expect(levels.get("a")).toBe(0);
    expect(levels.get("b")).toBe(1);
    expect(levels.get("c")).toBe(1);
    expect(spanLevels([...spans, { id: "d", classId: "x", start: 5, end: 9 }]).get("d")).toBe(2);
  });
  it("cuts runs at every span edge, with covering spans lowest level first", () => {
    const runs = segment(0, 20, spans, spanLevels(spans));
    expect(runs.map((r) => [r.start, r.end, r.spans.join("")])).toEqual([
      [0, 4, "a"],
      [4, 7, "ab"],
      [7, 8, "a"],
      [8, 10, "ac"],
      [10, 14, "c"],
      [14, 20, ""],
    ]);
  });
  it("clips spans to the range and stays small for long texts", () => {
    const runs = segment(5, 9, spans, spanLevels(spans));
    expect(runs.map((r) => [r.start, r.end, r.spans.join("")])).toEqual([
      [5, 7, "ab"],
      [7, 8, "a"],
      [8, 9, "ac"],
    ]);
    expect(segment(0, 1_000_000, spans, spanLevels(spans)).length).toBe(6);
    expect(segment(3, 3, spans, new Map())).toEqual([]);
  });
  it("finds overlaps (sharing a character; touching is fine)", () => {
    expect(findOverlap(spans, 14, 16)).toBeNull();
    expect(findOverlap(spans, 13, 16)?.id).toBe("c");
    expect(findOverlap(spans, 4, 7, "b")?.id).toBe("a");
  });
  it("chunks at line breaks", () => {
    const text = "aaaa\nbbbb\ncccc\ndd";
    const chunks = chunkText(text, 6);
    expect(chunks).toEqual([
      [0, 10],
      [10, 17],
    ]);
    expect(chunks.map(([a, b]) => text.slice(a, b)).join("")).toBe(text);
    expect(chunkOf(chunks, 9)).toBe(0);
    expect(chunkOf(chunks, 10)).toBe(1);
    expect(chunkOf(chunks, 17)).toBe(1);
    const big = "x".repeat(100) + "\n" + "y".repeat(50);
    expect(chunkText(big, 1000)).toEqual([[0, 151]]);
    expect(chunkText("", 10)).toEqual([[0, 0]]);
  });
});

const ontology = (overlaps: boolean): Ontology => ({
  classes: [
    { id: "person", name: "PERSON", tool: "text_span", color: "#e69f00" },
    { id: "org", name: "ORG", tool: "text_span", color: "#56b4e9" },
  ],
  classifications: [],
  allow_overlapping_spans: overlaps,
});

describe("spans in the editor document", () => {
  const text = `${EMOJI} caf${ACCENT}: Ada Lovelace of Analytical Engines Ltd`;
  const map = new OffsetMap(text);
  const at = (s: string) => [text.indexOf(s), text.indexOf(s) + s.length] as const;

  it("stores code points and reads back UTF-16 for the view; undo and redo", () => {
    const editor = new Editor({ ontology: ontology(false), assetSize: { width: 1, height: 1 } });
    const [s, e] = at("Ada Lovelace");
    const r = addSpan(editor, map, s, e, "person");
    expect(r.ok).toBe(true);
    const o = editor.store.all()[0];
    expect(o && spanGeometry(o)).toEqual({ type: "text_span", start: 9, end: 21 });
    expect([...text].slice(9, 21).join("")).toBe("Ada Lovelace");
    expect(o && spanText(o, map)).toBe("Ada Lovelace");
    expect(unitSpans(editor.store.all(), map)).toEqual([{ id: o?.id, classId: "person", start: s, end: e }]);
    expect(editor.selectedIds).toEqual([o?.id]);
    changeSpanClass(editor, o?.id ?? "", "org");
    expect(editor.store.all()[0]?.class_id).toBe("org");
    editor.undo();
    expect(editor.store.all()[0]?.class_id).toBe("person");
    editor.undo();
    expect(editor.store.size).toBe(0);
    editor.redo();
    expect(editor.store.size).toBe(1);
    editor.deleteSelected();
    expect(editor.store.size).toBe(0);
    expect(editor.toAnnotation().objects).toEqual([]);
  });

  it("refuses overlaps unless the ontology allows them", () => {
    const strict = new Editor({ ontology: ontology(false), assetSize: { width: 1, height: 1 } });
    const [s, e] = at("Analytical Engines Ltd");
    expect(addSpan(strict, map, s, e, "org").ok).toBe(true);
    const [s2, e2] = at("Engines");
    const refused = addSpan(strict, map, s2, e2, "person");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/may not overlap.*Analytical Engines Ltd.*ORG/);
    expect(strict.store.size).toBe(1);
    const loose = new Editor({ ontology: ontology(true), assetSize: { width: 1, height: 1 } });
    expect(addSpan(loose, map, s, e, "org").ok).toBe(true);
    expect(addSpan(loose, map, s2, e2, "person").ok).toBe(true);
    expect(addSpan(loose, map, s2, e2, "person").ok).toBe(false);
    expect(loose.store.size).toBe(2);
  });
});
