/**
 * Import this first in every extension test: it makes `require('vscode')` load the stub. The extension is
 * bundled as CommonJS and tsx runs this package's TypeScript as CommonJS, so one resolve hook covers it.
 */
import Module from 'node:module';
import path from 'node:path';

const stub = path.join(__dirname, 'vscode-stub.ts');
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
if (!(original as { tceopsStub?: boolean }).tceopsStub) {
  const hooked = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, request === 'vscode' ? stub : request, ...rest);
  };
  (hooked as { tceopsStub?: boolean }).tceopsStub = true;
  resolver._resolveFilename = hooked;
}
