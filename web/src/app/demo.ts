import type { Annotation, Ontology } from "../schema";

export const DEMO_SIZE = { width: 1280, height: 800 };

/** One class per image tool, colours from a colour-blind-friendly palette (Okabe-Ito plus two). */
export const DEMO_ONTOLOGY: Ontology = {
  classes: [
    { id: "car", name: "Car", tool: "bbox", color: "#e69f00", hotkey: "1" },
    { id: "ship", name: "Ship", tool: "rotated_bbox", color: "#56b4e9", hotkey: "2" },
    { id: "road", name: "Road", tool: "polygon", color: "#009e73", hotkey: "3" },
    { id: "lane", name: "Lane", tool: "polyline", color: "#f0e442", hotkey: "4" },
    { id: "sign", name: "Sign", tool: "point", color: "#0072b2", hotkey: "5" },
    {
      id: "person",
      name: "Person",
      tool: "keypoints",
      color: "#d55e00",
      hotkey: "6",
      skeleton: { points: ["head", "left_hand", "right_hand", "left_foot", "right_foot"], edges: [[0, 1], [0, 2], [0, 3], [0, 4]] },
    },
    { id: "wheel", name: "Wheel", tool: "ellipse", color: "#cc79a7", hotkey: "7" },
    { id: "crate", name: "Crate", tool: "cuboid", color: "#a6d854", hotkey: "8" },
    { id: "sky", name: "Sky", tool: "mask", color: "#8da0cb", hotkey: "9" },
  ],
  classifications: [],
  allow_overlapping_spans: false,
};

export const DEMO_ANNOTATION: Annotation = {
  objects: [
    {
      id: "o1",
      class_id: "road",
      page: 0,
      geometry: { type: "polygon", points_xy: [[0, 800], [520, 430], [760, 430], [1280, 800]] },
      attributes: {},
      source: { kind: "human" },
      confidence: null,
    },
    { id: "o2", class_id: "car", page: 0, geometry: { type: "bbox", xyxy: [180, 520, 420, 650] }, attributes: {}, source: { kind: "human" }, confidence: null },
    {
      id: "o3",
      class_id: "car",
      page: 0,
      geometry: { type: "bbox", xyxy: [760, 540, 960, 640] },
      attributes: {},
      source: { kind: "model", name: "yolo", version: "1" },
      confidence: 0.87,
    },
  ],
  classifications: {},
};

/** A synthetic street scene, so the editor has something to show before the API exists. */
export function drawDemoImage(): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = DEMO_SIZE.width;
  canvas.height = DEMO_SIZE.height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return canvas;
  const sky = ctx.createLinearGradient(0, 0, 0, 430);
  sky.addColorStop(0, "#1d3557");
  sky.addColorStop(1, "#6c8ebf");
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, 1280, 430);
  ctx.fillStyle = "#3a3f44";
  ctx.fillRect(0, 430, 1280, 370);
  ctx.fillStyle = "#555b61";
  ctx.beginPath();
  ctx.moveTo(0, 800);
  ctx.lineTo(520, 430);
  ctx.lineTo(760, 430);
  ctx.lineTo(1280, 800);
  ctx.fill();
  ctx.strokeStyle = "#e9ecef";
  ctx.lineWidth = 6;
  ctx.setLineDash([40, 30]);
  ctx.beginPath();
  ctx.moveTo(640, 430);
  ctx.lineTo(640, 800);
  ctx.stroke();
  ctx.setLineDash([]);
  const car = (x: number, y: number, w: number, h: number, color: string) => {
    ctx.fillStyle = color;
    ctx.fillRect(x, y + h * 0.3, w, h * 0.5);
    ctx.fillRect(x + w * 0.2, y, w * 0.55, h * 0.35);
    ctx.fillStyle = "#111";
    ctx.beginPath();
    ctx.arc(x + w * 0.22, y + h * 0.8, h * 0.17, 0, Math.PI * 2);
    ctx.arc(x + w * 0.78, y + h * 0.8, h * 0.17, 0, Math.PI * 2);
    ctx.fill();
  };
  car(190, 530, 220, 115, "#b23a48");
  car(770, 548, 180, 88, "#2a9d8f");
  ctx.fillStyle = "#2b2d42";
  for (let i = 0; i < 6; i++) ctx.fillRect(40 + i * 210, 250 - (i % 3) * 40, 120, 180 + (i % 3) * 40);
  return canvas;
}
