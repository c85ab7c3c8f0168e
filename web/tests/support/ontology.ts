import type { Ontology } from "../../src/schema";

/** One class per image tool, hotkeys 1-9, so every tool has something to draw. */
export const TEST_ONTOLOGY: Ontology = {
  classes: [
    { id: "car", name: "Car", tool: "bbox", color: "#e6194b", hotkey: "1" },
    { id: "ship", name: "Ship", tool: "rotated_bbox", color: "#3cb44b", hotkey: "2" },
    { id: "road", name: "Road", tool: "polygon", color: "#4363d8", hotkey: "3" },
    { id: "lane", name: "Lane", tool: "polyline", color: "#f58231", hotkey: "4" },
    { id: "pin", name: "Pin", tool: "point", color: "#911eb4", hotkey: "5" },
    {
      id: "person",
      name: "Person",
      tool: "keypoints",
      color: "#42d4f4",
      hotkey: "6",
      skeleton: { points: ["head", "left_hand", "right_hand"], edges: [[0, 1], [0, 2]] },
    },
    { id: "ball", name: "Ball", tool: "ellipse", color: "#f032e6", hotkey: "7" },
    { id: "crate", name: "Crate", tool: "cuboid", color: "#bfef45", hotkey: "8" },
    { id: "sky", name: "Sky", tool: "mask", color: "#469990", hotkey: "9" },
  ],
  classifications: [],
  allow_overlapping_spans: false,
};
