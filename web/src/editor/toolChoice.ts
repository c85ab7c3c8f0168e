import type { ClassTool, Ontology, OntologyClass } from "../schema";
import { drawnAs } from "./drawnAs";
import { IMAGE_TOOLS } from "./tools";
import type { ToolId, ToolSpec } from "./tools/types";

const serves = (tool: ToolSpec | undefined, classTool: ClassTool): boolean =>
  !!tool && (tool.serves as readonly string[]).includes(drawnAs(classTool));

/** The first image tool that draws objects of `cls` (brush for masks); undefined for non-image classes. */
export function toolForClass(cls: OntologyClass): ToolSpec | undefined {
  return IMAGE_TOOLS.find((t) => serves(t, cls.tool));
}

/** Tools the ontology needs (select always), in toolbar order. */
export function availableTools(ontology: Ontology): ToolSpec[] {
  return IMAGE_TOOLS.filter((t) => t.serves.length === 0 || ontology.classes.some((c) => serves(t, c.tool)));
}

/** After switching to `toolId`: keep the active class if the tool draws it, else the first class it draws. */
export function classAfterToolSwitch(ontology: Ontology, toolId: ToolId, activeClassId: string | null): string | null {
  const tool = IMAGE_TOOLS.find((t) => t.id === toolId);
  if (!tool || tool.serves.length === 0) return activeClassId;
  const active = ontology.classes.find((c) => c.id === activeClassId);
  if (active && serves(tool, active.tool)) return activeClassId;
  return ontology.classes.find((c) => serves(tool, c.tool))?.id ?? activeClassId;
}

/** After picking class `cls` while `currentToolId` is active: the tool to switch to, or null to stay. */
export function toolAfterClassPick(currentToolId: ToolId, cls: OntologyClass): ToolId | null {
  if (serves(IMAGE_TOOLS.find((t) => t.id === currentToolId), cls.tool)) return null;
  return toolForClass(cls)?.id ?? null;
}
