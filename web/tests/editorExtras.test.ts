import { describe, expect, it } from "vitest";
import { acceptSuggestion, Clipboard, Editor } from "../src/editor";
import { taskPosition } from "../src/labeling/Workbench";
import type { AnnotationObject } from "../src/schema";
import { TEST_ONTOLOGY } from "./support/ontology";
import { TestEditor } from "./support/testEditor";

const box = (id: string, xyxy: [number, number, number, number], extra: Partial<AnnotationObject> = {}): AnnotationObject => ({
  id, class_id: "car", page: 0, geometry: { type: "bbox", xyxy }, attributes: {}, source: { kind: "human" }, confidence: null, ...extra,
});
const suggestion = (id: string, xyxy: [number, number, number, number]) => box(id, xyxy, { source: { kind: "model", name: "det", version: "1" }, confidence: 0.87 });

describe("model suggestions", () => {
  it("accepting makes a human object that names the suggestion", () => {
    const s = suggestion("s1", [0, 0, 10, 10]);
    expect(acceptSuggestion(s)).toEqual({ ...s, source: { kind: "human" }, confidence: null, derived_from: "s1" });
    const human = box("o1", [0, 0, 5, 5]);
    expect(acceptSuggestion(human)).toBe(human);
  });

  it("dragging a suggestion turns it into a human object in the same undo step", () => {
    const t = new TestEditor({ annotation: { objects: [suggestion("s1", [10, 10, 60, 40])], classifications: {} } });
    t.drag([20, 20], [30, 25]);
    const o = t.editor.getObject("s1");
    expect(o?.geometry).toEqual({ type: "bbox", xyxy: [20, 15, 70, 45] });
    expect([o?.source.kind, o?.confidence, o?.derived_from]).toEqual(["human", null, "s1"]);
    t.undo();
    expect(t.editor.getObject("s1")?.source.kind).toBe("model");
  });
});

describe("object order", () => {
  it("brings forward and sends backward among the page's objects, undoably", () => {
    const t = new TestEditor({ annotation: { objects: [box("a", [0, 0, 9, 9]), box("b", [0, 0, 9, 9]), box("c", [0, 0, 9, 9], { page: 1 }), box("d", [0, 0, 9, 9])], classifications: {} } });
    t.editor.reorder("a", 1);
    expect(t.editor.store.ids()).toEqual(["b", "a", "c", "d"]);
    t.editor.reorder("a", 1);
    expect(t.editor.store.ids()).toEqual(["b", "c", "d", "a"]);
    t.editor.reorder("a", 5);
    expect(t.editor.document.history.undoLabels).toEqual(["Bring forward", "Bring forward"]);
    t.undo().undo();
    expect(t.editor.store.ids()).toEqual(["a", "b", "c", "d"]);
    expect(t.editor.hitTestObject({ x: 5, y: 5 })?.id).toBe("d");
  });
});

describe("pages and clipboard", () => {
  it("setPage clamps, clears the selection and shows that page's objects", () => {
    const t = new TestEditor({ annotation: { objects: [box("a", [0, 0, 9, 9]), box("b", [0, 0, 9, 9], { page: 2 })], classifications: {} } });
    t.editor.select(["a"]);
    t.editor.setPage(7, 3);
    expect([t.editor.page, t.editor.selectedIds, t.editor.objects().map((o) => o.id)]).toEqual([2, [], ["b"]]);
  });

  it("a shared clipboard pastes objects copied in another task's editor", () => {
    const clipboard = new Clipboard();
    const first = new Editor({ ontology: TEST_ONTOLOGY, assetSize: { width: 100, height: 100 }, clipboard, annotation: { objects: [box("o1", [10, 10, 20, 20])], classifications: {} } });
    first.select(["o1"]);
    first.copy();
    const second = new Editor({ ontology: TEST_ONTOLOGY, assetSize: { width: 100, height: 100 }, clipboard });
    second.paste();
    expect(second.objects().map((o) => o.geometry)).toEqual([{ type: "bbox", xyxy: [20, 20, 30, 30] }]);
  });
});

describe("task position", () => {
  it("counts this task after the finished ones", () => {
    expect(taskPosition({ queued: 3390, in_progress: 1, submitted: 8, accepted: 3 })).toBe("12 of 3,402");
    expect(taskPosition({})).toBe("0 of 0");
  });
});

describe("geometry readout", () => {
  it("says the exact numbers a labeler checks", async () => {
    const { geometryText } = await import("../src/labeling/geometryText");
    expect(geometryText({ type: "rotated_bbox", cxcywha: [150, 40, 60, 40, 30] })).toBe("centre 150, 40 · 60 × 40 · angle 30.0°");
    expect(geometryText({ type: "bbox", xyxy: [20, 20, 80, 60] })).toBe("20, 20 → 80, 60 · 60 × 40");
    expect(geometryText({ type: "mask", rle: { size: [2, 3], counts: [1, 4, 1] } })).toBe("4 px");
    expect(geometryText({ type: "keypoints", points: [[1, 1, 2], [0, 0, 0]] })).toBe("1 of 2 points placed");
  });
});
