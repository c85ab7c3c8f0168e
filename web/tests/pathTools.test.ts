import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

const triangle = () => new TestEditor().tool("polygon").click(10, 10).click(100, 10).click(100, 100).click(12, 11);

describe("polygon tool", () => {
  it("P places vertices and closes on the first vertex", () => {
    const t = new TestEditor().key("p").click(10, 10);
    expect(t.state).toBe("polygon.drawing");
    t.click(100, 10).move(90, 90);
    expect(t.editor.draft).toEqual({ kind: "geometry", classId: "road", geometry: { type: "polygon", points_xy: [[10, 10], [100, 10], [90, 90]] } });
    t.click(100, 100).click(12, 11);
    expect(t.state).toBe("polygon.idle");
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[10, 10], [100, 10], [100, 100]] });
    expect(t.editor.draft).toBeNull();
  });

  it("closes with Enter; Backspace removes the last vertex; Enter with 2 vertices does nothing", () => {
    const t = new TestEditor().tool("polygon").click(0, 0).click(50, 0).click(70, 70).key("Backspace");
    t.key("Enter");
    expect(t.state).toBe("polygon.drawing");
    t.click(50, 50).click(0, 50).key("Enter");
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[0, 0], [50, 0], [50, 50], [0, 50]] });
  });

  it("Esc mid-draw abandons the polygon", () => {
    const t = new TestEditor().tool("polygon").click(0, 0).click(50, 0).key("Escape");
    expect(t.state).toBe("polygon.idle");
    expect(t.objects()).toHaveLength(0);
    expect(t.editor.draft).toBeNull();
  });

  it("drags a vertex of the selected polygon as one undo step", () => {
    const t = triangle();
    t.down(100, 100);
    expect(t.state).toBe("polygon.dragging_handle");
    t.move(110, 105).up(120, 110);
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[10, 10], [100, 10], [120, 110]] });
    expect(t.editor.selectedVertex).toEqual({ objectId: "o1", index: 2 });
    t.undo();
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[10, 10], [100, 10], [100, 100]] });
  });

  it("inserts a vertex where an edge is pressed, dragging it; undo removes it in one step", () => {
    const t = triangle();
    t.down(55, 12).move(55, 5).up(55, 0);
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[10, 10], [55, 0], [100, 10], [100, 100]] });
    t.undo();
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[10, 10], [100, 10], [100, 100]] });
  });

  it("Alt+click deletes a vertex, but not below 3", () => {
    const t = new TestEditor().tool("polygon").click(0, 0).click(100, 0).click(100, 100).click(0, 100).key("Enter");
    t.click(100, 0, { altKey: true });
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[0, 0], [100, 100], [0, 100]] });
    t.click(0, 0, { altKey: true });
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[0, 0], [100, 100], [0, 100]] });
  });

  it("Del deletes the selected vertex, then the object", () => {
    const t = new TestEditor().tool("polygon").click(0, 0).click(100, 0).click(100, 100).click(0, 100).key("Enter");
    t.click(100, 100).key("Delete");
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[0, 0], [100, 0], [0, 100]] });
    t.key("Delete");
    expect(t.objects()).toHaveLength(0);
    t.undo().undo();
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[0, 0], [100, 0], [100, 100], [0, 100]] });
  });
});

describe("polyline tool", () => {
  it("L places vertices and finishes on double-click", () => {
    const t = new TestEditor().key("l").click(10, 10).click(50, 50).doubleClick(90, 20);
    expect(t.state).toBe("polyline.idle");
    expect(t.only().geometry).toEqual({ type: "polyline", points_xy: [[10, 10], [50, 50], [90, 20]] });
    expect(t.only().class_id).toBe("lane");
  });

  it("finishes on Enter and does not close on the first vertex", () => {
    const t = new TestEditor().tool("polyline").click(0, 0).click(100, 0).click(100, 100).click(1, 1);
    expect(t.state).toBe("polyline.drawing");
    t.click(0, 50).key("Enter");
    expect(t.only().geometry).toEqual({ type: "polyline", points_xy: [[0, 0], [100, 0], [100, 100], [1, 1], [0, 50]] });
  });

  it("inserts a vertex on an edge and keeps at least 2 vertices", () => {
    const t = new TestEditor().tool("polyline").click(0, 0).click(100, 0).key("Enter");
    t.click(40, 2);
    expect(t.only().geometry).toEqual({ type: "polyline", points_xy: [[0, 0], [40, 2], [100, 0]] });
    t.click(40, 2, { altKey: true }).click(0, 0, { altKey: true });
    expect(t.only().geometry).toEqual({ type: "polyline", points_xy: [[0, 0], [100, 0]] });
  });
});
