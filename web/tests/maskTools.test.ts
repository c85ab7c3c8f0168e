import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

const small = () => new TestEditor({ assetSize: { width: 5, height: 5 }, brushRadius: 1 });

describe("brush and eraser", () => {
  it("G paints a disc stored as column-major COCO RLE", () => {
    const t = small().key("g");
    expect(t.state).toBe("brush.idle");
    t.down(2.5, 2.5);
    expect(t.state).toBe("brush.painting");
    t.up(2.5, 2.5);
    expect(t.state).toBe("brush.idle");
    expect(t.only().class_id).toBe("sky");
    // A plus sign: pixel centres within 1 of (2.5, 2.5).
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [7, 1, 3, 3, 3, 1, 7] } });
  });

  it("X erases from the selected mask; undo and redo restore each stroke", () => {
    const t = small().tool("brush").click(2.5, 2.5).key("x").click(2.5, 1.5);
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [7, 1, 5, 1, 3, 1, 7] } });
    t.undo();
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [7, 1, 3, 3, 3, 1, 7] } });
    t.redo();
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [7, 1, 5, 1, 3, 1, 7] } });
  });

  it("a stroke covers the segment between pointer samples", () => {
    const t = small().tool("brush");
    t.editor.brushRadius = 0.5;
    t.down(0.5, 0.5).move(4.5, 0.5).up(4.5, 0.5);
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [0, 1, 4, 1, 4, 1, 4, 1, 4, 1, 4] } });
  });

  it("brushing again with the mask selected adds to it", () => {
    const t = small().tool("brush").click(2.5, 2.5);
    t.editor.brushRadius = 0.5;
    t.click(0.5, 0.5);
    expect(t.objects()).toHaveLength(1);
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [0, 1, 6, 1, 3, 3, 3, 1, 7] } });
  });

  it("erasing a mask to nothing deletes it; the eraser finds an unselected mask under the pointer", () => {
    const t = small().tool("brush").click(2.5, 2.5);
    t.editor.select([]);
    t.editor.brushRadius = 3;
    t.tool("eraser").click(2.5, 2.5);
    expect(t.objects()).toHaveLength(0);
    t.undo();
    expect(t.objects()).toHaveLength(1);
  });

  it("Esc mid-stroke discards it", () => {
    const t = small().tool("brush").down(2.5, 2.5).move(3, 3).key("Escape");
    expect(t.state).toBe("brush.idle");
    expect(t.objects()).toHaveLength(0);
    expect(t.editor.draft).toBeNull();
  });

  it("[ and ] change the radius by about 20%, at least 1", () => {
    const t = new TestEditor({ brushRadius: 10 }).tool("brush").key("]");
    expect(t.editor.brushRadius).toBe(12);
    t.key("[").key("[");
    expect(t.editor.brushRadius).toBe(8);
    t.editor.brushRadius = 1;
    t.key("[");
    expect(t.editor.brushRadius).toBe(1);
  });

  it("moving a mask with the select tool shifts it by whole pixels", () => {
    const t = small().setViewport(10).tool("brush").click(25, 25).tool("select");
    t.down(25, 25).move(35, 25).up(36, 25);
    expect(t.only().geometry).toEqual({ type: "mask", rle: { size: [5, 5], counts: [12, 1, 3, 3, 3, 1, 2] } });
  });
});
