// A route (or one piece of a split route) compiled for matching: everything a request is compared
// against is prepared here, so matching does plain comparisons and runs precompiled regexes.

import type { IncomingHttpHeaders } from 'node:http';
import type { Route, Service } from '../declarative/entities.js';
import { compilePcre } from '../schema/pcre.js';
import { isRegexPath, routePriority } from './priority.js';
import { splitHostPort } from './request-host.js';
import { serviceHostHeader } from './upstream-host.js';

/** `suffix`: `*.example.com`, the Host must end with `.example.com`; `prefix`: `example.*`, it must start with `example.`. */
type HostKind = 'exact' | 'suffix' | 'prefix';

interface HostRule {
  kind: HostKind;
  value: string;
  /** From a `host:port` entry: the request's port must equal it too. */
  port: number | null;
}

interface HeaderRule {
  /** Lower-case, `_` turned into `-` (nginx looks headers up that way). */
  name: string;
  /** Lower-cased configured values. */
  exact: string[];
  /** `~*` values: lower-cased, then compiled; unanchored like atc's `~`. */
  patterns: RegExp[];
}

export interface Candidate {
  route: Route;
  service: Service | null;
  /** Id used for tie-breaks: the route id, or the derived id of a split piece. */
  id: string;
  priority: bigint;
  /** Host header for upstream when preserve_host does not apply ('' without a service). */
  serviceHost: string;
  base: string;
  methods: string[] | null;
  hosts: HostRule[] | null;
  snis: string[] | null;
  headers: HeaderRule[] | null;
  prefixes: string[] | null;
  regexes: RegExp[] | null;
}

function compileHost(entry: string): HostRule {
  const { name, port } = splitHostPort(entry);
  if (name.startsWith('*')) return { kind: 'suffix', value: name.slice(1), port };
  if (name.endsWith('*')) return { kind: 'prefix', value: name.slice(0, -1), port };
  return { kind: 'exact', value: name, port };
}

/** `test()` must not carry lastIndex from one request to the next. */
function withoutStatefulFlags(re: RegExp): RegExp {
  return /[gy]/.test(re.flags) ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/**
 * Kong prepends `^` to the regex text, unwrapped: `~/a|/b` anchors only its first branch, and the
 * match of the second one is stripped from the start of the path all the same. Kept as is.
 * `$` is the route author's business.
 */
function compilePathRegex(path: string): RegExp {
  return compilePcre(path.slice(1), { anchored: true });
}

function compileHeader(name: string, values: readonly string[]): HeaderRule {
  const rule: HeaderRule = { name: name.toLowerCase().replace(/_/g, '-'), exact: [], patterns: [] };
  for (const value of values) {
    // Kong lower-cases the whole configured value, regex included.
    if (value.startsWith('~*')) rule.patterns.push(withoutStatefulFlags(compilePcre(value.slice(2).toLowerCase())));
    else rule.exact.push(value.toLowerCase());
  }
  return rule;
}

function nonEmptyList<T>(list: readonly T[] | null): T[] | null {
  return list !== null && list.length > 0 ? [...list] : null;
}

export function compileCandidate(route: Route, service: Service | null, id: string, paths: readonly string[] | null): Candidate {
  const headerEntries = route.headers === null ? [] : Object.entries(route.headers);
  const prefixes: string[] = [];
  const regexes: RegExp[] = [];
  for (const path of paths ?? []) {
    if (isRegexPath(path)) regexes.push(compilePathRegex(path));
    else prefixes.push(path);
  }
  const hosts = nonEmptyList(route.hosts);
  const snis = nonEmptyList(route.snis);
  return {
    route,
    service,
    id: id.toLowerCase(),
    priority: routePriority(route, paths),
    serviceHost: service === null ? '' : serviceHostHeader(service),
    base: service?.path ?? '/',
    methods: nonEmptyList(route.methods),
    hosts: hosts === null ? null : hosts.map(compileHost),
    // A trailing dot in an SNI is not used for routing.
    snis: snis === null ? null : snis.map((s) => (s.length > 1 && s.endsWith('.') ? s.slice(0, -1) : s)),
    headers: headerEntries.length === 0 ? null : headerEntries.map(([name, values]) => compileHeader(name, values)),
    prefixes: prefixes.length > 0 ? prefixes : null,
    regexes: regexes.length > 0 ? regexes : null,
  };
}

/** Higher priority first; at equal priority the greater id wins (atc walks its BTreeMap in reverse). */
export function byPrecedence(a: Candidate, b: Candidate): number {
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id > b.id ? -1 : 1;
}

export function hostMatches(rules: readonly HostRule[], name: string, port: number): boolean {
  for (const rule of rules) {
    if (rule.port !== null && rule.port !== port) continue;
    if (rule.kind === 'exact') {
      if (name === rule.value) return true;
    } else if (rule.kind === 'suffix') {
      if (name.endsWith(rule.value)) return true;
    } else if (name.startsWith(rule.value)) {
      return true;
    }
  }
  return false;
}

function headerValueMatches(rule: HeaderRule, value: string): boolean {
  const lowered = value.toLowerCase();
  for (const exact of rule.exact) if (lowered === exact) return true;
  for (const pattern of rule.patterns) if (pattern.test(lowered)) return true;
  return false;
}

/** Every configured header name must be present with at least one value matching one configured value. */
export function headersMatch(rules: readonly HeaderRule[], headers: IncomingHttpHeaders): boolean {
  for (const rule of rules) {
    // Own members only: a condition on `constructor` must not find Object.prototype's.
    const value = Object.hasOwn(headers, rule.name) ? headers[rule.name] : undefined;
    if (value === undefined) return false;
    if (typeof value === 'string') {
      if (!headerValueMatches(rule, value)) return false;
      continue;
    }
    let any = false;
    for (const item of value) {
      if (headerValueMatches(rule, item)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}
