import type { Annotation } from "./annotation";
import type { Issue } from "./issues";
import { describe, isFiniteNumber, isRecord } from "./issues";
import type { Ontology } from "./ontology";
import { assetQuestions, sliceQuestions } from "./ontology";
import { validateAnswers } from "./questions";
import { validateGeometry } from "./validateGeometry";

function validateSource(value: unknown, path: string): Issue[] {
  if (!isRecord(value)) return [{ path, message: `expected {kind}, got ${describe(value)}` }];
  switch (value.kind) {
    case "human":
      return [];
    case "model":
      return typeof value.name === "string" && typeof value.version === "string"
        ? []
        : [{ path, message: "a model source needs name and version strings" }];
    case "import":
      return typeof value.name === "string" ? [] : [{ path, message: "an import source needs a name string" }];
    default:
      return [{ path: `${path}.kind`, message: `expected "human", "model" or "import", got ${JSON.stringify(value.kind)}` }];
  }
}

function validateObject(value: unknown, path: string): Issue[] {
  if (!isRecord(value)) return [{ path, message: `expected an object, got ${describe(value)}` }];
  const issues: Issue[] = [];
  if (typeof value.id !== "string" || value.id === "") issues.push({ path: `${path}.id`, message: "expected a non-empty string" });
  if (typeof value.class_id !== "string") issues.push({ path: `${path}.class_id`, message: "expected a string" });
  if (!Number.isInteger(value.page) || (value.page as number) < 0) issues.push({ path: `${path}.page`, message: "expected an integer >= 0" });
  issues.push(...validateGeometry(value.geometry, `${path}.geometry`));
  if (!isRecord(value.attributes)) issues.push({ path: `${path}.attributes`, message: "expected an object" });
  issues.push(...validateSource(value.source, `${path}.source`));
  const c = value.confidence;
  if (c !== null && !(isFiniteNumber(c) && c >= 0 && c <= 1)) issues.push({ path: `${path}.confidence`, message: "expected null or a number in [0, 1]" });
  return issues;
}

/** Structural check of wire JSON; an empty list means it is a valid `Annotation`. */
export function validateAnnotation(value: unknown): Issue[] {
  if (!isRecord(value)) return [{ path: "", message: `expected an object, got ${describe(value)}` }];
  const issues: Issue[] = [];
  if (!Array.isArray(value.objects)) {
    issues.push({ path: "objects", message: "expected a list" });
  } else {
    const seen = new Set<string>();
    value.objects.forEach((o: unknown, i) => {
      issues.push(...validateObject(o, `objects[${i}]`));
      const id = isRecord(o) ? o.id : undefined;
      if (typeof id === "string" && seen.has(id)) issues.push({ path: `objects[${i}].id`, message: `duplicate id ${JSON.stringify(id)}` });
      if (typeof id === "string") seen.add(id);
    });
  }
  if (!isRecord(value.classifications)) issues.push({ path: "classifications", message: "expected an object" });
  return issues;
}

export function isAnnotation(value: unknown): value is Annotation {
  return validateAnnotation(value).length === 0;
}

/** Checks a structurally valid annotation against an ontology: classes, tools, answers. */
export function validateAgainstOntology(annotation: Annotation, ontology: Ontology): Issue[] {
  const classes = new Map(ontology.classes.map((c) => [c.id, c]));
  const issues: Issue[] = [];
  annotation.objects.forEach((o, i) => {
    const path = `objects[${i}]`;
    const cls = classes.get(o.class_id);
    if (!cls) {
      issues.push({ path: `${path}.class_id`, message: `unknown class ${JSON.stringify(o.class_id)}` });
      return;
    }
    if (cls.tool !== o.geometry.type) {
      issues.push({ path: `${path}.geometry.type`, message: `class ${cls.id} uses ${cls.tool}, got ${o.geometry.type}` });
    }
    if (o.geometry.type === "keypoints" && cls.skeleton && o.geometry.points.length !== cls.skeleton.points.length) {
      issues.push({ path: `${path}.geometry.points`, message: `expected ${cls.skeleton.points.length} keypoints, got ${o.geometry.points.length}` });
    }
    issues.push(...validateAnswers(cls.attributes ?? [], o.attributes, `${path}.attributes`));
  });
  issues.push(...validateAnswers(assetQuestions(ontology), annotation.classifications, "classifications"));
  const slices = sliceQuestions(ontology);
  for (const [k, answers] of Object.entries(annotation.slice_classifications ?? {})) issues.push(...validateAnswers(slices, answers, `slice_classifications.${k}`));
  return issues;
}
