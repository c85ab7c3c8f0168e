import { describe, expect, it } from "vitest";
import { TestEditor } from "./support/testEditor";

const create = () => new TestEditor().tool("rotated_bbox").drag([100, 100], [200, 160]);

describe("rotated bbox tool", () => {
  it("R draws an upright box as centre, size and angle 0", () => {
    const t = new TestEditor().key("r");
    expect(t.state).toBe("rotated_bbox.idle");
    t.drag([100, 100], [200, 160]);
    expect(t.state).toBe("rotated_bbox.idle");
    expect(t.only().geometry).toEqual({ type: "rotated_bbox", cxcywha: [150, 130, 100, 60, 0] });
    expect(t.only().class_id).toBe("ship");
  });

  it("rotates with the handle 24 screen px above the top edge and exposes the exact angle", () => {
    const t = create();
    t.down(150, 76);
    expect(t.state).toBe("rotated_bbox.dragging_handle");
    t.move(250, 130);
    expect(t.editor.hud).toEqual({ angleDegrees: 90 });
    t.move(250, 230);
    expect(t.editor.hud).toEqual({ angleDegrees: 135 });
    t.up(250, 230);
    expect(t.editor.hud).toBeNull();
    expect(t.only().geometry).toEqual({ type: "rotated_bbox", cxcywha: [150, 130, 100, 60, 135] });
    t.undo();
    expect(t.only().geometry).toEqual({ type: "rotated_bbox", cxcywha: [150, 130, 100, 60, 0] });
  });

  it("snaps the angle to 15 degrees with Shift", () => {
    const t = create();
    t.down(150, 76).move(250, 120, { shiftKey: true }).up(250, 120, { shiftKey: true });
    expect(t.only().geometry).toEqual({ type: "rotated_bbox", cxcywha: [150, 130, 100, 60, 90] });
  });

  it("resizes along the rotated width, keeping the opposite edge fixed", () => {
    const t = create();
    t.down(150, 76).up(250, 130); // now at 90 degrees: the "e" edge handle sits at (150, 180)
    t.down(150, 180).move(150, 190).up(150, 200);
    expect(t.only().geometry).toEqual({ type: "rotated_bbox", cxcywha: [150, 140, 120, 60, 90] });
  });

  it("moves with the select tool", () => {
    const t = create().tool("select");
    t.drag([150, 130], [160, 150]);
    expect(t.only().geometry).toEqual({ type: "rotated_bbox", cxcywha: [160, 150, 100, 60, 0] });
  });
});
