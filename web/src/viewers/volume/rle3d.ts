/**
 * Volume masks on the wire: `{"type": "volume_mask", "rle": {"size": [depth, height, width], "counts": ...}}`
 * (src/labelhub/core/geometry.py `_volume_mask`). COCO conventions extended to 3-D exactly as
 * labelhub.core.rle does in 2-D: the [depth, height, width] array is flattened in column-major
 * (Fortran) order, i.e. `numpy.ravel(order="F")` (depth varies fastest), and `counts` alternate
 * runs of 0 and 1 starting with 0; counts sum to the voxel count. `counts` may also be COCO's
 * compact string.
 *
 * In memory a label volume is C-ordered like the voxels: index = (k * height + j) * width + i.
 */
export interface VolumeRle {
  size: [number, number, number];
  counts: number[] | string;
}

/** COCO's compact counts string -> runs (port of labelhub.core.rle.decode_counts_string). */
export function decodeCountsString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new Error("Truncated RLE counts string: re-encode the mask.");
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2] ?? 0;
    counts.push(x);
  }
  return counts;
}

/** Runs of the voxels of `labels` equal to `value` (C-ordered, shape [depth, height, width]). */
export function encodeVolumeRle(labels: Uint8Array, size: [number, number, number], value: number): VolumeRle {
  const [d, h, w] = size;
  const total = d * h * w;
  if (labels.length !== total) throw new Error(`Label volume has ${labels.length} voxels, expected ${total}.`);
  // Collect the Fortran-order indices of the set voxels (sparse masks are the common case), then sort.
  let n = 0;
  for (let c = 0; c < total; c++) if (labels[c] === value) n++;
  const f = new Uint32Array(n);
  let at = 0;
  const hw = h * w;
  for (let k = 0; k < d; k++)
    for (let j = 0; j < h; j++) {
      const row = k * hw + j * w;
      for (let i = 0; i < w; i++) if (labels[row + i] === value) f[at++] = k + d * (j + h * i);
    }
  f.sort();
  const counts: number[] = [];
  let pos = 0;
  let q = 0;
  while (q < n) {
    const start = f[q] as number;
    let end = start + 1;
    q++;
    while (q < n && f[q] === end) {
      end++;
      q++;
    }
    counts.push(start - pos, end - start);
    pos = end;
  }
  if (pos < total || counts.length === 0) counts.push(total - pos);
  return { size: [d, h, w], counts };
}

/** Sets `value` in `labels` wherever the RLE is 1 (other voxels untouched). Returns the voxels set. */
export function decodeVolumeRle(rle: VolumeRle, labels: Uint8Array, value: number): number {
  const [d, h, w] = rle.size;
  const total = d * h * w;
  if (labels.length !== total) throw new Error(`Mask size ${rle.size.join("x")} does not match the volume.`);
  const counts = typeof rle.counts === "string" ? decodeCountsString(rle.counts) : rle.counts;
  let pos = 0;
  let set = 0;
  const hw = h * w;
  for (let r = 0; r < counts.length; r++) {
    const run = counts[r] ?? 0;
    if (run < 0 || pos + run > total) throw new Error("RLE counts must be non-negative runs summing to the voxel count.");
    if (r % 2 === 1) {
      for (let f = pos; f < pos + run; f++) {
        const k = f % d;
        const rest = (f - k) / d;
        const j = rest % h;
        const i = (rest - j) / h;
        labels[k * hw + j * w + i] = value;
      }
      set += run;
    }
    pos += run;
  }
  if (pos !== total) throw new Error(`RLE counts sum to ${pos}, expected the voxel count ${total}.`);
  return set;
}
