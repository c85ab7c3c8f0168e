export { App } from "./App";
export { DEMO_ONTOLOGY, DEMO_ANNOTATION, DEMO_SIZE, drawDemoImage } from "./demo";
export { useEditorTick, useEditorChannels } from "./useEditorTick";
