/**
 * What a `notify()` changed, so that views re-render only for what they show:
 *
 * - `document`: objects, their z-order, whole-asset answers, the undo history;
 * - `selection`: the selected objects and vertex, the hovered object;
 * - `ui`: tool, class for new objects, page, hidden and locked objects, brush size;
 * - `view`: everything else (viewport, view size, the shape being drawn, HUD) —
 *   every notify counts as a view change.
 */
export type ChangeChannel = "document" | "selection" | "ui" | "view";

export const CHANGE_CHANNELS: readonly ChangeChannel[] = ["document", "selection", "ui", "view"];

export type ChannelVersions = Record<ChangeChannel, number>;

/** The values a channel depends on; the channel changed when any of them is no longer identical (`Object.is`). */
export type ChannelKeys = Record<Exclude<ChangeChannel, "view">, readonly unknown[]>;

const sameKeys = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Versions per channel: `update()` reads the current keys, bumps the version of each channel
 * whose keys changed since the last update (and `view` always) and returns the changed channels.
 */
export class ChangeTracker {
  readonly versions: ChannelVersions = { document: 0, selection: 0, ui: 0, view: 0 };
  private last: ChannelKeys;

  constructor(private readonly read: () => ChannelKeys) {
    this.last = read();
  }

  update(): ReadonlySet<ChangeChannel> {
    const next = this.read();
    const changed = new Set<ChangeChannel>(["view"]);
    for (const channel of ["document", "selection", "ui"] as const) {
      if (!sameKeys(this.last[channel], next[channel])) {
        changed.add(channel);
        this.versions[channel]++;
      }
    }
    this.versions.view++;
    this.last = next;
    return changed;
  }
}

/** A Set that counts its changes (add of a new member, delete of a member, clear), so watchers can compare a number. */
export class VersionedSet<T> extends Set<T> {
  version = 0;

  override add(value: T): this {
    if (!this.has(value)) this.version++;
    return super.add(value);
  }

  override delete(value: T): boolean {
    const removed = super.delete(value);
    if (removed) this.version++;
    return removed;
  }

  override clear(): void {
    if (this.size > 0) this.version++;
    super.clear();
  }
}
