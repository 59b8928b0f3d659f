// `npm run reset` (empty configuration, every rate-limit counter cleared) and `npm run goto N`
// (= `npm run reset -- N`: exactly the state of lab N, with fresh counters), for the instructor.

import { performance } from 'node:perf_hooks';
import { labCurlCommands } from '../../report/curl.js';
import { formatSyncForPeople } from '../../report/sync.js';
import { besideOrBelow, foldCommand } from '../../report/wrap.js';
import { maskUrlCredentials } from '../../runner/http.js';
import { displayPath, loadLab } from '../../spec/discover.js';
import type { Lab } from '../../spec/types.js';
import { formatSyncReport, resetGateway, SyncError, type SyncReport } from '../../sync/index.js';
import { syncLab } from '../../session/sync-and-run.js';
import { classroomRedisRunning, clearGatewayKeys, ensureClassroomRedis, GATEWAY_KEY_PATTERN } from '../redis.js';
import { NoEnvironmentError } from '../errors.js';
import { statePaths } from '../paths.js';
import { readEnvironmentRecord, recordAppliedLab } from '../state.js';
import { EXIT_OK, printer, seconds, type ClassroomIo, type Printer } from './io.js';

/**
 * Clearing counters needs GET/DELETE /_labkit/rate-limiting/counters, which only our gateway has;
 * on a real Kong the labs' rate-limit checks wait for a fresh window instead.
 */
const COUNTER_NOTES: Record<SyncReport['counters'], string> = {
  cleared: 'rate-limit counters cleared',
  kept: 'rate-limit counters kept',
  unsupported:
    'this gateway cannot clear rate-limit counters (no /_labkit/rate-limiting/counters, like a real Kong): ' +
    'a rate-limit check first waits for a fresh window',
};

interface Target {
  adminUrl: string;
  proxyUrl: string | null;
  /** The recorded environment's nodes, node 1 first (absent: one node). */
  nodes?: Array<{ adminUrl: string }>;
  /** The recorded environment's Redis. */
  redis?: { host: string; port: number };
}

export interface TargetFlags {
  adminUrl?: string;
  proxyUrl?: string;
}

function resolveTarget(flags: TargetFlags, io: ClassroomIo): Target {
  const strip = (url: string) => url.replace(/\/+$/, '');
  if (flags.adminUrl) return { adminUrl: strip(flags.adminUrl), proxyUrl: flags.proxyUrl ? strip(flags.proxyUrl) : null };
  const paths = statePaths(io.env);
  const record = readEnvironmentRecord(paths);
  if (!record) throw new NoEnvironmentError(paths.stateFile);
  return { adminUrl: record.adminUrl, proxyUrl: record.proxyUrl, nodes: record.nodes, redis: record.redis };
}

function replicasOf(target: Target): string[] {
  return (target.nodes ?? []).map((node) => node.adminUrl).filter((url) => url !== target.adminUrl);
}

/** The gateway's own keys in the environment's Redis (when it runs): the counters of every node together. */
async function clearRedisCounters(target: Target, io: ClassroomIo): Promise<string | null> {
  if (!target.redis) return null;
  const record = readEnvironmentRecord(statePaths(io.env));
  if (!record || !(await classroomRedisRunning(record))) return null;
  const deleted = await clearGatewayKeys(target.redis);
  return `${deleted} rate-limit key${deleted === 1 ? '' : 's'} of the gateway deleted in Redis (SCAN + DEL on ${GATEWAY_KEY_PATTERN}; nothing else touched)`;
}

async function reset(target: Target, out: Printer, io: ClassroomIo): Promise<number> {
  const { p } = out;
  out.say(p.dim(besideOrBelow('$ deck gateway reset', `(equivalent: POST ${maskUrlCredentials(target.adminUrl)}/config with an empty configuration)`, out.width)));
  const started = performance.now();
  const report = await resetGateway({ adminUrl: target.adminUrl, replicaAdminUrls: replicasOf(target) });
  const redisNote = await clearRedisCounters(target, io);
  const took = seconds(performance.now() - started);
  await recordAppliedLab(null, report.configurationHash, target.adminUrl, statePaths(io.env));
  out.say(formatSyncReport(report));
  if (target.nodes) out.say(`Every one of the ${target.nodes.length} gateway nodes reset; they hold the same configuration_hash.`);
  if (redisNote) out.say(redisNote);
  out.say(p.green(`Empty configuration, ${COUNTER_NOTES[report.counters]}, in ${took}.`));
  return EXIT_OK;
}

function curlLines(lab: Lab, proxyUrl: string | null, width: number): string[] {
  if (!proxyUrl) return ['  (give --proxy-url to see the curl commands)'];
  // Folded with shell continuations, so that each still pastes whole.
  return [`  export DATA_PLANE_LB=${maskUrlCredentials(proxyUrl)}`, ...labCurlCommands(lab, proxyUrl).flatMap((curl) => foldCommand(curl, width, '  '))];
}

async function goto(lab: Lab, target: Target, out: Printer, io: ClassroomIo): Promise<number> {
  const { p } = out;
  out.say(p.bold(`Lab ${lab.number} — ${lab.title}`));
  out.say(p.dim(besideOrBelow(`$ deck gateway reset && deck gateway sync ${displayPath(lab.declarationPath)}`, `(equivalent: POST ${maskUrlCredentials(target.adminUrl)}/config, twice)`, out.width)));
  const started = performance.now();
  // Emptied first, so what the class sees is the lab's state and nothing left from elsewhere.
  await resetGateway({ adminUrl: target.adminUrl, resetCounters: false, replicaAdminUrls: replicasOf(target) });
  const paths = statePaths(io.env);
  const report = await syncLab(lab, {
    adminUrl: target.adminUrl,
    nodes: target.nodes,
    // A lab with `policy: redis` gets the environment's Redis started first.
    redis: target.redis ? { ensure: async () => void (await ensureClassroomRedis(paths)) } : null,
  });
  await clearRedisCounters(target, io);
  const took = seconds(performance.now() - started);
  await recordAppliedLab(lab.id, report.configurationHash, target.adminUrl, statePaths(io.env));
  out.say(formatSyncForPeople(report));
  out.say(p.green(`Now at lab ${lab.number} (${lab.id}), ${COUNTER_NOTES[report.counters]}, in ${took}. The class can try:`));
  out.say(curlLines(lab, target.proxyUrl, out.width).join('\n'));
  return EXIT_OK;
}

/** A failed sync or reset as the command reports it. */
async function failingAs<T>(heading: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof SyncError)) throw err;
    throw err.withNote(heading);
  }
}

/** `npm run reset`: the gateway of `flags` (default: the recorded environment) emptied, counters cleared. */
export async function resetEnvironment(flags: TargetFlags, io: ClassroomIo): Promise<number> {
  const target = resolveTarget(flags, io);
  const out = printer(io);
  return failingAs('the reset did not complete', () => reset(target, out, io));
}

/** `npm run goto N`: the gateway of `flags` (default: the recorded environment) in exactly lab N's state. */
export async function gotoLab(selector: string, flags: TargetFlags, io: ClassroomIo): Promise<number> {
  const lab = loadLab(selector, io.labsDir);
  const target = resolveTarget(flags, io);
  const out = printer(io);
  return failingAs(`could not go to lab ${lab.number}`, () => goto(lab, target, out, io));
}
