// `npm run down`: stop what `npm run up` started — those processes and containers, nothing else.

import { LABEL_ENVIRONMENT } from '../../env/containers/labels.js';
import { shownPath, statePaths } from '../paths.js';
import { readRecordForCommand } from '../state.js';
import { tearDownEnvironment } from '../teardown.js';
import { EXIT_FAILED, EXIT_OK, printer, type ClassroomIo } from './io.js';

/** Stops and forgets the recorded environment; its exit status. */
export async function stopEnvironment(io: ClassroomIo): Promise<number> {
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
