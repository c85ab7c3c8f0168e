import { describe, expect, it } from "vitest";
import { assetToScreen, fitViewport, screenToAsset, visibleAssetBounds, zoomAbout } from "../src/editor";
import { TestEditor } from "./support/testEditor";

describe("viewport", () => {
  it("converts screen <-> asset exactly: asset = (screen - pan) / zoom", () => {
    const v = { zoom: 2, panX: 10, panY: 10 };
    expect(screenToAsset(v, { x: 50, y: 50 })).toEqual({ x: 20, y: 20 });
    expect(screenToAsset(v, { x: 150, y: 120 })).toEqual({ x: 70, y: 55 });
    expect(assetToScreen(v, { x: 70, y: 55 })).toEqual({ x: 150, y: 120 });
  });

  it("zooming about a point keeps the asset point under it", () => {
    const v = zoomAbout({ zoom: 1, panX: 0, panY: 0 }, { x: 100, y: 100 }, 4);
    expect(v).toEqual({ zoom: 4, panX: -300, panY: -300 });
    expect(screenToAsset(v, { x: 100, y: 100 })).toEqual({ x: 100, y: 100 });
  });

  it("fit centres the whole asset with a 16 px margin", () => {
    expect(fitViewport({ width: 1000, height: 800 }, { width: 800, height: 600 })).toEqual({ zoom: 0.71, panX: 45, panY: 16 });
  });

  it("visible bounds", () => {
    expect(visibleAssetBounds({ zoom: 2, panX: -100, panY: 0 }, { width: 800, height: 600 })).toEqual({ minX: 50, minY: 0, maxX: 450, maxY: 300 });
  });
});

describe("pan and zoom input", () => {
  it("Space-drag pans without reaching the tool", () => {
    const t = new TestEditor().tool("bbox");
    t.input.keyDown({ key: " " });
    t.down(100, 100).move(130, 120).up(150, 130);
    t.input.keyUp({ key: " " });
    expect(t.editor.viewport).toEqual({ zoom: 1, panX: 50, panY: 30 });
    expect(t.objects()).toHaveLength(0);
    expect(t.state).toBe("bbox.idle");
  });

  it("the middle button pans", () => {
    const t = new TestEditor().setViewport(2, 0, 0);
    t.down(10, 10, { button: 1 }).move(0, 5, { button: 1 }).up(0, 5, { button: 1 });
    expect(t.editor.viewport).toEqual({ zoom: 2, panX: -10, panY: -5 });
  });

  it("wheel zooms 1.25x per notch about the pointer", () => {
    const t = new TestEditor();
    t.input.wheel({ x: 100, y: 100, deltaY: -100 });
    expect(t.editor.viewport).toEqual({ zoom: 1.25, panX: -25, panY: -25 });
    t.input.wheel({ x: 100, y: 100, deltaY: 100 });
    expect(t.editor.viewport).toEqual({ zoom: 1, panX: 0, panY: 0 });
  });

  it("0 fits; + and - zoom about the view centre", () => {
    const t = new TestEditor().key("0");
    expect(t.editor.viewport).toEqual({ zoom: 0.71, panX: 45, panY: 16 });
    t.setViewport(1).key("+");
    expect(t.editor.viewport).toEqual({ zoom: 1.25, panX: -100, panY: -75 });
    t.key("-");
    expect(t.editor.viewport).toEqual({ zoom: 1, panX: 0, panY: 0 });
  });

  it("handles keep a constant screen size: at zoom 4 a handle 10 screen px away is missed", () => {
    const t = new TestEditor().tool("bbox").drag([10, 10], [60, 40]).setViewport(4);
    t.down(60 * 4 + 10, 40 * 4);
    expect(t.state).toBe("bbox.drawing");
  });
});
