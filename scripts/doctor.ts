// npm run doctor [-- options]   (npm run doctor -- --help); declared in harness/src/cli/commands/doctor.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { doctorCommand } from '../harness/src/cli/commands/doctor.js';

await runAsScript(doctorCommand);
