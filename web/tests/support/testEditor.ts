import type { EditorOptions, ToolId, Viewport } from "../../src/editor";
import { Editor, EditorInput } from "../../src/editor";
import type { AnnotationObject, Geometry } from "../../src/schema";
import { TEST_ONTOLOGY } from "./ontology";

export interface Modifiers {
  shiftKey?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  button?: number;
}

/**
 * Drives an editor the way a view does: pointer events in screen pixels,
 * keys by DOM name. Assertions read `state` ("bbox.idle") and the objects.
 */
export class TestEditor {
  readonly editor: Editor;
  readonly input: EditorInput;

  constructor(options: Partial<EditorOptions> = {}) {
    this.editor = new Editor({ ontology: TEST_ONTOLOGY, assetSize: { width: 1000, height: 800 }, ...options });
    this.editor.setViewSize({ width: 800, height: 600 });
    this.input = new EditorInput(this.editor);
  }

  get state(): string {
    return this.editor.stateName;
  }

  objects(): AnnotationObject[] {
    return this.editor.store.all();
  }

  geometries(): Geometry[] {
    return this.objects().map((o) => o.geometry);
  }

  /** The only object; fails the test if there is not exactly one. */
  only(): AnnotationObject {
    const all = this.objects();
    if (all.length !== 1) throw new Error(`expected exactly one object, got ${all.length}`);
    return all[0] as AnnotationObject;
  }

  setViewport(zoom: number, panX = 0, panY = 0): this {
    this.editor.setViewport({ zoom, panX, panY } satisfies Viewport);
    return this;
  }

  tool(id: ToolId): this {
    this.editor.setTool(id);
    return this;
  }

  down(x: number, y: number, m: Modifiers = {}): this {
    this.input.pointerDown({ x, y, ...m });
    return this;
  }

  move(x: number, y: number, m: Modifiers = {}): this {
    this.input.pointerMove({ x, y, ...m });
    return this;
  }

  up(x: number, y: number, m: Modifiers = {}): this {
    this.input.pointerUp({ x, y, ...m });
    return this;
  }

  click(x: number, y: number, m: Modifiers = {}): this {
    return this.down(x, y, m).up(x, y, m);
  }

  doubleClick(x: number, y: number): this {
    this.click(x, y).click(x, y);
    this.input.doubleClick({ x, y });
    return this;
  }

  /** Down at `from`, a move halfway, a move to `to`, up at `to`. */
  drag(from: [number, number], to: [number, number], m: Modifiers = {}): this {
    const [fx, fy] = from;
    const [tx, ty] = to;
    return this.down(fx, fy, m)
      .move((fx + tx) / 2, (fy + ty) / 2, m)
      .move(tx, ty, m)
      .up(tx, ty, m);
  }

  key(key: string, m: Omit<Modifiers, "button"> = {}): this {
    this.input.keyDown({ key, ...m });
    this.input.keyUp({ key, ...m });
    return this;
  }

  undo(): this {
    return this.key("z", { ctrlKey: true });
  }

  redo(): this {
    return this.key("z", { ctrlKey: true, shiftKey: true });
  }
}
