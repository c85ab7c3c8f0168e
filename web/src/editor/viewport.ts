import type { Bounds, Vec2 } from "../geometry";

/**
 * Screen <-> asset mapping: screen = asset * zoom + pan, so
 * asset = (screen - pan) / zoom. Screen pixels are relative to the canvas's
 * top-left corner; asset pixels as in the schema.
 */
export interface Viewport {
  zoom: number;
  panX: number;
  panY: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;
export const IDENTITY_VIEWPORT: Viewport = { zoom: 1, panX: 0, panY: 0 };

export function screenToAsset(v: Viewport, s: Vec2): Vec2 {
  return { x: (s.x - v.panX) / v.zoom, y: (s.y - v.panY) / v.zoom };
}

export function assetToScreen(v: Viewport, a: Vec2): Vec2 {
  return { x: a.x * v.zoom + v.panX, y: a.y * v.zoom + v.panY };
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Zooms to `zoom` keeping the asset point under `anchor` (screen) fixed. */
export function zoomAbout(v: Viewport, anchor: Vec2, zoom: number): Viewport {
  const z = clampZoom(zoom);
  const a = screenToAsset(v, anchor);
  return { zoom: z, panX: anchor.x - a.x * z, panY: anchor.y - a.y * z };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { zoom: v.zoom, panX: v.panX + dx, panY: v.panY + dy };
}

/** Whole asset visible and centred, `margin` screen pixels from the closest edges. */
export function fitViewport(asset: Size, view: Size, margin = 16): Viewport {
  if (asset.width <= 0 || asset.height <= 0 || view.width <= 0 || view.height <= 0) return IDENTITY_VIEWPORT;
  const zoom = clampZoom(
    Math.min((view.width - 2 * margin) / asset.width, (view.height - 2 * margin) / asset.height),
  );
  return { zoom, panX: (view.width - asset.width * zoom) / 2, panY: (view.height - asset.height * zoom) / 2 };
}

/** The asset-pixel rectangle the view shows. */
export function visibleAssetBounds(v: Viewport, view: Size): Bounds {
  const a = screenToAsset(v, { x: 0, y: 0 });
  const b = screenToAsset(v, { x: view.width, y: view.height });
  return { minX: a.x, minY: a.y, maxX: b.x, maxY: b.y };
}

/** Wheel zoom factor: one notch (deltaY = 100) zooms by 1.25x; trackpads give finer steps. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.pow(1.25, -deltaY / 100);
}
