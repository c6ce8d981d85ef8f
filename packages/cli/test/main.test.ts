/**
 * What each command loads. The CLI bundle is split at main.ts's lazy imports (esbuild.mjs); a static import of a
 * heavy module anywhere on a command's path would put it back into every start. Checked on the bundle's graph:
 * the modules a start loads before any dynamic import, and those `help` and `call` add.
 */
import assert from 'node:assert/strict';
import { build, type Metafile } from 'esbuild';

const HEAVY = [
  /node_modules\/pg\//,
  /node_modules\/@slack\//,
  /packages\/emulator\//,
  /packages\/slack\//,
  /https-proxy-agent/,
  /node_modules\/undici\//,
];

async function bundleGraph(): Promise<Metafile> {
  const result = await build({
    entryPoints: { tceops: 'packages/cli/src/bin.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    outdir: 'out/graph',
    write: false,
    metafile: true,
    external: ['pg-native'],
    logLevel: 'silent',
  });
  return result.metafile;
}

/** The source files a set of output files loads, following static imports only. */
function loaded(meta: Metafile, starts: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of meta.outputs[file]!.imports) if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
  }
  return [...seen].flatMap((file) => Object.keys(meta.outputs[file]!.inputs));
}

function chunkOf(meta: Metafile, source: string): string {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === source);
  assert.ok(found, `no chunk starts at ${source}`);
  return found[0];
}

describe('cli: what each command loads', function () {
  this.timeout(60_000);
  let meta: Metafile;
  before(async () => {
    meta = await bundleGraph();
  });

  it('a start loads main and what every command needs, nothing heavy', () => {
    const start = loaded(meta, [chunkOf(meta, 'packages/cli/src/bin.ts')]);
    for (const heavy of [...HEAVY, /catalog\/data\//, /js-yaml/, /yargs-parser/])
      assert.deepEqual(
        start.filter((f) => heavy.test(f)),
        [],
        `${heavy} is loaded by every command`,
      );
  });

  it('help adds the grammar, not the catalog, the engine or any client', () => {
    const help = loaded(meta, [chunkOf(meta, 'packages/cli/src/bin.ts'), chunkOf(meta, 'packages/cli/src/help.ts')]);
    assert.ok(help.some((f) => f.endsWith('commands/registry.ts')));
    for (const heavy of [...HEAVY, /catalog\/data\//, /js-yaml/, /api\/client\.ts/])
      assert.deepEqual(
        help.filter((f) => heavy.test(f)),
        [],
        `help loads ${heavy}`,
      );
  });

  it('call adds the catalog loader and the client, not the Slack app, the emulator, PostgreSQL or a proxy agent', () => {
    const call = loaded(meta, [
      chunkOf(meta, 'packages/cli/src/bin.ts'),
      chunkOf(meta, 'packages/cli/src/commands/call.ts'),
      chunkOf(meta, 'packages/cli/src/engine.ts'),
    ]);
    assert.ok(call.some((f) => f.endsWith('catalog/files.ts')));
    assert.ok(call.some((f) => f.endsWith('api/client.ts')));
    for (const heavy of [...HEAVY, /catalog\/data\//])
      assert.deepEqual(
        call.filter((f) => heavy.test(f)),
        [],
        `call loads ${heavy}`,
      );
  });
});
