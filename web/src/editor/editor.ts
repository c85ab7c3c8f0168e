import type { Bounds, Vec2 } from "../geometry";
import { drawnAs } from "./drawnAs";
import { distance } from "../geometry";
import type { Annotation, AnnotationObject, AttributeAnswer, Geometry, GeometryType, Ontology, OntologyClass } from "../schema";
import { emptyAnnotation } from "../schema";
import { Clipboard } from "./clipboard";
import { AnnotationDocument } from "./document";
import { EditSession } from "./editSession";
import { createIdGenerator } from "./ids";
import { ObjectIndex } from "./objectIndex";
import { ObjectStore } from "./objectStore";
import { shapeHandles } from "./shapes";
import type { Draft, HandleHit, Hud, ToolHost, VertexRef } from "./tools/host";
import { IMAGE_TOOLS } from "./tools";
import { isTextSpanObject } from "./tools/textSpan";
import type { ToolId, ToolRuntime, ToolSpec } from "./tools/types";
import type { Size, Viewport } from "./viewport";
import { IDENTITY_VIEWPORT, fitViewport, zoomAbout } from "./viewport";
import { withAnswer } from "./answers";
import { documentRegionsFromWire, documentRegionsToWire } from "./documentRegions";
import { availableTools, classAfterToolSwitch, toolAfterClassPick, toolForClass } from "./toolChoice";
import { HANDLE_RADIUS_PX, HIT_TOLERANCE_PX, ROTATE_HANDLE_OFFSET_PX } from "./hitRadii";
import type { ChangeChannel, ChannelVersions } from "./changes";
import { ChangeTracker, VersionedSet } from "./changes";

export interface EditorOptions {
  ontology: Ontology;
  assetSize: Size;
  annotation?: Annotation;
  /** Ids for new objects; default "o1", "o2", ... skipping taken ids. */
  newId?: () => string;
  viewport?: Viewport;
  brushRadius?: number;
  /** Shared between editors to copy and paste across tasks; default: this editor's own. */
  clipboard?: Clipboard;
}

/**
 * The headless editor: the document, the selection, the viewport and the
 * tools. DOM-free: a view feeds it input (see ./input) and renders from it.
 */
export class Editor implements ToolHost {
  readonly ontology: Ontology;
  readonly assetSize: Size;
  readonly store: ObjectStore;
  readonly document: AnnotationDocument;
  readonly index: ObjectIndex;
  viewport: Viewport;
  viewSize: Size = { width: 0, height: 0 };
  page = 0;
  brushRadius: number;
  selectedIds: readonly string[] = [];
  selectedVertex: VertexRef | null = null;
  hoveredId: string | null = null;
  draft: Draft | null = null;
  hud: Hud | null = null;
  activeClassId: string | null;
  readonly hidden = new VersionedSet<string>();
  readonly locked = new VersionedSet<string>();
  readonly tools: ReadonlyMap<ToolId, ToolRuntime>;
  private currentTool: ToolRuntime;
  private readonly clipboard: Clipboard;
  private readonly nextId: () => string;
  private edit: EditSession | null = null;
  private readonly listeners = new Map<() => void, ReadonlySet<ChangeChannel> | null>();
  private readonly changes: ChangeTracker;

  constructor(options: EditorOptions) {
    this.ontology = options.ontology;
    this.assetSize = options.assetSize;
    const annotation = documentRegionsFromWire(options.annotation ?? emptyAnnotation(), options.ontology);
    this.store = new ObjectStore(annotation.objects);
    this.document = new AnnotationDocument(this.store, annotation.classifications);
    this.index = new ObjectIndex(this.store);
    this.viewport = options.viewport ?? IDENTITY_VIEWPORT;
    this.brushRadius = options.brushRadius ?? 10;
    this.clipboard = options.clipboard ?? new Clipboard();
    const generate = createIdGenerator(annotation.objects.map((o) => o.id));
    this.nextId = options.newId ?? (() => generate((id) => this.store.has(id)));
    this.tools = new Map(IMAGE_TOOLS.map((spec) => [spec.id, spec.create(this)]));
    this.currentTool = this.tools.get("select") as ToolRuntime;
    this.activeClassId = this.ontology.classes.find((c) => toolForClass(c))?.id ?? null;
    this.changes = new ChangeTracker(() => ({
      document: [this.store.version, this.document.classifications, this.document.history.version],
      selection: [this.selectedIds, this.selectedVertex, this.hoveredId],
      ui: [this.currentTool, this.activeClassId, this.page, this.hidden.version, this.locked.version, this.brushRadius],
    }));
  }

  // ---- observing ---------------------------------------------------------

  /** "<tool>.<state>", e.g. "bbox.idle". */
  get stateName(): string {
    return this.currentTool.stateName;
  }

  get toolId(): ToolId {
    return this.currentTool.id;
  }

  get activeTool(): ToolRuntime {
    return this.currentTool;
  }

  /**
   * Calls `listener` on every `notify()`, or, with `channels`, only on those that changed one of
   * them (see ./changes: a side panel need not re-render when only the viewport moved).
   */
  subscribe(listener: () => void, channels?: readonly ChangeChannel[]): () => void {
    this.listeners.set(listener, channels && !channels.includes("view") ? new Set(channels) : null);
    return () => this.listeners.delete(listener);
  }

  /** Version numbers per change channel, bumped by `notify()` (for `useSyncExternalStore`-style hooks). */
  get versions(): Readonly<ChannelVersions> {
    return this.changes.versions;
  }

  /** Tells views to re-render; input handlers call it once per event. */
  notify(): void {
    const changed = this.changes.update();
    for (const [listener, channels] of [...this.listeners]) {
      if (channels === null || [...channels].some((c) => changed.has(c))) listener();
    }
  }

  /** Objects on the current page, bottom to top. */
  objects(): AnnotationObject[] {
    return this.store.all().filter((o) => o.page === this.page);
  }

  /** Visible objects on the current page whose bounds meet `area` (culling), bottom to top. */
  objectsIn(area: Bounds): AnnotationObject[] {
    return this.index.query(area, (o) => o.page === this.page && !this.hidden.has(o.id));
  }

  toAnnotation(): Annotation {
    return { objects: documentRegionsToWire(this.store.all(), this.ontology), classifications: { ...this.document.classifications } };
  }

  /** Tools the ontology needs (select always), in toolbar order. */
  availableTools(): ToolSpec[] {
    return availableTools(this.ontology).filter((t) => t.available?.(this) ?? true);
  }

  // ---- ToolHost ------------------------------------------------------------

  screenToAssetDistance(screenPixels: number): number {
    return screenPixels / this.viewport.zoom;
  }

  getObject(id: string): AnnotationObject | undefined {
    return this.store.get(id);
  }

  private isInteractive = (o: AnnotationObject): boolean => o.page === this.page && !this.hidden.has(o.id) && !this.locked.has(o.id);

  hitTestObject(p: Vec2, accept: (o: AnnotationObject) => boolean = () => true): AnnotationObject | null {
    return this.index.hitTest(p, this.screenToAssetDistance(HIT_TOLERANCE_PX), (o) => this.isInteractive(o) && accept(o));
  }

  hitTestHandle(p: Vec2): HandleHit | null {
    const radius = this.screenToAssetDistance(HANDLE_RADIUS_PX);
    const options = { rotateOffset: this.screenToAssetDistance(ROTATE_HANDLE_OFFSET_PX) };
    let best: HandleHit | null = null;
    let bestDistance = radius;
    for (const id of this.selectedIds) {
      const o = this.store.get(id);
      if (!o || !this.isInteractive(o)) continue;
      for (const handle of shapeHandles(o.geometry, options)) {
        const d = distance(p, handle);
        if (d <= bestDistance) {
          best = { objectId: id, handle };
          bestDistance = d;
        }
      }
    }
    return best;
  }

  select(ids: readonly string[]): void {
    this.selectedIds = [...ids];
    if (this.selectedVertex && !ids.includes(this.selectedVertex.objectId)) this.selectedVertex = null;
  }

  /** The object under the pointer (highlighted), or null. */
  setHovered(id: string | null): void {
    this.hoveredId = id;
  }

  setSelectedVertex(vertex: VertexRef | null): void {
    this.selectedVertex = vertex;
  }

  classForTool(tool: GeometryType): OntologyClass | null {
    const active = this.ontology.classes.find((c) => c.id === this.activeClassId);
    if (active && drawnAs(active.tool) === tool) return active;
    return this.ontology.classes.find((c) => drawnAs(c.tool) === tool) ?? null;
  }

  setDraft(draft: Draft | null): void {
    this.draft = draft;
  }

  setHud(hud: Hud | null): void {
    this.hud = hud;
  }

  createObject(label: string, classId: string, geometry: Geometry): AnnotationObject {
    const object: AnnotationObject = {
      id: this.nextId(),
      class_id: classId,
      page: this.page,
      geometry,
      attributes: {},
      source: { kind: "human" },
      confidence: null,
    };
    this.commit(label, [object], [], [object.id]);
    return object;
  }

  commit(label: string, put: readonly AnnotationObject[], remove: readonly string[], selectAfter?: readonly string[]): void {
    const before = this.selectedIds;
    const after = selectAfter ?? before.filter((id) => !remove.includes(id));
    if (this.document.change(label, put, remove, { before, after })) this.select(after);
  }

  beginEdit(ids: readonly string[]): void {
    this.edit?.cancel();
    this.edit = new EditSession(this.store, ids, this.selectedIds);
  }

  previewEdit(objects: readonly AnnotationObject[]): void {
    this.edit?.preview(objects);
  }

  finishEdit(label: string): void {
    const change = this.edit?.finish(label, this.selectedIds);
    this.edit = null;
    if (change) this.document.record(change);
  }

  cancelEdit(): void {
    this.edit?.cancel();
    this.edit = null;
  }

  // ---- commands --------------------------------------------------------------

  setTool(id: ToolId): void {
    const next = this.tools.get(id);
    if (!next || next === this.currentTool) return;
    this.currentTool.interrupt();
    this.currentTool = next;
    this.activeClassId = classAfterToolSwitch(this.ontology, id, this.activeClassId);
  }

  /** Makes `classId` the class for new objects and, unless the current tool draws it, switches to one that does. */
  setActiveClass(classId: string): void {
    const cls = this.ontology.classes.find((c) => c.id === classId);
    if (!cls) return;
    this.activeClassId = classId;
    const tool = toolAfterClassPick(this.currentTool.id, cls);
    if (tool) this.setTool(tool);
  }

  undo(): void {
    this.stepHistory("undo");
  }

  redo(): void {
    this.stepHistory("redo");
  }

  private stepHistory(direction: "undo" | "redo"): void {
    this.currentTool.interrupt();
    const selection = this.document.step(direction);
    if (selection) this.select(selection.filter((id) => this.store.has(id)));
  }

  /** Shows page `page` (clamped to 0..pages-1) of a multi-page asset; the selection is cleared. */
  setPage(page: number, pages: number): void {
    const next = Math.max(0, Math.min(pages - 1, Math.round(page)));
    if (next === this.page) return;
    this.activeTool.cancel();
    this.page = next;
    this.select([]);
  }

  /**
   * Moves an object `delta` steps up (+) or down (−) the z-order among the objects of its page
   * (later = drawn on top, hit first). One undo step.
   */
  reorder(id: string, delta: number): void {
    const order = [...this.store.ids()];
    const samePage = order.filter((oid) => this.store.get(oid)?.page === this.store.get(id)?.page);
    const at = samePage.indexOf(id);
    const target = samePage[Math.max(0, Math.min(samePage.length - 1, at + delta))];
    if (at < 0 || target === undefined || target === id) return;
    order.splice(order.indexOf(id), 1);
    order.splice(order.indexOf(target) + (delta > 0 ? 1 : 0), 0, id);
    this.document.reorder(delta > 0 ? "Bring forward" : "Send backward", order, this.selectedIds);
  }

  deleteSelected(): void {
    if (this.selectedIds.length > 0) this.commit("Delete", [], this.selectedIds, []);
  }

  copy(): void {
    // Not text spans: pasted they would cover the same offsets (other text on another page, an overlap on this one).
    const objects = this.selectedIds.flatMap((id) => this.store.get(id) ?? []).filter((o) => !isTextSpanObject(o));
    if (objects.length > 0) this.clipboard.copy(objects);
  }

  paste(): void {
    if (this.clipboard.isEmpty) return;
    const pasted = this.clipboard.paste(this.nextId, this.page);
    this.commit("Paste", pasted, [], pasted.map((o) => o.id));
  }

  updateAttributes(objectId: string, questionId: string, answer: AttributeAnswer | null): void {
    const o = this.store.get(objectId);
    if (!o) return;
    const attributes = withAnswer(o.attributes, questionId, answer);
    this.commit("Edit attribute", [{ ...o, attributes }], []);
  }

  setClassification(questionId: string, answer: AttributeAnswer | null): void {
    const answers = withAnswer(this.document.classifications, questionId, answer);
    this.document.setClassifications("Edit classification", answers, this.selectedIds);
  }

  setViewport(viewport: Viewport): void {
    this.viewport = viewport;
  }

  setViewSize(size: Size): void {
    this.viewSize = size;
  }

  fitToScreen(): void {
    this.viewport = fitViewport(this.assetSize, this.viewSize);
  }

  /** Zooms by `factor` about `anchor` (screen), default the view's centre. */
  zoomBy(factor: number, anchor?: Vec2): void {
    const a = anchor ?? { x: this.viewSize.width / 2, y: this.viewSize.height / 2 };
    this.viewport = zoomAbout(this.viewport, a, this.viewport.zoom * factor);
  }
}
