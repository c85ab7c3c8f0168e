import { describe, expect, it } from "vitest";
import type { Annotation, Ontology, Question } from "../src/schema";
import { unansweredRequired, validateAgainstOntology, validateAnnotation, validateGeometry } from "../src/schema";

const valid: Annotation = {
  objects: [
    {
      id: "o1",
      class_id: "car",
      page: 0,
      geometry: { type: "bbox", xyxy: [1, 2, 3, 4] },
      attributes: { colour: "red" },
      source: { kind: "model", name: "yolo", version: "1" },
      confidence: 0.87,
    },
    {
      id: "o2",
      class_id: "sky",
      page: 0,
      geometry: { type: "mask", rle: { size: [2, 3], counts: [1, 2, 3] } },
      attributes: {},
      source: { kind: "import", name: "coco" },
      confidence: null,
    },
  ],
  classifications: { weather: "sunny" },
};

const occlusion: Question = {
  id: "occluded",
  name: "Occluded",
  kind: "radio",
  required: true,
  options: [
    { id: "yes", name: "Yes", questions: [{ id: "percent", name: "How much", kind: "number", required: true, min: 0, max: 100 }] },
    { id: "no", name: "No" },
  ],
};

const ontology: Ontology = {
  classes: [
    { id: "car", name: "Car", tool: "bbox", color: "#ff0000", attributes: [{ id: "colour", name: "Colour", kind: "text", required: false }] },
    { id: "sky", name: "Sky", tool: "mask", color: "#0000ff" },
  ],
  classifications: [{ id: "weather", name: "Weather", kind: "radio", required: true, options: [{ id: "sunny", name: "Sunny" }] }],
  allow_overlapping_spans: false,
};

describe("wire validation", () => {
  it("accepts a valid annotation and its ontology", () => {
    expect(validateAnnotation(valid)).toEqual([]);
    expect(validateAgainstOntology(valid, ontology)).toEqual([]);
  });

  it("reports each geometry problem with its path", () => {
    expect(validateGeometry({ type: "bbox", xyxy: [3, 0, 1, 2] })).toEqual([{ path: "geometry.xyxy", message: "expected x1 <= x2 and y1 <= y2" }]);
    expect(validateGeometry({ type: "polygon", points_xy: [[0, 0], [1, 1]] })).toEqual([{ path: "geometry.points_xy", message: "expected at least 3 points, got 2" }]);
    expect(validateGeometry({ type: "keypoints", points: [[0, 0, 3]] })).toEqual([{ path: "geometry.points[0]", message: "expected [x, y, v] with v in {0, 1, 2}" }]);
    expect(validateGeometry({ type: "mask", rle: { size: [2, 2], counts: [1, 2] } })).toEqual([{ path: "geometry.rle.counts", message: "runs sum to 3, expected height * width = 4" }]);
    expect(validateGeometry({ type: "cuboid", front_xy: [[0, 0], [1, 0], [1, 1]], back_xy: [[0, 0], [1, 0], [1, 1], [0, 1]] })).toEqual([{ path: "geometry.front_xy", message: "expected exactly 4 points, got 3" }]);
    expect(validateGeometry({ type: "circle" })[0]?.message).toMatch(/^unknown geometry type "circle"; known: bbox, rotated_bbox/);
  });

  it("reports object-level problems: duplicate ids, bad source, confidence out of range", () => {
    const bad = structuredClone(valid) as unknown as { objects: Record<string, unknown>[] };
    bad.objects[1] = { ...bad.objects[1], id: "o1", source: { kind: "robot" }, confidence: 2 };
    expect(validateAnnotation(bad)).toEqual([
      { path: "objects[1].source.kind", message: 'expected "human", "model" or "import", got "robot"' },
      { path: "objects[1].confidence", message: "expected null or a number in [0, 1]" },
      { path: "objects[1].id", message: 'duplicate id "o1"' },
    ]);
  });

  it("checks objects against the ontology", () => {
    const wrong = structuredClone(valid);
    wrong.objects[0] = { ...(wrong.objects[0] as Annotation["objects"][number]), class_id: "sky" };
    wrong.classifications = { weather: "rainy" };
    expect(validateAgainstOntology(wrong, ontology)).toEqual([
      { path: "objects[0].geometry.type", message: "class sky uses mask, got bbox" },
      { path: "objects[0].attributes.colour", message: "answer to an unknown question or one whose parent option is not chosen" },
      { path: "classifications.weather", message: 'unknown option "rainy"' },
    ]);
  });
});

describe("required questions with conditional sub-questions", () => {
  it("a sub-question is required only once its option is chosen", () => {
    expect(unansweredRequired([occlusion], {})).toEqual(["occluded"]);
    expect(unansweredRequired([occlusion], { occluded: "no" })).toEqual([]);
    expect(unansweredRequired([occlusion], { occluded: "yes" })).toEqual(["percent"]);
    expect(unansweredRequired([occlusion], { occluded: "yes", percent: 40 })).toEqual([]);
  });

  it("empty text and empty checklists count as unanswered", () => {
    const text: Question = { id: "note", name: "Note", kind: "text", required: true };
    const tags: Question = { id: "tags", name: "Tags", kind: "checklist", required: true, options: [{ id: "a", name: "A" }] };
    expect(unansweredRequired([text, tags], { note: "", tags: [] })).toEqual(["note", "tags"]);
  });
});
