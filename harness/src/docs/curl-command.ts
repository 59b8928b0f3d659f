// Reads a `curl …` command the way curl reads its arguments, for the options workshop pages use.

import { ShellSyntaxError, wordSource, wordVariables, type ShellToken } from './shell-words.js';
import type { CurlRequest, ShellWord } from './types.js';
import { KONG_ADMIN_PORT, KONG_PROXY_PORT } from '../constants.js';
import { LabkitError } from '../errors/labkit-error.js';

export class CurlCommandError extends LabkitError {
  /** `word`: the option at fault, for the column the page's error points at. */
  constructor(problem: string, readonly word?: string) {
    super('PAGE_INVALID', { problem: problem });
    this.name = 'CurlCommandError';
  }
}

/** Variables a page may use for the gateway's proxy address, e.g. `$DATA_PLANE_LB/key-auth-route/get`. */
export const PROXY_URL_VARIABLES = ['DATA_PLANE_LB', 'DATA_PLANE_URL', 'KONG_PROXY_URL', 'PROXY_URL'] as const;
/** Variables a page may use for the Admin API address. */
export const ADMIN_URL_VARIABLES = ['KONG_ADMIN_URL', 'ADMIN_URL'] as const;
const URL_VARIABLES: readonly string[] = [...PROXY_URL_VARIABLES, ...ADMIN_URL_VARIABLES];

/** A request to a host other than the environment's (Konnect's API, a public site): not sent, skipped. */
export class ForeignHostError extends Error {
  constructor(readonly host: string) {
    super(`requests ${host}, a host other than the environment's`);
    this.name = 'ForeignHostError';
  }
}

/** Options that print nothing more and change nothing on the wire. */
const QUIET_FLAGS = new Set(['-s', '--silent', '-S', '--show-error', '-f', '--fail', '--compressed', '--no-progress-meter', '-k', '--insecure', '--http1.1']);
const VALUE_FLAGS = new Set(['-H', '--header', '-u', '--user', '-X', '--request', '--url', '--json', '-o', '--output', '-w', '--write-out']);
/** What `-w` may print: the status code, as pages use it in loops. */
const WRITE_OUT_VARIABLES = new Set(['http_code', 'response_code']);
/** Hosts that stand for the environment: Kong's default listeners on this machine. */
const LOCAL_KONG = new RegExp(`^(?:https?://)?(?:localhost|127\\.0\\.0\\.1):(?:${KONG_PROXY_PORT}|${KONG_ADMIN_PORT})(?=/|$|\\?)`, 'i');
const DATA_FLAGS = new Set(['-d', '--data', '--data-ascii', '--data-raw', '--data-binary', '--data-urlencode']);

/** `words` are the command's words after `curl`. */
export function parseCurlArguments(tokens: ShellToken[]): CurlRequest {
  const words = tokens.map((token) => {
    if (token.kind === 'operator') {
      throw new CurlCommandError(`the shell operator ${token.text} is not supported in a curl command; write one curl command per line with nothing after it`);
    }
    return token.word;
  });

  let url: ShellWord | undefined;
  let method: string | undefined;
  let head = false;
  let include = false;
  let get = false;
  const headers: Array<[string, string]> = [];
  const removedHeaders: string[] = [];
  const data: string[] = [];
  let json = false;
  let user: string | undefined;
  let verbose = false;
  let discardBody = false;
  let writeOut: string | undefined;

  const literal = (word: ShellWord, option: string): string => {
    const variables = wordVariables(word);
    if (variables.length > 0) {
      throw new CurlCommandError(`${option} uses $${variables[0]}; verify-docs expands variables only in the URL, so write the value itself`);
    }
    return wordSource(word);
  };

  // Short options may be bundled (`-sI`); a value-taking one takes the rest of the word or the next word.
  const expanded: Array<{ option: string; value?: ShellWord } | { positional: ShellWord }> = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index];
    const text = wordSource(word);
    const takesValue = (option: string): boolean => VALUE_FLAGS.has(option) || DATA_FLAGS.has(option);
    if (text.startsWith('--') && text.length > 2) {
      if (takesValue(text)) {
        if (index + 1 >= words.length) throw new CurlCommandError(`${text} needs a value`);
        expanded.push({ option: text, value: words[++index] });
      } else {
        expanded.push({ option: text });
      }
    } else if (text.startsWith('-') && text.length > 1 && wordVariables(word).length === 0) {
      for (let at = 1; at < text.length; at += 1) {
        const option = `-${text[at]}`;
        if (takesValue(option)) {
          const rest = text.slice(at + 1);
          if (rest) expanded.push({ option, value: [{ text: rest }] });
          else if (index + 1 < words.length) expanded.push({ option, value: words[++index] });
          else throw new CurlCommandError(`${option} needs a value`);
          break;
        }
        expanded.push({ option });
      }
    } else {
      expanded.push({ positional: word });
    }
  }

  // Where the request goes decides first: a request to another host is skipped whatever its options are.
  const urls = expanded.flatMap((item) => ('positional' in item ? [item.positional] : item.option === '--url' ? [item.value!] : []));
  if (urls.length > 1) throw new CurlCommandError(`two URLs (${wordSource(urls[0])} and ${wordSource(urls[1])}); write one curl command per request`);
  if (urls.length === 1) checkHost(urls[0]);

  for (const item of expanded) {
    if ('positional' in item) {
      url = item.positional;
      continue;
    }
    const { option, value } = item;
    if (option === '-i' || option === '--include') include = true;
    else if (option === '-v' || option === '--verbose') verbose = true;
    else if (option === '-o' || option === '--output') {
      const target = literal(value!, option);
      if (target !== '/dev/null') throw new CurlCommandError(`${option} ${target} writes the body to a file; verify-docs accepts -o /dev/null only`);
      discardBody = true;
    } else if (option === '-w' || option === '--write-out') writeOut = readWriteOut(literal(value!, option));
    else if (option === '-I' || option === '--head') head = true;
    else if (option === '-G' || option === '--get') get = true;
    else if (QUIET_FLAGS.has(option)) continue;
    else if (option === '-X' || option === '--request') method = literal(value!, option).toUpperCase();
    else if (option === '--url') {
      if (url) throw new CurlCommandError('two URLs; write one curl command per request');
      url = value!;
    } else if (option === '-H' || option === '--header') {
      const header = literal(value!, option);
      const colon = header.indexOf(':');
      const semicolon = header.indexOf(';');
      if (colon > 0) {
        const name = header.slice(0, colon).trim();
        const headerValue = header.slice(colon + 1).trim();
        if (headerValue === '') removedHeaders.push(name);
        else headers.push([name, headerValue]);
      } else if (semicolon > 0 && header.slice(semicolon + 1).trim() === '') {
        headers.push([header.slice(0, semicolon).trim(), '']);
      } else {
        throw new CurlCommandError(`-H ${JSON.stringify(header)} is not "Name: value"`);
      }
    } else if (option === '-u' || option === '--user') {
      user = literal(value!, option);
      // Without a colon curl stops to ask for the password, which a page cannot show.
      if (!user.includes(':')) throw new CurlCommandError(`${option} ${user} has no password; curl would prompt for it, so write ${option} ${user}:PASSWORD`);
    } else if (DATA_FLAGS.has(option)) {
      const text = literal(value!, option);
      if (text.startsWith('@') && option !== '--data-raw') {
        throw new CurlCommandError(`${option} ${text} reads a file; put the data in the command itself so the page shows it`);
      }
      data.push(option === '--data-urlencode' ? urlencodeData(text) : text);
    } else if (option === '--json') {
      data.push(literal(value!, option));
      json = true;
    } else {
      throw new CurlCommandError(`verify-docs does not know the curl option ${option}; use -i, -I/--head, -v, -H, -u, -d/--data, --json, -X, -G, -o /dev/null, -w or -s`, option);
    }
  }

  // curl's Basic authentication; an Authorization header of the command's own wins, as in curl.
  if (user !== undefined && !headers.some(([name]) => name.toLowerCase() === 'authorization')) {
    headers.push(['Authorization', `Basic ${Buffer.from(user, 'utf8').toString('base64')}`]);
  }
  if (!url) throw new CurlCommandError('the curl command has no URL');
  const variables = wordVariables(url);
  const unknown = variables.find((name) => !URL_VARIABLES.includes(name));
  if (unknown) {
    throw new CurlCommandError(`$${unknown} is not a variable verify-docs knows; use $DATA_PLANE_LB (the proxy) or $KONG_ADMIN_URL (the Admin API)`);
  }
  if (head && data.length > 0 && !get) throw new CurlCommandError('--head cannot be combined with a request body');

  let body: string | undefined;
  if (data.length > 0 && get) {
    const source = wordSource(url);
    url = [...url, { text: `${source.includes('?') ? '&' : '?'}${data.join('&')}` }];
  } else if (data.length > 0) {
    body = data.join('&');
    const hasType = headers.some(([name]) => name.toLowerCase() === 'content-type');
    if (json) {
      if (!hasType) headers.push(['Content-Type', 'application/json']);
      if (!headers.some(([name]) => name.toLowerCase() === 'accept')) headers.push(['Accept', 'application/json']);
    } else if (!hasType) {
      headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
  }

  return {
    method: method ?? (head ? 'HEAD' : body !== undefined ? 'POST' : 'GET'),
    url,
    headers,
    removedHeaders,
    body,
    shows: { headers: include || head, body: !head && !discardBody, verbose },
    writeOut,
  };
}

/** Throws ForeignHostError unless the URL is the environment's: one of its variables, or Kong's local ports. */
function checkHost(url: ShellWord): void {
  const first = url[0];
  if (first && 'variable' in first) return;
  const source = wordSource(url);
  if (LOCAL_KONG.test(source)) return;
  const host = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#\s]*)/i.exec(source)?.[1] ?? source;
  throw new ForeignHostError(host || source);
}

/** `%{http_code}\n` → the format with curl's escapes read; refuses variables verify-docs cannot fill. */
function readWriteOut(format: string): string {
  for (const match of format.matchAll(/%\{([^}]*)\}/g)) {
    if (!WRITE_OUT_VARIABLES.has(match[1])) throw new CurlCommandError(`-w %{${match[1]}}: verify-docs fills %{http_code} and %{response_code} only`);
  }
  return format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
}

/** curl's --data-urlencode: `name=value` encodes the value, a bare value is encoded whole. */
function urlencodeData(text: string): string {
  const equals = text.indexOf('=');
  if (equals < 0) return encodeURIComponent(text);
  return `${text.slice(0, equals)}=${encodeURIComponent(text.slice(equals + 1))}`;
}

export { ShellSyntaxError };
