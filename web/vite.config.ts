import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * The server serves web/dist and replaces the nonce placeholder in index.html
 * with a per-request nonce that it also names in its Content-Security-Policy.
 */
export default defineConfig({
  root,
  plugins: [react()],
  html: { cspNonce: "__STEWARD_NONCE__" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { "/api": "http://localhost:8080" },
  },
});
