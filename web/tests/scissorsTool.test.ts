import { beforeEach, describe, expect, it } from "vitest";
import { attachAssist } from "../src/editor/tools/frameCut";
import { simplifyRing } from "../src/editor/tools/scissors";
import type { XY } from "../src/schema";
import { FakeAssist, flush, HttpError } from "./support/fakeAssist";
import { TestEditor } from "./support/testEditor";

const line = (a: XY, b: XY, n = 4): XY[] => Array.from({ length: n + 1 }, (_, i): XY => [a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n]);

describe("smart scissors tool", () => {
  let t: TestEditor;
  let port: FakeAssist;
  beforeEach(() => {
    t = new TestEditor().tool("scissors");
    port = new FakeAssist();
    attachAssist(t.editor, port);
  });

  it("first click anchors; moves ask for the live path with at most one request in flight", async () => {
    t.click(100, 100);
    expect(t.state).toBe("scissors.tracing");
    t.move(150, 100).move(160, 100).move(170, 100);
    expect(port.scissorsCalls).toHaveLength(1);
    expect(port.scissorsCalls[0]?.request).toEqual({ anchors: [[100, 100]], cursor: [150, 100], close: false, page: 0 });
    port.scissorsCalls[0]?.resolve({ path: line([100, 100], [150, 100]), closed: false });
    await flush();
    // The queued (newest) cursor goes out next; the one in between is skipped.
    expect(port.scissorsCalls).toHaveLength(2);
    expect(port.scissorsCalls[1]?.request.cursor).toEqual([170, 100]);
    expect(t.editor.draft).toMatchObject({ kind: "geometry", classId: "road", geometry: { type: "polyline" } });
  });

  it("drops a live path answered for an older set of anchors", async () => {
    t.click(100, 100).move(200, 100);
    t.click(200, 100); // second anchor while the first request is in flight
    port.scissorsCalls[0]?.resolve({ path: line([100, 100], [0, 0]), closed: false });
    await flush();
    const pts = t.editor.draft?.kind === "geometry" && "points_xy" in t.editor.draft.geometry ? t.editor.draft.geometry.points_xy : [];
    expect(pts.some(([x, y]) => x === 0 && y === 0)).toBe(false);
  });

  it("click freezes the live segment; clicking the first anchor closes with close: true into a polygon", async () => {
    t.click(100, 100).move(200, 100);
    port.scissorsCalls[0]?.resolve({ path: line([100, 100], [200, 100]), closed: false });
    await flush();
    t.click(200, 100).move(200, 200);
    port.scissorsCalls[1]?.resolve({ path: line([200, 100], [200, 200]), closed: false });
    await flush();
    t.click(200, 200).move(101, 101);
    expect(port.scissorsCalls.at(-1)?.request.anchors).toEqual([
      [100, 100],
      [200, 100],
      [200, 200],
    ]);
    t.click(101, 101); // on the first anchor
    const close = port.scissorsCalls.at(-1);
    expect(close?.request).toEqual({ anchors: [[100, 100], [200, 100], [200, 200]], cursor: null, close: true, page: 0 });
    expect(port.status.isBusy("scissors")).toBe(true);
    // A late live-path answer must not reopen anything.
    port.scissorsCalls.at(-2)?.resolve({ path: line([200, 200], [0, 0]), closed: false });
    close?.resolve({ path: [...line([100, 100], [200, 100]), ...line([200, 100], [200, 200]).slice(1), ...line([200, 200], [100, 100]).slice(1)], closed: true });
    await flush();
    expect(t.state).toBe("scissors.idle");
    expect(t.only().geometry).toEqual({ type: "polygon", points_xy: [[100, 100], [200, 100], [200, 200]] });
    expect(port.status.isBusy("scissors")).toBe(false);
    t.undo();
    expect(t.objects()).toHaveLength(0);
  });

  it("double-click closes; Backspace removes the last anchor; Escape cancels", async () => {
    t.click(100, 100).click(200, 100).click(200, 200);
    t.key("Backspace");
    t.move(150, 150);
    expect(port.scissorsCalls.at(-1)?.request.anchors).toHaveLength(2);
    t.click(200, 200);
    t.doubleClick(100, 200);
    const close = port.scissorsCalls.at(-1);
    expect(close?.request.close).toBe(true);
    expect(close?.request.anchors).toHaveLength(4);
    t.key("Escape");
    expect(t.state).toBe("scissors.idle");
    close?.resolve({ path: line([100, 100], [200, 200]), closed: true });
    await flush();
    expect(t.objects()).toHaveLength(0);
  });

  it("a 503 turns the tool off and shows why", async () => {
    t.click(100, 100).move(120, 120);
    port.scissorsCalls[0]?.reject(new HttpError(503, "Smart Scissors needs OpenCV"));
    await flush();
    expect(t.state).toBe("scissors.idle");
    expect(port.status.blocked("scissors")).toContain("needs OpenCV");
    t.click(100, 100);
    expect(t.state).toBe("scissors.idle");
  });

  it("simplifies the dense closed outline to its corners", () => {
    const ring = [...line([0, 0], [10, 0], 10), ...line([10, 0], [10, 10], 10).slice(1), ...line([10, 10], [0, 10], 10).slice(1), ...line([0, 10], [0, 0], 10).slice(1)];
    expect(simplifyRing(ring, 0.7)).toEqual([
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ]);
  });
});
