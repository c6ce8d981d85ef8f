/**
 * Entry point of the suite that runs inside a real extension host (code-server here, or VS Code through
 * @vscode/test-electron): the `run()` contract both use. Bundled by packages/vscode/build.mjs with the tests.
 */
// mocha 12 is ESM with a CommonJS build inside; requiring that file works on every host's Node.
import Mocha from 'mocha/lib/mocha.cjs';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
  // Install describe/it on the global object, as mocha does before loading a spec file.
  mocha.suite.emit('pre-require', globalThis, 'flows.itest.ts', mocha);
  // Flows first: they use an emulator of their own and sign out after; the explorer suite then starts the
  // extension's local emulator, which takes precedence over any keys.
  await import('./flows.itest.ts');
  await import('./explorer.itest.ts');
  const failures: string[] = [];
  const passes = await new Promise<number>((resolve) => {
    let passed = 0;
    const runner = mocha.run(() => resolve(passed));
    runner.on('pass', () => passed++);
    runner.on('fail', (test, error) => failures.push(`${test.fullTitle()}: ${error.message}`));
  });
  // Plain lines (the spec reporter's format strings reach the page console unformatted).
  for (const failure of failures) console.log(`tceops in-host FAIL ${failure}`);
  console.log(`tceops in-host: ${passes} passing, ${failures.length} failing`);
  if (failures.length > 0) throw new Error(`${failures.length} in-host test(s) failed`);
}
