import type { TileRef } from "./pyramid";

export interface TileStats {
  /** Tile requests started since the image opened. */
  requested: number;
  loaded: number;
  failed: number;
  /** Tiles held in memory now (bounded by the cache's capacity). */
  cached: number;
  evicted: number;
}

/**
 * Decoded tiles, least recently used evicted past `capacity`, and a loader
 * that keeps at most `concurrency` requests in flight. `want` replaces the
 * queue with the tiles needed now (nearest first), so tiles that scrolled
 * away before their turn are never requested.
 */
export class TileCache {
  readonly stats: TileStats = { requested: 0, loaded: 0, failed: 0, cached: 0, evicted: 0 };
  private readonly tiles = new Map<string, HTMLImageElement>();
  private readonly inFlight = new Set<string>();
  private readonly failed = new Set<string>();
  private queue: TileRef[] = [];
  private pinned = new Set<string>();

  constructor(
    private readonly url: (t: TileRef) => string,
    private readonly onLoad: () => void,
    readonly capacity = 384,
    private readonly concurrency = 8,
  ) {}

  /** The decoded tile, marking it recently used; undefined until loaded. */
  get(key: string): HTMLImageElement | undefined {
    const img = this.tiles.get(key);
    if (img) {
      this.tiles.delete(key);
      this.tiles.set(key, img);
    }
    return img;
  }

  has(key: string): boolean {
    return this.tiles.has(key);
  }

  /** Tiles needed now, most important first; `pinned` keys (e.g. the overview) are never evicted. */
  want(tiles: readonly TileRef[], pinned: readonly string[] = []): void {
    this.pinned = new Set(pinned);
    this.queue = tiles.filter((t) => !this.tiles.has(t.key) && !this.inFlight.has(t.key) && !this.failed.has(t.key));
    this.pump();
  }

  /** Resolves when `tile` is loaded (used for the overview before the first frame). */
  load(tile: TileRef): Promise<void> {
    return new Promise((resolve) => {
      this.fetch(tile, resolve);
    });
  }

  private pump(): void {
    while (this.inFlight.size < this.concurrency && this.queue.length > 0) {
      const tile = this.queue.shift() as TileRef;
      this.fetch(tile, () => undefined);
    }
  }

  private fetch(tile: TileRef, done: () => void): void {
    if (this.tiles.has(tile.key)) return done();
    this.inFlight.add(tile.key);
    this.stats.requested++;
    const img = new Image();
    img.decoding = "async";
    const finish = (ok: boolean) => {
      this.inFlight.delete(tile.key);
      if (ok) {
        this.tiles.set(tile.key, img);
        this.stats.loaded++;
        this.evict();
      } else {
        this.failed.add(tile.key);
        this.stats.failed++;
      }
      this.stats.cached = this.tiles.size;
      done();
      this.onLoad();
      this.pump();
    };
    img.onload = () => {
      img.decode().then(
        () => finish(true),
        () => finish(true),
      );
    };
    img.onerror = () => finish(false);
    img.src = this.url(tile);
  }

  private evict(): void {
    if (this.tiles.size <= this.capacity) return;
    for (const key of this.tiles.keys()) {
      if (this.tiles.size <= this.capacity) break;
      if (this.pinned.has(key)) continue;
      this.tiles.delete(key);
      this.stats.evicted++;
    }
  }
}
