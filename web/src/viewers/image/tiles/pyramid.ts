import type { Bounds } from "../../../geometry";

/** One level of a tile pyramid (`GET /api/v1/assets/{id}/tiles`, DeepZoom numbering). */
export interface PyramidLevel {
  level: number;
  width: number;
  height: number;
  columns: number;
  rows: number;
}

/** The server's descriptor: `max_level` is full resolution, each level below halves it (rounding up). */
export interface Pyramid {
  width: number;
  height: number;
  tile_size: number;
  mime_type: string;
  min_level: number;
  max_level: number;
  levels: PyramidLevel[];
}

export interface TileRef {
  level: number;
  x: number;
  y: number;
  key: string;
}

export const tileKey = (level: number, x: number, y: number): string => `${level}/${x}/${y}`;

/** Asset pixels per level pixel at `level` (1 at full resolution, 2 one level below, ...). */
export function levelScale(p: Pyramid, level: number): number {
  return 2 ** (p.max_level - level);
}

export function levelOf(p: Pyramid, level: number): PyramidLevel {
  const found = p.levels.find((l) => l.level === level);
  if (!found) throw new Error(`level ${level} is not in the pyramid (${p.min_level}..${p.max_level})`);
  return found;
}

/**
 * The coarsest level that still gives at least one level pixel per device
 * pixel at `zoom` (screen pixels per asset pixel) and `pixelRatio`, so the
 * image is never blurrier than the full-resolution one would be.
 */
export function chooseLevel(p: Pyramid, zoom: number, pixelRatio = 1): number {
  const wanted = p.max_level + Math.ceil(Math.log2(Math.max(zoom * pixelRatio, 1e-9)) - 1e-9);
  return Math.min(p.max_level, Math.max(p.min_level, wanted));
}

/**
 * Where tile (level, x, y) lies in asset pixels. A level pixel covers
 * `levelScale` asset pixels; the last column and row are clipped to the image.
 */
export function tileAssetRect(p: Pyramid, level: number, x: number, y: number): Bounds {
  const span = p.tile_size * levelScale(p, level);
  return { minX: x * span, minY: y * span, maxX: Math.min((x + 1) * span, p.width), maxY: Math.min((y + 1) * span, p.height) };
}

/**
 * Tiles of `level` meeting `area` (asset pixels), grown by `ring` tiles on
 * every side (neighbours are fetched before they scroll into view), nearest
 * to the centre of `area` first.
 */
export function tilesIn(p: Pyramid, level: number, area: Bounds, ring = 0): TileRef[] {
  const lv = levelOf(p, level);
  const span = p.tile_size * levelScale(p, level);
  const x0 = Math.max(0, Math.floor(area.minX / span) - ring);
  const y0 = Math.max(0, Math.floor(area.minY / span) - ring);
  const x1 = Math.min(lv.columns - 1, Math.floor((area.maxX - 1e-9) / span) + ring);
  const y1 = Math.min(lv.rows - 1, Math.floor((area.maxY - 1e-9) / span) + ring);
  const cx = (area.minX + area.maxX) / 2 / span - 0.5;
  const cy = (area.minY + area.maxY) / 2 / span - 0.5;
  const out: (TileRef & { d: number })[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) out.push({ level, x, y, key: tileKey(level, x, y), d: (x - cx) ** 2 + (y - cy) ** 2 });
  }
  out.sort((a, b) => a.d - b.d);
  return out.map(({ level: l, x, y, key }) => ({ level: l, x, y, key }));
}
