import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Root } from "../ui/Root";
import "./app.css";
import "../ui/pages.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
}
