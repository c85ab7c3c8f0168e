/// <reference lib="webworker" />
import { ZSTDDecoder } from "zstddec";

/** One zstd frame of a volume blob per message: `{id, chunk, size}` -> `{id, out}` or `{id, error}` (see zstdPool.ts). */
const decoder = new ZSTDDecoder();
const ready = decoder.init();

self.onmessage = async (e: MessageEvent<{ id: number; chunk: Uint8Array; size: number }>) => {
  const { id, chunk, size } = e.data;
  try {
    await ready;
    const out = decoder.decode(chunk, size); // a copy with its own buffer: transferable
    if (out.length !== size) throw new Error(`decoded ${out.length} bytes where the header says ${size}`);
    (self as unknown as DedicatedWorkerGlobalScope).postMessage({ id, out }, [out.buffer]);
  } catch (err) {
    (self as unknown as DedicatedWorkerGlobalScope).postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
