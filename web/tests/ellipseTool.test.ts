import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

describe("ellipse tool", () => {
  it("E draws the ellipse inscribed in the dragged box", () => {
    const t = new TestEditor().key("e").drag([100, 100], [200, 160]);
    expect(t.state).toBe("ellipse.idle");
    expect(t.only().geometry).toEqual({ type: "ellipse", cxcyrxrya: [150, 130, 50, 30, 0] });
  });

  it("Shift draws a circle", () => {
    const t = new TestEditor().tool("ellipse").drag([100, 100], [200, 160], { shiftKey: true });
    expect(t.only().geometry).toEqual({ type: "ellipse", cxcyrxrya: [150, 150, 50, 50, 0] });
  });

  it("changes a radius with an axis handle and rotates with the rotate handle", () => {
    const t = new TestEditor().tool("ellipse").drag([100, 100], [200, 160]);
    t.down(200, 130).move(210, 130).up(220, 130);
    expect(t.only().geometry).toEqual({ type: "ellipse", cxcyrxrya: [150, 130, 70, 30, 0] });
    t.down(150, 76).move(200, 130).up(250, 130);
    expect(t.only().geometry).toEqual({ type: "ellipse", cxcyrxrya: [150, 130, 70, 30, 90] });
    expect(t.editor.document.history.undoLabels).toEqual(["Create ellipse", "Resize", "Rotate"]);
  });

  it("hit tests inside the rotated ellipse only", () => {
    const t = new TestEditor().tool("ellipse").drag([100, 100], [200, 160]).tool("select");
    t.editor.select([]);
    t.click(195, 130);
    expect(t.editor.selectedIds).toEqual(["o1"]);
    t.click(195, 155); // inside the bounding box, outside the ellipse
    expect(t.editor.selectedIds).toEqual([]);
  });
});
