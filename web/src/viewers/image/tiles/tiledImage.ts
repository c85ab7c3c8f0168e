import type { Bounds } from "../../../geometry";
import type { Pyramid, TileRef } from "./pyramid";
import { chooseLevel, levelOf, levelScale, tileAssetRect, tileKey, tilesIn } from "./pyramid";
import { TileCache } from "./tileCache";

/**
 * A large image served as a tile pyramid. It stands in for an
 * HTMLImageElement in the viewer (`naturalWidth` / `naturalHeight` are the
 * full-resolution size) and draws only the tiles in view, picking the level
 * from the zoom, with coarser levels underneath as placeholders while finer
 * tiles load. Tiles are placed at their exact asset rectangle.
 */
export class TiledImage {
  readonly naturalWidth: number;
  readonly naturalHeight: number;
  readonly cache: TileCache;
  /** The coarsest level's single tile, loaded before the first frame and never evicted. */
  readonly overview: TileRef;
  private readonly listeners = new Set<() => void>();
  /** The level drawn last, for tests and the bench. */
  level: number;

  constructor(
    readonly pyramid: Pyramid,
    readonly tileUrl: (t: TileRef) => string,
  ) {
    this.naturalWidth = pyramid.width;
    this.naturalHeight = pyramid.height;
    this.level = pyramid.min_level;
    this.overview = { level: pyramid.min_level, x: 0, y: 0, key: tileKey(pyramid.min_level, 0, 0) };
    this.cache = new TileCache(tileUrl, () => {
      for (const listener of this.listeners) listener();
    });
  }

  /** Called whenever a tile finished loading (the viewer re-renders). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Draws the part of the image meeting `view` (asset pixels) on `ctx`, whose
   * transform maps asset pixels to the screen at `zoom`, and queues the tiles
   * this view (and a ring of neighbours) needs.
   */
  draw(ctx: CanvasRenderingContext2D, view: Bounds, zoom: number, pixelRatio: number): void {
    const p = this.pyramid;
    const area = { minX: Math.max(0, view.minX), minY: Math.max(0, view.minY), maxX: Math.min(p.width, view.maxX), maxY: Math.min(p.height, view.maxY) };
    const level = chooseLevel(p, zoom, pixelRatio);
    this.level = level;
    if (area.maxX <= area.minX || area.maxY <= area.minY) {
      this.cache.want([], [this.overview.key]);
      return;
    }
    const needed = tilesIn(p, level, area, 0);
    const ring = tilesIn(p, level, area, 1).filter((t) => !needed.some((n) => n.key === t.key));
    // Missing tiles of the level in view first, then their coarser parent (a quick placeholder), then neighbours.
    const parents = level - 1 > p.min_level ? tilesIn(p, level - 1, area, 0) : [];
    this.cache.want([...needed, ...parents, ...ring], [this.overview.key]);
    // Smooth when shrinking (no aliasing), crisp pixels when magnifying (labelers need exact edges).
    ctx.imageSmoothingEnabled = zoom * pixelRatio < 1;
    ctx.imageSmoothingQuality = "medium";
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, p.width, p.height); // the last column and row of a coarse level overhang by < 1 level pixel
    ctx.clip();
    this.drawTile(ctx, this.overview);
    const complete = needed.every((t) => this.cache.has(t.key));
    const from = complete ? level : p.min_level + 1;
    for (let l = from; l <= level; l++) {
      for (const t of l === level ? needed : tilesIn(p, l, area, 0)) this.drawTile(ctx, t);
    }
    ctx.restore();
  }

  private drawTile(ctx: CanvasRenderingContext2D, t: TileRef): void {
    const img = this.cache.get(t.key);
    if (!img) return;
    const r = tileAssetRect(this.pyramid, t.level, t.x, t.y);
    const s = levelScale(this.pyramid, t.level);
    // A level pixel covers s asset pixels; the image's last column/row may cover fewer (the rect clips it).
    ctx.drawImage(img, r.minX, r.minY, img.naturalWidth * s, img.naturalHeight * s);
  }

  levelSize(level: number): { width: number; height: number } {
    const lv = levelOf(this.pyramid, level);
    return { width: lv.width, height: lv.height };
  }
}

/**
 * The pyramid of asset `assetId` with its overview tile loaded, or null when
 * the server has none (a small image, or tiles still being made): then the
 * caller loads the whole image instead.
 */
export async function openTiledImage(apiBase: string, assetId: number): Promise<TiledImage | null> {
  const response = await fetch(`${apiBase}/assets/${assetId}/tiles`, { credentials: "same-origin" });
  if (!response.ok) return null;
  const pyramid = (await response.json()) as Pyramid;
  const image = new TiledImage(pyramid, (t) => `${apiBase}/assets/${assetId}/tiles/${t.level}/${t.x}/${t.y}`);
  await image.cache.load(image.overview);
  return image;
}

/** Images whose longer side is above this ask the server for a pyramid first (the server tiles above 8,000 px by default). */
export const TILED_CANDIDATE_SIDE = 4096;

/**
 * What the viewer should draw for an image asset: its tile pyramid when it
 * is large and the server has one, otherwise the whole image from `loadWhole`.
 */
export async function loadAssetImage(
  apiBase: string,
  asset: { id: number; width?: number | null; height?: number | null },
  loadWhole: (src: string) => Promise<HTMLImageElement>,
): Promise<HTMLImageElement | TiledImage> {
  if (Math.max(asset.width ?? 0, asset.height ?? 0) > TILED_CANDIDATE_SIDE) {
    const tiled = await openTiledImage(apiBase, asset.id).catch(() => null);
    if (tiled) return tiled;
  }
  return loadWhole(`${apiBase}/assets/${asset.id}/content`);
}
