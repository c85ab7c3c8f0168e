import type { GeometryType } from "../../schema";
import type { ToolKeyEvent, ToolPointerEvent } from "../events";
import type { ToolHost } from "./host";

export type ToolId =
  | "select"
  | "bbox"
  | "rotated_bbox"
  | "polygon"
  | "polyline"
  | "point"
  | "keypoints"
  | "ellipse"
  | "cuboid"
  | "brush"
  | "eraser"
  | "frame_cut"
  | "scissors"
  | "text_span";

/** One state of a tool. Handlers are optional; a missing one ignores the event. */
export interface ToolState {
  onEnter?(): void;
  onExit?(): void;
  onPointerDown?(e: ToolPointerEvent): void;
  onPointerMove?(e: ToolPointerEvent): void;
  onPointerUp?(e: ToolPointerEvent): void;
  onDoubleClick?(e: ToolPointerEvent): void;
  /** Returns true when the key was used, so the editor's global shortcuts skip it. */
  onKeyDown?(e: ToolKeyEvent): boolean;
  /** Esc: abandon the gesture in progress and go back to idle. */
  onCancel?(): void;
}

/** What every state of a tool shares: the host, the tool's memo, and transitions by state name. */
export interface ToolContext<M, S extends string> {
  readonly toolId: ToolId;
  readonly host: ToolHost;
  readonly memo: M;
  transition(name: S): void;
}

export type StateConstructor<M, S extends string> = new (ctx: ToolContext<M, S>) => ToolState;

/** A tool as its file declares it: the states by name, the first one, and the memo they share. */
export interface ToolDefinition<M, S extends string> {
  id: ToolId;
  label: string;
  /** Lower-case key without modifiers. */
  hotkey: string;
  /** Class tools whose objects this tool draws; select serves none and works on all. */
  serves: readonly GeometryType[];
  initial: NoInfer<S>;
  states: Record<S, StateConstructor<M, S>>;
  createMemo(): M;
}

/** A running tool with its type parameters erased, as the editor holds it. */
export interface ToolRuntime {
  readonly id: ToolId;
  /** "<tool>.<state>", e.g. "bbox.idle". */
  readonly stateName: string;
  readonly isIdle: boolean;
  pointerDown(e: ToolPointerEvent): void;
  pointerMove(e: ToolPointerEvent): void;
  pointerUp(e: ToolPointerEvent): void;
  doubleClick(e: ToolPointerEvent): void;
  keyDown(e: ToolKeyEvent): boolean;
  cancel(): void;
  /** Abandon any gesture (tool switch, undo mid-draw) and return to the initial state. */
  interrupt(): void;
}

export interface ToolSpec {
  id: ToolId;
  label: string;
  hotkey: string;
  serves: readonly GeometryType[];
  create(host: ToolHost): ToolRuntime;
  /** Offered only when this says so (the text tool: documents with a text layer); default always. */
  available?(host: ToolHost): boolean;
}

/** Base for states: typed access to host, memo and transition. */
export abstract class StateBase<M, S extends string> {
  constructor(protected readonly ctx: ToolContext<M, S>) {}

  protected get host(): ToolHost {
    return this.ctx.host;
  }

  protected get memo(): M {
    return this.ctx.memo;
  }

  protected transition(name: S): void {
    this.ctx.transition(name);
  }
}
