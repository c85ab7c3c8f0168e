import type { ToolKeyEvent, ToolPointerEvent } from "../events";
import type { ToolHost } from "./host";
import type { ToolContext, ToolDefinition, ToolId, ToolRuntime, ToolSpec, ToolState } from "./types";

class ToolMachine<M, S extends string> implements ToolRuntime {
  readonly id: ToolId;
  private readonly states = new Map<S, ToolState>();
  private current: S;

  constructor(private readonly definition: ToolDefinition<M, S>, host: ToolHost) {
    this.id = definition.id;
    const ctx: ToolContext<M, S> = {
      toolId: definition.id,
      host,
      memo: definition.createMemo(),
      transition: (name) => this.transition(name),
    };
    for (const name of Object.keys(definition.states) as S[]) {
      const State = definition.states[name];
      this.states.set(name, new State(ctx));
    }
    this.current = definition.initial;
  }

  get stateName(): string {
    return `${this.id}.${this.current}`;
  }

  get isIdle(): boolean {
    return this.current === this.definition.initial;
  }

  private get state(): ToolState {
    const state = this.states.get(this.current);
    if (!state) throw new Error(`tool ${this.id} has no state ${this.current}`);
    return state;
  }

  transition(name: S): void {
    if (!this.states.has(name)) throw new Error(`tool ${this.id} has no state ${name}; states: ${[...this.states.keys()].join(", ")}`);
    this.state.onExit?.();
    this.current = name;
    this.state.onEnter?.();
  }

  pointerDown(e: ToolPointerEvent): void {
    this.state.onPointerDown?.(e);
  }

  pointerMove(e: ToolPointerEvent): void {
    this.state.onPointerMove?.(e);
  }

  pointerUp(e: ToolPointerEvent): void {
    this.state.onPointerUp?.(e);
  }

  doubleClick(e: ToolPointerEvent): void {
    this.state.onDoubleClick?.(e);
  }

  keyDown(e: ToolKeyEvent): boolean {
    return this.state.onKeyDown?.(e) ?? false;
  }

  cancel(): void {
    this.state.onCancel?.();
  }

  interrupt(): void {
    if (this.isIdle) return;
    this.state.onCancel?.();
    if (!this.isIdle) this.transition(this.definition.initial);
  }
}

/** Turns a tool's declaration into the spec the editor registers. */
export function defineTool<M, S extends string>(definition: ToolDefinition<M, S>): ToolSpec {
  return {
    id: definition.id,
    label: definition.label,
    hotkey: definition.hotkey,
    serves: definition.serves,
    create: (host) => new ToolMachine(definition, host),
  };
}
