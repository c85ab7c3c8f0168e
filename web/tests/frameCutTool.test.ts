import { beforeEach, describe, expect, it } from "vitest";
import { attachAssist } from "../src/editor/tools/frameCut";
import type { FrameCutAnswer } from "../src/editor/tools/frameCut";
import { FakeAssist, flush, HttpError } from "./support/fakeAssist";
import { TestEditor } from "./support/testEditor";

const square = (x: number, y: number, s: number): FrameCutAnswer => ({
  polygon: [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
  ],
  mask: { size: [800, 1000], counts: [x * 800 + y, s, 800 - s] },
  score: 0.9,
  method: "grabcut",
});

describe("frame cut tool", () => {
  let t: TestEditor;
  let port: FakeAssist;
  beforeEach(() => {
    t = new TestEditor().tool("frame_cut");
    port = new FakeAssist();
    attachAssist(t.editor, port);
    t.editor.setActiveClass("road");
  });

  it("sends the dragged box, shows the answer as a pending polygon and accepts it with Enter (one undo step)", async () => {
    t.drag([100, 100], [300, 250]);
    expect(t.state).toBe("frame_cut.refining");
    expect(port.frameCuts).toHaveLength(1);
    expect(port.frameCuts[0]?.request).toEqual({ box: [100, 100, 300, 250], clicks: [], page: 0 });
    expect(port.status.isBusy("frame_cut")).toBe(true);
    // While waiting the box itself is the draft.
    expect(t.editor.draft).toMatchObject({ kind: "geometry", geometry: { type: "bbox" } });
    port.frameCuts[0]?.resolve(square(120, 110, 100));
    await flush();
    expect(port.status.isBusy("frame_cut")).toBe(false);
    expect(t.editor.draft).toMatchObject({ kind: "geometry", classId: "road", geometry: { type: "polygon" } });
    expect(port.changes).toBeGreaterThan(0);
    expect(t.objects()).toHaveLength(0);
    t.key("Enter");
    expect(t.state).toBe("frame_cut.idle");
    expect(t.editor.draft).toBeNull();
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: square(120, 110, 100).polygon });
    expect(t.only().source).toEqual({ kind: "human" });
    t.undo();
    expect(t.objects()).toHaveLength(0);
    t.redo();
    expect(t.objects()).toHaveLength(1);
  });

  it("re-sends the box with every click: left positive, right and shift negative", async () => {
    t.drag([100, 100], [300, 250]);
    port.frameCuts[0]?.resolve(square(120, 110, 100));
    await flush();
    t.click(150, 150);
    t.click(160, 160, { button: 2 });
    t.click(170, 170, { shiftKey: true });
    expect(port.frameCuts.map((c) => c.request.clicks.length)).toEqual([0, 1, 2, 3]);
    expect(port.frameCuts[3]?.request).toEqual({
      box: [100, 100, 300, 250],
      clicks: [
        { x: 150, y: 150, positive: true },
        { x: 160, y: 160, positive: false },
        { x: 170, y: 170, positive: false },
      ],
      page: 0,
    });
    // Backspace takes the last click back and re-sends.
    t.key("Backspace");
    expect(port.frameCuts[4]?.request.clicks).toHaveLength(2);
  });

  it("drops answers to superseded requests, in whatever order they arrive", async () => {
    t.drag([100, 100], [300, 250]);
    t.click(150, 150);
    t.click(200, 200);
    expect(port.frameCuts).toHaveLength(3);
    port.frameCuts[2]?.resolve(square(130, 130, 50));
    await flush();
    port.frameCuts[0]?.resolve(square(0, 0, 10));
    port.frameCuts[1]?.resolve(square(1, 1, 10));
    await flush();
    expect(t.editor.draft).toMatchObject({ geometry: { points_xy: square(130, 130, 50).polygon } });
    expect(port.status.isBusy("frame_cut")).toBe(false);
  });

  it("stays busy until the latest request answers, and Enter meanwhile accepts that answer", async () => {
    t.drag([100, 100], [300, 250]);
    port.frameCuts[0]?.resolve(square(120, 110, 100));
    await flush();
    t.click(150, 150);
    expect(port.status.isBusy("frame_cut")).toBe(true);
    t.key("Enter");
    expect(t.objects()).toHaveLength(0);
    port.frameCuts[1]?.resolve(square(140, 140, 60));
    await flush();
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: square(140, 140, 60).polygon });
    expect(t.state).toBe("frame_cut.idle");
  });

  it("Escape cancels and an answer arriving afterwards is ignored", async () => {
    t.drag([100, 100], [300, 250]);
    t.key("Escape");
    expect(t.state).toBe("frame_cut.idle");
    expect(t.editor.draft).toBeNull();
    port.frameCuts[0]?.resolve(square(120, 110, 100));
    await flush();
    expect(t.editor.draft).toBeNull();
    expect(t.objects()).toHaveLength(0);
    expect(port.status.isBusy("frame_cut")).toBe(false);
  });

  it("a click without a drag sends nothing", () => {
    t.click(100, 100);
    expect(t.state).toBe("frame_cut.idle");
    expect(port.frameCuts).toHaveLength(0);
  });

  it("stores a mask when the active class is a mask class", async () => {
    t.editor.setActiveClass("sky");
    t.tool("frame_cut");
    t.drag([100, 100], [300, 250]);
    const answer = square(120, 110, 100);
    port.frameCuts[0]?.resolve(answer);
    await flush();
    expect(t.editor.draft).toMatchObject({ kind: "mask", classId: "sky" });
    t.key("Enter");
    expect(t.only().geometry).toEqual({ type: "mask", rle: answer.mask });
  });

  it("a 503 turns the tool off with the server's message; new boxes are not sent", async () => {
    t.drag([100, 100], [300, 250]);
    port.frameCuts[0]?.reject(new HttpError(503, "Frame Cut needs OpenCV: pip install opencv-python-headless"));
    await flush();
    expect(t.state).toBe("frame_cut.idle");
    expect(port.status.blocked("frame_cut")).toContain("needs OpenCV");
    expect(port.status.message?.text).toContain("turned off");
    t.drag([100, 100], [300, 250]);
    expect(port.frameCuts).toHaveLength(1);
  });

  it("a 400 shows the message but keeps the tool on and the last good outline", async () => {
    t.drag([100, 100], [300, 250]);
    port.frameCuts[0]?.resolve(square(120, 110, 100));
    await flush();
    t.click(150, 150);
    port.frameCuts[1]?.reject(new HttpError(400, "clicks[0]: outside the image"));
    await flush();
    expect(port.status.blocked("frame_cut")).toBeNull();
    expect(port.status.message?.text).toContain("outside the image");
    expect(t.state).toBe("frame_cut.refining");
    expect(t.editor.draft).toMatchObject({ geometry: { points_xy: square(120, 110, 100).polygon } });
  });

  it("says so when the box holds nothing, and Enter keeps the box for a click instead of closing silently", async () => {
    t.drag([100, 100], [300, 250]);
    port.frameCuts[0]?.resolve({ polygon: [], mask: { size: [800, 1000], counts: [800000] }, score: 0, method: "none" });
    await flush();
    expect(port.status.message?.text).toContain("found no object");
    t.key("Enter");
    expect(t.state).toBe("frame_cut.refining");
    expect(t.objects()).toHaveLength(0);
    t.click(200, 180);
    port.frameCuts[1]?.resolve(square(150, 150, 60));
    await flush();
    expect(port.status.message).toBeNull();
    t.key("Enter");
    expect(t.objects()).toHaveLength(1);
  });

  it("a drag while refining drops the pending object and sends a new box", async () => {
    t.drag([100, 100], [300, 250]);
    port.frameCuts[0]?.resolve(square(120, 110, 100));
    await flush();
    t.click(150, 150);
    t.drag([400, 400], [500, 480]);
    expect(port.frameCuts.at(-1)?.request).toEqual({ box: [400, 400, 500, 480], clicks: [], page: 0 });
    // The answer to the click on the old box arrives late: dropped.
    port.frameCuts[1]?.resolve(square(0, 0, 10));
    port.frameCuts.at(-1)?.resolve(square(410, 410, 50));
    await flush();
    t.key("Enter");
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: square(410, 410, 50).polygon });
  });

  it("does nothing without a port", () => {
    attachAssist(t.editor, null);
    t.drag([100, 100], [300, 250]);
    expect(t.state).toBe("frame_cut.idle");
  });
});
