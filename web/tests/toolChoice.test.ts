import { describe, expect, it } from "vitest";
import { availableTools, classAfterToolSwitch, toolAfterClassPick, toolForClass } from "../src/editor/toolChoice";
import type { Ontology, OntologyClass } from "../src/schema";

const cls = (id: string, tool: OntologyClass["tool"]) => ({ id, name: id, tool, color: "#888888" }) as OntologyClass;
const ontology = (classes: OntologyClass[]): Ontology => ({ classes, classifications: [], allow_overlapping_spans: false });

describe("tool choice", () => {
  it("offers the tools the ontology's classes need, select always", () => {
    const ids = availableTools(ontology([cls("car", "bbox"), cls("road", "polygon")])).map((t) => t.id);
    expect(ids[0]).toBe("select");
    expect(ids).toContain("bbox");
    expect(ids).toContain("polygon");
    expect(ids).not.toContain("ellipse");
  });

  it("draws document regions with the box tool (PDF pages in the image editor)", () => {
    const field = cls("field", "document_region");
    expect(toolForClass(field)?.id).toBe("bbox");
    expect(availableTools(ontology([field])).map((t) => t.id)).toContain("bbox");
    expect(toolAfterClassPick("select", field)).toBe("bbox");
    expect(classAfterToolSwitch(ontology([cls("car", "polygon"), field]), "bbox", "car")).toBe("field");
  });

  it("keeps the tool when it already draws the picked class", () => {
    expect(toolAfterClassPick("bbox", cls("car", "bbox"))).toBeNull();
  });
});
