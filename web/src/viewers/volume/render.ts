import type { VolumeData } from "./blob";
import type { PlaneMap } from "./planes";
import { sliceStrides } from "./planes";

/** Grey levels 0..255 as little-endian RGBA words (opaque). */
const GREY = new Uint32Array(256).map((_, g) => (0xff000000 | (g << 16) | (g << 8) | g) >>> 0);

/**
 * Window/level lookup for int16 voxels: 65,536 entries (value + 32768 -> RGBA word), rebuilt
 * only when the window changes, so drawing a 512 x 512 slice is one table read per pixel.
 */
export class WindowLut {
  private table: Uint32Array | null = null;
  private key = "";

  constructor(readonly center: number, readonly width: number) {}

  static grey(value: number, center: number, width: number): number {
    const low = center - width / 2;
    const g = Math.round(((value - low) / Math.max(width, 1e-6)) * 255);
    return g < 0 ? 0 : g > 255 ? 255 : g;
  }

  int16(center: number, width: number): Uint32Array {
    const key = `${center}/${width}`;
    if (this.table && key === this.key) return this.table;
    const t = this.table ?? new Uint32Array(65536);
    for (let n = 0; n < 65536; n++) t[n] = GREY[WindowLut.grey(n - 32768, center, width)] as number;
    this.table = t;
    this.key = key;
    return t;
  }
}

/** Label colours (RGB), index = label value; chosen to stay apart for colour-blind readers (Okabe-Ito + extras). */
export const LABEL_COLOURS: readonly [number, number, number][] = [
  [0, 0, 0],
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
  [255, 255, 255],
  [150, 150, 255],
];

export function labelColour(value: number): [number, number, number] {
  return LABEL_COLOURS[value % LABEL_COLOURS.length] ?? [255, 0, 0];
}

/** Blended RGBA words per (label, grey): overlay at `alpha`, so a labelled pixel is one table read too. */
export function overlayTable(alpha: number, hidden: ReadonlySet<number> = new Set()): Uint32Array {
  const t = new Uint32Array(LABEL_COLOURS.length * 256);
  for (let l = 0; l < LABEL_COLOURS.length; l++) {
    const [r, g, b] = labelColour(l);
    for (let grey = 0; grey < 256; grey++) {
      const a = l === 0 || hidden.has(l) ? 0 : alpha;
      const mix = (c: number) => Math.round(grey * (1 - a) + c * a);
      t[l * 256 + grey] = (0xff000000 | (mix(b) << 16) | (mix(g) << 8) | mix(r)) >>> 0;
    }
  }
  return t;
}

export interface RenderOptions {
  center: number;
  width: number;
  lut: WindowLut;
  labels: Uint8Array | null;
  overlay: Uint32Array;
}

/** Draws slice `s` of `map` into `out` (a Uint32 view of an ImageData of map.width x map.height). */
export function renderSlice(volume: VolumeData, map: PlaneMap, s: number, out: Uint32Array, o: RenderOptions): void {
  const dims: [number, number, number] = [volume.ni, volume.nj, volume.nk];
  const { origin, du, dv } = sliceStrides(map, dims, s);
  const w = map.width;
  const h = map.height;
  const labels = o.labels;
  const nColours = LABEL_COLOURS.length;
  if (volume.voxels instanceof Int16Array) {
    const vox = volume.voxels;
    const lut = o.lut.int16(o.center, o.width);
    for (let pv = 0; pv < h; pv++) {
      let index = origin + pv * dv;
      let p = pv * w;
      for (let pu = 0; pu < w; pu++, index += du, p++) {
        const word = lut[(vox[index] as number) + 32768] as number;
        const l = labels ? (labels[index] as number) : 0;
        out[p] = l === 0 ? word : (o.overlay[(l % nColours) * 256 + (word & 0xff)] as number);
      }
    }
    return;
  }
  const vox = volume.voxels;
  const low = o.center - o.width / 2;
  const k = 255 / Math.max(o.width, 1e-6);
  for (let pv = 0; pv < h; pv++) {
    let index = origin + pv * dv;
    let p = pv * w;
    for (let pu = 0; pu < w; pu++, index += du, p++) {
      const raw = ((vox[index] as number) - low) * k;
      const g = raw > 255 ? 255 : raw > 0 ? raw | 0 : 0;
      const l = labels ? (labels[index] as number) : 0;
      out[p] = l === 0 ? (GREY[g] as number) : (o.overlay[(l % nColours) * 256 + g] as number);
    }
  }
}
