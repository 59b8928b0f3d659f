export type {
  CheckResult, Exchange, ExpectationResult, LabInfo, LabResult, RequestRecord, ResponseRecord, RunSummary,
} from './results.js';
export { summarise, failedExpectations } from './results.js';
export { runLab, labInfo, type LabTarget, type RunOptions } from './run-lab.js';
export { runCheck, type CheckContext } from './run-check.js';
export { prepareRequest, sendRequest, maskUrlCredentials, type SentExchange } from './http.js';
export { evaluateExpectations, lookupPath, describeSubject, type EvaluationContext } from './expectations.js';
export { evaluateMatcher, type MatchOutcome, type Observed } from './matchers.js';
export { secondsLeftInWindow, WINDOW_SLACK_MS, DEFAULT_MAX_WAIT_MS } from './rate-limit-window.js';
export { systemClock, type Clock } from './clock.js';
