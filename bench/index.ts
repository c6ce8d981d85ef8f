/** All benchmarks in one run: `npm run bench`. Each prints its figures and its ratio to the baseline. */
import { runAuditReadsBench } from './audit-reads.bench.ts';
import { runCliBench } from './cli.bench.ts';
import { runClientBench } from './client.bench.ts';
import { runEmulatorBench } from './emulator.bench.ts';
import { runJsonBench } from './json.bench.ts';
import { runSignBench } from './sign.bench.ts';
import { runServerBench } from './server.bench.ts';
import { runSlackBench } from './slack.bench.ts';
import { runVscodeHarnessBench, runVscodeWorkbenchBench } from './vscode.bench.ts';

runSignBench();
runJsonBench();
await runClientBench();
await runSlackBench();
await runEmulatorBench();
await runCliBench();
await runServerBench();
await runAuditReadsBench();
await runVscodeHarnessBench();
await runVscodeWorkbenchBench();
