import type { Annotation, AnnotationObject, Ontology } from "../../schema";
import type { VolumeRle } from "./rle3d";
import { decodeVolumeRle, encodeVolumeRle } from "./rle3d";
import type { VolumePolygon } from "./polygonTool";
import type { VolumeBox, VolumeSession } from "./session";
import type { SliceAnswers } from "./sliceAnswers";

/** The ontology's classes per volume tool, in order; a mask class's label value is its index + 1. */
export function volumeClasses(ontology: Ontology) {
  return {
    masks: ontology.classes.filter((c) => c.tool === "volume_mask"),
    boxes: ontology.classes.filter((c) => c.tool === "volume_box"),
    polygons: ontology.classes.filter((c) => c.tool === "volume_polygon"),
  };
}

interface WireVolumeMask {
  type: "volume_mask";
  rle: VolumeRle;
}
interface WireVolumeBox {
  type: "volume_box";
  xyzxyz: VolumeBox["xyzxyz"];
}
interface WireVolumePolygon {
  type: "volume_polygon";
  axis: "i" | "j" | "k";
  slice: number;
  points: [number, number][];
}
const AXES = ["i", "j", "k"] as const;

const HUMAN = { page: 0, attributes: {}, source: { kind: "human" as const }, confidence: null };

/** Object id of the one volume_mask object per class. */
export const maskObjectId = (classId: string) => `vm-${classId}`.slice(0, 64);

/**
 * Loads an annotation body into the session: volume_mask objects into the label volume (in
 * class order; a later class wins where masks overlap), volume_box objects into boxes. Returns
 * the objects it does not handle, to be written back unchanged, and the mask objects' ids.
 */
export function loadAnnotation(session: VolumeSession, ontology: Ontology, annotation: Annotation): { others: AnnotationObject[]; maskIds: Map<string, string> } {
  const { masks } = volumeClasses(ontology);
  const others: AnnotationObject[] = [];
  const maskIds = new Map<string, string>();
  const boxes: VolumeBox[] = [];
  const polygons: VolumePolygon[] = [];
  for (const o of annotation.objects) {
    const g = o.geometry as unknown as WireVolumeMask | WireVolumeBox | WireVolumePolygon | { type: string };
    const value = masks.findIndex((c) => c.id === o.class_id) + 1;
    if (g.type === "volume_mask" && value > 0) {
      decodeVolumeRle((g as WireVolumeMask).rle, session.labels.data, value);
      maskIds.set(o.class_id, o.id);
    } else if (g.type === "volume_box") boxes.push({ id: o.id, classId: o.class_id, xyzxyz: [...(g as WireVolumeBox).xyzxyz] });
    else if (g.type === "volume_polygon") {
      const p = g as WireVolumePolygon;
      polygons.push({ id: o.id, classId: o.class_id, axis: AXES.indexOf(p.axis) as VolumePolygon["axis"], slice: p.slice, points: p.points.map(([a, b]) => [a, b]) });
    } else others.push(o);
  }
  session.boxes = boxes;
  session.polygons = polygons;
  session.labels.version++;
  return { others, maskIds };
}

/** The annotation body: one volume_mask object per painted class, every box and slice polygon, the untouched others, and the answers. */
export function toAnnotation(
  session: VolumeSession,
  ontology: Ontology,
  base: { others: AnnotationObject[]; maskIds: Map<string, string>; classifications: Annotation["classifications"]; sliceClassifications?: SliceAnswers },
): Annotation {
  const { masks } = volumeClasses(ontology);
  const { ni, nj, nk } = session.volume;
  const size: [number, number, number] = [nk, nj, ni];
  const present = session.labels.histogram();
  const objects: AnnotationObject[] = [];
  masks.forEach((c, n) => {
    if ((present[n + 1] ?? 0) === 0) return;
    const geometry: WireVolumeMask = { type: "volume_mask", rle: encodeVolumeRle(session.labels.data, size, n + 1) };
    objects.push({ id: base.maskIds.get(c.id) ?? maskObjectId(c.id), class_id: c.id, geometry: geometry as unknown as AnnotationObject["geometry"], ...HUMAN });
  });
  for (const b of session.boxes) {
    const geometry: WireVolumeBox = { type: "volume_box", xyzxyz: b.xyzxyz };
    objects.push({ id: b.id, class_id: b.classId, geometry: geometry as unknown as AnnotationObject["geometry"], ...HUMAN });
  }
  for (const p of session.polygons) {
    const geometry: WireVolumePolygon = { type: "volume_polygon", axis: AXES[p.axis], slice: p.slice, points: p.points };
    objects.push({ id: p.id, class_id: p.classId, geometry: geometry as unknown as AnnotationObject["geometry"], ...HUMAN });
  }
  const out: Annotation = { objects: [...base.others, ...objects], classifications: base.classifications };
  if (base.sliceClassifications && Object.keys(base.sliceClassifications).length > 0) out.slice_classifications = base.sliceClassifications;
  return out;
}
