import type { Annotation, AnnotationObject, Ontology } from "../schema";

/**
 * `document_region` objects (OCR lines, layout regions) on the wire are
 * `{type: "document_region", xyxy}`. The image editor has no shape of its own for them: it keeps
 * them as boxes of their document_region class (drawn, selected, moved and resized like any box)
 * and converts back when the annotation leaves the editor.
 */
function regionClasses(ontology: Ontology): ReadonlySet<string> {
  return new Set(ontology.classes.filter((c) => c.tool === "document_region").map((c) => c.id));
}

/** Wire -> editor: document regions become boxes (everything else is returned as it is). */
export function documentRegionsFromWire(annotation: Annotation, ontology: Ontology): Annotation {
  const regions = regionClasses(ontology);
  if (regions.size === 0) return annotation;
  const objects = annotation.objects.map((o): AnnotationObject => {
    const g = o.geometry as unknown as { type: string; xyxy?: [number, number, number, number] };
    return g.type === "document_region" && g.xyxy ? { ...o, geometry: { type: "bbox", xyxy: g.xyxy } } : o;
  });
  return { ...annotation, objects };
}

/** Editor -> wire: boxes of document_region classes go out as document regions. */
export function documentRegionsToWire(objects: AnnotationObject[], ontology: Ontology): AnnotationObject[] {
  const regions = regionClasses(ontology);
  if (regions.size === 0) return objects;
  return objects.map((o) =>
    regions.has(o.class_id) && o.geometry.type === "bbox" ? ({ ...o, geometry: { type: "document_region", xyxy: o.geometry.xyxy } } as unknown as AnnotationObject) : o,
  );
}
