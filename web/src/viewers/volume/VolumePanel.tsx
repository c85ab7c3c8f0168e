import type { ReviewEvent } from "../../api";
import { QuestionForm } from "../../labeling/QuestionForm";
import type { Answers, AttributeAnswer, OntologyClass, Question } from "../../schema";
import { interpolateGaps } from "./interpolate";
import { labelColour } from "./render";
import { useSessionTick } from "./VolumeViewer";
import type { VolumeSession } from "./session";
import { AXIS_NAMES } from "./polygonTool";
import { sliceSummary } from "./sliceAnswers";
import type { SliceAnswers } from "./sliceAnswers";

const rgb = (c: [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;

/** Fills the gaps of the selected segment between painted slices of the current plane (I). */
export function interpolateActive(session: VolumeSession): number {
  const n = interpolateGaps(session.labels, session.maps[session.lastPlane], session.activeLabel);
  session.documentChanged();
  return n;
}

/** The volume's classification questions and its answers (the body's `classifications`). */
export interface VolumeQuestions {
  questions: readonly Question[];
  answers: Answers;
  onAnswer: (questionId: string, answer: AttributeAnswer | null) => void;
  /** Required questions a refused submit flagged. */
  missing: ReadonlySet<string>;
  readOnly: boolean;
}

/** The slice-scope questions: answered per axial slice k (the body's `slice_classifications`). */
export interface SliceQuestions {
  questions: readonly Question[];
  all: SliceAnswers;
  onAnswer: (k: number, questionId: string, answer: AttributeAnswer | null) => void;
  readOnly: boolean;
}

/** Right panel: the reviewer's note, classification, slice questions, segments (voxels, mL, visibility), brush size and interpolation, 3-D boxes, slice polygons, volume facts. */
export function VolumePanel({
  session,
  masks,
  boxes,
  polygons = [],
  counts,
  note,
  questions,
  slices,
  rejection,
}: {
  session: VolumeSession;
  masks: OntologyClass[];
  boxes: OntologyClass[];
  polygons?: OntologyClass[];
  counts: Uint32Array | null;
  note: string | null;
  questions?: VolumeQuestions;
  slices?: SliceQuestions;
  rejection?: ReviewEvent | null;
}) {
  useSessionTick(session);
  const sp = session.volume.header.spacing_mm;
  const voxelMl = ((sp[0] ?? 1) * (sp[1] ?? 1) * (sp[2] ?? 1)) / 1000;
  const h = session.volume.header;
  return (
    <aside className="panel" aria-label="Segments and boxes">
      {rejection && (
        <section className="review-note" role="note" data-testid="rejection">
          <h2>Returned by the reviewer</h2>
          {rejection.comment && <p>{rejection.comment}</p>}
        </section>
      )}
      {(h.warnings ?? []).map((w) => (
        <div key={w} className="vv-warning">
          {w}
        </div>
      ))}
      {questions && questions.questions.length > 0 && (
        <section className="vv-questions" aria-label="Classification">
          <h2>Classification</h2>
          <fieldset disabled={questions.readOnly}>
            <QuestionForm questions={questions.questions} answers={questions.answers} onAnswer={questions.onAnswer} missing={questions.missing} />
          </fieldset>
        </section>
      )}
      {slices && slices.questions.length > 0 && <SliceQuestionsSection session={session} slices={slices} />}
      {masks.length > 0 && (
        <>
          <h2>Segments</h2>
          <ul>
            {masks.map((c, n) => {
              const value = n + 1;
              const voxels = counts?.[value] ?? 0;
              const hidden = session.hiddenLabels.has(value);
              return (
                <li key={c.id} className={session.activeLabel === value ? "selected" : ""} data-segment={c.id} onClick={() => session.set("activeLabel", value)}>
                  <span className="swatch" style={{ background: rgb(labelColour(value)) }} />
                  <span className="name">{c.name}</span>
                  <span className="meta" title={`${voxels} voxels`}>
                    {voxels > 0 ? `${(voxels * voxelMl).toFixed(1)} mL` : "—"}
                  </span>
                  <button
                    className="vv-eye"
                    title={hidden ? "Show" : "Hide"}
                    aria-label={hidden ? `Show ${c.name}` : `Hide ${c.name}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      if (hidden) session.hiddenLabels.delete(value);
                      else session.hiddenLabels.add(value);
                      session.notify();
                    }}
                  >
                    {hidden ? "◌" : "◉"}
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="vv-panel-section">
            <label>
              Brush
              <input type="range" min={0.5} max={40} step={0.5} value={session.brushMm} onChange={(e) => session.set("brushMm", Number(e.target.value))} />
              <span className="meta">{session.brushMm} mm</span>
            </label>
            <div className="vv-row">
              <button title="Fill the slices between painted slices of the current plane by shape-based interpolation (I)" data-testid="interpolate" onClick={() => interpolateActive(session)}>
                Interpolate gaps
              </button>
            </div>
            {note && <span className="meta">{note}</span>}
          </div>
        </>
      )}
      {boxes.length > 0 && (
        <>
          <h2>3-D boxes</h2>
          {session.boxes.length === 0 && <p className="empty">Choose a box class and drag on any plane.</p>}
          <ul>
            {session.boxes.map((b) => {
              const cls = boxes.find((c) => c.id === b.classId);
              const [x0, y0, z0, x1, y1, z1] = b.xyzxyz;
              return (
                <li key={b.id} className={session.selectedBox === b.id ? "selected" : ""} onClick={() => {
                  session.selectedBox = b.id;
                  session.setCursor([(x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2]);
                }}>
                  <span className="swatch" style={{ border: `2px solid ${rgb(labelColour(session.boxClassIndex(b.classId)))}` }} />
                  <span className="name">{cls?.name ?? b.classId}</span>
                  <span className="meta">
                    {x1 - x0}×{y1 - y0}×{z1 - z0}
                  </span>
                  <button className="vv-eye" title="Delete (Del)" aria-label="Delete box" onClick={(e) => {
                    e.stopPropagation();
                    session.boxes = session.boxes.filter((x) => x.id !== b.id);
                    session.documentChanged();
                  }}>
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {polygons.length > 0 && (
        <>
          <h2>Slice polygons</h2>
          {session.polygons.length === 0 && <p className="empty">Choose a polygon class, click vertices on any plane, close on the first point or Enter.</p>}
          <ul data-testid="polygon-list">
            {session.polygons.map((p) => {
              const cls = polygons.find((c) => c.id === p.classId);
              return (
                <li
                  key={p.id}
                  className={session.selectedPolygon === p.id ? "selected" : ""}
                  data-polygon={p.id}
                  onClick={() => {
                    session.selectedPolygon = p.id;
                    const cursor: [number, number, number] = [...session.cursor];
                    cursor[p.axis] = p.slice;
                    session.setCursor(cursor);
                  }}
                >
                  <span className="swatch" style={{ border: `2px solid ${cls?.color ?? "#ffd166"}` }} />
                  <span className="name">{cls?.name ?? p.classId}</span>
                  <span className="meta">
                    {AXIS_NAMES[p.axis]} {p.slice + 1} · {p.points.length} pts
                  </span>
                  <button
                    className="vv-eye"
                    title="Delete (Del)"
                    aria-label="Delete polygon"
                    onClick={(e) => {
                      e.stopPropagation();
                      session.polygons = session.polygons.filter((x) => x.id !== p.id);
                      if (session.selectedPolygon === p.id) session.selectedPolygon = null;
                      session.documentChanged();
                    }}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <h2>Volume</h2>
      <div className="vv-panel-section meta">
        <span>
          {h.modality || "—"} · {session.volume.ni}×{session.volume.nj}×{session.volume.nk} · {h.dtype}
        </span>
        <span>spacing {sp.map((s) => s.toFixed(2)).join(" × ")} mm</span>
      </div>
    </aside>
  );
}

/** The slice questions of the current axial slice (follows the slider, wheel and crosshair) and the slices already answered. */
function SliceQuestionsSection({ session, slices }: { session: VolumeSession; slices: SliceQuestions }) {
  const k = session.cursor[2];
  const nk = session.volume.nk;
  const answers = slices.all[String(k)] ?? {};
  const answered = Object.keys(slices.all)
    .map(Number)
    .sort((a, b) => a - b);
  const goTo = (n: number) => {
    const cursor: [number, number, number] = [...session.cursor];
    cursor[2] = n;
    session.setCursor(cursor);
  };
  return (
    <section className="vv-questions" aria-label="Slice classification" data-testid="slice-questions">
      <div className="vv-slice-head">
        <h2>This slice</h2>
        <span className="meta" data-testid="slice-questions-k">
          k {k + 1} / {nk}
        </span>
      </div>
      <fieldset disabled={slices.readOnly}>
        <QuestionForm key={k} questions={slices.questions} answers={answers} onAnswer={(qid, a) => slices.onAnswer(k, qid, a)} missing={new Set()} />
      </fieldset>
      <div className="meta" style={{ padding: "0 12px 4px" }}>
        {answered.length === 0 ? "No slice answered yet" : `Slices with answers (${answered.length})`}
      </div>
      {answered.length > 0 && (
        <div className="vv-answered" data-testid="answered-slices">
          {answered.map((n) => (
            <button key={n} className={n === k ? "current" : ""} title={sliceSummary(slices.all[String(n)] ?? {})} data-slice={n} onClick={() => goTo(n)}>
              {n + 1}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
