/** Pure logic of the annotation import: the mapping table built from a preview, and the request's mapping. */
import type { Schemas } from "../../api";

export type ImportResult = Schemas["ImportResult"];
export const IMPORT_MODES = [
  { id: "replace", label: "Replace", help: "the import becomes each task's current annotation" },
  { id: "append", label: "Append", help: "imported objects are added after the current annotation's" },
] as const;

/** Importer names from GET /formats, with what each reads (for the file picker's hint). */
export const IMPORT_HELP: Record<string, { label: string; accept: string; help: string }> = {
  coco: { label: "COCO JSON", accept: ".json,.zip", help: "instances JSON, or a zip of them" },
  yolo: { label: "YOLO", accept: ".zip", help: "a zip with labels/**/*.txt and optionally data.yaml" },
  voc: { label: "Pascal VOC", accept: ".xml,.zip", help: "one XML file, or a zip of them" },
  labelstudio: { label: "Label Studio JSON", accept: ".json", help: "Label Studio's JSON export" },
  cvat: { label: "CVAT 1.1 XML", accept: ".xml,.zip", help: "CVAT for images 1.1 annotations.xml" },
};

/** Tools a created class can be given ("create:<tool>") when its shapes are of several kinds. */
export const CREATE_TOOLS: [string, string][] = [
  ["bbox", "box"],
  ["rotated_bbox", "rotated box"],
  ["polygon", "polygon"],
  ["ellipse", "ellipse"],
  ["polyline", "line"],
  ["point", "point"],
  ["mask", "mask"],
];

/** label -> "" (not chosen yet), a class id, "create" or "drop". */
export type Mapping = Record<string, string>;

export interface MappingRow {
  label: string;
  objects: number;
  /** Where the server put it: a class id, "drop", or "?" (unknown). */
  target: string;
  /** The person chooses this row's target (it was unknown, or already mapped by them). */
  choose: boolean;
}

/** One row per label of the file: unknown labels (and those the person mapped) first, then the matched ones. */
export function mappingRows(preview: ImportResult, mapping: Mapping): MappingRow[] {
  const unknown = new Set(preview.unknown_classes);
  const rows = Object.entries(preview.classes).map(([label, info]): MappingRow => {
    const objects = typeof info.objects === "number" ? info.objects : 0;
    const target = typeof info.target === "string" ? info.target : "?";
    return { label, objects, target, choose: unknown.has(label) || label in mapping };
  });
  return rows.sort((a, b) => Number(b.choose) - Number(a.choose) || a.label.localeCompare(b.label));
}

/** The labels that still need a choice before the import can run. */
export function unmapped(preview: ImportResult, mapping: Mapping): string[] {
  return preview.unknown_classes.filter((l) => !mapping[l]);
}

/** The `mapping` form field: only the choices made, for labels of this file. */
export function mappingField(preview: ImportResult | null, mapping: Mapping): string {
  const labels = preview ? new Set(Object.keys(preview.classes)) : null;
  const out: Mapping = {};
  for (const [k, v] of Object.entries(mapping)) if (v && (!labels || labels.has(k))) out[k] = v;
  return JSON.stringify(out);
}

/** What a class id / "drop" / "create" target reads as in the table. */
export function targetText(target: string, className: (id: string) => string | undefined): string {
  if (target === "?") return "unknown";
  if (target === "drop") return "dropped";
  if (target === "create" || target.startsWith("create:")) return "new class";
  const name = className(target);
  return name && name !== target ? `${name} (${target})` : target;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Objects the file holds, over every label (mapped or not). */
export const fileObjects = (r: ImportResult) =>
  Object.values(r.classes).reduce((a, info) => a + (typeof info.objects === "number" ? info.objects : 0), 0);

/**
 * One line for a preview ("3 objects in the file for 2 matched images · 1 to import as mapped so far")
 * or a result ("3 objects in 2 images · 2 revisions written · 1 dropped").
 */
export function importSummary(r: ImportResult): string {
  const parts: string[] = [];
  if (r.dry_run) {
    const total = fileObjects(r);
    parts.push(`${plural(total, "object")} in the file for ${plural(r.items, "matched image")}`);
    if (r.objects !== total) parts.push(`${r.objects} to import as mapped so far`);
  } else {
    parts.push(`${plural(r.objects, "object")} in ${plural(r.items, "image")}`, `${plural(r.revisions, "revision")} written`);
  }
  if (r.unmatched_files.length) parts.push(`${plural(r.unmatched_files.length, "unmatched file")}`);
  if (r.dropped_objects) parts.push(`${r.dropped_objects} dropped`);
  if (r.created_classes.length) parts.push(`new classes: ${r.created_classes.join(", ")}`);
  return parts.join(" · ");
}
