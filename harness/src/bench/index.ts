// `npm run bench`: the gateway's cost per request, measured side by side with nginx and a minimal
// Node proxy in one run, reported as ratios (these machines are shared and noisy).

export { DEFAULT_OPTIONS, QUICK_OPTIONS, type BenchOptions } from './options.js';
export { runBench, type Progress } from './run-bench.js';
export { computeFigures, formatReport, resultsToJson, type BenchResults, type BenchFigures } from './report.js';
export { BenchInterruptedError, BenchSetupError } from './errors.js';
export { stopAllChildren } from './child-processes.js';
export { formatStartupTiming, startupTimingJson, timeStartup, type StartupTiming } from './startup-timing.js';
