import { ZSTDDecoder } from "zstddec";
import type { DecodeFrame } from "./zstdPool";
import { ChunkedDecode, chunkPlan, workerCount, ZstdWorkerPool } from "./zstdPool";

/**
 * The stored volume blob (src/labelhub/media/volume.py), parsed in the browser:
 * `"LHVOL\0" | uint16 version | uint32 N | N bytes JSON header | zstd frame (or gzip) of the voxels`,
 * little-endian; voxels C-ordered with shape [k, j, i] (slices, rows, columns).
 */
export interface WindowPreset {
  name: string;
  center: number;
  width: number;
}

export interface VolumeHeader {
  dtype: "int16" | "float32";
  /** [k, j, i]: slices, rows, columns. */
  shape: [number, number, number];
  compression: "zstd" | "gzip";
  /** [di, dj, dk] in mm. */
  spacing_mm: [number, number, number];
  /** 4 x 4 rows: voxel (i, j, k, 1) -> LPS mm. */
  affine_lps: number[][];
  window_presets: WindowPreset[];
  modality?: string;
  source?: string;
  frame_of_reference_uid?: string | null;
  warnings?: string[];
  /** zstd: compressed size of each independent frame (one per `chunk_slices` slices); absent = one frame. */
  chunks?: number[];
  chunk_slices?: number;
}

export interface VolumeData {
  header: VolumeHeader;
  /** Voxel values, index = (k * nj + j) * ni + i. */
  voxels: Int16Array | Float32Array;
  ni: number;
  nj: number;
  nk: number;
  /** Minimum and maximum voxel value (sampled, see valueRange). */
  range: [number, number];
}

const MAGIC = [0x4c, 0x48, 0x56, 0x4f, 0x4c, 0x00];

export function parseHeader(bytes: Uint8Array): { header: VolumeHeader; bodyOffset: number } {
  if (bytes.length < 12 || MAGIC.some((b, n) => bytes[n] !== b)) throw new Error("Not a labelhub volume (bad magic): re-import the source series.");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(6, true);
  const length = view.getUint32(8, true);
  if (version !== 1) throw new Error(`Unsupported labelhub volume version ${version}: reload the page or re-import the series.`);
  if (12 + length > bytes.length) throw new Error("The volume blob is truncated: re-import the source series.");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as VolumeHeader;
  if (header.dtype !== "int16" && header.dtype !== "float32") throw new Error(`Unsupported voxel type ${String(header.dtype)}.`);
  return { header, bodyOffset: 12 + length };
}

/** Inflates a gzip stream into `out` (exactly its size) with the browser's native DecompressionStream. */
export async function inflateInto(stream: ReadableStream<Uint8Array>, out: Uint8Array): Promise<void> {
  const reader = stream.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > out.length) throw new Error("The volume has more voxels than its header says: re-import it.");
    out.set(value, at);
    at += value.length;
  }
  if (at !== out.length) throw new Error("The volume has fewer voxels than its header says: re-import it.");
}

async function gunzip(body: Uint8Array, out: Uint8Array): Promise<void> {
  await inflateInto(new Blob([body as Uint8Array<ArrayBuffer>]).stream(), out);
}

/** Bytes of the voxel array the header describes. */
export function voxelBytes(header: VolumeHeader): number {
  const [nk, nj, ni] = header.shape;
  return nk * nj * ni * (header.dtype === "int16" ? 2 : 4);
}

/** The typed voxel array over decompressed bytes (little-endian, as every browser is). */
export function toVolumeData(header: VolumeHeader, out: Uint8Array): VolumeData {
  const [nk, nj, ni] = header.shape;
  const size = voxelBytes(header);
  const voxels = header.dtype === "int16" ? new Int16Array(out.buffer, out.byteOffset, size / 2) : new Float32Array(out.buffer, out.byteOffset, size / 4);
  return { header, voxels, ni, nj, nk, range: valueRange(voxels) };
}

/**
 * Minimum and maximum value, from at most ~4 M evenly spaced voxels (only the default window of a
 * volume without presets uses it; a full pass over 78 M voxels would delay the first view).
 */
export function valueRange(voxels: Int16Array | Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const step = Math.max(1, Math.floor(voxels.length / (1 << 22)));
  for (let n = 0; n < voxels.length; n += step) {
    const v = voxels[n] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

let zstd: ZSTDDecoder | null = null;
let zstdReserved = 0;
/** A zstd frame of 16 zero bytes. */
const TINY_FRAME = new Uint8Array([40, 181, 47, 253, 32, 16, 69, 0, 0, 16, 0, 0, 1, 0, 50, 192, 2]);

/**
 * Loads the zstd decoder and grows its WebAssembly memory to hold `bytes` at once (by decoding a
 * tiny frame into an output of that size). Growing it piecemeal inside the real decode made a
 * 157 MB decode ~40 % slower; `loadVolume` calls this as soon as the header has arrived, while
 * the rest of the blob is still downloading.
 */
export async function prepareZstd(bytes: number): Promise<ZSTDDecoder> {
  if (!zstd) {
    const decoder = new ZSTDDecoder();
    await decoder.init();
    zstd = decoder;
  }
  if (bytes > zstdReserved) {
    zstd.decode(TINY_FRAME, bytes);
    zstdReserved = bytes;
  }
  return zstd;
}

/** zstd through zstddec (the reference C decoder as WebAssembly, as three.js uses for KTX2). */
async function unzstd(body: Uint8Array, size: number): Promise<Uint8Array> {
  const decoder = await prepareZstd(size + body.length + (1 << 20));
  let raw: Uint8Array;
  try {
    raw = decoder.decode(body, size);
  } catch {
    throw new Error("The volume's voxels could not be decompressed (corrupt or truncated): re-import the source series.");
  }
  if (raw.length !== size) throw new Error("The volume's voxel count does not match its header: re-import it.");
  // A view must start at a multiple of the element size: copy only when the decoder's array does not.
  return raw.byteOffset % 4 === 0 ? raw : raw.slice();
}

/** One zstd frame on the main thread (where there are no workers, e.g. in unit tests). */
export const decodeOnMainThread: DecodeFrame = async (frame, size) => {
  const decoder = await prepareZstd(size + frame.length + (1 << 20));
  return decoder.decode(frame, size);
};

let pool: ZstdWorkerPool | null = null;
/** The frame decoder: a pool of workers (kept for the next volume), or the main thread without workers. */
export function frameDecoder(): DecodeFrame {
  const n = workerCount();
  if (n === 0) return decodeOnMainThread;
  pool ??= new ZstdWorkerPool(n);
  return pool.decode;
}

/** Header + typed voxel array from the blob's bytes (zstd through zstddec, gzip through DecompressionStream). */
export async function decodeVolume(buffer: ArrayBuffer, decode: DecodeFrame = frameDecoder()): Promise<VolumeData> {
  const bytes = new Uint8Array(buffer);
  const { header, bodyOffset } = parseHeader(bytes);
  const size = voxelBytes(header);
  const body = bytes.subarray(bodyOffset);
  let out: Uint8Array;
  const plan = header.compression === "zstd" ? chunkPlan(header, size) : null;
  if (header.compression === "gzip") {
    out = new Uint8Array(size);
    await gunzip(body, out);
  } else if (plan) {
    const chunked = new ChunkedDecode(plan, body, size, decode);
    chunked.offer(body.length);
    out = await chunked.done();
  } else out = await unzstd(body, size);
  return toVolumeData(header, out);
}
