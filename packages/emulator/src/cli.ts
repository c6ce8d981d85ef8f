/**
 * `tceops emulator [--port N] [--host H] [--state-file F] [--seed demo|empty] [--secret-id I --secret-key K]
 * [--auth strict|off] [--no-rate-limits] [--time-scale X] [--instances N] [--fault SPEC]...`
 * Prints one line, `listening on http://HOST:PORT`, when ready; stops cleanly (state flushed) on SIGTERM/SIGINT.
 * Resolves with the exit code: 0 after a clean stop, 2 for bad usage.
 */
import { type EmulatorOptions, startEmulator } from './emulator.ts';

export const EMULATOR_USAGE = `usage: tceops emulator [options]
  --port N              port to listen on (default 0: any free port)
  --host H              address to listen on (default 127.0.0.1)
  --state-file F        keep the state in F between runs (written atomically, within a second of each change)
  --seed demo|empty     what a new state starts with (default demo)
  --secret-id I --secret-key K
                        the key pair clients must sign with (default: the demo pair in the emulator README)
  --auth strict|off     check signatures (default strict)
  --no-rate-limits      do not enforce the documented per-action rate limits
  --time-scale X        multiply transition durations (0 = instant, 0.1 = ten times faster; default 1)
  --instances N         add N synthetic instances (node-00001, ...) to the seed
  --fault SPEC          inject faults, repeatable: cvm:StopInstances=InternalError@0.5, *=latency:200, cfs:*=drop@0.1`;

class UsageError extends Error {}

function parseArgs(argv: string[]): EmulatorOptions | 'help' {
  const options: EmulatorOptions = { faults: [] };
  let secretId: string | undefined;
  let secretKey: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const number = (min: number, max: number, whole = true): number => {
      const text = value();
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n)))
        throw new UsageError(
          `${flag} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}"`,
        );
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = number(0, 65535);
        break;
      case '--host':
        options.host = value();
        break;
      case '--state-file':
        options.stateFile = value();
        break;
      case '--seed': {
        const seed = value();
        if (seed !== 'demo' && seed !== 'empty') throw new UsageError(`--seed must be demo or empty, not "${seed}"`);
        options.seed = seed;
        break;
      }
      case '--secret-id':
        secretId = value();
        break;
      case '--secret-key':
        secretKey = value();
        break;
      case '--auth': {
        const auth = value();
        if (auth !== 'strict' && auth !== 'off') throw new UsageError(`--auth must be strict or off, not "${auth}"`);
        options.auth = auth;
        break;
      }
      case '--no-rate-limits':
        options.rateLimits = false;
        break;
      case '--rate-limits': {
        const on = inline ?? 'true';
        if (!['true', 'false'].includes(on)) throw new UsageError('--rate-limits takes true or false');
        options.rateLimits = on === 'true';
        break;
      }
      case '--time-scale':
        options.timeScale = number(0, 1000, false);
        break;
      case '--instances':
        options.syntheticInstances = number(0, 1_000_000);
        break;
      case '--fault':
        options.faults!.push(value());
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if ((secretId === undefined) !== (secretKey === undefined))
    throw new UsageError('give --secret-id and --secret-key together');
  if (secretId !== undefined && secretKey !== undefined) options.credentials = [{ secretId, secretKey }];
  return options;
}

export async function runEmulatorCli(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  let options: EmulatorOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    io.err(`tceops emulator: ${(error as Error).message}\n${EMULATOR_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.out(EMULATOR_USAGE);
    return 0;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    io.err(`tceops emulator: ${(error as Error).message}`);
    return 2;
  }
  io.out(`listening on ${emulator.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await emulator.stop();
  return 0;
}
