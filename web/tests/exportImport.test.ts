import { describe, expect, it } from "vitest";
import { checkSplit, countsSummary, exportBody, exportProblem, filterSummary, parseSeed, reportFacts } from "../src/pages/export/model";
import type { ExportChoice } from "../src/pages/export/model";
import type { ImportResult } from "../src/pages/import/model";
import { importSummary, mappingField, mappingRows, targetText, unmapped } from "../src/pages/import/model";

const choice: ExportChoice = {
  format: "coco",
  states: ["accepted"],
  classes: [],
  labelers: [],
  splitOn: false,
  split: { train: "0.8", val: "0.1", test: "0.1" },
  seed: "0",
  media: false,
};

describe("export split", () => {
  it("accepts ratios summing to 1, leaving out zero or empty splits", () => {
    expect(checkSplit({ train: "0.8", val: "0.1", test: "0.1" })).toEqual({ ok: true, split: { train: 0.8, val: 0.1, test: 0.1 } });
    expect(checkSplit({ train: "0.7", val: "0.3", test: "0" })).toEqual({ ok: true, split: { train: 0.7, val: 0.3 } });
    expect(checkSplit({ train: "1", val: "", test: "" })).toEqual({ ok: true, split: { train: 1 } });
  });

  it("says what is wrong", () => {
    expect(checkSplit({ train: "0.8", val: "0.1", test: "0.2" })).toEqual({ ok: false, message: "The ratios must sum to 1; they sum to 1.1." });
    expect(checkSplit({ train: "0.5", val: "0.1", test: "0.1" })).toEqual({ ok: false, message: "The ratios must sum to 1; they sum to 0.7." });
    expect(checkSplit({ train: "abc", val: "0.1", test: "0.1" })).toMatchObject({ ok: false, message: expect.stringContaining("train ratio") });
    expect(checkSplit({ train: "1.5", val: "", test: "" })).toMatchObject({ ok: false, message: expect.stringContaining("from 0 to 1") });
    expect(checkSplit({ train: "0", val: "0", test: "" })).toEqual({ ok: false, message: "Give at least one split a ratio above 0." });
  });

  it("parses the seed as a whole number", () => {
    expect(parseSeed("7")).toBe(7);
    expect(parseSeed("")).toBe(0);
    expect(parseSeed("1.5")).toBeNull();
    expect(parseSeed("x")).toBeNull();
  });

  it("builds the request body; empty filters mean all", () => {
    expect(exportBody(choice)).toEqual({ format: "coco", states: ["accepted"], include_media: false, classes: null, labelers: null, split: null, seed: 0 });
    const full = { ...choice, classes: ["car"], labelers: ["alice"], splitOn: true, seed: "7", media: true };
    expect(exportBody(full)).toMatchObject({ classes: ["car"], labelers: ["alice"], split: { train: 0.8, val: 0.1, test: 0.1 }, seed: 7, include_media: true });
  });

  it("blocks the start on a bad choice", () => {
    expect(exportProblem(choice)).toBeNull();
    expect(exportProblem({ ...choice, states: [] })).toBe("Choose at least one task state.");
    expect(exportProblem({ ...choice, splitOn: true, split: { train: "0.9", val: "0.2", test: "" } })).toContain("sum to 1");
    expect(exportProblem({ ...choice, splitOn: true, seed: "x" })).toBe("The seed must be a whole number.");
    // a bad split is ignored while the split is off
    expect(exportProblem({ ...choice, split: { train: "2", val: "", test: "" } })).toBeNull();
  });
});

describe("dataset version summaries", () => {
  it("summarizes a stored filter in one line", () => {
    const filter = { states: ["accepted", "submitted"], classes: ["car"], labeler_names: ["alice"], split: [["train", 0.8], ["val", 0.2]], seed: 7, include_media: false };
    expect(filterSummary(filter, (s) => s.toUpperCase())).toBe("ACCEPTED, SUBMITTED · classes car · by alice · split train 0.8 / val 0.2 (seed 7) · references only");
    expect(filterSummary({ states: null, include_media: true })).toBe("all states");
    expect(filterSummary({ split: { train: 0.5, test: 0.5 } })).toBe("all states · split train 0.5 / test 0.5 (seed 0)");
    expect(filterSummary(null)).toBe("all states");
  });

  it("counts objects and images, tasks for native archives", () => {
    expect(countsSummary({ images: 5, objects: 12 })).toBe("12 objects · 5 images");
    expect(countsSummary({ objects: 1, tasks: 1, assets: 1 })).toBe("1 object · 1 task");
    expect(countsSummary({})).toBe("—");
  });

  it("splits a report into counts, breakdowns and warnings", () => {
    const facts = reportFacts({ images: 2, objects: 3, dropped: { "empty after clipping": 1 }, dropped_total: 1, splits: { train: 1, val: 1 }, warnings: ["task 1: dropped"] });
    expect(facts.counts).toEqual([["images", 2], ["objects", 3], ["dropped total", 1]]);
    expect(facts.breakdowns).toEqual([["dropped", [["empty after clipping", 1]]], ["splits", [["train", 1], ["val", 1]]]]);
    expect(facts.warnings).toEqual(["task 1: dropped"]);
  });
});

const preview: ImportResult = {
  format: "coco",
  dry_run: true,
  items: 2,
  objects: 5,
  revisions: 0,
  unmatched_files: ["ghost.png"],
  classes: { car: { objects: 3, target: "car" }, truck: { objects: 1, target: "?" }, Sign: { objects: 1, target: "?" } },
  unknown_classes: ["Sign", "truck"],
  created_classes: [],
  dropped_objects: 0,
};

describe("import mapping table", () => {
  it("lists unknown labels first, each to choose", () => {
    expect(mappingRows(preview, {})).toEqual([
      { label: "Sign", objects: 1, target: "?", choose: true },
      { label: "truck", objects: 1, target: "?", choose: true },
      { label: "car", objects: 3, target: "car", choose: false },
    ]);
  });

  it("keeps labels the person mapped choosable after a new preview", () => {
    const again = { ...preview, classes: { ...preview.classes, truck: { objects: 1, target: "car" } }, unknown_classes: ["Sign"] };
    expect(mappingRows(again, { truck: "car" }).map((r) => [r.label, r.choose])).toEqual([
      ["Sign", true],
      ["truck", true],
      ["car", false],
    ]);
  });

  it("knows which labels still need a choice and sends only the choices made", () => {
    expect(unmapped(preview, { truck: "car" })).toEqual(["Sign"]);
    expect(unmapped(preview, { truck: "car", Sign: "drop" })).toEqual([]);
    expect(mappingField(preview, { truck: "car", Sign: "", other: "drop" })).toBe('{"truck":"car"}');
    expect(mappingField(null, { truck: "create" })).toBe('{"truck":"create"}');
  });

  it("reads targets and results", () => {
    const name = (id: string) => ({ car: "Car" })[id];
    expect(targetText("car", name)).toBe("Car (car)");
    expect(targetText("?", name)).toBe("unknown");
    expect(targetText("drop", name)).toBe("dropped");
    expect(importSummary(preview)).toBe("5 objects in the file for 2 matched images · 1 unmatched file");
    expect(importSummary({ ...preview, objects: 3 })).toBe("5 objects in the file for 2 matched images · 3 to import as mapped so far · 1 unmatched file");
    expect(importSummary({ ...preview, dry_run: false, revisions: 2, dropped_objects: 1, created_classes: ["truck"] })).toBe(
      "5 objects in 2 images · 2 revisions written · 1 unmatched file · 1 dropped · new classes: truck",
    );
  });
});
