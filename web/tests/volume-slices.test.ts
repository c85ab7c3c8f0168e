import { describe, expect, it } from "vitest";
import type { Ontology, Question } from "../src/schema";
import type { VolumeData } from "../src/viewers/volume/blob";
import { loadAnnotation, toAnnotation } from "../src/viewers/volume/document";
import { VolumeSession } from "../src/viewers/volume/session";
import { polygonInput } from "../src/viewers/volume/useSliceGestures";
import { assetQuestions, sliceQuestions, validateAgainstOntology } from "../src/schema";
import { planeMap } from "../src/viewers/volume/planes";
import type { PolygonDraft } from "../src/viewers/volume/polygonTool";
import { polygonFromImage, polygonStep, polygonToImage } from "../src/viewers/volume/polygonTool";
import { answeredSlices, setSliceAnswer, sliceSummary } from "../src/viewers/volume/sliceAnswers";

const click = (at: [number, number], plane: "axial" | "coronal" = "axial", slice = 3) => ({ kind: "click" as const, plane, slice, at, closeRadius: 1 });

describe("polygon tool", () => {
  const drawn = (points: [number, number][]): PolygonDraft => ({ plane: "axial", slice: 3, points });

  it("adds vertices and closes on the first point once three are placed", () => {
    let d = polygonStep(null, click([1, 1])).draft;
    d = polygonStep(d, click([5, 1])).draft;
    // Two points: clicking the first point again adds nothing special (no close below 3).
    expect(polygonStep(d, click([1, 1])).done).toBeNull();
    d = polygonStep(d, click([5, 5])).draft;
    const closed = polygonStep(d, click([1.5, 1.2]));
    expect(closed.draft).toBeNull();
    expect(closed.done).toEqual(drawn([[1, 1], [5, 1], [5, 5]]));
  });

  it("closes with Enter only from three points; Esc cancels; Backspace removes the last vertex", () => {
    const two = drawn([[1, 1], [5, 1]]);
    expect(polygonStep(two, { kind: "enter" })).toEqual({ draft: two, done: null });
    const three = drawn([[1, 1], [5, 1], [5, 5]]);
    expect(polygonStep(three, { kind: "enter" })).toEqual({ draft: null, done: three });
    expect(polygonStep(three, { kind: "escape" })).toEqual({ draft: null, done: null });
    expect(polygonStep(three, { kind: "backspace" }).draft).toEqual(two);
    expect(polygonStep(drawn([[1, 1]]), { kind: "backspace" }).draft).toBeNull();
    expect(polygonStep(null, { kind: "backspace" }).draft).toBeNull();
  });

  it("ignores a repeated click and starts over on another plane or slice", () => {
    const one = drawn([[1, 1]]);
    expect(polygonStep(one, click([1, 1])).draft).toEqual(one);
    expect(polygonStep(one, click([2, 2], "coronal")).draft).toEqual({ plane: "coronal", slice: 3, points: [[2, 2]] });
    expect(polygonStep(one, click([2, 2], "axial", 4)).draft).toEqual({ plane: "axial", slice: 4, points: [[2, 2]] });
  });

  // NIfTI's RAS identity seen in LPS: i and j run against the display's u and v on the axial plane.
  const geometry = { dims: [20, 10, 6] as [number, number, number], affine: [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]] };

  it("stores voxel coordinates (flips undone) and draws them back where they were clicked", () => {
    const axial = planeMap(geometry, "axial");
    expect(axial.fixed).toBe(2);
    const d = drawn([[0, 0], [4, 0], [4, 2.5]]);
    const p = polygonFromImage(axial, d, "vp-1", "lesion");
    expect(p).not.toBeNull();
    expect(p?.axis).toBe(2);
    expect(p?.slice).toBe(3);
    // u runs against i (flipU) and v against j (flipV) for this affine.
    const expected = (pu: number, pv: number) => [axial.flipU ? 20 - pu : pu, axial.flipV ? 10 - pv : pv];
    expect(p?.points).toEqual([expected(0, 0), expected(4, 0), expected(4, 2.5)]);
    if (!p) throw new Error("no polygon");
    expect(polygonToImage(axial, p)).toEqual(d.points);
    expect(polygonToImage(planeMap(geometry, "coronal"), p)).toBeNull();
  });

  it("orders points in i, j, k order on the sagittal and coronal planes, clamps, refuses degenerate outlines", () => {
    const sagittal = planeMap(geometry, "sagittal");
    const p = polygonFromImage(sagittal, { plane: "sagittal", slice: 7, points: [[0, 0], [3, 0], [3, 4]] }, "a", "c");
    expect(p?.axis).toBe(0);
    if (!p) throw new Error("no polygon");
    for (const [j, k] of p.points) {
      expect(j).toBeGreaterThanOrEqual(0);
      expect(j).toBeLessThanOrEqual(10);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThanOrEqual(6);
    }
    expect(polygonToImage(sagittal, p)).toEqual([[0, 0], [3, 0], [3, 4]]);
    const coronal = planeMap(geometry, "coronal");
    const clamped = polygonFromImage(coronal, { plane: "coronal", slice: 1, points: [[-5, -5], [50, 0], [50, 50]] }, "b", "c");
    expect(clamped?.points.every(([i, k]) => i >= 0 && i <= 20 && k >= 0 && k <= 6)).toBe(true);
    expect(polygonFromImage(coronal, { plane: "coronal", slice: 1, points: [[1, 1], [2, 2], [3, 3]] }, "c", "c")).toBeNull();
    expect(polygonFromImage(coronal, { plane: "coronal", slice: 1, points: [[1, 1], [1, 1], [3, 3]] }, "d", "c")).toBeNull();
  });
});

describe("slice answers", () => {
  const questions: Question[] = [
    {
      id: "finding",
      name: "Finding",
      kind: "radio",
      required: true,
      scope: "slice",
      options: [{ id: "none", name: "None" }, { id: "nodule", name: "Nodule", questions: [{ id: "size", name: "Size", kind: "number", required: false }] }],
    },
  ];

  it("keeps answers per slice, prunes follow-ups, drops emptied slices and lists answered slices in order", () => {
    let all = setSliceAnswer({}, questions, 12, "finding", "nodule");
    all = setSliceAnswer(all, questions, 12, "size", 7);
    all = setSliceAnswer(all, questions, 3, "finding", "none");
    expect(all).toEqual({ "12": { finding: "nodule", size: 7 }, "3": { finding: "none" } });
    expect(answeredSlices(all)).toEqual([3, 12]);
    expect(sliceSummary(all["12"] ?? {})).toBe("nodule, 7");
    // Choosing "none" drops the nodule's size; clearing the answer drops the slice.
    all = setSliceAnswer(all, questions, 12, "finding", "none");
    expect(all["12"]).toEqual({ finding: "none" });
    all = setSliceAnswer(all, questions, 3, "finding", null);
    expect(answeredSlices(all)).toEqual([12]);
  });

  it("splits the ontology's questions by scope and validates slice answers against slice questions", () => {
    const asset: Question = { id: "quality", name: "Quality", kind: "text", required: true };
    const ontology = { classes: [], classifications: [asset, ...questions], allow_overlapping_spans: false };
    expect(assetQuestions(ontology).map((q) => q.id)).toEqual(["quality"]);
    expect(sliceQuestions(ontology).map((q) => q.id)).toEqual(["finding"]);
    const ok = validateAgainstOntology({ objects: [], classifications: { quality: "x" }, slice_classifications: { "2": { finding: "none" } } }, ontology);
    expect(ok).toEqual([]);
    const bad = validateAgainstOntology({ objects: [], classifications: { finding: "none" }, slice_classifications: { "2": { quality: "x" } } }, ontology);
    expect(bad.map((i) => i.path)).toEqual(["classifications.finding", "slice_classifications.2.quality"]);
  });
});

describe("polygons in the session and the body", () => {
  const volume = (): VolumeData => ({
    header: { dtype: "int16", shape: [6, 10, 20], compression: "zstd", spacing_mm: [1, 1, 2], affine_lps: [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]], window_presets: [] },
    voxels: new Int16Array(20 * 10 * 6),
    ni: 20,
    nj: 10,
    nk: 6,
    range: [0, 1],
  });
  const ontology: Ontology = {
    classes: [{ id: "lesion", name: "Lesion", tool: "volume_polygon", color: "#e69f00" }],
    classifications: [{ id: "finding", name: "Finding", kind: "text", required: true, scope: "slice" }],
    allow_overlapping_spans: false,
  };

  it("closes a drawn outline into a selected polygon of the active class, and Esc/Backspace only act while drawing", () => {
    const s = new VolumeSession(volume());
    s.activePolygonClass = "lesion";
    let changes = 0;
    s.onDocumentChange(() => changes++);
    expect(polygonInput(s, { kind: "escape" })).toBe(false);
    for (const at of [[1, 1], [8, 1], [8, 5]] as [number, number][]) polygonInput(s, { kind: "click", plane: "axial", slice: 2, at, closeRadius: 0.5 });
    expect(s.draftPolygon?.points).toHaveLength(3);
    expect(polygonInput(s, { kind: "enter" })).toBe(true);
    expect(s.draftPolygon).toBeNull();
    expect(s.polygons).toHaveLength(1);
    expect(s.selectedPolygon).toBe(s.polygons[0]?.id);
    expect(changes).toBe(1);
    // Changing tool ends an unfinished outline.
    polygonInput(s, { kind: "click", plane: "axial", slice: 2, at: [3, 3], closeRadius: 0.5 });
    s.set("tool", "crosshair");
    expect(s.draftPolygon).toBeNull();
  });

  it("writes volume_polygon objects and slice_classifications and loads them back", () => {
    const s = new VolumeSession(volume());
    s.polygons = [{ id: "vp-1", classId: "lesion", axis: 2, slice: 3, points: [[1, 1], [5, 1], [5, 4]] }];
    const base = { others: [], maskIds: new Map<string, string>(), classifications: {}, sliceClassifications: { "3": { finding: "x" } } };
    const body = toAnnotation(s, ontology, base);
    expect(body.slice_classifications).toEqual({ "3": { finding: "x" } });
    expect(body.objects.map((o) => o.geometry)).toEqual([{ type: "volume_polygon", axis: "k", slice: 3, points: [[1, 1], [5, 1], [5, 4]] }]);
    expect(toAnnotation(s, ontology, { ...base, sliceClassifications: {} }).slice_classifications).toBeUndefined();
    const t = new VolumeSession(volume());
    const loaded = loadAnnotation(t, ontology, body);
    expect(loaded.others).toEqual([]);
    expect(t.polygons).toEqual(s.polygons);
  });
});
