import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Interop tests spawn ffmpeg/GStreamer; two workers match the 2-core machines we run on.
    maxWorkers: 2,
  },
});
