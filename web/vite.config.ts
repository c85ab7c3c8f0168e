/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The server serves the built app from src/labelhub/web_dist (git-ignored).
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../src/labelhub/web_dist",
    emptyOutDir: true,
  },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
  },
});
