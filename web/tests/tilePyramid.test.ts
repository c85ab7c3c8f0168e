import { describe, expect, it } from "vitest";
import { chooseLevel, levelScale, tileAssetRect, tilesIn } from "../src/viewers/image/tiles/pyramid";
import type { Pyramid } from "../src/viewers/image/tiles/pyramid";

/** The server's descriptor for 20,000 x 15,000 in 512 px tiles (tests/media/test_tiles.py checks the same sizes). */
function pyramid(width = 20_000, height = 15_000, tile = 512): Pyramid {
  const max = Math.ceil(Math.log2(Math.max(width, height)));
  const levels = [];
  for (let k = max; ; k--) {
    const f = 2 ** (max - k);
    const w = Math.ceil(width / f);
    const h = Math.ceil(height / f);
    levels.unshift({ level: k, width: w, height: h, columns: Math.ceil(w / tile), rows: Math.ceil(h / tile) });
    if (w <= tile && h <= tile) break;
  }
  return { width, height, tile_size: tile, mime_type: "image/jpeg", min_level: (levels[0] as { level: number }).level, max_level: max, levels };
}

describe("tile pyramid maths (viewers/image/tiles)", () => {
  it("picks the coarsest level that is still at least one level pixel per device pixel", () => {
    const p = pyramid();
    expect([p.min_level, p.max_level]).toEqual([9, 15]);
    expect(chooseLevel(p, 1)).toBe(15);
    expect(chooseLevel(p, 4)).toBe(15); // never beyond full resolution
    expect(chooseLevel(p, 0.5)).toBe(14);
    expect(chooseLevel(p, 0.4)).toBe(14); // 0.4 needs 1/2 (1/4 would be blurry)
    expect(chooseLevel(p, 0.25)).toBe(13);
    expect(chooseLevel(p, 0.25, 2)).toBe(14); // a HiDPI screen needs twice the pixels
    expect(chooseLevel(p, 0.001)).toBe(9); // never below the overview
  });

  it("maps tiles to exact asset rectangles, clipped at the image's edge", () => {
    const p = pyramid();
    expect(levelScale(p, 15)).toBe(1);
    expect(levelScale(p, 13)).toBe(4);
    expect(tileAssetRect(p, 15, 1, 2)).toEqual({ minX: 512, minY: 1024, maxX: 1024, maxY: 1536 });
    expect(tileAssetRect(p, 13, 9, 7)).toEqual({ minX: 18_432, minY: 14_336, maxX: 20_000, maxY: 15_000 });
    expect(tileAssetRect(p, 9, 0, 0)).toEqual({ minX: 0, minY: 0, maxX: 20_000, maxY: 15_000 });
  });

  it("lists the tiles in view (plus a ring of neighbours), nearest the centre first", () => {
    const p = pyramid();
    const view = { minX: 1000, minY: 1000, maxX: 2000, maxY: 1500 }; // columns 1..3, rows 1..2 at full size
    const tiles = tilesIn(p, 15, view);
    expect(tiles.map((t) => t.key).sort()).toEqual(["15/1/1", "15/1/2", "15/2/1", "15/2/2", "15/3/1", "15/3/2"].sort());
    expect(tiles[0]?.key).toMatch(/^15\/2\/[12]$/);
    expect(tilesIn(p, 15, view, 1)).toHaveLength(5 * 4);
    expect(tilesIn(p, 15, { minX: 0, minY: 0, maxX: 512, maxY: 512 }, 1).map((t) => t.key).sort()).toEqual(["15/0/0", "15/0/1", "15/1/0", "15/1/1"]);
    // Edges that fall exactly on a tile boundary do not pull in the next tile.
    expect(tilesIn(p, 14, { minX: 0, minY: 0, maxX: 2048, maxY: 1024 }).map((t) => t.key).sort()).toEqual(["14/0/0", "14/1/0"]);
  });
});
