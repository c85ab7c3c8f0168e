import type { Vec2 } from "../geometry";
import type { Editor } from "./editor";
import type { KeyInput, ScreenPointerInput, ToolPointerEvent, WheelInput } from "./events";
import { toToolKey } from "./events";
import { handleGlobalKey } from "./shortcuts";
import { panBy, screenToAsset, wheelZoomFactor, zoomAbout } from "./viewport";

/**
 * Turns view input (screen pixels, DOM-like key names) into editor actions:
 * pans on Space-drag or the middle button, converts points to asset pixels for
 * the active tool, then runs global shortcuts for keys the tool did not use.
 * Every method notifies the editor's listeners once.
 */
export class EditorInput {
  private spaceHeld = false;
  private panFrom: Vec2 | null = null;
  private buttonDown = false;

  constructor(readonly editor: Editor) {}

  get isPanning(): boolean {
    return this.panFrom !== null;
  }

  pointerDown(input: ScreenPointerInput): void {
    const button = input.button ?? 0;
    if (button === 1 || (button === 0 && this.spaceHeld)) {
      this.panFrom = { x: input.x, y: input.y };
    } else {
      this.buttonDown = true;
      this.editor.activeTool.pointerDown(this.toToolEvent(input));
    }
    this.editor.notify();
  }

  pointerMove(input: ScreenPointerInput): void {
    if (this.panFrom) {
      this.editor.setViewport(panBy(this.editor.viewport, input.x - this.panFrom.x, input.y - this.panFrom.y));
      this.panFrom = { x: input.x, y: input.y };
    } else {
      const e = this.toToolEvent(input);
      this.editor.activeTool.pointerMove(e);
      if (!this.buttonDown) this.editor.hoveredId = this.editor.hitTestObject(e.point)?.id ?? null;
    }
    this.editor.notify();
  }

  pointerUp(input: ScreenPointerInput): void {
    if (this.panFrom) {
      this.editor.setViewport(panBy(this.editor.viewport, input.x - this.panFrom.x, input.y - this.panFrom.y));
      this.panFrom = null;
    } else {
      this.buttonDown = false;
      this.editor.activeTool.pointerUp(this.toToolEvent(input));
    }
    this.editor.notify();
  }

  doubleClick(input: ScreenPointerInput): void {
    this.editor.activeTool.doubleClick(this.toToolEvent(input));
    this.editor.notify();
  }

  /** Returns true when the key was used (the view should then preventDefault). */
  keyDown(input: KeyInput): boolean {
    const e = toToolKey(input);
    let handled = true;
    if (e.key === " ") this.spaceHeld = true;
    else handled = this.editor.activeTool.keyDown(e) || handleGlobalKey(this.editor, e);
    this.editor.notify();
    return handled;
  }

  keyUp(input: KeyInput): void {
    if (input.key === " ") this.spaceHeld = false;
  }

  /** Wheel zooms about the pointer (images have no slices to scroll). */
  wheel(input: WheelInput): void {
    const v = this.editor.viewport;
    this.editor.setViewport(zoomAbout(v, { x: input.x, y: input.y }, v.zoom * wheelZoomFactor(input.deltaY)));
    this.editor.notify();
  }

  private toToolEvent(input: ScreenPointerInput): ToolPointerEvent {
    const screen = { x: input.x, y: input.y };
    return {
      point: screenToAsset(this.editor.viewport, screen),
      screen,
      button: input.button ?? 0,
      shift: !!input.shiftKey,
      alt: !!input.altKey,
      mod: !!(input.ctrlKey || input.metaKey),
    };
  }
}
