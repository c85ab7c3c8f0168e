import type { MaskBitmap, Vec2 } from "../../geometry";
import type { AnnotationObject, Geometry, GeometryType, Ontology, OntologyClass } from "../../schema";
import type { Handle } from "../shapes";
import type { Size, Viewport } from "../viewport";

/** What a tool is drawing and has not committed yet; the view renders it as a preview. */
export type Draft =
  | { kind: "geometry"; classId: string; geometry: Geometry }
  | {
      kind: "mask";
      classId: string;
      /** The mask object being painted, or null for a new one. */
      targetId: string | null;
      bitmap: MaskBitmap;
      /** Bumped on every stroke step so views know to repaint. */
      version: number;
    };

/** Numbers shown next to the cursor while editing (e.g. the exact angle while rotating). */
export interface Hud {
  angleDegrees?: number;
  /** Name of the skeleton point the keypoints tool places next. */
  nextKeypoint?: string;
}

export interface HandleHit {
  objectId: string;
  handle: Handle;
}

export interface VertexRef {
  objectId: string;
  index: number;
}

/**
 * The editor as tools see it. Tools never touch the store or history
 * directly: they create, commit, or run an edit session (begin, preview, finish
 * or cancel), which the editor turns into one undoable change.
 */
export interface ToolHost {
  readonly ontology: Ontology;
  readonly assetSize: Size;
  readonly page: number;
  readonly viewport: Viewport;
  readonly brushRadius: number;
  readonly selectedIds: readonly string[];
  readonly selectedVertex: VertexRef | null;

  /** A distance in screen pixels as asset pixels at the current zoom (hit radii stay constant on screen). */
  screenToAssetDistance(screenPixels: number): number;
  getObject(id: string): AnnotationObject | undefined;
  /** Topmost visible, unlocked object on the current page under `p`. */
  hitTestObject(p: Vec2, accept?: (o: AnnotationObject) => boolean): AnnotationObject | null;
  /** A handle of a selected object under `p`. */
  hitTestHandle(p: Vec2): HandleHit | null;
  select(ids: readonly string[]): void;
  setSelectedVertex(vertex: VertexRef | null): void;
  /** The active class if it uses `tool`, else the first class that does, else null. */
  classForTool(tool: GeometryType): OntologyClass | null;
  setDraft(draft: Draft | null): void;
  setHud(hud: Hud | null): void;

  /** Adds a human object on the current page, selects it and records one undo step. */
  createObject(label: string, classId: string, geometry: Geometry): AnnotationObject;
  /** Puts and removes objects as one undo step; selects `selectAfter` (default: unchanged). */
  commit(label: string, put: readonly AnnotationObject[], remove: readonly string[], selectAfter?: readonly string[]): void;
  beginEdit(ids: readonly string[]): void;
  previewEdit(objects: readonly AnnotationObject[]): void;
  finishEdit(label: string): void;
  cancelEdit(): void;
}
