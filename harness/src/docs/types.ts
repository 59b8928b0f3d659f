// What a workshop page says, after parsing: the steps it tells a reader to run and the outputs it documents.

import type { RateLimitPeriod } from './rate-limit-windows.js';
import type { SourcePosition } from '../errors/source-position.js';

/** Where in a page: its file as shown in reports (relative to the working directory when inside it) and line. */
export type PageLocation = SourcePosition;

/** `cat > key-auth.yaml << 'EOF'` … `EOF`. */
export interface WriteFileStep {
  kind: 'write-file';
  /** As written on the page, relative to the page's working directory. */
  path: string;
  text: string;
  at: PageLocation;
  /** The line that opens the code block ({{<highlight>}} or ```). */
  blockLine: number;
  /** The line of the first line of the heredoc body. */
  bodyLine: number;
  command: string;
}

/** What decK subcommand a page runs: `deck gateway sync|diff|apply|reset|ping|dump|validate`, `deck file validate`. */
export type DeckAction = 'sync' | 'diff' | 'apply' | 'reset' | 'ping' | 'dump' | 'validate' | 'file-validate';

export interface DeckCommand {
  action: DeckAction;
  /** The words after `deck`, as the page writes them (`$PAT` left as it is). */
  argv: string[];
  files: string[];
  selectTags: string[];
  /** Flags accepted and not acted on (Konnect's token, address, control plane…), for the report. */
  ignoredFlags: string[];
  /** A `--konnect-*` flag was given: decK talks to Konnect, which the environment stands in for. */
  konnect: boolean;
  /** `-f/--force` (reset without its prompt). */
  force: boolean;
}

/** `deck gateway sync [flags] FILE…` and decK's other gateway and file commands. */
export interface DeckStep extends DeckCommand {
  kind: 'deck';
  at: PageLocation;
  blockLine: number;
  command: string;
  /** The output block the page shows for this command (decK's lines and Summary), if any. */
  documented?: DocumentedText;
}

/** A command verify-docs does not run, with the reason the report gives. */
export interface SkipStep {
  kind: 'skip';
  reason: string;
  at: PageLocation;
  blockLine: number;
  command: string;
  /** Sample output the page shows for it (skipped with it). */
  documentedLine?: number;
}

/** `cat <<EOF | kubectl apply -f -` of a Kong data plane with `replicas: N`: the environment's node count becomes N. */
export interface ScaleStep {
  kind: 'scale';
  nodes: number;
  at: PageLocation;
  blockLine: number;
  command: string;
  /** kubectl's sample output after it (not compared: it is Kubernetes' own). */
  documentedLine?: number;
}

/** `export NAME=value` (or `NAME=value`): later commands of the page see the value. */
export interface ExportStep {
  kind: 'export';
  name: string;
  value: string;
  /** The environment provides this variable (DATA_PLANE_LB…): the page's value is not used. */
  ignored: boolean;
  at: PageLocation;
  blockLine: number;
  command: string;
}

export type RedisCommandAction = 'stop' | 'start' | 'status';

/** `npm run redis -- stop|start|status`: the environment's Redis, stopped (an outage), started again, or asked after. */
export interface RedisStep {
  kind: 'redis';
  action: RedisCommandAction;
  at: PageLocation;
  blockLine: number;
  command: string;
}

/** A command verify-docs reads but cannot run as written (an unknown curl option…): a failing step, not a refused page. */
export interface InvalidStep {
  kind: 'invalid';
  problem: string;
  /** The word at fault (an unknown curl option), where the page's error puts its caret. */
  word?: string;
  at: PageLocation;
  blockLine: number;
  command: string;
}

/** Output shown as plain text (decK's lines, jq's output, a loop's status codes). */
export interface DocumentedText {
  at: PageLocation;
  blockLine: number;
  text: string;
  /** File lines of the block's first and last text line, for --update. */
  firstLine: number;
  lastLine: number;
}

/** A word of a shell command: literal text with `$NAME` references expanded later. */
export type ShellWord = Array<{ text: string } | { variable: string }>;

export interface CurlRequest {
  method: string;
  /** `$DATA_PLANE_LB/key-auth-route/get?x=1`: variables are expanded against the environment when run. */
  url: ShellWord;
  /** In order, as given with -H (curl's own defaults are added when sending). */
  headers: Array<[string, string]>;
  /** Headers the command removes from curl's defaults (`-H 'Accept:'`). */
  removedHeaders: string[];
  body?: string;
  /** What curl prints: headers (-i / --head), the body (not for --head or -o /dev/null), `> `/`< ` lines (-v). */
  shows: { headers: boolean; body: boolean; verbose?: boolean };
  /** `-w FORMAT`: printed after the body (`%{http_code}`, `%{response_code}`). */
  writeOut?: string;
}

export interface DocumentedHeader {
  name: string;
  value: string;
  line: number;
}

/** A fenced block that shows what a curl command printed. */
/** The `> ` lines of a `curl -v` output: what curl sent. */
export interface DocumentedRequest {
  requestLine: { text: string; line: number };
  headers: DocumentedHeader[];
}

export interface DocumentedResponse {
  /** The status line (or the body's first line when the block shows a body only). */
  at: PageLocation;
  /** The line that opens the output block (```). */
  blockLine: number;
  /** `HTTP/1.1 401 Unauthorized`, absent when the command printed the body only. */
  statusLine?: { text: string; code: number; line: number };
  headers: DocumentedHeader[];
  /** Text after the blank line that ends the headers; absent when there is none. */
  body?: { text: string; line: number };
  /** `curl -v`: the request lines the page shows. */
  request?: DocumentedRequest;
  /** File lines of the block's first and last text line (after any `# curl` line), for --update. */
  firstLine: number;
  lastLine: number;
}

export interface RequestStep {
  kind: 'request';
  request: CurlRequest;
  command: string;
  at: PageLocation;
  /** The line that opens the block holding the command (for a `# curl` line: the output block itself). */
  blockLine: number;
  /** The output block the page shows for this command, if any (HTTP output; for body-only output, the body). */
  documented?: DocumentedResponse;
  /** Output compared as text: a pipe's output (`| jq …`) or a loop's `-w` lines. */
  documentedText?: DocumentedText;
  /**
   * Repeat until the documented status (and a documented `Remaining: 0`) shows, bounded: prose says so ("keep
   * sending … eventually"), or the story does (a documented 429 after the same command answered 200).
   */
  repeat?: 'prose' | 'story';
  /** `| jq ARGS`: curl's stdout goes through jq. */
  pipeline?: { program: 'jq'; args: string[] };
  /** `for i in $(seq 1 N); do curl …; done`: sent this many times; an HTTP output block shows the last answer. */
  loopCount?: number;
  /** The page's Date headers show a new minute began before this output: start a fresh rate-limit window first. */
  freshWindow: boolean;
  /** The output block does not fit the command (headers without -i…): the step fails with this, unsent. */
  formatProblem?: { line: number; message: string };
}

export type PageStep = WriteFileStep | DeckStep | RequestStep | SkipStep | ScaleStep | ExportStep | RedisStep | InvalidStep;

export interface ParsedPage {
  file: string;
  frontMatter: Record<string, unknown>;
  steps: PageStep[];
  /** The window whose change the Date headers are read for: the longest period the page's rate-limit headers name, else minute. */
  windowPeriod: RateLimitPeriod;
  /** Does any output show rate-limit headers? Only then must the story keep clear of window ends. */
  showsRateLimits: boolean;
}
