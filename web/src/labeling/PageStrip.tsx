import { useEditorChannels } from "../app/useEditorTick";
import type { Editor } from "../editor";

/** Bottom strip for multi-page images: one button per page with its object count, and a slider. */
export function PageStrip({ editor, pages }: { editor: Editor; pages: number }) {
  useEditorChannels(editor, ["document", "ui"]);
  const counts = new Array<number>(pages).fill(0);
  for (const o of editor.store.all()) if (o.page < pages) counts[o.page] = (counts[o.page] ?? 0) + 1;
  const go = (page: number) => {
    editor.setPage(page, pages);
    editor.notify();
  };
  return (
    <nav className="page-strip" aria-label="Pages">
      <button aria-label="Previous page" title="Previous page (PageUp)" disabled={editor.page === 0} onClick={() => go(editor.page - 1)}>
        ‹
      </button>
      <span className="page-of">
        Page <b>{editor.page + 1}</b> of {pages}
      </span>
      <input type="range" aria-label="Page" min={0} max={pages - 1} value={editor.page} onChange={(e) => go(Number(e.target.value))} onKeyDown={(e) => e.stopPropagation()} />
      <button aria-label="Next page" title="Next page (PageDown)" disabled={editor.page === pages - 1} onClick={() => go(editor.page + 1)}>
        ›
      </button>
      <div className="page-thumbs">
        {counts.map((n, i) => (
          <button key={i} className={i === editor.page ? "page-thumb on" : "page-thumb"} aria-label={`Page ${i + 1}`} aria-current={i === editor.page} onClick={() => go(i)}>
            <span>{i + 1}</span>
            {n > 0 && <small>{n}</small>}
          </button>
        ))}
      </div>
    </nav>
  );
}
