import type { AnnotationObject } from "../schema";
import { translateShape } from "./shapes";

/** Copied objects, kept as wire JSON so a later version can share them through the system clipboard. */
export class Clipboard {
  private objects: AnnotationObject[] = [];
  private pasteCount = 0;

  copy(objects: readonly AnnotationObject[]): void {
    this.objects = structuredClone([...objects]);
    this.pasteCount = 0;
  }

  get isEmpty(): boolean {
    return this.objects.length === 0;
  }

  /**
   * Fresh copies with new ids on `page`, each paste shifted a further `step`
   * asset pixels right and down so copies do not hide each other. Pasted objects
   * are the labeler's own: source becomes human, confidence null.
   */
  paste(newId: () => string, page: number, step = 10): AnnotationObject[] {
    this.pasteCount++;
    const offset = step * this.pasteCount;
    return this.objects.map((o) => ({
      ...structuredClone(o),
      id: newId(),
      page,
      geometry: translateShape(structuredClone(o.geometry), offset, offset),
      source: { kind: "human" },
      confidence: null,
    }));
  }
}
