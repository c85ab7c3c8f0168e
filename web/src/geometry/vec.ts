/** A point or vector in asset pixels (x right, y down). */
export interface Vec2 {
  x: number;
  y: number;
}

export const vec = (x: number, y: number): Vec2 => ({ x, y });
export const add = (a: Vec2, b: Vec2): Vec2 => ({ x: a.x + b.x, y: a.y + b.y });
export const sub = (a: Vec2, b: Vec2): Vec2 => ({ x: a.x - b.x, y: a.y - b.y });
export const scale = (a: Vec2, k: number): Vec2 => ({ x: a.x * k, y: a.y * k });
export const dot = (a: Vec2, b: Vec2): number => a.x * b.x + a.y * b.y;
export const distance = (a: Vec2, b: Vec2): number => Math.hypot(a.x - b.x, a.y - b.y);
export const lerp = (a: Vec2, b: Vec2, t: number): Vec2 => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });

export const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
export const toDegrees = (radians: number): number => (radians * 180) / Math.PI;

/**
 * Rotates `p` about `center` by `degrees`, clockwise on screen (y down).
 * Exact for multiples of 90 degrees, so right-angle rotations do not drift.
 */
export function rotateAbout(p: Vec2, center: Vec2, degrees: number): Vec2 {
  const [cos, sin] = cosSin(degrees);
  const dx = p.x - center.x;
  const dy = p.y - center.y;
  return { x: center.x + dx * cos - dy * sin, y: center.y + dx * sin + dy * cos };
}

/** cos and sin of an angle in degrees, exact (0, +-1) at multiples of 90. */
export function cosSin(degrees: number): [number, number] {
  const d = ((degrees % 360) + 360) % 360;
  if (d === 0) return [1, 0];
  if (d === 90) return [0, 1];
  if (d === 180) return [-1, 0];
  if (d === 270) return [0, -1];
  const r = toRadians(d);
  return [Math.cos(r), Math.sin(r)];
}

/** Normalises an angle in degrees to (-180, 180]. */
export function normalizeDegrees(degrees: number): number {
  let d = ((degrees % 360) + 360) % 360;
  if (d > 180) d -= 360;
  return d;
}
