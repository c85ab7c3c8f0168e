import { useMemo } from "react";
import { ToolRail } from "../../app/ToolRail";
import { useEditorTick } from "../../app/useEditorTick";
import { Editor } from "../../editor";
import { SidePanel } from "../../labeling/SidePanel";
import type { Ontology } from "../../schema";

const NO_MISSING: ReadonlySet<string> = new Set();

/**
 * The labeler's tool rail and right panel, built from the ontology being edited: a real editor
 * with one sample object of the selected class (selected, so its questions show) and the
 * whole-asset questions. Answers given here are only a try-out; they reset when the ontology changes.
 */
export function Preview({ ontology, classId }: { ontology: Ontology; classId: string | null }) {
  const editor = useMemo(() => {
    const cls = ontology.classes.find((c) => c.id === classId);
    const objects = cls
      ? [{ id: "sample", class_id: cls.id, page: 0, geometry: { type: "bbox" as const, xyxy: [10, 10, 60, 60] as [number, number, number, number] }, attributes: {}, source: { kind: "human" as const }, confidence: null }]
      : [];
    const e = new Editor({ ontology, assetSize: { width: 100, height: 100 }, annotation: { objects, classifications: {} } });
    if (cls) {
      e.select(["sample"]);
      e.setActiveClass(cls.id);
    }
    return e;
  }, [ontology, classId]);
  useEditorTick(editor);
  return (
    <div className="preview" aria-label="Preview as labelers see it">
      <div className="preview-title">
        Preview <span className="muted">· as labelers see it</span>
      </div>
      <div className="preview-shell">
        <ToolRail editor={editor} />
        <SidePanel editor={editor} mode="label" missing={NO_MISSING} rejections={[]} objectComments={{}} setObjectComment={() => undefined} />
      </div>
    </div>
  );
}
