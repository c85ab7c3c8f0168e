import { describe, expect, it } from "vitest";
import { cullObjects } from "../src/viewers/image/culling";
import { confidenceLabel, styleFor } from "../src/viewers/image/style";
import { TestEditor } from "./support/testEditor";

describe("viewer culling and styles (DOM-free parts of the image viewer)", () => {
  it("draws only objects near the visible rectangle, on the current page, not hidden", () => {
    const t = new TestEditor().tool("bbox");
    t.drag([10, 10], [50, 50]).drag([700, 500], [790, 590]);
    t.editor.setViewSize({ width: 200, height: 200 });
    t.setViewport(1, 0, 0);
    expect(cullObjects(t.editor, 0).map((o) => o.id)).toEqual(["o1"]);
    t.setViewport(2, -1400, -1000); // shows asset (700, 500) to (800, 600)
    expect(cullObjects(t.editor, 0).map((o) => o.id)).toEqual(["o2"]);
    t.editor.hidden.add("o2");
    expect(cullObjects(t.editor, 0)).toEqual([]);
    t.editor.hidden.clear();
    t.editor.page = 1;
    expect(cullObjects(t.editor, 0)).toEqual([]);
  });

  it("model suggestions are dashed and show their confidence", () => {
    const t = new TestEditor();
    const o = { id: "m", class_id: "car", page: 0, geometry: { type: "point" as const, xy: [0, 0] as [number, number] }, attributes: {}, source: { kind: "model" as const, name: "yolo", version: "1" }, confidence: 0.874 };
    expect(styleFor(t.editor.ontology, o, false, false)).toEqual({ color: "#e6194b", fillOpacity: 0.14, strokeWidth: 1.5, dash: [6, 4] });
    expect(confidenceLabel(o)).toBe("87%");
    expect(confidenceLabel({ ...o, source: { kind: "human" }, confidence: null })).toBe("");
  });
});
