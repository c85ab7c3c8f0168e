import { describe, expect, it } from "vitest";
import { SpatialIndex, boundsOfGeometry, hitTestGeometry } from "../src/geometry";
import type { AnnotationObject, PolygonGeometry } from "../src/schema";
import { TestEditor } from "./support/testEditor";

const COLUMNS = 100;
const ROWS = 50;

/** 5,000 diamonds on a 20-pixel grid: diamond i is centred at (col * 20 + 10, row * 20 + 10), radius 8. */
function diamonds(): AnnotationObject[] {
  const objects: AnnotationObject[] = [];
  for (let i = 0; i < COLUMNS * ROWS; i++) {
    const cx = (i % COLUMNS) * 20 + 10;
    const cy = Math.floor(i / COLUMNS) * 20 + 10;
    const geometry: PolygonGeometry = { type: "polygon", points_xy: [[cx, cy - 8], [cx + 8, cy], [cx, cy + 8], [cx - 8, cy]] };
    objects.push({ id: `d${i}`, class_id: "road", page: 0, geometry, attributes: {}, source: { kind: "human" }, confidence: null });
  }
  return objects;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

describe("hit testing 5,000 polygons through the spatial index", () => {
  const objects = diamonds();
  const t = new TestEditor({ annotation: { objects, classifications: {} }, assetSize: { width: 2000, height: 1000 } });

  it("finds the polygon under a centre, and nothing in the gaps", () => {
    expect(t.editor.hitTestObject({ x: 1234 % COLUMNS * 20 + 10, y: Math.floor(1234 / COLUMNS) * 20 + 10 })?.id).toBe("d1234");
    expect(t.editor.hitTestObject({ x: 1990, y: 990 })?.id).toBe("d4999");
    expect(t.editor.hitTestObject({ x: 10, y: 10 })?.id).toBe("d0");
    expect(t.editor.hitTestObject({ x: 21, y: 21 })).toBeNull(); // the corner of cell 1, outside its diamond
  });

  it("agrees with a brute-force scan at 300 random points", () => {
    const random = lcg(42);
    const topFirst = [...objects].reverse();
    const tolerance = t.editor.screenToAssetDistance(4);
    let hits = 0;
    for (let k = 0; k < 300; k++) {
      const p = { x: random() * 2000, y: random() * 1000 };
      const brute = topFirst.find((o) => hitTestGeometry(o.geometry, p, tolerance));
      const indexed = t.editor.hitTestObject(p);
      expect(indexed?.id ?? null).toBe(brute?.id ?? null);
      if (brute) hits++;
    }
    expect(hits).toBeGreaterThan(60); // the sample exercises hits as well as misses
  });

  it("culls: a 100x40 window meets exactly the 5x2 cells it covers (plus touching edges)", () => {
    const inside = t.editor.objectsIn({ minX: 401, minY: 201, maxX: 499, maxY: 239 });
    expect(inside.map((o) => o.id)).toEqual(["d1020", "d1021", "d1022", "d1023", "d1024", "d1120", "d1121", "d1122", "d1123", "d1124"]);
  });

  it("follows edits: a moved polygon is found at its new place only", () => {
    const editor = new TestEditor({ annotation: { objects: diamonds(), classifications: {} } }).editor;
    const moved = editor.getObject("d0") as AnnotationObject;
    editor.commit("Move", [{ ...moved, geometry: { type: "polygon", points_xy: [[5000, 5000], [5010, 5000], [5010, 5010]] } }], []);
    expect(editor.hitTestObject({ x: 10, y: 10 })).toBeNull();
    expect(editor.hitTestObject({ x: 5008, y: 5002 })?.id).toBe("d0");
    editor.undo();
    expect(editor.hitTestObject({ x: 10, y: 10 })?.id).toBe("d0");
  });

  it("SpatialIndex set / delete / search", () => {
    const index = new SpatialIndex();
    index.reset(objects.slice(0, 3).map((o) => [o.id, boundsOfGeometry(o.geometry)]));
    expect(index.search({ minX: 0, minY: 0, maxX: 30, maxY: 10 }).sort()).toEqual(["d0", "d1"]);
    index.delete("d1");
    index.set("d2", { minX: 0, minY: 0, maxX: 1, maxY: 1 });
    expect(index.search({ minX: 0, minY: 0, maxX: 30, maxY: 10 }).sort()).toEqual(["d0", "d2"]);
    expect(index.size).toBe(2);
  });
});
