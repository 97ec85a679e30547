import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/node/**/*.test.ts'], environment: 'node', testTimeout: 120_000 } },
      // Drives Debian's Chromium through playwright-core against the built app (run `vite build --mode automation` first: src/automation.ts).
      { test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], environment: 'node', testTimeout: 600_000, hookTimeout: 300_000, fileParallelism: false } },
    ],
  },
});
