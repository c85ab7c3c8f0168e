import { useEffect, useState } from "react";
import { API_BASE } from "../../api";
import type { VolumeData } from "./blob";
import { decodeVolume } from "./blob";

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
  // Streamed (the server sends no Content-Length): collect the chunks, reporting bytes received.
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    at += value.length;
    progress(at, length);
  }
  const buffer = new Uint8Array(at);
  let offset = 0;
  for (const c of chunks) {
    buffer.set(c, offset);
    offset += c.length;
  }
  window.__labelhubVolumeTimings = { fetchMs: performance.now() - t0, bytes: at };
  return decodeVolume(buffer.buffer);
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
