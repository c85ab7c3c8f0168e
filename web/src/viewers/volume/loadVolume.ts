import { useEffect, useState } from "react";
import { API_BASE } from "../../api";
import type { VolumeData, VolumeHeader } from "./blob";
import { decodeVolume, frameDecoder, inflateInto, parseHeader, prepareZstd, toVolumeData, voxelBytes } from "./blob";
import { ChunkedDecode, chunkPlan } from "./zstdPool";

export type VolumeLoad = { state: "loading"; received: number; total: number | null } | { state: "error"; error: string } | { state: "ready"; volume: VolumeData };

/** Fetches the volume blob once (GET /assets/{id}/content), reporting bytes received, and decodes it. */
export async function fetchVolume(assetId: number, progress: (received: number, total: number | null) => void): Promise<VolumeData> {
  const t0 = performance.now();
  const volume = await fetchAndDecode(assetId, progress, t0);
  window.__labelhubVolumeTimings = { ...window.__labelhubVolumeTimings, loadedMs: performance.now() - t0, startMs: t0 };
  return volume;
}

declare global {
  interface Window {
    /** Where the volume's load time went (for bench/volume_viewer.py). */
    __labelhubVolumeTimings?: { startMs?: number; fetchMs?: number; bytes?: number; loadedMs?: number };
  }
}

async function fetchAndDecode(assetId: number, progress: (received: number, total: number | null) => void, t0: number): Promise<VolumeData> {
  const response = await fetch(`${API_BASE}/assets/${assetId}/content`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`The volume could not be loaded (HTTP ${response.status}): reload the page.`);
  const length = Number(response.headers.get("content-length") ?? "") || null;
  if (!response.body) return decodeVolume(await response.arrayBuffer());
  // Streamed (the server sends no Content-Length). gzip bodies are inflated while they arrive
  // (native DecompressionStream, overlapping the download); chunked zstd bodies are decoded frame
  // by frame in workers as each frame arrives; single-frame zstd bodies are collected, then decoded.
  const reader = response.body.getReader();
  let head: Uint8Array = new Uint8Array(0);
  let header: VolumeHeader | null = null;
  let inflate: { writer: WritableStreamDefaultWriter<Uint8Array>; done: Promise<void>; out: Uint8Array } | null = null;
  let frames: { body: Uint8Array; at: number; decode: ChunkedDecode } | null = null;
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    at += value.length;
    progress(at, length);
    if (header) {
      if (inflate) void inflate.writer.write(value);
      else if (frames) receiveFrames(frames, value);
      else chunks.push(value);
      continue;
    }
    head = concat([head, value]);
    const need = head.length >= 12 ? 12 + new DataView(head.buffer, head.byteOffset).getUint32(8, true) : Infinity;
    if (head.length < need) continue;
    const parsed = parseHeader(head);
    header = parsed.header;
    if (header.compression === "gzip") {
      const pipe = new TransformStream<Uint8Array, Uint8Array>();
      const out = new Uint8Array(voxelBytes(header));
      inflate = { writer: pipe.writable.getWriter(), done: inflateInto(pipe.readable, out), out };
      void inflate.writer.write(head.subarray(parsed.bodyOffset));
    } else {
      const plan = chunkPlan(header, voxelBytes(header));
      if (plan) {
        const body = new Uint8Array(plan.sizes.reduce((a, b) => a + b, 0));
        frames = { body, at: 0, decode: new ChunkedDecode(plan, body, voxelBytes(header), frameDecoder()) };
        receiveFrames(frames, head.subarray(parsed.bodyOffset));
      } else {
        chunks.push(head);
        // Compressed data is at most about the raw size: reserve decoder memory for both now.
        void prepareZstd(2 * voxelBytes(header) + (1 << 20));
      }
    }
  }
  window.__labelhubVolumeTimings = { fetchMs: performance.now() - t0, bytes: at };
  if (!header) throw new Error("The volume blob is truncated: re-import the source series.");
  if (inflate) {
    await inflate.writer.close();
    await inflate.done;
    return toVolumeData(header, inflate.out);
  }
  if (frames) {
    if (frames.at !== frames.body.length) throw new Error("The volume blob is truncated: re-import the source series.");
    return toVolumeData(header, await frames.decode.done());
  }
  return decodeVolume(concat(chunks).buffer as ArrayBuffer);
}

/** Copies arriving body bytes into place and starts decoding every frame that is now complete. */
function receiveFrames(frames: { body: Uint8Array; at: number; decode: ChunkedDecode }, value: Uint8Array): void {
  if (frames.at + value.length > frames.body.length) throw new Error("The volume blob is longer than its header says: re-import it.");
  frames.body.set(value, frames.at);
  frames.at += value.length;
  frames.decode.offer(frames.at);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function useVolume(assetId: number): VolumeLoad {
  const [load, setLoad] = useState<VolumeLoad>({ state: "loading", received: 0, total: null });
  useEffect(() => {
    let live = true;
    let last = 0;
    fetchVolume(assetId, (received, total) => {
      const now = performance.now();
      if (live && now - last > 100) {
        last = now;
        setLoad({ state: "loading", received, total });
      }
    })
      .then((volume) => live && setLoad({ state: "ready", volume }))
      .catch((e: unknown) => live && setLoad({ state: "error", error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [assetId]);
  return load;
}
