import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Browser tests: the real server, the built web app and headless Chromium. One file at a time. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
