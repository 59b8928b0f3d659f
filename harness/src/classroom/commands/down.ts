// `npm run down`: stop what `npm run up` started — those processes and containers, nothing else.

import { parseArgs } from 'node:util';
import { LABEL_ENVIRONMENT } from '../../containers/labels.js';
import { shownPath, statePaths } from '../paths.js';
import { readRecordForCommand } from '../state.js';
import { tearDownEnvironment } from '../teardown.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, printer, processIo, type ClassroomIo } from './io.js';

export const DOWN_USAGE = [
  'Usage: npm run down',
  '',
  'Stops the environment npm run up started (its recorded processes, or its containers and network)',
  'and forgets it. Nothing else is touched; the logs stay in the state folder until the next npm run up.',
].join('\n');

export async function runDownCommand(argv: string[], io: ClassroomIo = processIo()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${DOWN_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout.write(`${DOWN_USAGE}\n`);
    return EXIT_OK;
  }
  const out = printer(io);
  const paths = statePaths(io.env);
  const record = readRecordForCommand(paths, io.stderr);
  if (record === 'broken') return EXIT_FAILED;
  if (!record) {
    out.say(`Nothing to stop: no environment is recorded in ${shownPath(paths.stateFile)}.`);
    return EXIT_OK;
  }
  out.say(`• stopping the ${record.runtime} environment started ${record.startedAt}…`);
  const report = await tearDownEnvironment(record, paths);
  for (const entry of report.processes) {
    const what = entry.role === 'keeper' ? 'container keeper' : entry.role === 'lab' ? (record.startedBy ?? 'npm run lab') : entry.role;
    out.say(
      entry.stopped > 0
        ? `  stopped ${what} (pid ${entry.pid}${entry.stopped > 1 ? `, ${entry.stopped} processes` : ''})`
        : `  ${what} (pid ${entry.pid}) was already gone`,
    );
  }
  if (report.docker && 'problem' in report.docker) {
    out.warn(out.p.yellow(`  could not check Docker for leftovers: ${report.docker.problem}`));
    out.warn(`  remove them by hand: docker rm -f $(docker ps -aq --filter label=${LABEL_ENVIRONMENT}=${record.containers!.environmentId})`);
    out.warn(`  and: docker network rm ${record.containers!.network}`);
    return EXIT_FAILED;
  }
  if (report.docker && report.docker.containers + report.docker.networks > 0) {
    out.say(`  removed ${report.docker.containers} container(s) and ${report.docker.networks} network(s) the keeper had left`);
  }
  out.say(out.p.green(`Environment down. Logs kept in ${shownPath(paths.dir)} until the next npm run up.`));
  return EXIT_OK;
}
