import { describe, expect, it } from "vitest";
import type { Box, TextLayer } from "../src/editor/tools/textSpan";
import { attachTextLayers, caretAt, nearestWord, rangeText, selectionBetween, spanObjectText, spanRuns, textSpanContext } from "../src/editor/tools/textSpan";
import type { Ontology, OntologyClass } from "../src/schema";
import { TestEditor } from "./support/testEditor";

/**
 * A fake page: each line's characters 6 pt wide and 12 pt tall from x = 10, lines 20 pt apart
 * starting at y = 10; PDFium-style "\r\n" between lines with no boxes.
 */
function fakeLayer(lines: string[], page = 0): TextLayer {
  let text = "";
  const chars: (Box | null)[] = [];
  lines.forEach((line, row) => {
    if (row > 0) {
      text += "\r\n";
      chars.push(null, null);
    }
    const y = 10 + 20 * row;
    Array.from(line).forEach((ch, col) => {
      text += ch;
      chars.push([10 + 6 * col, y, 16 + 6 * col, y + 12]);
    });
  });
  const cp = Array.from(text);
  const words: TextLayer["words"] = [];
  for (let i = 0; i < cp.length; ) {
    if (/\s/u.test(cp[i] as string)) {
      i++;
      continue;
    }
    let j = i;
    while (j < cp.length && !/\s/u.test(cp[j] as string)) j++;
    const boxes = chars.slice(i, j).filter((b): b is Box => b !== null);
    const xyxy: Box = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    words.push({ text: cp.slice(i, j).join(""), start: i, end: j, xyxy });
    i = j;
  }
  return { page, width: 400, height: 300, text, chars, words };
}

const LAYER = fakeLayer(["Invoice number 12345", "Total due 99.00"]);
// "Invoice number 12345": Invoice 0-7, number 8-14, 12345 15-20; then \r\n (20, 21), Total 22-27, due 28-31, 99.00 32-37
const x = (col: number) => 10 + 6 * col + 3; // centre of column `col`
const LINE1 = 16;
const LINE2 = 36;
const text = (r: { start: number; end: number } | null) => (r ? rangeText(LAYER, r.start, r.end) : null);

describe("text layer hit-testing and snapping", () => {
  it("finds the word under or nearest to a point, preferring the same line", () => {
    expect(LAYER.words[nearestWord(LAYER, { x: x(9), y: LINE1 })]?.text).toBe("number");
    expect(LAYER.words[nearestWord(LAYER, { x: 300, y: LINE1 + 4 })]?.text).toBe("12345"); // right of the line's end
    expect(LAYER.words[nearestWord(LAYER, { x: x(1), y: LINE2 })]?.text).toBe("Total");
    expect(nearestWord(LAYER, { x: 300, y: 200 }, 20)).toBe(-1); // nothing within 20 pt
  });

  it("puts the caret before the character whose centre is right of the point", () => {
    expect(caretAt(LAYER, { x: 10 + 6 * 8 + 1, y: LINE1 })).toBe(8); // left half of "n"
    expect(caretAt(LAYER, { x: 10 + 6 * 8 + 5, y: LINE1 })).toBe(9); // right half of "n"
    expect(caretAt(LAYER, { x: 300, y: LINE1 })).toBe(20); // after "12345"
  });

  it("snaps a drag to whole words, either direction", () => {
    expect(text(selectionBetween(LAYER, { x: x(10), y: LINE1 }, { x: x(17), y: LINE1 }))).toBe("number 12345");
    expect(text(selectionBetween(LAYER, { x: x(17), y: LINE1 }, { x: x(10), y: LINE1 }))).toBe("number 12345");
    expect(selectionBetween(LAYER, { x: x(10), y: LINE1 }, { x: x(17), y: LINE1 })).toEqual({ start: 8, end: 20 });
    expect(text(selectionBetween(LAYER, { x: x(16), y: LINE1 }, { x: x(2), y: LINE2 }))).toBe("12345\r\nTotal");
  });

  it("selects exact characters with Alt, trimmed of white space", () => {
    expect(text(selectionBetween(LAYER, { x: 10 + 6 * 10, y: LINE1 }, { x: 10 + 6 * 17, y: LINE1 }, true))).toBe("mber 12");
    expect(text(selectionBetween(LAYER, { x: 10 + 6 * 14 + 1, y: LINE1 }, { x: 10 + 6 * 15 + 1, y: LINE1 }, true))).toBeNull(); // the space only
  });

  it("merges a span's character boxes into one rectangle per line, without surrounding space", () => {
    expect(spanRuns(LAYER, 8, 20)).toEqual([[10 + 6 * 8, 10, 10 + 6 * 20, 22]]);
    expect(spanRuns(LAYER, 14, 27)).toEqual([
      [10 + 6 * 15, 10, 10 + 6 * 20, 22],
      [10, 30, 10 + 6 * 5, 42],
    ]);
    expect(spanRuns(LAYER, 20, 22)).toEqual([]); // the line break has no boxes
  });

  it("starts a new run at a jump into another column", () => {
    const layer = fakeLayer(["a                                  b"]);
    expect(spanRuns(layer, 0, layer.chars.length)).toHaveLength(2);
  });

  it("counts offsets in code points (an emoji is one)", () => {
    const layer = fakeLayer(["🙂 Bob"]);
    expect(layer.words.map((w) => [w.text, w.start, w.end])).toEqual([["🙂", 0, 1], ["Bob", 2, 5]]);
    expect(rangeText(layer, 2, 5)).toBe("Bob");
    const r = selectionBetween(layer, { x: x(2), y: LINE1 }, { x: x(3), y: LINE1 });
    expect(r && rangeText(layer, r.start, r.end)).toBe("Bob");
  });
});

const cls = (id: string, tool: OntologyClass["tool"], color: string, hotkey?: string) => ({ id, name: id, tool, color, hotkey }) as OntologyClass;
const ONTOLOGY: Ontology = {
  classes: [cls("field", "document_region", "#e69f00", "1"), cls("num", "text_span", "#0072b2", "2"), cls("date", "text_span", "#009e73", "3")],
  classifications: [],
  allow_overlapping_spans: false,
};

/** An editor on a 400 x 300 pt page at zoom 2, pan 0, with the fake layer on pages 0 and 1. */
function pdfEditor(): TestEditor {
  const t = new TestEditor({ ontology: ONTOLOGY, assetSize: { width: 400, height: 300 } }).setViewport(2);
  const layers = [LAYER, fakeLayer(["Second page"], 1)];
  attachTextLayers(t.editor, { get: (page) => layers[page] });
  return t;
}
const s = (v: number) => 2 * v; // page points -> screen at zoom 2

describe("text span tool", () => {
  it("is offered only with text layers (PDFs with a text_span class)", () => {
    expect(new TestEditor({ ontology: ONTOLOGY }).editor.availableTools().map((t) => t.id)).not.toContain("text_span");
    expect(pdfEditor().editor.availableTools().map((t) => t.id)).toEqual(["select", "bbox", "text_span"]);
  });

  it("adds a span of the active class over whole words, on the current page, one undo step", () => {
    const t = pdfEditor().tool("text_span");
    t.editor.setActiveClass("num");
    t.down(s(x(10)), s(LINE1)).move(s(x(13)), s(LINE1));
    expect(textSpanContext(t.editor)?.preview).toEqual({ start: 8, end: 14, page: 0, classId: "num" });
    t.move(s(x(17)), s(LINE1)).up(s(x(17)), s(LINE1));
    expect(textSpanContext(t.editor)?.preview).toBeNull();
    const o = t.only();
    expect([o.class_id, o.page, o.geometry]).toEqual(["num", 0, { type: "text_span", start: 8, end: 20 }]);
    expect(spanObjectText(t.editor, o)).toBe("number 12345");
    expect(t.editor.selectedIds).toEqual([o.id]);
    t.undo();
    expect(t.objects()).toHaveLength(0);
    t.redo();
    expect(t.objects()).toHaveLength(1);
  });

  it("selects exact characters with Alt", () => {
    const t = pdfEditor().tool("text_span");
    t.drag([s(10 + 6 * 10), s(LINE1)], [s(10 + 6 * 17), s(LINE1)], { altKey: true });
    expect(t.only().geometry).toEqual({ type: "text_span", start: 10, end: 17 });
  });

  it("click selects a span, a click elsewhere deselects, Delete removes", () => {
    const t = pdfEditor().tool("text_span");
    t.drag([s(x(1)), s(LINE2)], [s(x(3)), s(LINE2)]);
    const id = t.only().id;
    t.click(s(300), s(200));
    expect(t.editor.selectedIds).toEqual([]);
    t.click(s(x(2)), s(LINE2));
    expect(t.editor.selectedIds).toEqual([id]);
    expect(t.objects()).toHaveLength(1); // a click adds nothing
    t.key("Delete");
    expect(t.objects()).toHaveLength(0);
  });

  it("refuses an overlapping span when the ontology forbids overlaps, with the reason", () => {
    const t = pdfEditor().tool("text_span");
    t.drag([s(x(10)), s(LINE1)], [s(x(17)), s(LINE1)]);
    t.drag([s(x(16)), s(LINE1)], [s(x(18)), s(LINE1)]);
    expect(t.objects()).toHaveLength(1);
    expect(textSpanContext(t.editor)?.message).toMatch(/may not overlap.*number 12345/);
  });

  it("spans on the second page index that page's text", () => {
    const t = pdfEditor().tool("text_span");
    t.editor.setPage(1, 2);
    t.drag([s(x(8)), s(LINE1)], [s(x(9)), s(LINE1)]);
    const o = t.only();
    expect([o.page, o.geometry]).toEqual([1, { type: "text_span", start: 7, end: 11 }]);
    expect(spanObjectText(t.editor, o)).toBe("page");
  });

  it("leaves a span alone when the select tool's arrow keys move the selection", () => {
    const t = pdfEditor().tool("text_span");
    t.drag([s(x(1)), s(LINE2)], [s(x(3)), s(LINE2)]);
    t.tool("select").key("ArrowRight");
    expect(t.only().geometry).toEqual({ type: "text_span", start: 22, end: 27 });
  });

  it("does not copy spans (pasted they would cover the same offsets)", () => {
    const t = pdfEditor().tool("text_span");
    t.drag([s(x(1)), s(LINE2)], [s(x(3)), s(LINE2)]);
    t.key("c", { ctrlKey: true }).key("v", { ctrlKey: true });
    expect(t.objects()).toHaveLength(1);
  });
});
