import type { ClassTool, Ontology, OntologyClass, Question, QuestionKind, QuestionOption } from "../../schema";

/**
 * Okabe–Ito colours first (distinguishable with the common colour-vision deficiencies, on dark
 * and light backgrounds), then Paul Tol's "muted" set for projects with more than eight classes.
 */
export const PALETTE = [
  "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999",
  "#44aa99", "#882255", "#ddcc77", "#117733", "#88ccee", "#aa4499", "#332288", "#999933",
];

export const TOOL_LABELS: Record<ClassTool, string> = {
  bbox: "Bounding box",
  rotated_bbox: "Rotated box",
  polygon: "Polygon",
  polyline: "Polyline",
  point: "Point",
  keypoints: "Keypoints (skeleton)",
  ellipse: "Ellipse",
  cuboid: "Cuboid",
  mask: "Brush mask",
  text_span: "Text span",
  document_region: "Document region",
  volume_mask: "Volume mask",
  volume_box: "Volume box",
  volume_polygon: "Volume polygon (one slice)",
};
/** One word for lists ("Box", "Polygon"). */
export const TOOL_SHORT: Record<ClassTool, string> = {
  bbox: "Box", rotated_bbox: "Rotated", polygon: "Polygon", polyline: "Line", point: "Point", keypoints: "Keypoints",
  ellipse: "Ellipse", cuboid: "Cuboid", mask: "Mask", text_span: "Span", document_region: "Region", volume_mask: "3D mask", volume_box: "3D box", volume_polygon: "Slice polygon",
};
export const TOOLS = Object.keys(TOOL_LABELS) as ClassTool[];
export const QUESTION_KINDS: QuestionKind[] = ["radio", "checklist", "text", "number"];

const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** A wire id from a display name ("Traffic light" → "traffic_light"), unique among `taken`. */
export function makeId(name: string, taken: ReadonlySet<string>, fallback: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 56) || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

/** The first palette colour no class uses yet (then the palette again, in order). */
export function nextColor(classes: readonly OntologyClass[]): string {
  const used = new Set(classes.map((c) => c.color.toLowerCase()));
  return PALETTE.find((c) => !used.has(c)) ?? (PALETTE[classes.length % PALETTE.length] as string);
}

/** The first of 1–9 (then a–z keys the editor does not use) that no class holds. */
export function nextHotkey(classes: readonly OntologyClass[]): string | null {
  const used = new Set(classes.map((c) => c.hotkey).filter(Boolean));
  return "123456789".split("").find((k) => !used.has(k)) ?? null;
}

export function allQuestionIds(questions: readonly Question[]): string[] {
  return questions.flatMap((q) => [q.id, ...(q.options ?? []).flatMap((o) => allQuestionIds(o.questions ?? []))]);
}

export function newClass(ontology: Ontology, tool: ClassTool = "bbox"): OntologyClass {
  const id = makeId("", new Set(ontology.classes.map((c) => c.id)), `class_${ontology.classes.length + 1}`);
  const hotkey = nextHotkey(ontology.classes);
  return { id, name: `Class ${ontology.classes.length + 1}`, tool, color: nextColor(ontology.classes), hotkey, attributes: [] };
}

export function newQuestion(taken: ReadonlySet<string>, kind: QuestionKind = "radio"): Question {
  const id = makeId("", taken, `q${taken.size + 1}`);
  const q: Question = { id, name: "New question", kind, required: false };
  if (kind === "radio" || kind === "checklist") q.options = [{ id: "yes", name: "Yes" }, { id: "no", name: "No" }];
  return q;
}

export function newOption(q: Question): QuestionOption {
  const taken = new Set((q.options ?? []).map((o) => o.id));
  const n = (q.options ?? []).length + 1;
  return { id: makeId("", taken, `option_${n}`), name: `Option ${n}` };
}

/** Moves item `i` by `delta` (−1 up, +1 down); out-of-range moves return the list unchanged. */
export function move<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j] as T, out[i] as T];
  return out;
}

/** Changing a question's kind keeps its id and name; options appear or go with the kind. */
export function withKind(q: Question, kind: QuestionKind): Question {
  const choice = kind === "radio" || kind === "checklist";
  const next: Question = { id: q.id, name: q.name, kind, required: q.required };
  if (choice) next.options = q.options?.length ? q.options : [{ id: "yes", name: "Yes" }, { id: "no", name: "No" }];
  if (kind === "number") {
    if (q.min != null) next.min = q.min;
    if (q.max != null) next.max = q.max;
  }
  return next;
}

/** Problems the server would refuse, found before sending (first message per path). */
export function ontologyProblems(o: Ontology): string[] {
  const out: string[] = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const c of o.classes) {
    if (!ID_RE.test(c.id)) out.push(`Class "${c.name}": id "${c.id}" must be 1–64 letters, digits, _ - or .`);
    if (ids.has(c.id)) out.push(`Two classes have the id "${c.id}".`);
    ids.add(c.id);
    if (!c.name.trim()) out.push(`Class "${c.id}" needs a name.`);
    if (c.hotkey) {
      if (keys.has(c.hotkey)) out.push(`Hotkey ${c.hotkey} is used twice.`);
      keys.add(c.hotkey);
    }
    if (c.tool === "keypoints" && !c.skeleton?.points.length) out.push(`Class "${c.name}" draws keypoints: add skeleton points.`);
    out.push(...questionProblems(c.attributes ?? [], `Class "${c.name}"`));
  }
  out.push(...questionProblems(o.classifications, "Image questions"));
  return out;
}

function questionProblems(questions: readonly Question[], where: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of allQuestionIds(questions)) {
    if (seen.has(id)) out.push(`${where}: two questions have the id "${id}".`);
    seen.add(id);
    if (!ID_RE.test(id)) out.push(`${where}: question id "${id}" must be 1–64 letters, digits, _ - or .`);
  }
  const walk = (qs: readonly Question[]) => {
    for (const q of qs) {
      if ((q.kind === "radio" || q.kind === "checklist") && !q.options?.length) out.push(`${where}: "${q.name}" needs at least one option.`);
      if (q.min != null && q.max != null && q.min > q.max) out.push(`${where}: "${q.name}" has min greater than max.`);
      for (const opt of q.options ?? []) walk(opt.questions ?? []);
    }
  };
  walk(questions);
  return out;
}

/** What a 409 from PUT /ontology says stored annotations still use ("class 'car'", "question 'q' of class 'car'", …). */
export interface Usage {
  classes: { id: string; retooled: boolean }[];
  answers: string[];
}

export function parseUsages(used: readonly string[]): Usage {
  const classes: Usage["classes"] = [];
  const answers: string[] = [];
  for (const u of used) {
    const m = /^class '([^']+)'( \(tool changed\))?$/.exec(u);
    if (m) classes.push({ id: m[1] as string, retooled: Boolean(m[2]) });
    else answers.push(u);
  }
  return { classes, answers };
}

/** A class's fate in a migration: another class id, or null (delete those objects). */
export type ClassFate = string | null;

export interface MigrationPlan {
  class_map: Record<string, ClassFate>;
  drop_answers: boolean;
}

/** Classes of the new ontology that objects of `oldTool` may become (the server requires the same tool). */
export function mapTargets(next: Ontology, oldTool: ClassTool | undefined, exclude: string): OntologyClass[] {
  return next.classes.filter((c) => c.tool === oldTool && c.id !== exclude);
}
