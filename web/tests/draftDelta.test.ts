import { describe, expect, it } from "vitest";
import { draftDelta, MAX_DELTA, savedDraft } from "../src/labeling/draftDelta";
import type { Annotation, AnnotationObject } from "../src/schema";

const box = (id: string, x: number): AnnotationObject =>
  ({ id, class_id: "car", geometry: { type: "bbox", xyxy: [x, 0, x + 5, 5] }, page: 0, attributes: {}, source: { kind: "human" }, confidence: null }) as AnnotationObject;

describe("draft deltas", () => {
  const a = box("a", 0);
  const b = box("b", 10);
  const c = box("c", 20);
  const saved = savedDraft({ objects: [a, b, c], classifications: {} }, "2026-11-26T04:00:00.000001Z");

  it("sends nothing but the order and answers when no object changed", () => {
    const d = draftDelta(saved, { objects: [a, b, c], classifications: { q: "x" } });
    expect(d).toEqual({ upsert: [], delete: [], order: ["a", "b", "c"], classifications: { q: "x" } });
  });

  it("sends changed and new objects whole, removed ids, and the new order", () => {
    const moved = box("b", 12); // an edit replaces the object: a new reference
    const d = draftDelta(saved, { objects: [c, moved, box("d", 30)], classifications: {} });
    expect(d?.upsert.map((o) => o.id)).toEqual(["b", "d"]);
    expect(d?.upsert[0]).toBe(moved);
    expect(d?.delete).toEqual(["a"]);
    expect(d?.order).toEqual(["c", "b", "d"]);
  });

  it("gives up (a whole save) past MAX_DELTA changes, on duplicate ids, and for bodies with more than objects and answers", () => {
    const many = Array.from({ length: MAX_DELTA + 1 }, (_, n) => box(`n${n}`, n % 50));
    expect(draftDelta(saved, { objects: many, classifications: {} })).toBeNull();
    expect(draftDelta(saved, { objects: [a, a], classifications: {} })).toBeNull();
    const volume = { objects: [a], classifications: {}, slice_classifications: { "3": {} } } as unknown as Annotation;
    expect(draftDelta(saved, volume)).toBeNull();
  });
});
