// The commands of a shell code block, in order: heredoc writes, decK commands, curl requests (alone, piped
// into jq, or in a `for … $(seq …)` loop) and `export`s. A command verify-docs cannot run is a skip with a
// reason (kubectl, HTTPie, another host…), and one it cannot run as written is a failing step: never a page
// refused before its first step.

import yaml from 'js-yaml';
import { parseCurlArguments, CurlCommandError, ForeignHostError, ADMIN_URL_VARIABLES, PROXY_URL_VARIABLES } from './curl-command.js';
import { parseDeckArguments, DeckCommandError, DeckNotRunError } from './deck-command.js';
import { PageFormatError } from './errors.js';
import { ShellSyntaxError, shellTokens, wordSource, wordVariables, type ShellToken } from './shell-words.js';
import type { CurlRequest, DeckCommand, RedisCommandAction, ShellWord } from './types.js';

interface Located {
  line: number;
  command: string;
  /** Output shown in the same block after a `$ ` prompt line. */
  output?: { text: string; line: number };
}

export type ScriptCommand = Located &
  (
    | { kind: 'write-file'; path: string; text: string; bodyLine: number }
    | { kind: 'deck'; deck: DeckCommand }
    | { kind: 'curl'; request: CurlRequest; pipeline?: { program: 'jq'; args: string[] }; loopCount?: number }
    | { kind: 'export'; name: string; value: string; ignored: boolean }
    | { kind: 'redis'; action: RedisCommandAction }
    | { kind: 'skip'; reason: string }
    | { kind: 'scale'; nodes: number }
    | { kind: 'invalid'; problem: string; word?: string }
  );

/** The page's own variables (`export KEY=…`), in page order: later commands see them expanded. */
export interface ScriptContext {
  variables: Map<string, ShellWord>;
}

export function newScriptContext(): ScriptContext {
  return { variables: new Map() };
}

/** Variables the environment sets (item 2's `npm run env`): a page's own value for them is not used. */
export const ENVIRONMENT_VARIABLES: readonly string[] = [...PROXY_URL_VARIABLES, ...ADMIN_URL_VARIABLES, 'PAT', 'DECK_KONG_ADDR'];

const REDIS_COMMAND_ACTIONS: readonly RedisCommandAction[] = ['stop', 'start', 'status'];
const KUBERNETES_PROGRAMS = new Set(['kubectl', 'helm', 'kind', 'minikube', 'k3d', 'eksctl', 'oc']);
const HTTPIE = new Set(['http', 'https']);
const PROMPT = /^\s*\$\s+/;

export function kubernetesReason(program: string): string {
  return `needs Kubernetes (${program})`;
}

/** `firstLine` is the file line of the block's first text line. */
export function parseShellScript(text: string, file: string, firstLine: number, context: ScriptContext = newScriptContext()): ScriptCommand[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const promptMode = lines.some((line) => PROMPT.test(line));
  const commands: ScriptCommand[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = firstLine + index;
    const raw = lines[index];
    if (promptMode && !PROMPT.test(raw)) {
      // Output the block shows after a `$ ` command.
      const start = index;
      while (index < lines.length && !PROMPT.test(lines[index])) index += 1;
      const shown = lines.slice(start, index).join('\n');
      const last = commands[commands.length - 1];
      if (last && shown.trim() !== '') last.output = { text: shown, line: firstLine + start };
      continue;
    }
    // A trailing backslash continues the command on the next line.
    let source = raw.replace(PROMPT, '');
    while (/(^|[^\\])\\$/.test(source) && index + 1 < lines.length) {
      index += 1;
      source = `${source.slice(0, -1)} ${lines[index].replace(PROMPT, '').trim()}`;
    }
    index += 1;
    let trimmed = source.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // A `for` loop over several lines is read as one command.
    if (/^for\s/.test(trimmed) && !/\bdone\s*$/.test(trimmed)) {
      const body: string[] = [trimmed];
      while (index < lines.length && !/^\s*done\s*$/.test(lines[index].replace(PROMPT, ''))) body.push(lines[index++].replace(PROMPT, '').trim());
      if (index < lines.length) body.push('done');
      index += 1;
      trimmed = body.join('\n');
    }
    const at = { file, line };
    if (/^for\s/.test(trimmed)) {
      commands.push({ ...readLoop(trimmed, context), line, command: trimmed });
      continue;
    }
    let tokens: ShellToken[];
    try {
      tokens = substitute(shellTokens(trimmed), context);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      commands.push({ ...unreadable(trimmed, error), line, command: trimmed });
      continue;
    }
    const heredoc = tokens.findIndex((token) => token.kind === 'operator' && (token.text === '<<' || token.text === '<<-'));
    if (heredoc >= 0) {
      const read = readHeredoc(tokens, heredoc, lines, index, at);
      index = read.nextIndex;
      commands.push({ ...read.command, line, command: trimmed, ...('bodyLine' in read.command ? { bodyLine: firstLine + read.bodyIndex } : {}) } as ScriptCommand);
      continue;
    }
    for (const part of splitSequence(tokens)) {
      commands.push({ ...readCommand(part, context), line, command: trimmed });
    }
  }
  return commands;
}

type Parsed = DistributiveOmit<ScriptCommand, keyof Located>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Why a line that does not tokenize is not run: `$(kubectl …)` needs Kubernetes, other substitutions are not emulated. */
function unreadable(line: string, error: ShellSyntaxError): Parsed {
  const program = [...KUBERNETES_PROGRAMS].find((name) => new RegExp(`(^|[\\s($|])${name}\\b`).test(line));
  if (program) return { kind: 'skip', reason: kubernetesReason(program) };
  if (/command substitution/.test(error.message)) return { kind: 'skip', reason: `uses command substitution, which verify-docs does not run (${error.message})` };
  return { kind: 'invalid', problem: `${error.message} in: ${line}` };
}

/** Expands the page's own variables in every word. */
function substitute(tokens: ShellToken[], context: ScriptContext): ShellToken[] {
  return tokens.map((token) => {
    if (token.kind !== 'word') return token;
    const word = token.word.flatMap((part) => ('variable' in part && context.variables.has(part.variable) ? context.variables.get(part.variable)! : [part]));
    return { ...token, word };
  });
}

/** `a; b && c` → the commands in order (a failing `&&` is a drift anyway, so both run). */
function splitSequence(tokens: ShellToken[]): ShellToken[][] {
  const parts: ShellToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'operator' && (token.text === ';' || token.text === '&&')) parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts.filter((part) => part.length > 0);
}

function programOf(tokens: ShellToken[]): string {
  return tokens[0]?.kind === 'word' ? wordSource(tokens[0].word) : '';
}

function readCommand(tokens: ShellToken[], context: ScriptContext): Parsed {
  const operator = tokens.find((token) => token.kind === 'operator' && token.text !== '|');
  const segments: ShellToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'operator' && token.text === '|') segments.push([]);
    else segments[segments.length - 1].push(token);
  }
  const programs = segments.map(programOf);
  const kubernetes = programs.find((program) => KUBERNETES_PROGRAMS.has(program));
  if (kubernetes) return { kind: 'skip', reason: kubernetesReason(kubernetes) };
  const program = programs[0];
  if (HTTPIE.has(program)) {
    return { kind: 'skip', reason: `uses HTTPie (${program}), which verify-docs does not emulate; the same request written with curl is verified` };
  }
  if (program === 'export' || (segments[0].length === 1 && /^[A-Za-z_]\w*=/.test(program))) return readExport(segments[0], context);
  if (program === 'sleep') return { kind: 'skip', reason: 'sleep: verify-docs starts rate-limit windows where the documented Date headers do, instead of waiting' };
  if (program === 'npm') {
    const redis = readRedisCommand(segments, operator !== undefined);
    if (redis) return redis;
  }
  if (program !== 'curl' && program !== 'deck') return { kind: 'skip', reason: `verify-docs does not run "${program}"` };
  if (program === 'deck' && segments.length > 1) return { kind: 'skip', reason: `pipes deck into ${programs[1]}, which verify-docs does not run` };
  if (program === 'curl' && (segments.length > 2 || (segments.length === 2 && programs[1] !== 'jq'))) {
    return { kind: 'skip', reason: `pipes curl into ${programs.slice(1).join(' | ')}; verify-docs runs pipes into jq only` };
  }
  if (operator) return { kind: 'invalid', problem: `the shell operator ${(operator as { text: string }).text} is not supported in a ${program} command; write one command per line` };

  if (program === 'deck') {
    try {
      return { kind: 'deck', deck: parseDeckArguments(segments[0].slice(1)) };
    } catch (error) {
      if (error instanceof DeckNotRunError) return { kind: 'skip', reason: error.message };
      if (error instanceof DeckCommandError) return { kind: 'invalid', problem: error.message };
      throw error;
    }
  }
  let request: CurlRequest;
  try {
    request = parseCurlArguments(segments[0].slice(1));
  } catch (error) {
    if (error instanceof ForeignHostError) return { kind: 'skip', reason: error.message };
    if (error instanceof CurlCommandError) return { kind: 'invalid', problem: error.message, ...(error.word !== undefined ? { word: error.word } : {}) };
    throw error;
  }
  if (segments.length === 1) return { kind: 'curl', request };
  const jqWords = segments[1].slice(1).map((token) => (token.kind === 'word' ? token.word : []));
  const variable = jqWords.flatMap(wordVariables)[0];
  if (variable) return { kind: 'invalid', problem: `jq's arguments use $${variable}; write the filter itself` };
  return { kind: 'curl', request, pipeline: { program: 'jq', args: jqWords.map(wordSource) } };
}

/**
 * `npm run redis -- stop|start|status` (npm 7+ also passes `npm run redis stop` on): the kit's Redis switch, run
 * by verify-docs on its own environment (in bash it would reach the environment of `npm run up` instead).
 */
function readRedisCommand(segments: ShellToken[][], hasOperator: boolean): Parsed | undefined {
  const words = segments[0].map((token) => (token.kind === 'word' ? wordSource(token.word) : ''));
  if (words[1] !== 'run' || words[2] !== 'redis') return undefined;
  if (segments.length > 1 || hasOperator) return { kind: 'skip', reason: 'pipes or chains npm run redis; verify-docs runs it alone on a line' };
  const args = words.slice(3).filter((word) => word !== '--');
  const action = args[0];
  if (args.length !== 1 || !(REDIS_COMMAND_ACTIONS as readonly string[]).includes(action)) {
    return { kind: 'invalid', problem: `npm run redis takes one of ${REDIS_COMMAND_ACTIONS.join(', ')} (npm run redis -- stop), not ${JSON.stringify(args.join(' '))}` };
  }
  return { kind: 'redis', action: action as RedisCommandAction };
}

function readExport(tokens: ShellToken[], context: ScriptContext): Parsed {
  const words = tokens.map((token) => (token.kind === 'word' ? token.word : []));
  const assignment = wordSource(words[0]) === 'export' ? words[1] : words[0];
  if (!assignment || words.length > (wordSource(words[0]) === 'export' ? 2 : 1)) {
    return { kind: 'invalid', problem: 'write one NAME=value per export' };
  }
  const first = assignment[0];
  const equals = first && 'text' in first ? first.text.indexOf('=') : -1;
  if (equals <= 0) return { kind: 'invalid', problem: `export ${wordSource(assignment)}: write export NAME=value` };
  const name = (first as { text: string }).text.slice(0, equals);
  const rest = (first as { text: string }).text.slice(equals + 1);
  const value: ShellWord = [...(rest ? [{ text: rest }] : []), ...assignment.slice(1)];
  const ignored = ENVIRONMENT_VARIABLES.includes(name);
  if (!ignored) context.variables.set(name, value);
  return { kind: 'export', name, value: wordSource(value), ignored };
}

/** `for i in $(seq 1 6); do curl …; done` (or `{1..6}`, or a list of words): one curl, optionally echo and sleep. */
function readLoop(text: string, context: ScriptContext): Parsed {
  const match = /^for\s+([A-Za-z_]\w*)\s+in\s+([^;\n]+?)\s*[;\n]\s*do\b([\s\S]*?)[;\n\s]*done\s*$/.exec(text);
  if (!match) return { kind: 'invalid', problem: 'write the loop as for i in $(seq 1 N); do curl …; done' };
  const [, variable, range, body] = match;
  const count = loopCount(range.trim());
  if (count === undefined) return { kind: 'skip', reason: `loops over ${range.trim()}; verify-docs runs loops over $(seq …), {A..B} or a list of words` };
  if (count < 1 || count > 1000) return { kind: 'invalid', problem: `the loop runs ${count} times; verify-docs runs loops of 1 to 1000` };
  let tokens: ShellToken[];
  try {
    tokens = substitute(shellTokens(body.replace(/\n/g, ' ; ')), context);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    return unreadable(body, error);
  }
  const commands = splitSequence(tokens);
  const curls = commands.filter((command) => programOf(command) === 'curl');
  const others = commands.filter((command) => !['curl', 'echo', 'sleep'].includes(programOf(command)));
  if (others.length > 0) return { kind: 'skip', reason: `the loop runs ${programOf(others[0])}; verify-docs runs loops of curl (with echo and sleep)` };
  if (curls.length !== 1) return { kind: 'skip', reason: `the loop runs ${curls.length} curl commands; verify-docs runs loops of one curl` };
  if (curls[0].some((token) => token.kind === 'word' && wordVariables(token.word).includes(variable))) {
    return { kind: 'invalid', problem: `the curl in the loop uses $${variable}; verify-docs repeats the same request` };
  }
  const inner = readCommand(curls[0], context);
  if (inner.kind !== 'curl') return inner;
  const echoes = commands.filter((command) => programOf(command) === 'echo');
  if (echoes.length > 0) return { kind: 'skip', reason: 'the loop echoes between requests; verify-docs runs loops of curl alone' };
  return { ...inner, loopCount: count };
}

function loopCount(range: string): number | undefined {
  const seq = /^\$\(\s*seq\s+(\d+)(?:\s+(\d+))?\s*\)$/.exec(range);
  if (seq) return seq[2] === undefined ? Number(seq[1]) : Number(seq[2]) - Number(seq[1]) + 1;
  const brace = /^\{(\d+)\.\.(\d+)\}$/.exec(range);
  if (brace) return Number(brace[2]) - Number(brace[1]) + 1;
  if (/^[\w.-]+(\s+[\w.-]+)*$/.test(range)) return range.split(/\s+/).length;
  return undefined;
}

function readHeredoc(
  tokens: ShellToken[],
  operatorIndex: number,
  lines: string[],
  bodyIndex: number,
  at: { file: string; line: number },
): { command: Parsed; nextIndex: number; bodyIndex: number } {
  const operator = tokens[operatorIndex] as { kind: 'operator'; text: string };
  const delimiterToken = tokens[operatorIndex + 1];
  if (delimiterToken?.kind !== 'word') throw new PageFormatError(at, `${operator.text} needs a delimiter word, e.g. << 'EOF'`);
  const delimiter = wordSource(delimiterToken.word);
  const body: string[] = [];
  let index = bodyIndex;
  for (; index < lines.length; index += 1) {
    const line = operator.text === '<<-' ? lines[index].replace(/^\t+/, '') : lines[index];
    if (line === delimiter) break;
    body.push(line);
  }
  if (index >= lines.length) {
    throw new PageFormatError(at, `the heredoc is never closed: add a line with only ${delimiter} before the end of the block`);
  }
  const text = `${body.join('\n')}\n`;
  const done = (command: Parsed): { command: Parsed; nextIndex: number; bodyIndex: number } => ({ command, nextIndex: index + 1, bodyIndex });

  const rest = [...tokens.slice(0, operatorIndex), ...tokens.slice(operatorIndex + 2)];
  const segments: ShellToken[][] = [[]];
  for (const token of rest) {
    if (token.kind === 'operator' && token.text === '|') segments.push([]);
    else segments[segments.length - 1].push(token);
  }
  const kubernetes = segments.map(programOf).find((program) => KUBERNETES_PROGRAMS.has(program));
  if (kubernetes) {
    // A Kong data plane's replicas is the one Kubernetes step the environment can do itself: its node count.
    const nodes = kubernetes === 'kubectl' ? dataPlaneReplicas(text) : undefined;
    return done(nodes !== undefined ? { kind: 'scale', nodes } : { kind: 'skip', reason: kubernetesReason(kubernetes) });
  }

  const [first] = segments;
  const redirect = first.findIndex((token) => token.kind === 'operator' && token.text === '>');
  const target = first[redirect + 1];
  const extra = first.filter((_, i) => i !== 0 && i !== redirect && i !== redirect + 1);
  if (segments.length > 1 || programOf(first) !== 'cat' || redirect < 0 || target?.kind !== 'word' || extra.length > 0) {
    return done({ kind: 'skip', reason: "verify-docs runs heredocs written as cat > FILE << 'EOF' (and kubectl's, as skips)" });
  }
  if (wordVariables(target.word).length > 0) return done({ kind: 'invalid', problem: "the heredoc's file name uses a variable; write the name itself" });
  if (!delimiterToken.quoted && /[$`\\]/.test(text)) {
    return done({ kind: 'invalid', problem: `the heredoc body has $, \` or \\ and its delimiter is not quoted, so a shell would change it; write << '${delimiter}'` });
  }
  return done({ kind: 'write-file', path: wordSource(target.word), text, bodyLine: 0 });
}

/**
 * The node count a Kubernetes manifest gives Kong's data plane: `replicas` of a gateway-operator `DataPlane`,
 * or of a `Deployment` running a Kong image.
 */
export function dataPlaneReplicas(manifest: string): number | undefined {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(manifest);
  } catch {
    return undefined;
  }
  let nodes: number | undefined;
  for (const document of documents) {
    if (typeof document !== 'object' || document === null) continue;
    const doc = document as { kind?: unknown; spec?: Record<string, unknown> };
    let replicas: unknown;
    if (doc.kind === 'DataPlane') replicas = (doc.spec?.deployment as { replicas?: unknown } | undefined)?.replicas;
    else if (doc.kind === 'Deployment' && /kong/i.test(JSON.stringify(doc.spec?.template ?? {}))) replicas = doc.spec?.replicas;
    if (Number.isInteger(replicas) && (replicas as number) > 0) nodes = Math.max(nodes ?? 0, replicas as number);
  }
  return nodes;
}
