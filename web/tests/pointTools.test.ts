import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

describe("point tool", () => {
  it("K (point class) places a point per click and drags it", () => {
    const t = new TestEditor().key("k");
    expect(t.state).toBe("point.idle");
    t.click(5, 6);
    expect(t.only().geometry).toEqual({ type: "point", xy: [5, 6] });
    t.down(6, 6).move(20, 20).up(30, 40);
    expect(t.only().geometry).toEqual({ type: "point", xy: [30, 40] });
    t.undo();
    expect(t.only().geometry).toEqual({ type: "point", xy: [5, 6] });
  });
});

describe("keypoints tool", () => {
  it("K again, or the class hotkey, picks keypoints; clicks place the skeleton's points in order", () => {
    const t = new TestEditor().key("k").key("k");
    expect(t.state).toBe("keypoints.idle");
    t.click(10, 10);
    expect(t.state).toBe("keypoints.placing");
    expect(t.editor.hud).toEqual({ nextKeypoint: "left_hand" });
    t.click(20, 20, { shiftKey: true });
    expect(t.editor.hud).toEqual({ nextKeypoint: "right_hand" });
    t.click(30, 30);
    expect(t.state).toBe("keypoints.idle");
    expect(t.only().class_id).toBe("person");
    expect(t.only().geometry).toEqual({ type: "keypoints", points: [[10, 10, 2], [20, 20, 1], [30, 30, 2]] });
  });

  it("Tab marks a point absent; Enter finishes with the rest absent", () => {
    const t = new TestEditor().key("6");
    expect(t.state).toBe("keypoints.idle");
    t.click(10, 10).key("Tab").click(30, 30);
    expect(t.only().geometry).toEqual({ type: "keypoints", points: [[10, 10, 2], [0, 0, 0], [30, 30, 2]] });
    t.editor.select([]);
    t.click(50, 50).key("Enter");
    expect(t.geometries()[1]).toEqual({ type: "keypoints", points: [[50, 50, 2], [0, 0, 0], [0, 0, 0]] });
  });

  it("Backspace steps back; Esc abandons", () => {
    const t = new TestEditor().tool("keypoints").click(10, 10).click(20, 20).key("Backspace");
    expect(t.editor.draft).toEqual({ kind: "geometry", classId: "person", geometry: { type: "keypoints", points: [[10, 10, 2]] } });
    t.key("Escape");
    expect(t.state).toBe("keypoints.idle");
    expect(t.objects()).toHaveLength(0);
    expect(t.editor.draft).toBeNull();
  });

  it("drags one keypoint of the selected skeleton", () => {
    const t = new TestEditor().tool("keypoints").click(10, 10).click(20, 20).click(30, 30);
    t.down(20, 20).move(22, 22).up(25, 28);
    expect(t.only().geometry).toEqual({ type: "keypoints", points: [[10, 10, 2], [25, 28, 2], [30, 30, 2]] });
  });
});

describe("cuboid tool", () => {
  it("C draws the front face, then offsets the back face and commits on click", () => {
    const t = new TestEditor().key("c").down(10, 10).move(60, 40).up(110, 60);
    expect(t.state).toBe("cuboid.offsetting_back");
    t.move(130, 40);
    expect(t.objects()).toHaveLength(0);
    t.click(130, 40);
    expect(t.state).toBe("cuboid.idle");
    expect(t.only().geometry).toEqual({
      type: "cuboid",
      front_xy: [[10, 10], [110, 10], [110, 60], [10, 60]],
      back_xy: [[30, -10], [130, -10], [130, 40], [30, 40]],
    });
  });

  it("Esc while offsetting abandons; a back handle changes the depth", () => {
    const t = new TestEditor().tool("cuboid").drag([10, 10], [110, 60]).key("Escape");
    expect(t.state).toBe("cuboid.idle");
    expect(t.objects()).toHaveLength(0);
    t.drag([10, 10], [110, 60]).move(120, 50).click(120, 50);
    t.down(20, 0).move(25, 5).up(30, 10);
    expect(t.only().geometry).toEqual({
      type: "cuboid",
      front_xy: [[10, 10], [110, 10], [110, 60], [10, 60]],
      back_xy: [[30, 10], [130, 10], [130, 60], [30, 60]],
    });
  });

  it("a front corner resizes the front face and carries the back face", () => {
    const t = new TestEditor().tool("cuboid").drag([10, 10], [110, 60]).move(120, 50).click(120, 50);
    t.down(110, 60).up(150, 80);
    expect(t.only().geometry).toEqual({
      type: "cuboid",
      front_xy: [[10, 10], [150, 10], [150, 80], [10, 80]],
      back_xy: [[20, 0], [160, 0], [160, 70], [20, 70]],
    });
  });
});
