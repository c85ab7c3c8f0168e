import type { ClassTool } from "../schema";

/** Class kinds drawn with another kind's tool: document regions are boxes in the image editor (see documentRegions.ts). */
const DRAWN_AS: Partial<Record<ClassTool, ClassTool>> = { document_region: "bbox" };

/** The geometry the image editor's tools draw for a class of this kind. */
export const drawnAs = (classTool: ClassTool): ClassTool => DRAWN_AS[classTool] ?? classTool;
