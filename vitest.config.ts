import { defineConfig } from 'vitest/config';

const unitAndIntegration = ['gateway/test/**/*.test.ts', 'harness/test/**/*.test.ts', 'scripts/test/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real processes on free ports; two cores are enough for a few files at once.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: unitAndIntegration } },
      {
        extends: true,
        test: {
          name: 'labs',
          include: ['labs/test/**/*.test.ts'],
          // One environment per run (LABKIT_RUNTIME: auto, local, containers or external); building images can take minutes.
          globalSetup: ['labs/test/support/lab-environment-setup.ts'],
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
