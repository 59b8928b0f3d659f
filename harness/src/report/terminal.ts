// The terminal view for people: a passed check is one line; a failed one (or any, verbose) shows the curl
// command to type, the status line and the headers that matter, then ✓/✗ per expectation with expected vs
// actual and where the expectation is written. Text is folded to the terminal's width.

import type { Expectation, LabSpec } from '../spec/types.js';
import type { CheckResult, EnvironmentStepResult, Exchange, ExpectationResult, LabResult, ResponseRecord } from '../runner/results.js';
import { summarise } from '../runner/results.js';
import { palette, type Palette } from '../terminal/color.js';
import { formatPosition } from '../errors/source-position.js';
import { toCurl } from './curl.js';
import { foldCommand, foldLineHard, foldText, wrapParagraphs } from './wrap.js';

export interface TerminalOptions {
  color: boolean;
  /** Every check in full, passed ones too (default: a passed check is one line). */
  verbose?: boolean;
  /** Columns to fold to (default 80). */
  width?: number;
}

const DEFAULT_WIDTH = 80;

function widthOf(options: TerminalOptions): number {
  return options.width ?? DEFAULT_WIDTH;
}

export function formatLabHeader(lab: LabSpec & { number?: number; id?: string }, options: TerminalOptions): string {
  const p = palette(options.color);
  const title = lab.number !== undefined ? `Lab ${lab.number} · ${lab.title}` : lab.title;
  const where = lab.id ? `  ${p.dim(`(${lab.file})`)}` : '';
  const width = widthOf(options);
  return foldText(`${p.bold(title)}${where}\n${indent(wrapParagraphs(lab.explanation, width - 2), '  ')}\n`, width);
}

export function formatCheckResult(result: CheckResult, options: TerminalOptions): string {
  const p = palette(options.color);
  if (result.passed && !options.verbose) return `${foldText(`${p.green('✓')} ${result.name}  ${p.dim(`→ ${outcome(result)}`)}`, widthOf(options))}\n`;
  const lines: string[] = [];
  const mark = result.passed ? p.green('✓') : p.red('✗');
  lines.push(`${mark} ${p.bold(result.name)}  ${p.dim(location(result.check.position))}`);
  for (const note of result.notes) lines.push(`    ${p.yellow(`⏳ ${note}`)}`);
  if (result.check.burst) lines.push(...formatBurst(result, p, widthOf(options)));
  else lines.push(...formatExchange(result, result.exchanges[0], p, widthOf(options)));
  return `${foldText(lines.join('\n'), widthOf(options))}\n`;
}

/** A `redis: stop|start` step between checks: `⏵ Redis stopped  → what was done`, or ✗ and why not. */
export function formatEnvironmentStep(result: EnvironmentStepResult, options: TerminalOptions): string {
  const p = palette(options.color);
  const where = p.dim(location(result.step.position));
  if (!result.passed) return `${foldText(`${p.red('✗')} ${p.bold(result.name)}  ${where}\n    ${p.red(result.error ?? 'failed')}`, widthOf(options))}\n`;
  return `${foldText(`${p.yellow('⏵')} ${result.name}  ${p.dim(`→ ${result.notes.join('; ')}`)}`, widthOf(options))}\n`;
}

/** What a passed check got, in a few words: `401 Unauthorized`, or for a burst `5 × 200, then 429`. */
function outcome(result: CheckResult): string {
  const burst = result.check.burst !== undefined;
  const statuses = result.exchanges.map((exchange) =>
    exchange.response ? (burst ? String(exchange.response.status) : `${exchange.response.status} ${exchange.response.statusText}`) : 'no response',
  );
  if (statuses.length === 0) return 'no request';
  const runs: Array<{ status: string; count: number }> = [];
  for (const status of statuses) {
    const last = runs.at(-1);
    if (last?.status === status) last.count += 1;
    else runs.push({ status, count: 1 });
  }
  if (!burst) return statuses.at(-1)! + (result.attempts > 1 ? ` (after ${result.attempts} tries)` : '');
  return runs.map((run, index) => `${index > 0 ? 'then ' : ''}${run.count > 1 ? `${run.count} × ` : ''}${run.status}`).join(', ');
}

/** The failed checks again, after the run, so that they need no scrolling back for. */
export function formatFailedChecks(results: LabResult[], options: TerminalOptions): string {
  const p = palette(options.color);
  const lines: string[] = [];
  for (const result of results) {
    if (result.error) {
      lines.push(`${p.red('✗')} Lab ${result.lab.number}: ${p.bold(p.red(`error[${result.error.code}]`))}: ${result.error.problem}`);
      if (result.error.location) lines.push(`    ${p.dim(`--> ${formatPosition(result.error.location)}`)}`);
    }
    for (const check of result.checks.filter((c) => !c.passed)) {
      lines.push(`${p.red('✗')} Lab ${result.lab.number} · ${check.name}  ${p.dim(location(check.check.position))}`);
      for (const exchange of check.exchanges) {
        if (!exchange.response) lines.push(`    ${p.red(exchange.error ?? 'no response')}`);
        for (const expectation of exchange.expectations.filter((e) => !e.ok && !e.skipped)) {
          lines.push(`    ${formatExpectation(expectation, p, exchange.label ? `${exchange.label}: ` : '')}`);
        }
      }
      if (check.error) lines.push(`    ${p.red(check.error)}`);
    }
  }
  if (lines.length === 0) return '';
  return `${foldText([p.red(p.bold('Failed:')), ...lines].join('\n'), widthOf(options))}\n`;
}

function formatExchange(result: CheckResult, exchange: Exchange, p: Palette, width: number): string[] {
  const lines = foldCommand(`$ ${toCurl(exchange.request)}`, width, '    ').map((line) => p.cyan(line));
  if (result.attempts > 1) lines.push(`    ${p.dim(`(sent ${result.attempts} times; the last answer is shown)`)}`);
  if (!exchange.response) {
    lines.push(`    ${p.red(exchange.error ?? 'no response')}`);
  } else {
    lines.push(...formatResponse(exchange.response, exchange.request.method, result.check.expect?.expectations ?? [], p, width));
  }
  for (const expectation of exchange.expectations) lines.push(`      ${formatExpectation(expectation, p)}`);
  return lines;
}

function formatBurst(result: CheckResult, p: Palette, width: number): string[] {
  const burst = result.check.burst!;
  const counted = result.exchanges.filter((exchange) => exchange.expectations.length > 0);
  const lines = [
    ...foldCommand(`$ ${toCurl(result.request)}`, width, '    ').map((line) => p.cyan(line)),
    `      ${p.dim(`× ${burst.allowed + 1}: ${burst.allowed} allowed, then blocked`)}`,
  ];
  // One line per request: the rate-limit headers tell the story; the expectations below say the rest.
  const written = [...burst.expectAllowed.expectations, ...burst.expectBlocked.expectations];
  const rateLimitOnes = written.filter((e) => e.subject === 'header' && /ratelimit|retry-after/i.test(e.name ?? ''));
  const shown = rateLimitOnes.length > 0 ? rateLimitOnes : written;
  for (const exchange of result.exchanges) {
    const label = exchange.label ?? '';
    if (!exchange.response) {
      lines.push(`    ${p.dim(label)}  ${p.red(exchange.error ?? 'no response')}`);
      continue;
    }
    const headers = headersToShow(exchange.response, shown).map(([name, value]) => `${name}: ${value}`).join(' · ');
    lines.push(`    ${p.dim(label)}  HTTP/1.1 ${exchange.response.status} ${exchange.response.statusText}${headers ? `  ${p.dim(headers)}` : ''}`);
  }
  // Expectations of the allowed responses, one line per expectation as written (values listed when they vary).
  const allowedRuns = counted.slice(0, burst.allowed);
  burst.expectAllowed.expectations.forEach((expectation, index) => {
    const results = allowedRuns.map((exchange) => exchange.expectations[index]).filter(Boolean);
    const failing = results.map((r, n) => ({ r, n })).filter(({ r }) => !r.ok);
    if (results.length > 0 && failing.length === 0) {
      const first = results[0];
      const values = [...new Set(results.map((r) => r.expected))].join(', ');
      const range = results.length > 1 ? ` (requests 1–${results.length})` : '';
      lines.push(`      ${first.skipped ? formatExpectation(first, p) : `${p.green('✓')} ${first.subject}: ${values}${range}  ${p.dim(location(first.position))}`}`);
    }
    for (const { r, n } of failing) lines.push(`      ${formatExpectation(r, p, `request ${n + 1}: `)}`);
  });
  const blocked = counted[burst.allowed];
  if (blocked) for (const expectation of blocked.expectations) lines.push(`      ${formatExpectation(expectation, p, `request ${burst.allowed + 1}: `)}`);
  return lines;
}

/**
 * The answer as `curl -i` prints it: the status line, every header, a blank line, the body (pretty when
 * it is JSON). Long lines are folded to the width, never cut; only what the runner kept of a large body
 * is shown, and the rest is counted.
 */
export function formatResponse(response: ResponseRecord, method: string, expectations: Expectation[], p: Palette, width: number): string[] {
  const indent = '    ';
  const fold = (line: string) => foldLineHard(`${indent}${line}`, width);
  const spelling = new Map(headersToShow(response, expectations).map(([name]) => [name.toLowerCase(), name]));
  const lines = [`${indent}HTTP/1.1 ${response.status} ${response.statusText}`];
  // As sent; a record without the raw headers (one built by hand) spells the lower-case names as gateways do.
  const headers = response.rawHeaders ?? Object.entries(response.headers).map(([name, value]): [string, string] => [spelling.get(name) ?? headerSpelling(name), value]);
  for (const [name, value] of headers) lines.push(...fold(`${name}: ${value}`).map((line) => p.dim(line)));
  const body = method === 'HEAD' ? '' : response.bodyExcerpt;
  if (body) {
    lines.push('');
    // The runner keeps the start of a large body, marked with a trailing ….
    const cut = body.endsWith('…') && Buffer.byteLength(body.slice(0, -1)) < response.bodyBytes;
    for (const line of prettyBody(cut ? body.slice(0, -1) : body).split('\n')) lines.push(...fold(line));
    if (cut) lines.push(`${indent}${p.dim(`… (${response.bodyBytes} bytes in all)`)}`);
  }
  return lines;
}

/** A JSON body indented as `jq .` would; anything else as it came. */
function prettyBody(body: string): string {
  const trimmed = body.trim();
  if (!/^[[{]/.test(trimmed)) return body.replace(/\n$/, '');
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return body.replace(/\n$/, '');
  }
}

/** Headers whose usual spelling is not one capital per dash-separated part. */
const HEADER_SPELLINGS = new Map(
  ['WWW-Authenticate', 'ETag', 'Content-MD5', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-XSS-Protection'].map((name) => [name.toLowerCase(), name]),
);

/**
 * A header name as gateways spell it on the wire (`X-Kong-Request-Id`, `WWW-Authenticate`,
 * `X-RateLimit-Remaining-Minute`): the client keeps names in lower case only.
 */
export function headerSpelling(lower: string): string {
  for (const [known, spelled] of HEADER_SPELLINGS) {
    if (lower === known || lower.startsWith(`${known}-`)) return spelled + headerSpelling(lower.slice(known.length));
  }
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** The headers the expectations name (in the lab's spelling), plus those they compare with. */
export function headersToShow(response: ResponseRecord, expectations: Expectation[]): Array<[string, string]> {
  const names = new Map<string, string>();
  for (const expectation of expectations) {
    if (expectation.subject === 'header' && expectation.name) names.set(expectation.name.toLowerCase(), expectation.name);
    if (expectation.matcher.kind === 'same-as-header') names.set(expectation.matcher.header.toLowerCase(), expectation.matcher.header);
  }
  const shown: Array<[string, string]> = [];
  for (const [lower, spelled] of names) {
    const value = response.headers[lower];
    if (value !== undefined) shown.push([spelled, value]);
  }
  return shown;
}

export function formatExpectation(result: ExpectationResult, p: Palette, prefix = ''): string {
  const where = p.dim(location(result.position));
  if (result.skipped) return `${p.yellow('–')} ${prefix}${result.subject}: ${p.dim(`skipped, ${result.skipped}`)}`;
  if (result.ok) {
    // A pattern or a range does not say what came; an exact value does.
    const vague = result.expected.startsWith('matches ') || result.expected.startsWith('a number from');
    const got = vague ? ` ${p.dim(`(got ${result.actual})`)}` : '';
    return `${p.green('✓')} ${prefix}${result.subject}: ${result.expected}${got}  ${where}`;
  }
  return `${p.red('✗')} ${prefix}${result.subject}: expected ${p.green(result.expected)}, got ${p.red(result.actual)}  ${where}`;
}

export function formatLabFooter(result: LabResult, options: TerminalOptions): string {
  const p = palette(options.color);
  const passed = result.checks.filter((check) => check.passed).length;
  const verdict = result.passed ? p.green(`Lab ${result.lab.number} passed`) : p.red(`Lab ${result.lab.number} failed`);
  return `${verdict}: ${passed} of ${result.checks.length} checks · ${seconds(result.durationMs)}${waited(result.waitedMs, p)}\n`;
}

/** Header, every check and the footer: what `npm run lab N` prints after the sync. */
export function formatLabResult(lab: LabSpec & { number?: number; id?: string }, result: LabResult, options: TerminalOptions): string {
  return [formatLabHeader(lab, options), ...result.checks.map((check) => formatCheckResult(check, options)), formatLabFooter(result, options)].join('\n');
}

export function formatRunSummary(results: LabResult[], options: TerminalOptions): string {
  const p = palette(options.color);
  const summary = summarise(results);
  const rows = results.map((result) => {
    const passed = result.checks.filter((check) => check.passed).length;
    if (result.skipped !== undefined) return `  ${p.yellow('–')} ${String(result.lab.number).padStart(2)}  ${result.lab.id.padEnd(28)} ${p.yellow(`skipped: ${result.skipped}`)}`;
    const mark = result.passed ? p.green('✓') : p.red('✗');
    return `  ${mark} ${String(result.lab.number).padStart(2)}  ${result.lab.id.padEnd(28)} ${`${passed}/${result.checks.length} checks`.padEnd(12)} ${seconds(result.durationMs)}${waited(result.waitedMs, p)}`;
  });
  const skipped = summary.labsSkipped > 0 ? p.yellow(` (${summary.labsSkipped} skipped)`) : '';
  const ran = summary.labs - summary.labsSkipped;
  const verdict = summary.passed
    ? p.green(summary.labsSkipped > 0 ? `${ran} of ${ran} labs run passed${skipped}` : 'all labs passed')
    : p.red(`${ran - summary.labsPassed} of ${ran} labs${summary.labsSkipped > 0 ? ' run' : ''} failed${skipped}`);
  return [
    p.bold('Summary'),
    ...rows,
    `${verdict} · ${summary.checksPassed} of ${summary.checks} checks passed · ${seconds(summary.durationMs)}${waited(summary.waitedMs, p)}`,
    '',
  ].join('\n');
}

export function location(position: { file: string; line: number; column?: number }): string {
  return `${position.file}:${position.line}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function waited(ms: number, p: Palette): string {
  return ms > 0 ? p.yellow(` (of which ${seconds(ms)} waiting)`) : '';
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((line) => (line ? prefix + line : line)).join('\n');
}
