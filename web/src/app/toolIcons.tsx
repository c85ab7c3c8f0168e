/** 16×16 stroke icons for the tool rail (hotkey letters stay in the corner and the tooltip). */
const PATHS: Record<string, string> = {
  select: "M3 2l9 5-4 1.2L6.5 12.5z",
  bbox: "M2.5 3.5h11v9h-11z",
  rotated_bbox: "M6 1.8l7.7 4.4-3.7 6.4-7.7-4.4z",
  polygon: "M8 2l5.5 4-2 6.5h-7l-2-6.5z",
  polyline: "M1.5 12l4-6 4 4 5-7",
  point: "M8 8m-2.2 0a2.2 2.2 0 104.4 0a2.2 2.2 0 10-4.4 0",
  keypoints: "M4 3.5l4 4.5-3 5M8 8l4.5 1.5M4 3.5m-1.2 0a1.2 1.2 0 102.4 0a1.2 1.2 0 10-2.4 0M12.5 9.5m-1.2 0a1.2 1.2 0 102.4 0a1.2 1.2 0 10-2.4 0M5 13m-1.2 0a1.2 1.2 0 102.4 0a1.2 1.2 0 10-2.4 0",
  ellipse: "M8 8m-6 0a6 4 0 1012 0a6 4 0 10-12 0",
  cuboid: "M2 5.5h8v8H2zM2 5.5l3-3h8.5v8l-3.5 3M10 5.5l3.5-3",
  brush: "M13.5 2.5L7 9M7 9c-2-1-4 0-4 2.5S2 14 2 14s3 .5 4.5-.5S8 11 7 9z",
  eraser: "M9.5 2.5l4 4-7 7h-3l-2-2zM6 6l4 4M6.5 13.5H14",
  frame_cut: "M2 5V2h3M11 2h3v3M14 11v3h-3M5 14H2v-3M8 4.5c2.5 0 3.5 1.6 3.5 3.5S10 11.5 8 11.5 4.5 10 4.5 8 5.5 4.5 8 4.5z",
  scissors: "M4.5 4.5m-2 0a2 2 0 104 0a2 2 0 10-4 0M4.5 11.5m-2 0a2 2 0 104 0a2 2 0 10-4 0M6 5.8l8 6.2M6 10.2l8-6.2",
  text_span: "M3 3.5h10M8 3.5v9M5.5 12.5h5",
};

export function ToolIcon({ id }: { id: string }) {
  const d = PATHS[id];
  if (!d) return null;
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" strokeLinecap="round" aria-hidden>
      <path d={d} />
    </svg>
  );
}
