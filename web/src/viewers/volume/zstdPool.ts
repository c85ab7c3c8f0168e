import type { VolumeHeader } from "./blob";

/**
 * Decoding a chunked zstd volume body (src/labelhub/media/volume.py: one independent frame per slab
 * of `chunk_slices` slices, compressed sizes in `chunks`) on several cores: each frame goes to a
 * Web Worker running its own zstddec as soon as its bytes have arrived, and lands at its slab's
 * offset in the voxel array.
 */
export interface ChunkPlan {
  /** Offset of each frame in the compressed body. */
  from: number[];
  /** Compressed size of each frame. */
  sizes: number[];
  /** Offset of each frame's voxels in the raw array, in bytes. */
  outAt: number[];
  /** Raw size of each frame, in bytes. */
  outSizes: number[];
}

/** Where each frame lies, or null for a single-frame body (blobs written before chunking). */
export function chunkPlan(header: VolumeHeader, rawBytes: number): ChunkPlan | null {
  const sizes = header.chunks;
  const slices = header.chunk_slices;
  if (!sizes || sizes.length === 0 || !slices) return null;
  const nk = header.shape[0];
  const sliceBytes = rawBytes / Math.max(1, nk);
  const plan: ChunkPlan = { from: [], sizes: [], outAt: [], outSizes: [] };
  let at = 0;
  sizes.forEach((size, n) => {
    const k0 = n * slices;
    const k1 = Math.min(nk, k0 + slices);
    plan.from.push(at);
    plan.sizes.push(size);
    plan.outAt.push(k0 * sliceBytes);
    plan.outSizes.push((k1 - k0) * sliceBytes);
    at += size;
  });
  const covered = plan.outSizes.reduce((a, b) => a + b, 0);
  if (covered !== rawBytes) throw new Error("The volume's frames do not cover its voxels: re-import the source series.");
  return plan;
}

export type DecodeFrame = (frame: Uint8Array, size: number) => Promise<Uint8Array>;

interface Pending {
  resolve: (out: Uint8Array) => void;
  reject: (e: Error) => void;
}

/** A small pool of zstd workers; `decode` sends a frame to the least busy one. */
export class ZstdWorkerPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(size: number) {
    for (let n = 0; n < size; n++) {
      const worker = new Worker(new URL("./zstdWorker.ts", import.meta.url), { type: "module" });
      const slot = { worker, busy: 0 };
      worker.onmessage = (e: MessageEvent<{ id: number; out?: Uint8Array; error?: string }>) => {
        slot.busy -= 1;
        const p = this.pending.get(e.data.id);
        this.pending.delete(e.data.id);
        if (!p) return;
        if (e.data.out) p.resolve(e.data.out);
        else p.reject(new Error(`The volume's voxels could not be decompressed (${e.data.error ?? "unknown error"}): re-import the source series.`));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        for (const [, p] of this.pending) p.reject(new Error(`The volume decoder failed (${e.message}): reload the page.`));
        this.pending.clear();
      };
      this.workers.push(slot);
    }
  }

  readonly decode: DecodeFrame = (frame, size) => {
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy += 1;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const copy = frame.slice(); // its own buffer, handed over to the worker
      slot.worker.postMessage({ id, chunk: copy, size }, [copy.buffer]);
    });
  };

  close(): void {
    for (const { worker } of this.workers) worker.terminate();
    this.workers.length = 0;
  }
}

/** Workers for this machine: one per core, at most 4, and none where the browser has no workers. */
export function workerCount(): number {
  if (typeof Worker === "undefined") return 0;
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores));
}

/**
 * Decodes frames into one raw array as they become available: `offer(received)` is called with the
 * number of body bytes received so far and starts every frame that is now complete.
 */
export class ChunkedDecode {
  readonly out: Uint8Array;
  private next = 0;
  private readonly jobs: Promise<void>[] = [];

  constructor(
    private readonly plan: ChunkPlan,
    private readonly body: Uint8Array,
    rawBytes: number,
    private readonly decode: DecodeFrame,
  ) {
    this.out = new Uint8Array(rawBytes);
  }

  offer(received: number): void {
    const { from, sizes, outAt, outSizes } = this.plan;
    while (this.next < sizes.length && (from[this.next] as number) + (sizes[this.next] as number) <= received) {
      const n = this.next++;
      const start = from[n] as number;
      const frame = this.body.subarray(start, start + (sizes[n] as number));
      const size = outSizes[n] as number;
      const job = this.decode(frame, size).then((raw) => {
        if (raw.length !== size) throw new Error("The volume's voxel count does not match its header: re-import it.");
        this.out.set(raw, outAt[n] as number);
      });
      job.catch(() => undefined); // reported by done(), not as an unhandled rejection meanwhile
      this.jobs.push(job);
    }
  }

  /** Every frame decoded (call after the whole body was offered). */
  async done(): Promise<Uint8Array> {
    if (this.next < this.plan.sizes.length) throw new Error("The volume blob is truncated: re-import the source series.");
    await Promise.all(this.jobs);
    return this.out;
  }
}
