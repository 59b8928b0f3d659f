// The decK commands workshop pages run, as verify-docs' built-in runner does them against the environment:
// what decK prints on stdout, and whether it failed. One module on purpose: the kit's own `deck` CLI
// (harness/src/deck/) can replace it wholesale.

import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { request } from 'undici';
import { formatSyncReport, resetGateway, syncDeclarationFile, syncDeclarationText, SyncError } from '../sync/index.js';
import { readDeclarationMeta } from '../sync/declaration-meta.js';
import { emptyGatewayState } from '../sync/gateway-state.js';
import { parseDeclaration } from '../sync/parse-declaration.js';
import { planSync } from '../sync/plan-sync.js';
import { prepareDeclaration } from '../sync/prepare-declaration.js';
import type { DeckCommand } from './types.js';

export interface DeckRun {
  /** What decK prints on stdout. */
  stdout: string;
  /** decK's `Error: …` line, when it failed (exit 1). */
  error?: string;
  /** The gateway refused a plugin it does not run (`plugin 'X' not enabled`). */
  unavailablePlugin?: string;
  notes: string[];
}

export interface DeckTarget {
  adminUrl: string;
  /** Resolves a file name as the page's shell would (its working directory); undefined when outside it. */
  resolveFile: (name: string) => string | undefined;
}

/** decK's ping line for Konnect; the organization is Kong's own name for it in the workshop's captures. */
export const KONNECT_PING = 'Successfully Konnected to the Kong organization!';
const STANDS_IN = 'the environment stands in for the Konnect control plane';

export async function runDeck(command: DeckCommand, target: DeckTarget): Promise<DeckRun> {
  const notes: string[] = [];
  if (command.konnect) notes.push(STANDS_IN);
  if (command.ignoredFlags.length > 0) notes.push(`ignored ${command.ignoredFlags.join(', ')}`);
  try {
    switch (command.action) {
      case 'ping':
        return { stdout: command.konnect ? `${KONNECT_PING}\n` : `Successfully connected to Kong!\nKong version:  ${await kongVersion(target.adminUrl)}\n`, notes };
      case 'reset':
        await reset(command, target.adminUrl);
        return { stdout: '', notes: [...notes, command.selectTags.length > 0 ? `deleted the entities tagged ${command.selectTags.join(', ')}` : 'emptied the gateway'] };
      case 'sync':
        return { stdout: `${formatSyncReport(await sync(command, target))}\n`, notes };
      case 'diff':
        return { stdout: `${formatSyncReport(await diff(command, target))}\n`, notes: [...notes, 'diff: applied and put back, so the gateway is as before'] };
      case 'file-validate':
        for (const file of command.files) await validateOffline(file, target);
        return { stdout: '', notes: [...notes, `${command.files.join(', ')}: valid`] };
    }
  } catch (error) {
    const message = (error as Error).message;
    const plugin = /plugin '([^']+)' not enabled/.exec(message)?.[1];
    return { stdout: '', error: `Error: ${message}`, notes, ...(plugin ? { unavailablePlugin: plugin } : {}) };
  }
}

function fileOf(name: string, target: DeckTarget): string {
  const path = target.resolveFile(name);
  if (!path) throw new SyncError(name, 'is outside the working directory; name a file the page wrote');
  return path;
}

async function sync(command: DeckCommand, target: DeckTarget) {
  if (command.files.length !== 1) throw new SyncError(command.files.join(' '), 'verify-docs syncs one file per command');
  // decK leaves rate-limit counters alone; the page's Date headers decide when a fresh window starts.
  return syncDeclarationFile(fileOf(command.files[0], target), {
    adminUrl: target.adminUrl,
    resetCounters: false,
    selectTags: command.selectTags.length > 0 ? command.selectTags : undefined,
  });
}

/** A DB-less gateway has no dry run: the file is applied, the report kept, and the running configuration put back. */
async function diff(command: DeckCommand, target: DeckTarget) {
  const before = await adminCall(target.adminUrl, 'GET', '/config');
  const exported = (JSON.parse(before) as { config: string }).config;
  try {
    return await sync(command, target);
  } finally {
    await adminCall(target.adminUrl, 'POST', '/config', yaml.load(exported));
  }
}

async function reset(command: DeckCommand, adminUrl: string): Promise<void> {
  if (command.selectTags.length === 0) {
    await resetGateway({ adminUrl, resetCounters: false });
    return;
  }
  const empty = yaml.dump({ _format_version: '3.0', _info: { select_tags: command.selectTags } });
  await syncDeclarationText(empty, 'reset', { adminUrl, resetCounters: false });
}

/** `deck file validate`: syntax and references, without a gateway. */
async function validateOffline(name: string, target: DeckTarget): Promise<void> {
  const path = fileOf(name, target);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new SyncError(name, 'reading file: no such file');
  }
  const parsed = parseDeclaration(text, name);
  const meta = readDeclarationMeta(parsed, []);
  planSync({ source: name, positionOf: parsed.positionOf, prepared: prepareDeclaration(parsed, meta), meta, current: emptyGatewayState() });
}

async function kongVersion(adminUrl: string): Promise<string> {
  const version = (JSON.parse(await adminCall(adminUrl, 'GET', '/')) as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('reading Kong version: GET / has no version');
  return version;
}

async function adminCall(adminUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<string> {
  const response = await request(`${adminUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${path} answered HTTP ${response.statusCode}`);
  return text;
}
