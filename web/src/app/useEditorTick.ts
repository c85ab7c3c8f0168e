import { useEffect, useState } from "react";
import type { Editor } from "../editor";

/** Re-renders the calling component whenever the editor notifies. */
export function useEditorTick(editor: Editor): void {
  const [, setTick] = useState(0);
  useEffect(() => editor.subscribe(() => setTick((t) => t + 1)), [editor]);
}
