import { useEffect, useMemo, useState } from "react";
import { api, must } from "../../api";
import type { Editor } from "../../editor";
import type { TextLayer, TextLayerSource } from "../../editor/tools/textSpan";
import { attachTextLayers } from "../../editor/tools/textSpan";

/**
 * The text layers of one PDF's pages, each fetched once (`GET /assets/{id}/pages/{n}/text`) when
 * first asked for; subscribers hear when one arrives (the viewer redraws, the panel shows span text).
 */
export class TextLayerStore implements TextLayerSource {
  private readonly layers = new Map<number, TextLayer | "loading" | "failed">();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly assetId: number, private readonly fetchLayer: (assetId: number, page: number) => Promise<TextLayer> = fetchTextLayer) {}

  get(page: number): TextLayer | undefined {
    const hit = this.layers.get(page);
    if (hit === undefined) {
      this.layers.set(page, "loading");
      this.fetchLayer(this.assetId, page).then(
        (layer) => {
          this.layers.set(page, layer);
          for (const listener of [...this.listeners]) listener();
        },
        () => this.layers.set(page, "failed"),
      );
      return undefined;
    }
    return typeof hit === "object" ? hit : undefined;
  }

  /** Calls `listener` whenever a page's layer arrives; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

export async function fetchTextLayer(assetId: number, page: number): Promise<TextLayer> {
  const layer = await must(api.GET("/api/v1/assets/{asset_id}/pages/{page}/text", { params: { path: { asset_id: assetId, page } } }));
  return layer as unknown as TextLayer;
}

/** Whether an asset in this ontology gets text layers: a PDF, and a text_span class to draw. */
export const wantsTextLayers = (editor: Editor, asset: { kind?: string | null }): boolean =>
  asset.kind === "document" && editor.ontology.classes.some((c) => c.tool === "text_span");

/**
 * Attaches text layers to the editor of a PDF task whose ontology has a text_span class (the Text
 * tool is then offered and spans are drawn); the component re-renders when a page's layer arrives.
 */
export function useTextLayers(editor: Editor, asset: { id: number; kind?: string | null }): void {
  const [, setLoaded] = useState(0);
  const store = useMemo(() => {
    if (!wantsTextLayers(editor, asset)) return null;
    const s = new TextLayerStore(asset.id);
    attachTextLayers(editor, s);
    return s;
  }, [editor, asset]);
  useEffect(() => {
    if (!store) return;
    const stop = store.subscribe(() => {
      setLoaded((n) => n + 1);
      editor.notify();
    });
    store.get(editor.page); // the shown page's layer now, not at the first drag
    return stop;
  }, [store, editor]);
}
