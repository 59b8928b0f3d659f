// npm run doctor [-- options]   (npm run doctor -- --help)
import { runDoctorCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runDoctorCommand(process.argv.slice(2));
