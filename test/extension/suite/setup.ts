// First module of the in-host suite bundle: it must run before any test file is evaluated, because
// the npm `assert` package reads `process` when loaded and the test files call `describe` at load.
/* eslint-disable @typescript-eslint/no-require-imports */

/** Set by test/extension/build.mjs: true in the desktop (Node) bundle, false in the web one. */
declare const __NODE_HOST__: boolean;

let runner: Mocha;
if (__NODE_HOST__) {
  // Desktop extension host: mocha's Node build, loaded from node_modules (not bundled).
  const MochaClass = require('mocha') as typeof Mocha;
  runner = new MochaClass({ ui: 'bdd', reporter: 'spec', timeout: 60000, color: true });
  runner.suite.emit('pre-require', globalThis, 'suite', runner);
} else {
  const g = globalThis as unknown as { process?: unknown };
  if (typeof g.process === 'undefined') {
    // The web extension host is a web worker: give `assert` (and mocha's reporters) the little they read.
    g.process = { env: {}, platform: 'browser', version: '', versions: {}, argv: [], cwd: () => '/', nextTick: (f: () => void) => Promise.resolve().then(f), stdout: { write: (s: string) => console.log(s) } };
  }
  // mocha's browser build registers `mocha`, `describe`, `it`… as globals.
  require('mocha/mocha.js');
  // 'spec' writes through console.log, which test-web relays to the runner; the default reporter needs a DOM.
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60000, color: false });
  runner = mocha;
}

/** Called by the extension host once the workbench is up; resolving means every test passed. */
export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      runner.run((failures) => (failures > 0 ? reject(new Error(`${failures} tests failed.`)) : resolve()));
    } catch (err) {
      reject(err);
    }
  });
}
