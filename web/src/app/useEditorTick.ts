import { useCallback, useSyncExternalStore } from "react";
import type { ChangeChannel, Editor } from "../editor";

/** Re-renders the calling component whenever the editor notifies. */
export function useEditorTick(editor: Editor): void {
  useEditorChannels(editor, ["view"]);
}

/**
 * Re-renders the calling component only when one of `channels` changed (see editor/changes):
 * e.g. a side panel listens to "document" and "selection" and ignores viewport-only notifications.
 * `channels` is compared by content, so an inline array literal is fine.
 */
export function useEditorChannels(editor: Editor, channels: readonly ChangeChannel[]): number {
  const key = channels.join(",");
  const subscribe = useCallback((onChange: () => void) => editor.subscribe(onChange, key.split(",") as ChangeChannel[]), [editor, key]);
  const snapshot = useCallback(() => channelVersion(editor.versions, key.split(",") as ChangeChannel[]), [editor, key]);
  return useSyncExternalStore(subscribe, snapshot);
}

/** One number that grows whenever any of `channels`' versions does. */
export function channelVersion(versions: Readonly<Record<ChangeChannel, number>>, channels: readonly ChangeChannel[]): number {
  let sum = 0;
  for (const c of channels) sum += versions[c];
  return sum;
}
