import Konva from "konva";
import type { Editor, Viewport } from "../../editor";
import { EditorInput } from "../../editor";
import { visibleAssetBounds } from "../../editor";
import type { AnnotationObject } from "../../schema";
import { expandBounds } from "../../geometry";
import type { BitmapPlan } from "./batchBitmap";
import { BatchBitmap, SETTLE_MS } from "./batchBitmap";
import { BatchRenderer, isBatchable } from "./batchShapes";
import { drawDraft, drawHandles, drawIndicators } from "./overlay";
import { buildShapeNode } from "./shapeNodes";
import { styleFor } from "./style";
import { TiledImage } from "./tiles";
import { textSpanHighlights } from "./textLayerHighlights";
import { isTextSpanObject } from "../../editor/tools/textSpan";

/** What the viewer draws under the objects: a decoded image, or a tile pyramid of a large one. */
export type ViewerImage = CanvasImageSource | TiledImage;

/** Figures the bench and the browser tests read (`window.__labelhubViewer`). */
export interface ViewerStats {
  renders: number;
  lastRenderMs: number;
  /** Objects drawn through the batched path vs. as their own Konva nodes in the last frame. */
  batched: number;
  nodes: number;
  /** Times the batched shapes were rasterized into the viewer's bitmap (other frames just draw it). */
  rasters: number;
  tiled: boolean;
  level: number | null;
  tiles: TiledImage["cache"]["stats"] | null;
}

declare global {
  interface Window {
    __labelhubViewer?: ImageViewer;
  }
}

interface CachedNode {
  node: Konva.Shape | Konva.Group;
  object: AnnotationObject;
  zoom: number;
  look: string;
}

/** How long objects drawn live over the batch bitmap wait before it is rasterized with them (ms). */
const STALE_MS = 400;

/** Point markers and keypoints keep a screen size, so their nodes depend on the zoom; other shapes do not. */
const zoomDependent = (o: AnnotationObject): boolean => o.geometry.type === "point" || o.geometry.type === "keypoints";

/**
 * Renders an editor over an image with Konva and feeds it DOM input. The
 * world group carries the viewport transform (asset coordinates inside);
 * handles and indicators are drawn in screen coordinates. Only objects in
 * view are drawn. Plain shapes (boxes, polygons, polylines, ellipses) that
 * are neither selected nor hovered are drawn in batches by one Konva shape
 * (one path per style, tiny shapes as rectangles), so 5,000 polygons cost a
 * few canvas calls a frame; the others keep one cached node each, rebuilt only
 * when their object, look or (for zoom-dependent markers) zoom changed.
 * A `TiledImage` is drawn tile by tile at the level the zoom needs.
 */
export class ImageViewer {
  readonly input: EditorInput;
  private readonly stage: Konva.Stage;
  /** The image alone, on the stage's first canvas: brightness/contrast/gamma (a CSS filter on that canvas) touch only it. */
  private readonly imageWorld = new Konva.Group();
  private readonly world = new Konva.Group();
  private readonly shapes = new Konva.Group();
  private readonly draftGroup = new Konva.Group();
  private readonly overlay = new Konva.Layer({ listening: false });
  private readonly nodes = new Map<string, CachedNode>();
  private nodeOrder = "";
  private batched: AnnotationObject[] = [];
  /** Objects drawn as their own nodes this frame (over the batch bitmap). */
  private nodeObjects = new Set<AnnotationObject>();
  private readonly batches = new BatchRenderer();
  private readonly bitmap = new BatchBitmap();
  private bitmapPlan: BitmapPlan = { reuse: false, region: { minX: 0, minY: 0, maxX: 0, maxY: 0 } };
  /** The zoom of the last `render` (Konva may redraw the layer on its own; the plan belongs to this zoom). */
  private planZoom = 1;
  private lastZoom = 0;
  private zoomChangedAt = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  readonly stats: ViewerStats = { renders: 0, lastRenderMs: 0, batched: 0, nodes: 0, rasters: 0, tiled: false, level: null, tiles: null };
  private readonly draftCanvas = document.createElement("canvas");
  private readonly cleanups: (() => void)[] = [];
  private pointer: { x: number; y: number } | null = null;
  private frame = 0;
  /** The viewport the last automatic fit produced; while unchanged, resizes fit again. */
  private autoFit: Viewport | null = null;

  constructor(private readonly container: HTMLDivElement, private readonly editor: Editor, private readonly image: ViewerImage) {
    this.input = new EditorInput(editor);
    this.stage = new Konva.Stage({ container, width: container.clientWidth, height: container.clientHeight });
    // Pixels stay crisp when zoomed in: labelers need to see exact pixel edges.
    const imageLayer = new Konva.Layer({ listening: false, imageSmoothingEnabled: false });
    this.imageWorld.add(this.imageNode(image));
    imageLayer.add(this.imageWorld);
    const worldLayer = new Konva.Layer({ listening: false, imageSmoothingEnabled: false });
    const batch = new Konva.Shape({
      listening: false,
      perfectDrawEnabled: false,
      sceneFunc: (ctx) => {
        const zoom = this.planZoom;
        const raster = (bctx: CanvasRenderingContext2D, objects: readonly AnnotationObject[]) =>
          this.batches.draw(bctx, objects, (o) => styleFor(editor.ontology, o, false, false), (id) => editor.index.boundsOf(id), zoom);
        const { scaled, stale } = this.bitmap.draw(ctx._context, this.batched, this.nodeObjects, this.bitmapPlan, zoom, Konva.pixelRatio, raster);
        this.stats.rasters = this.bitmap.rasters;
        // A few objects were drawn over the bitmap live: put them into it once the view is idle.
        if (stale && this.staleTimer === null) {
          this.staleTimer = setTimeout(() => {
            this.staleTimer = null;
            this.bitmap.invalidate();
            this.scheduleRender();
          }, STALE_MS);
        }
        // Drawn scaled while zooming: draw it sharp once the zoom has settled.
        if (scaled && this.settleTimer === null) {
          this.settleTimer = setTimeout(() => {
            this.settleTimer = null;
            this.scheduleRender();
          }, SETTLE_MS + 10);
        }
      },
    });
    // Text spans of PDF pages: highlights from the page's text layer, under the other shapes.
    this.world.add(batch, textSpanHighlights(editor), this.shapes, this.draftGroup);
    worldLayer.add(this.world);
    this.stage.add(imageLayer, worldLayer, this.overlay);
    container.tabIndex = 0;
    this.listen();
    this.cleanups.push(editor.subscribe(() => this.scheduleRender()));
    if (image instanceof TiledImage) this.cleanups.push(image.subscribe(() => this.scheduleRender()));
    window.__labelhubViewer = this;
    this.cleanups.push(() => {
      if (window.__labelhubViewer === this) window.__labelhubViewer = undefined;
    });
    this.resize();
  }

  private imageNode(image: ViewerImage): Konva.Shape {
    const { width, height } = this.editor.assetSize;
    if (!(image instanceof TiledImage)) return new Konva.Image({ image, x: 0, y: 0, width, height, listening: false });
    this.stats.tiled = true;
    return new Konva.Shape({
      listening: false,
      perfectDrawEnabled: false,
      sceneFunc: (ctx) => {
        const v = this.editor.viewport;
        image.draw(ctx._context, visibleAssetBounds(v, this.editor.viewSize), v.zoom, Konva.pixelRatio);
      },
    });
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    if (this.staleTimer !== null) clearTimeout(this.staleTimer);
    this.bitmap.release();
    for (const cleanup of this.cleanups) cleanup();
    this.stage.destroy();
  }

  private scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private resize(): void {
    const size = { width: this.container.clientWidth, height: this.container.clientHeight };
    this.stage.size(size);
    this.editor.setViewSize(size);
    const untouched = this.autoFit === null || this.editor.viewport === this.autoFit;
    if (untouched && size.width > 0 && size.height > 0) {
      this.editor.fitToScreen();
      this.autoFit = this.editor.viewport;
    }
    this.editor.notify();
  }

  private point(e: MouseEvent): { x: number; y: number; button: number; shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean } {
    const rect = this.container.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top, button: e.button, shiftKey: e.shiftKey, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey };
  }

  private listen(): void {
    const el = this.container;
    const on = <K extends keyof HTMLElementEventMap>(type: K, handler: (e: HTMLElementEventMap[K]) => void, options?: AddEventListenerOptions) => {
      el.addEventListener(type, handler, options);
      this.cleanups.push(() => el.removeEventListener(type, handler, options));
    };
    on("pointerdown", (e) => {
      el.focus();
      el.setPointerCapture(e.pointerId);
      if (e.button === 1) e.preventDefault();
      this.input.pointerDown(this.point(e));
    });
    on("pointermove", (e) => {
      this.pointer = this.point(e);
      this.input.pointerMove(this.point(e));
    });
    on("pointerup", (e) => this.input.pointerUp(this.point(e)));
    on("dblclick", (e) => this.input.doubleClick(this.point(e)));
    on("contextmenu", (e) => e.preventDefault());
    on(
      "wheel",
      (e) => {
        e.preventDefault();
        const p = this.point(e);
        this.input.wheel({ x: p.x, y: p.y, deltaY: e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY, ctrlKey: e.ctrlKey });
      },
      { passive: false },
    );
    on("keydown", (e) => {
      if (this.input.keyDown(e)) e.preventDefault();
    });
    on("keyup", (e) => this.input.keyUp(e));
    const observer = new ResizeObserver(() => this.resize());
    observer.observe(el);
    this.cleanups.push(() => observer.disconnect());
  }

  private render(): void {
    const started = performance.now();
    const { editor } = this;
    const v = editor.viewport;
    for (const group of [this.imageWorld, this.world]) {
      group.position({ x: v.panX, y: v.panY });
      group.scale({ x: v.zoom, y: v.zoom });
    }
    this.renderShapes();
    this.draftGroup.destroyChildren();
    drawDraft(editor, this.draftGroup, this.draftCanvas);
    this.overlay.destroyChildren();
    drawHandles(editor, this.overlay);
    drawIndicators(editor, this.overlay, this.pointer);
    this.stage.draw(); // already inside an animation frame: draw now rather than schedule another
    const s = this.stats;
    s.renders++;
    s.lastRenderMs = performance.now() - started;
    if (this.image instanceof TiledImage) [s.level, s.tiles] = [this.image.level, this.image.cache.stats];
  }

  /**
   * Objects to draw, bottom to top: those meeting this frame's bitmap region (the view and a
   * margin, see ./batchBitmap); when it holds the whole image, the store's order without an index query.
   */
  private visibleObjects(): AnnotationObject[] {
    const { editor } = this;
    const zoom = editor.viewport.zoom;
    const now = performance.now();
    if (zoom !== this.lastZoom) [this.lastZoom, this.zoomChangedAt] = [zoom, now];
    const view = visibleAssetBounds(editor.viewport, editor.viewSize);
    const { width, height } = editor.assetSize;
    const asset = { minX: 0, minY: 0, maxX: width, maxY: height };
    // Strokes reach a few screen pixels past the image's edge.
    const content = expandBounds(asset, 8 / zoom);
    this.bitmapPlan = this.bitmap.plan(view, asset, content, zoom, now - this.zoomChangedAt >= SETTLE_MS, Konva.pixelRatio);
    this.planZoom = zoom;
    const region = this.bitmapPlan.region;
    if (region.minX > content.minX || region.minY > content.minY || region.maxX < content.maxX || region.maxY < content.maxY) return editor.objectsIn(region);
    return editor.hidden.size === 0 ? editor.objects() : editor.objects().filter((o) => !editor.hidden.has(o.id));
  }

  private renderShapes(): void {
    const { editor } = this;
    const zoom = editor.viewport.zoom;
    const paintingOver = editor.draft?.kind === "mask" ? editor.draft.targetId : null;
    const seen = new Set<string>();
    const batched: AnnotationObject[] = [];
    const nodeObjects = new Set<AnnotationObject>();
    const ordered: string[] = [];
    for (const o of this.visibleObjects()) {
      if (isTextSpanObject(o)) continue; // drawn by textSpanHighlights
      if (o.id === paintingOver) continue;
      const selected = editor.selectedIds.includes(o.id);
      const hovered = editor.hoveredId === o.id;
      if (!selected && !hovered && isBatchable(o.geometry)) {
        batched.push(o);
        continue;
      }
      seen.add(o.id);
      ordered.push(o.id);
      nodeObjects.add(o);
      const look = `${selected}:${hovered}`;
      const nodeZoom = zoomDependent(o) ? zoom : 0;
      let cached = this.nodes.get(o.id);
      if (!cached || cached.object !== o || cached.zoom !== nodeZoom || cached.look !== look) {
        cached?.node.destroy();
        const skeleton = editor.ontology.classes.find((c) => c.id === o.class_id)?.skeleton;
        cached = { node: buildShapeNode(o.geometry, styleFor(editor.ontology, o, selected, hovered), zoom, skeleton), object: o, zoom: nodeZoom, look };
        this.nodes.set(o.id, cached);
        this.shapes.add(cached.node);
        this.nodeOrder = "";
      }
    }
    for (const [id, cached] of this.nodes) {
      if (seen.has(id)) continue;
      cached.node.destroy();
      this.nodes.delete(id);
    }
    // Restack only when the order of the nodes changed (moveToTop is linear in the children).
    const order = ordered.join("\n");
    if (order !== this.nodeOrder) {
      for (const id of ordered) this.nodes.get(id)?.node.moveToTop();
      this.nodeOrder = order;
    }
    this.batched = batched;
    this.nodeObjects = nodeObjects;
    this.stats.batched = batched.length;
    this.stats.nodes = ordered.length;
  }
}
