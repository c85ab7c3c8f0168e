import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

describe("bbox tool", () => {
  it("creates a box in asset coordinates at zoom 2, pan (10, 10)", () => {
    const t = new TestEditor().setViewport(2, 10, 10).tool("bbox");
    expect(t.state).toBe("bbox.idle");
    t.down(50, 50);
    expect(t.state).toBe("bbox.drawing");
    t.move(100, 90).up(150, 120);
    expect(t.state).toBe("bbox.idle");
    expect(t.only().geometry).toEqual({ type: "bbox", xyxy: [20, 20, 70, 55] });
    expect(t.only().class_id).toBe("car");
    expect(t.only().source).toEqual({ kind: "human" });
    expect(t.editor.selectedIds).toEqual([t.only().id]);
  });

  it("normalises a box dragged up and to the left", () => {
    const t = new TestEditor().tool("bbox").drag([300, 200], [100, 50]);
    expect(t.only().geometry).toEqual({ type: "bbox", xyxy: [100, 50, 300, 200] });
  });

  it("makes a square with Shift", () => {
    const t = new TestEditor().tool("bbox").drag([10, 10], [50, 30], { shiftKey: true });
    expect(t.only().geometry).toEqual({ type: "bbox", xyxy: [10, 10, 50, 50] });
  });

  it("shows a draft while drawing and cancels with Esc", () => {
    const t = new TestEditor().tool("bbox").down(10, 10).move(60, 40);
    expect(t.editor.draft).toEqual({ kind: "geometry", classId: "car", geometry: { type: "bbox", xyxy: [10, 10, 60, 40] } });
    t.key("Escape");
    expect(t.state).toBe("bbox.idle");
    expect(t.editor.draft).toBeNull();
    t.up(60, 40);
    expect(t.objects()).toHaveLength(0);
  });

  it("ignores a click without a drag", () => {
    const t = new TestEditor().tool("bbox").click(10, 10);
    expect(t.objects()).toHaveLength(0);
    expect(t.state).toBe("bbox.idle");
  });

  it("undoes and redoes creation", () => {
    const t = new TestEditor().tool("bbox").drag([10, 10], [60, 40]).drag([100, 100], [200, 150]);
    expect(t.objects().map((o) => o.id)).toEqual(["o1", "o2"]);
    t.undo();
    expect(t.objects().map((o) => o.id)).toEqual(["o1"]);
    t.undo();
    expect(t.objects()).toHaveLength(0);
    t.redo().redo();
    expect(t.geometries()).toEqual([
      { type: "bbox", xyxy: [10, 10, 60, 40] },
      { type: "bbox", xyxy: [100, 100, 200, 150] },
    ]);
    expect(t.editor.selectedIds).toEqual(["o2"]);
  });

  it("resizes the selected box by its corner handle from the box tool", () => {
    const t = new TestEditor().tool("bbox").drag([10, 10], [60, 40]);
    t.down(60, 40);
    expect(t.state).toBe("bbox.dragging_handle");
    t.move(70, 45).up(80, 50);
    expect(t.state).toBe("bbox.idle");
    expect(t.only().geometry).toEqual({ type: "bbox", xyxy: [10, 10, 80, 50] });
    t.undo();
    expect(t.only().geometry).toEqual({ type: "bbox", xyxy: [10, 10, 60, 40] });
  });
});
