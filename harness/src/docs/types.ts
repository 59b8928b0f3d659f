// What a workshop page says, after parsing: the steps it tells a reader to run and the outputs it documents.

import type { RateLimitPeriod } from './rate-limit-windows.js';

/** A place in a page, as editors and CI annotations want it. */
export interface PageLocation {
  /** The page as shown in reports (relative to the working directory when inside it). */
  file: string;
  /** 1-based. */
  line: number;
}

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

/** `deck gateway sync [flags] FILE…`. */
export interface SyncStep {
  kind: 'sync';
  files: string[];
  selectTags: string[];
  /** Flags accepted and not acted on (Konnect's token, address, control plane…), for the report. */
  ignoredFlags: string[];
  at: PageLocation;
  blockLine: number;
  command: string;
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
  /** What curl prints: headers (-i / --head) and the body (not for --head). */
  shows: { headers: boolean; body: boolean };
}

export interface DocumentedHeader {
  name: string;
  value: string;
  line: number;
}

/** A fenced block that shows what a curl command printed. */
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
}

export interface RequestStep {
  kind: 'request';
  request: CurlRequest;
  command: string;
  at: PageLocation;
  /** The line that opens the block holding the command (for a `# curl` line: the output block itself). */
  blockLine: number;
  /** The output block the page shows for this command, if any. */
  documented?: DocumentedResponse;
  /** Prose such as "if we keep sending requests … eventually": repeat until the documented status shows (bounded). */
  repeatUntilDocumentedStatus: boolean;
  /** The page's Date headers show a new minute began before this output: start a fresh rate-limit window first. */
  freshWindow: boolean;
}

export type PageStep = WriteFileStep | SyncStep | RequestStep;

export interface ParsedPage {
  file: string;
  frontMatter: Record<string, unknown>;
  steps: PageStep[];
  /** The window whose change the Date headers are read for: the longest period the page's rate-limit headers name, else minute. */
  windowPeriod: RateLimitPeriod;
  /** Does any output show rate-limit headers? Only then must the story keep clear of window ends. */
  showsRateLimits: boolean;
}
