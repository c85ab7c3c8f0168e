import Konva from "konva";
import type { Editor, Viewport } from "../../editor";
import { EditorInput } from "../../editor";
import type { AnnotationObject } from "../../schema";
import { cullObjects } from "./culling";
import { drawDraft, drawHandles, drawIndicators } from "./overlay";
import { buildShapeNode } from "./shapeNodes";
import { styleFor } from "./style";

interface CachedNode {
  node: Konva.Shape | Konva.Group;
  object: AnnotationObject;
  zoom: number;
  look: string;
}

/**
 * Renders an editor over an image with Konva and feeds it DOM input. The
 * world group carries the viewport transform (asset coordinates inside);
 * handles and indicators are drawn in screen coordinates. Only objects in
 * view are drawn, and a node is rebuilt only when its object, look or zoom changed.
 */
export class ImageViewer {
  readonly input: EditorInput;
  private readonly stage: Konva.Stage;
  private readonly world = new Konva.Group();
  private readonly shapes = new Konva.Group();
  private readonly draftGroup = new Konva.Group();
  private readonly overlay = new Konva.Layer({ listening: false });
  private readonly nodes = new Map<string, CachedNode>();
  private readonly draftCanvas = document.createElement("canvas");
  private readonly cleanups: (() => void)[] = [];
  private pointer: { x: number; y: number } | null = null;
  private frame = 0;
  /** The viewport the last automatic fit produced; while unchanged, resizes fit again. */
  private autoFit: Viewport | null = null;

  constructor(private readonly container: HTMLDivElement, private readonly editor: Editor, image: CanvasImageSource) {
    this.input = new EditorInput(editor);
    this.stage = new Konva.Stage({ container, width: container.clientWidth, height: container.clientHeight });
    // Pixels stay crisp when zoomed in: labelers need to see exact pixel edges.
    const worldLayer = new Konva.Layer({ listening: false, imageSmoothingEnabled: false });
    this.world.add(new Konva.Image({ image, x: 0, y: 0, width: editor.assetSize.width, height: editor.assetSize.height }));
    this.world.add(this.shapes, this.draftGroup);
    worldLayer.add(this.world);
    this.stage.add(worldLayer, this.overlay);
    container.tabIndex = 0;
    this.listen();
    this.cleanups.push(editor.subscribe(() => this.scheduleRender()));
    this.resize();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
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
    const { editor } = this;
    const v = editor.viewport;
    this.world.position({ x: v.panX, y: v.panY });
    this.world.scale({ x: v.zoom, y: v.zoom });
    this.renderShapes();
    this.draftGroup.destroyChildren();
    drawDraft(editor, this.draftGroup, this.draftCanvas);
    this.overlay.destroyChildren();
    drawHandles(editor, this.overlay);
    drawIndicators(editor, this.overlay, this.pointer);
    this.stage.batchDraw();
  }

  private renderShapes(): void {
    const { editor } = this;
    const zoom = editor.viewport.zoom;
    const paintingOver = editor.draft?.kind === "mask" ? editor.draft.targetId : null;
    const seen = new Set<string>();
    for (const o of cullObjects(editor)) {
      if (o.id === paintingOver) continue;
      seen.add(o.id);
      const selected = editor.selectedIds.includes(o.id);
      const hovered = editor.hoveredId === o.id;
      const look = `${selected}:${hovered}`;
      let cached = this.nodes.get(o.id);
      if (!cached || cached.object !== o || cached.zoom !== zoom || cached.look !== look) {
        cached?.node.destroy();
        const skeleton = editor.ontology.classes.find((c) => c.id === o.class_id)?.skeleton;
        cached = { node: buildShapeNode(o.geometry, styleFor(editor.ontology, o, selected, hovered), zoom, skeleton), object: o, zoom, look };
        this.nodes.set(o.id, cached);
        this.shapes.add(cached.node);
      }
      cached.node.moveToTop();
    }
    for (const [id, cached] of this.nodes) {
      if (seen.has(id)) continue;
      cached.node.destroy();
      this.nodes.delete(id);
    }
  }
}
