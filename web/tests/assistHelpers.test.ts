import { describe, expect, it } from "vitest";
import { Editor } from "../src/editor";
import { documentRegionsFromWire, documentRegionsToWire } from "../src/editor/documentRegions";
import { AssistStatus } from "../src/editor/tools/frameCut";
import { addSuggestions, toSuggestion } from "../src/labeling/assist";
import { edge, edgeLabel, percent, savingText, timeBars, toBreakdown } from "../src/pages/AiReport";
import type { Annotation, Ontology } from "../src/schema";

const ONTOLOGY: Ontology = {
  classes: [
    { id: "car", name: "Car", tool: "bbox", color: "#e6194b", hotkey: "1" },
    { id: "line", name: "Line", tool: "document_region", color: "#3cb44b", hotkey: "2", attributes: [{ id: "transcription", name: "Transcription", kind: "text" }] },
  ],
  classifications: [],
  allow_overlapping_spans: false,
} as unknown as Ontology;

const detected = (id: string, x: number) => ({
  id,
  class_id: "car",
  page: 3,
  geometry: { type: "bbox", xyxy: [x, 0, x + 10, 10] },
  attributes: {},
  source: { kind: "model", name: "cars", version: "1" },
  confidence: 0.8,
});

describe("assist suggestions", () => {
  it("document regions are boxes in the editor and go back out as document regions", () => {
    const raw = { id: "ocr-1", class_id: "line", geometry: { type: "document_region", xyxy: [1, 2, 30, 12] }, attributes: { transcription: "Hello" }, source: { kind: "model", name: "rapidocr", version: "1.4" }, confidence: 0.9 };
    const o = toSuggestion(raw, 0);
    expect(o?.geometry).toEqual({ type: "bbox", xyxy: [1, 2, 30, 12] });
    expect(o?.source).toEqual({ kind: "model", name: "rapidocr", version: "1.4" });
    expect(toSuggestion({ ...raw, geometry: { type: "text_span", start: 0, end: 3 } }, 0)).toBeNull();
    const wire = { objects: [{ ...raw, page: 0 }], classifications: {} } as unknown as Annotation;
    const editor = new Editor({ ontology: ONTOLOGY, assetSize: { width: 100, height: 100 }, annotation: wire });
    expect(editor.store.all()[0]?.geometry).toEqual({ type: "bbox", xyxy: [1, 2, 30, 12] });
    expect(editor.toAnnotation().objects[0]?.geometry).toEqual({ type: "document_region", xyxy: [1, 2, 30, 12] });
    // Boxes of ordinary bbox classes are untouched, and ontologies without regions pass through.
    const car = { ...detected("c", 0), page: 0 } as unknown as Annotation["objects"][number];
    expect(documentRegionsToWire([car], ONTOLOGY)).toEqual([car]);
    expect(documentRegionsFromWire(wire, { ...ONTOLOGY, classes: [] })).toBe(wire);
  });

  it("adds suggestions on the shown page as one undo step, never over an object with the same id", () => {
    const editor = new Editor({ ontology: ONTOLOGY, assetSize: { width: 100, height: 100 } });
    expect(addSuggestions(editor, "Auto Detect", [detected("sg-1", 0), detected("sg-2", 20)])).toEqual({ added: 2, skipped: 0 });
    expect(editor.store.all().map((o) => [o.id, o.page, o.source.kind])).toEqual([
      ["sg-1", 0, "model"],
      ["sg-2", 0, "model"],
    ]);
    const first = editor.store.get("sg-1");
    if (!first) throw new Error("sg-1 missing");
    editor.commit("Accept", [{ ...first, source: { kind: "human" }, confidence: null, derived_from: "sg-1" }], []);
    expect(addSuggestions(editor, "Auto Detect", [detected("sg-1", 0), detected("sg-3", 40)])).toEqual({ added: 1, skipped: 1 });
    expect(editor.store.get("sg-1")?.source).toEqual({ kind: "human" });
    editor.undo();
    expect(editor.store.has("sg-3")).toBe(false);
  });
});

describe("assist status", () => {
  it("503 and 401-409 turn a tool off; 400, 422 and network failures only show the message", () => {
    const s = new AssistStatus();
    s.fail("frame_cut", "Frame Cut", { status: 400, message: "box too small" });
    expect(s.blocked("frame_cut")).toBeNull();
    expect(s.message?.text).toBe("Frame Cut: box too small");
    s.fail("frame_cut", "Frame Cut", { status: 0, message: "Cannot reach the server." });
    expect(s.blocked("frame_cut")).toBeNull();
    s.succeeded("frame_cut");
    expect(s.message).toBeNull();
    s.fail("scissors", "Smart Scissors", { status: 409, message: "open it with next-task" });
    expect(s.blocked("scissors")).toContain("next-task");
    s.fail("ocr", "OCR", { status: 503, message: "install rapidocr-onnxruntime" });
    expect(s.blocked("ocr")).toContain("rapidocr");
    expect(s.message?.text).toContain("turned off");
  });
});

describe("AI report numbers", () => {
  it("reads the breakdown, shares and the time saving", () => {
    const b = toBreakdown({ suggestions: 8, unchanged: 6, deleted: 2, unchanged_rate: 0.75 });
    expect(b).toMatchObject({ suggestions: 8, unchanged: 6, location_changed: 0, deleted: 2, unchanged_rate: 0.75 });
    expect(percent(6, 8)).toBe("75 %");
    expect(percent(1, 0)).toBe("—");
    const d = (median: number | null) => ({ tasks: 3, median_seconds: median, p25_seconds: null, p75_seconds: null, histogram: [] });
    expect(savingText(d(60), d(120))).toBe("The median asset with suggestions took 50 % less time (1.0 min saved per asset).");
    expect(savingText(d(130), d(100))).toBe("The median asset with suggestions took 30 % longer.");
    expect(savingText(d(null), d(100))).toBeNull();
    expect([edge(0.44), edge(12.4), edge(725)]).toEqual([0.4, 12, 720]);
    expect([edgeLabel(0.44), edgeLabel(12.4), edgeLabel(210), edgeLabel(725), edgeLabel(7200)]).toEqual(["0.4s", "12s", "3.5m", "12m", "2h"]);
    const bins = Array.from({ length: 10 }, (_, i) => ({ from_seconds: i * 30, to_seconds: (i + 1) * 30, tasks: i }));
    expect(timeBars(bins).map((b) => b.label)).toEqual(["0s", "", "1m", "", "2m", "", "3m", "", "4m", ""]);
    expect(timeBars(bins)[1]?.title).toBe("30s – 1m: 1 task");
  });
});
