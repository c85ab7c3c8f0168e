import type { Vec2 } from "../geometry";

/** A pointer event as the view reports it: screen pixels relative to the canvas. */
export interface ScreenPointerInput {
  x: number;
  y: number;
  /** 0 primary, 1 middle, 2 secondary (DOM PointerEvent.button). */
  button?: number;
  shiftKey?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

export interface KeyInput {
  /** DOM KeyboardEvent.key, e.g. "b", "Enter", "Escape", "ArrowLeft", " ". */
  key: string;
  shiftKey?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

export interface WheelInput {
  x: number;
  y: number;
  deltaY: number;
  ctrlKey?: boolean;
}

/** What tools receive: the point already converted to asset pixels. */
export interface ToolPointerEvent {
  point: Vec2;
  screen: Vec2;
  button: number;
  shift: boolean;
  alt: boolean;
  /** Ctrl or Cmd. */
  mod: boolean;
}

export interface ToolKeyEvent {
  key: string;
  shift: boolean;
  alt: boolean;
  mod: boolean;
}

export function toToolKey(e: KeyInput): ToolKeyEvent {
  return { key: e.key, shift: !!e.shiftKey, alt: !!e.altKey, mod: !!(e.ctrlKey || e.metaKey) };
}
