import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*_test.ts"],
    exclude: ["test/deno/**", "node_modules/**", "notebooks/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real HTTPS emulators on free ports; 2 cores do not gain from more workers.
    maxWorkers: 2,
  },
});
