/** Pure logic of the export page: split validation, the request body, summaries of filters and reports. */

export const EXPORT_STATES = ["accepted", "submitted", "in_review", "rejected"] as const;
export const SPLIT_NAMES = ["train", "val", "test"] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
/** Ratios as typed (strings, so "0." and "" can be edited); 0 or empty leaves that split out. */
export type SplitInput = Record<SplitName, string>;
export const DEFAULT_SPLIT: SplitInput = { train: "0.8", val: "0.1", test: "0.1" };

/** What each format holds, for the choice (names come from GET /formats; unknown ones show no help). */
const FORMAT_HELP: [RegExp, string][] = [
  [/^native$/, "Lossless project archive: ontology history, assets, every revision and review. `labelhub import` reads it back."],
  [/^coco/, "COCO JSON (zip): boxes, polygons, rotated boxes and ellipses as polygons, RLE masks, keypoints."],
  [/^yolo-seg$/, "Ultralytics YOLO segmentation: polygons (rotated boxes and ellipses as polygons), data.yaml."],
  [/^yolo-obb$/, "Ultralytics YOLO oriented boxes: four normalized corners per rotated box or box."],
  [/^yolo-pose$/, "Ultralytics YOLO pose: box plus keypoints, kpt_shape in data.yaml."],
  [/^yolo/, "Ultralytics YOLO: one text file per image (class, normalized centre and size), data.yaml."],
  [/^voc/, "Pascal VOC XML, one file per image (boxes), ImageSets split lists, labelmap.txt."],
  [/^masks/, "Indexed PNG per image (pixel = class index + 1), palette from the ontology's colours."],
  [/^classifications-csv/, "Whole-image answers as CSV, one row per task, one column per question."],
  [/^classifications-jsonl/, "Whole-image answers as JSON Lines, one object per task."],
  [/^cvat/, "CVAT 1.1 XML."],
  [/^labelstudio/, "Label Studio JSON tasks."],
];
export const formatHelp = (name: string) => FORMAT_HELP.find(([re]) => re.test(name))?.[1] ?? "";

/** Parsed ratios of the splits that are on (> 0), or the message to show under the inputs. */
export function checkSplit(input: SplitInput): { ok: true; split: Record<string, number> } | { ok: false; message: string } {
  const split: Record<string, number> = {};
  for (const name of SPLIT_NAMES) {
    const text = input[name].trim();
    if (text === "") continue;
    const v = Number(text);
    if (!Number.isFinite(v) || v < 0 || v > 1) return { ok: false, message: `The ${name} ratio must be a number from 0 to 1 (got "${text}").` };
    if (v > 0) split[name] = v;
  }
  const names = Object.keys(split);
  if (names.length === 0) return { ok: false, message: "Give at least one split a ratio above 0." };
  const sum = names.reduce((a, n) => a + (split[n] as number), 0);
  if (Math.abs(sum - 1) > 1e-6) return { ok: false, message: `The ratios must sum to 1; they sum to ${round(sum)}.` };
  return { ok: true, split };
}

/** The seed field: a whole number (empty = 0), or null when it is not one. */
export function parseSeed(text: string): number | null {
  const t = text.trim();
  if (t === "") return 0;
  return /^-?\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : null;
}

const round = (v: number) => String(Math.round(v * 1e6) / 1e6);

export interface ExportChoice {
  format: string;
  states: string[];
  classes: string[];
  labelers: string[];
  splitOn: boolean;
  split: SplitInput;
  seed: string;
  media: boolean;
}

/** ExportCreate: empty class or labeler choices mean "all" (null). Assumes the choice passed `exportProblem`. */
export function exportBody(c: ExportChoice) {
  const split = c.splitOn ? checkSplit(c.split) : null;
  return {
    format: c.format,
    states: c.states,
    include_media: c.media,
    classes: c.classes.length ? c.classes : null,
    labelers: c.labelers.length ? c.labelers : null,
    split: split && split.ok ? split.split : null,
    seed: parseSeed(c.seed) ?? 0,
  };
}

/** Why the export cannot start yet, or null. */
export function exportProblem(c: ExportChoice): string | null {
  if (c.states.length === 0) return "Choose at least one task state.";
  if (c.splitOn) {
    const s = checkSplit(c.split);
    if (!s.ok) return s.message;
    if (parseSeed(c.seed) === null) return "The seed must be a whole number.";
  }
  return null;
}

type Json = Record<string, unknown>;

/** `split` as the server stores it (`[["train", 0.8], ...]`) or as it was sent (`{"train": 0.8}`). */
function splitPairs(split: unknown): [string, number][] {
  if (Array.isArray(split)) return split.filter((p): p is [string, number] => Array.isArray(p) && p.length === 2).map(([k, v]) => [String(k), Number(v)]);
  if (split && typeof split === "object") return Object.entries(split as Json).map(([k, v]) => [k, Number(v)]);
  return [];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** One line for a dataset version's filter: "accepted, submitted · classes car · split train 0.8 / val 0.2 (seed 7) · references only". */
export function filterSummary(filter: unknown, stateLabel: (s: string) => string = (s) => s): string {
  const f = (filter && typeof filter === "object" ? filter : {}) as Json;
  const parts: string[] = [];
  const states = list(f.states);
  parts.push(states.length ? states.map(stateLabel).join(", ") : "all states");
  const classes = list(f.classes);
  if (classes.length) parts.push(`classes ${classes.join(", ")}`);
  const labelers = list(f.labeler_names);
  if (labelers.length) parts.push(`by ${labelers.join(", ")}`);
  const split = splitPairs(f.split);
  if (split.length) parts.push(`split ${split.map(([k, v]) => `${k} ${round(v)}`).join(" / ")} (seed ${Number(f.seed ?? 0)})`);
  if (f.include_media === false) parts.push("references only");
  return parts.join(" · ");
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** "12 objects · 5 images" from an export report (native archives count tasks, tables count rows). */
export function countsSummary(report: unknown): string {
  const r = (report && typeof report === "object" ? report : {}) as Json;
  const parts: string[] = [];
  const objects = num(r.objects);
  if (objects !== null) parts.push(`${objects} object${objects === 1 ? "" : "s"}`);
  for (const [key, one, many] of [
    ["images", "image", "images"],
    ["tasks", "task", "tasks"],
    ["rows", "row", "rows"],
  ] as const) {
    const n = num(r[key]);
    if (n !== null) {
      parts.push(`${n} ${n === 1 ? one : many}`);
      break;
    }
  }
  return parts.join(" · ") || "—";
}

/** A report's numbers (top-level counts) and breakdowns (splits, shapes, drop reasons), for display. */
export function reportFacts(report: unknown): { counts: [string, number][]; breakdowns: [string, [string, number][]][]; warnings: string[] } {
  const r = (report && typeof report === "object" ? report : {}) as Json;
  const counts: [string, number][] = [];
  const breakdowns: [string, [string, number][]][] = [];
  for (const [k, v] of Object.entries(r)) {
    if (k === "warnings") continue;
    const n = num(v);
    if (n !== null) counts.push([k.replace(/_/g, " "), n]);
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      const entries = Object.entries(v as Json).filter((e): e is [string, number] => num(e[1]) !== null);
      if (entries.length) breakdowns.push([k.replace(/_/g, " "), entries]);
    }
  }
  return { counts, breakdowns, warnings: list(r.warnings) };
}

export const shortHash = (sha: string) => sha.slice(0, 12);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
