import { describe, expect, it } from "vitest";
import { makeId, move, newClass, nextColor, nextHotkey, ontologyProblems, PALETTE, parseUsages, withKind } from "../src/pages/ontology/model";
import type { Ontology } from "../src/schema";

const base: Ontology = {
  classes: [
    { id: "car", name: "Car", tool: "bbox", color: PALETTE[0] as string, hotkey: "1" },
    { id: "person", name: "Person", tool: "keypoints", color: PALETTE[1] as string, hotkey: "2", skeleton: { points: ["a"], edges: [] } },
  ],
  classifications: [],
  allow_overlapping_spans: false,
};

describe("ontology editor model", () => {
  it("derives unique ids from names", () => {
    expect(makeId("Traffic light!", new Set(), "x")).toBe("traffic_light");
    expect(makeId("Car", new Set(["car", "car_2"]), "x")).toBe("car_3");
    expect(makeId("  ", new Set(), "class_4")).toBe("class_4");
  });

  it("gives new classes the next unused palette colour and hotkey", () => {
    expect(nextColor(base.classes)).toBe(PALETTE[2]);
    expect(nextHotkey(base.classes)).toBe("3");
    const c = newClass(base, "polygon");
    expect([c.id, c.tool, c.hotkey, c.color]).toEqual(["class_3", "polygon", "3", PALETTE[2]]);
  });

  it("moves items and ignores moves past either end", () => {
    expect(move(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(move(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });

  it("keeps options only for choice questions", () => {
    const radio = withKind({ id: "q", name: "Q", kind: "text", required: true }, "radio");
    expect(radio.options?.map((o) => o.id)).toEqual(["yes", "no"]);
    expect(withKind(radio, "number").options).toBeUndefined();
    expect(withKind(radio, "number").required).toBe(true);
  });

  it("finds what the server would refuse before sending", () => {
    const bad: Ontology = {
      ...base,
      classes: [...base.classes, { id: "car", name: "", tool: "keypoints", color: "#000000", hotkey: "1", skeleton: { points: [], edges: [] } }],
      classifications: [{ id: "q", name: "Q", kind: "radio", required: false, options: [{ id: "o", name: "O", questions: [{ id: "q", name: "again", kind: "text", required: false }] }] }],
    };
    const problems = ontologyProblems(bad).join("\n");
    expect(problems).toContain('Two classes have the id "car"');
    expect(problems).toContain("Hotkey 1 is used twice");
    expect(problems).toContain("add skeleton points");
    expect(problems).toContain('two questions have the id "q"');
    expect(ontologyProblems(base)).toEqual([]);
  });

  it("reads the server's 409 usage list", () => {
    const u = parseUsages(["class 'car'", "class 'bus' (tool changed)", "option 'rain' of question 'weather'", "question 'pose' of class 'person'"]);
    expect(u.classes).toEqual([{ id: "car", retooled: false }, { id: "bus", retooled: true }]);
    expect(u.answers).toEqual(["option 'rain' of question 'weather'", "question 'pose' of class 'person'"]);
  });
});
