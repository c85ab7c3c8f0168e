import { describe, expect, it } from "vitest";
import type { ChangeChannel } from "../src/editor";
import { ChangeTracker, VersionedSet } from "../src/editor/changes";
import { channelVersion } from "../src/app/useEditorTick";
import { watchDocument } from "../src/labeling/useDraftSync";
import type { AnnotationObject } from "../src/schema";
import { TestEditor } from "./support/testEditor";

const box = (id: string, xyxy: [number, number, number, number]): AnnotationObject => ({
  id, class_id: "car", page: 0, geometry: { type: "bbox", xyxy }, attributes: {}, source: { kind: "human" }, confidence: null,
});

/** Counts the calls of one listener per channel set. */
function listen(t: TestEditor, channels?: readonly ChangeChannel[]) {
  const calls = { n: 0 };
  t.editor.subscribe(() => calls.n++, channels);
  return calls;
}

describe("change channels", () => {
  it("tracks versions per channel and always bumps view", () => {
    let keys = { document: [1] as unknown[], selection: ["a"] as unknown[], ui: [] as unknown[] };
    const tracker = new ChangeTracker(() => keys);
    expect([...tracker.update()]).toEqual(["view"]);
    keys = { ...keys, selection: ["b"] };
    expect([...tracker.update()].sort()).toEqual(["selection", "view"]);
    keys = { ...keys, document: [2] };
    expect([...tracker.update()].sort()).toEqual(["document", "view"]);
    expect(tracker.versions).toEqual({ document: 1, selection: 1, ui: 0, view: 3 });
    expect(channelVersion(tracker.versions, ["document", "selection"])).toBe(2);
  });

  it("a viewport-only notify reaches plain subscribers but not panel channels", () => {
    const t = new TestEditor({ annotation: { objects: [box("a", [10, 10, 50, 50])], classifications: {} } });
    const all = listen(t);
    const panel = listen(t, ["document", "selection", "ui"]);
    const doc = listen(t, ["document"]);
    t.editor.zoomBy(2);
    t.editor.notify();
    t.editor.setViewport({ zoom: 1, panX: 5, panY: 0 });
    t.editor.notify();
    expect([all.n, panel.n, doc.n]).toEqual([2, 0, 0]);
    t.editor.select(["a"]);
    t.editor.notify();
    expect([all.n, panel.n, doc.n]).toEqual([3, 1, 0]);
    t.editor.deleteSelected();
    t.editor.notify();
    expect([all.n, panel.n, doc.n]).toEqual([4, 2, 1]);
    t.editor.hidden.add("x");
    t.editor.notify();
    t.editor.hidden.add("x"); // already hidden: no change
    t.editor.notify();
    expect([all.n, panel.n, doc.n]).toEqual([6, 3, 1]);
    t.editor.setTool("bbox");
    t.editor.notify();
    expect(panel.n).toBe(4);
  });

  it("a drag changes the document on every move; only the release is a committed edit", () => {
    const t = new TestEditor({ annotation: { objects: [box("a", [10, 10, 60, 40])], classifications: {} } });
    const seen: boolean[] = [];
    watchDocument(t.editor, (committed) => seen.push(committed));
    t.editor.setViewport({ zoom: 1, panX: 0, panY: 0 });
    t.editor.notify();
    t.down(20, 20).move(25, 22).move(30, 25).up(30, 25);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe(true);
    expect(seen.slice(0, -1).every((c) => !c)).toBe(true);
    t.editor.undo();
    t.editor.notify();
    expect(seen.at(-1)).toBe(true);
  });

  it("VersionedSet counts real changes only", () => {
    const s = new VersionedSet<string>();
    s.add("a");
    s.add("a");
    s.delete("b");
    s.delete("a");
    s.clear();
    expect(s.version).toBe(2);
  });
});
