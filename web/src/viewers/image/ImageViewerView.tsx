import { useEffect, useRef } from "react";
import type { Editor } from "../../editor";
import { ImageViewer } from "./ImageViewer";
import type { ViewerImage } from "./ImageViewer";

export interface ImageViewerViewProps {
  editor: Editor;
  image: ViewerImage;
  className?: string;
}

/** Mounts an ImageViewer for the lifetime of the component; the canvas fills the element. */
export function ImageViewerView({ editor, image, className }: ImageViewerViewProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const viewer = new ImageViewer(container.current, editor, image);
    return () => viewer.destroy();
  }, [editor, image]);
  return <div ref={container} className={className} style={{ width: "100%", height: "100%", outline: "none", overflow: "hidden" }} />;
}
