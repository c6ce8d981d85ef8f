#!/usr/bin/env node
import { processIo } from './io.ts';
import { main, reportInternalError } from './main.ts';

const argv = process.argv.slice(2);

// What escapes main (an error thrown in an event handler or a stray rejection) is told like any internal error:
// one line and exit 1, not Node's stack trace.
const crash = (error: unknown) => {
  try {
    process.exitCode = reportInternalError(error, processIo, process.env, argv);
  } catch {
    process.exitCode = 1;
  }
  process.exit();
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

main(argv).then((code) => {
  process.exitCode = code;
}, crash);
