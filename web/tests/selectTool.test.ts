import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

function withTwoBoxes(): TestEditor {
  const t = new TestEditor().tool("bbox").drag([10, 10], [60, 40]).drag([100, 100], [200, 150]).tool("select");
  t.editor.select([]);
  return t;
}

describe("select tool", () => {
  it("V switches to select; a click selects the object under the pointer", () => {
    const t = withTwoBoxes();
    t.key("b").key("v");
    expect(t.state).toBe("select.idle");
    t.click(150, 120);
    expect(t.editor.selectedIds).toEqual(["o2"]);
    t.click(500, 500);
    expect(t.editor.selectedIds).toEqual([]);
  });

  it("Shift+click adds to and removes from the selection", () => {
    const t = withTwoBoxes();
    t.click(20, 20).click(150, 120, { shiftKey: true });
    expect(t.editor.selectedIds).toEqual(["o1", "o2"]);
    t.click(20, 20, { shiftKey: true });
    expect(t.editor.selectedIds).toEqual(["o2"]);
  });

  it("moves the selection by dragging, as one undo step", () => {
    const t = withTwoBoxes();
    t.down(20, 20);
    expect(t.state).toBe("select.pointing_shape");
    t.move(30, 25);
    expect(t.state).toBe("select.translating");
    t.move(40, 30).up(45, 35);
    expect(t.state).toBe("select.idle");
    expect(t.editor.getObject("o1")?.geometry).toEqual({ type: "bbox", xyxy: [35, 25, 85, 55] });
    t.undo();
    expect(t.editor.getObject("o1")?.geometry).toEqual({ type: "bbox", xyxy: [10, 10, 60, 40] });
    expect(t.editor.document.history.undoLabels).toEqual(["Create box", "Create box"]);
  });

  it("moves at zoom 2 in asset pixels, and Esc mid-move restores", () => {
    const t = withTwoBoxes().setViewport(2, 0, 0);
    t.down(40, 40).move(60, 80).move(80, 120);
    expect(t.editor.getObject("o1")?.geometry).toEqual({ type: "bbox", xyxy: [30, 50, 80, 80] });
    t.key("Escape");
    expect(t.state).toBe("select.idle");
    expect(t.editor.getObject("o1")?.geometry).toEqual({ type: "bbox", xyxy: [10, 10, 60, 40] });
    expect(t.editor.document.history.undoLabels).toHaveLength(2);
  });

  it("resizes with an edge handle", () => {
    const t = withTwoBoxes();
    t.click(150, 120);
    t.down(200, 125).move(230, 125).up(250, 130);
    expect(t.editor.getObject("o2")?.geometry).toEqual({ type: "bbox", xyxy: [100, 100, 250, 150] });
  });

  it("nudges with arrow keys (Shift: 10) and deletes with Del", () => {
    const t = withTwoBoxes();
    t.click(20, 20).key("ArrowRight").key("ArrowDown", { shiftKey: true });
    expect(t.editor.getObject("o1")?.geometry).toEqual({ type: "bbox", xyxy: [11, 20, 61, 50] });
    t.key("Delete");
    expect(t.objects().map((o) => o.id)).toEqual(["o2"]);
    expect(t.editor.selectedIds).toEqual([]);
    t.undo();
    expect(t.objects().map((o) => o.id)).toEqual(["o1", "o2"]);
    expect(t.editor.selectedIds).toEqual(["o1"]);
  });

  it("undo of a delete restores the z-order", () => {
    const t = withTwoBoxes();
    t.click(20, 20).key("Delete").undo();
    expect(t.editor.store.ids()).toEqual(["o1", "o2"]);
  });

  it("copies and pastes with new ids, offset and selected", () => {
    const t = withTwoBoxes();
    t.click(20, 20).key("c", { ctrlKey: true }).key("v", { ctrlKey: true }).key("v", { ctrlKey: true });
    expect(t.objects().map((o) => o.id)).toEqual(["o1", "o2", "o3", "o4"]);
    expect(t.editor.getObject("o3")?.geometry).toEqual({ type: "bbox", xyxy: [20, 20, 70, 50] });
    expect(t.editor.getObject("o4")?.geometry).toEqual({ type: "bbox", xyxy: [30, 30, 80, 60] });
    expect(t.editor.selectedIds).toEqual(["o4"]);
    t.undo();
    expect(t.objects()).toHaveLength(3);
  });

  it("skips hidden and locked objects when hit testing", () => {
    const t = withTwoBoxes();
    t.editor.locked.add("o1");
    t.click(20, 20);
    expect(t.editor.selectedIds).toEqual([]);
    t.editor.locked.clear();
    t.editor.hidden.add("o1");
    t.click(20, 20);
    expect(t.editor.selectedIds).toEqual([]);
  });

  it("N and Shift+N cycle through objects; Esc clears the selection", () => {
    const t = withTwoBoxes();
    t.key("n");
    expect(t.editor.selectedIds).toEqual(["o1"]);
    t.key("n");
    expect(t.editor.selectedIds).toEqual(["o2"]);
    t.key("N", { shiftKey: true });
    expect(t.editor.selectedIds).toEqual(["o1"]);
    t.key("Escape");
    expect(t.editor.selectedIds).toEqual([]);
  });

  it("undo restores attribute edits and classifications", () => {
    const t = withTwoBoxes();
    t.editor.updateAttributes("o1", "color", "red");
    t.editor.setClassification("weather", "sunny");
    expect(t.editor.toAnnotation().classifications).toEqual({ weather: "sunny" });
    t.undo();
    expect(t.editor.toAnnotation().classifications).toEqual({});
    t.undo();
    expect(t.editor.getObject("o1")?.attributes).toEqual({});
    t.redo();
    expect(t.editor.getObject("o1")?.attributes).toEqual({ color: "red" });
  });
});
