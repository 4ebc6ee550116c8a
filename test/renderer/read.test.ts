/**
 * The renderer reads every trace before drawing it (renderer/read.ts): whatever the engine writes
 * must read back unchanged, and what docs/trace.md does not allow must be refused by the path of the
 * first wrong field. Runs in Node: the reader has no DOM.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { elideName, MAX_NAME, MAX_TEXT, readTrace, TraceError } from '../../renderer/read';
import { readBpnb } from '../../src/engine/file/bpnb';
import { Session } from '../../src/engine/session';
import type { StepTrace, Trace } from '../../src/engine/trace/schema';
import { BATCH, NET_222, bigNet, last, run } from './cells';
import { ROOT } from './harness';

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The message readTrace gives for `value`. */
function refusal(value: unknown): string {
  try {
    readTrace(value);
  } catch (e) {
    assert.ok(e instanceof TraceError, String(e));
    return e.message;
  }
  assert.fail('the trace was read');
}

/** Every trace the example notebooks and the test cells produce, as a notebook file holds them. */
function engineTraces(): Trace[] {
  const traces: Trace[] = [];
  const dir = join(ROOT, 'examples');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bpnb'))) {
    const s = new Session();
    for (const cell of readBpnb(readFileSync(join(dir, file))).cells) if (cell.kind === 'code') traces.push(...s.runSync(cell.source).traces);
  }
  traces.push(...run(NET_222, 'forward\nstep\ntrain 5 every 2\ngradcheck\ncheck\n  E = 0.3\n  dE/dw5 = 0.05\nreset\ndigits 4').flat());
  traces.push(...run(BATCH, 'mode sample\nstep', 'mode minibatch 2\nstep').flat(), last(bigNet(12), 'step'));
  return traces.map(json);
}

describe('renderer/read: reading a trace before drawing it', function () {
  it('reads every trace the engine writes back unchanged', function () {
    const traces = engineTraces();
    assert.ok(new Set(traces.map((t) => t.kind)).size === 7, 'every kind of trace is among them');
    assert.ok(traces.some((t) => t.limits.truncated), 'a truncated trace is among them');
    // Compared as JSON: a value that is not a number (a blank's `exact`) is null in the file and NaN once read.
    for (const t of traces) assert.deepEqual(json(readTrace(t)), t, `${t.kind} trace of line ${t.line}`);
  });

  it('reads the stand-ins for values that are not finite as numbers', function () {
    // JSON.stringify writes NaN and ±Infinity as null; `bpnb run --format json` writes them as strings.
    const trace = json(last(NET_222, 'train 3'));
    assert.equal(trace.kind, 'train');
    const read = readTrace({ ...trace, lossCurve: [null, 'NaN', 'Infinity', '-Infinity', 0.5] });
    assert.ok(read.kind === 'train');
    assert.deepEqual(read.lossCurve, [NaN, NaN, Infinity, -Infinity, 0.5]);
    assert.equal(refusal({ ...trace, lossCurve: ['0.5'] }), 'field `lossCurve[0]` must be a number');
  });

  it('names the first field that is not what docs/trace.md says', function () {
    const step = json(last(NET_222, 'step')) as StepTrace;
    const check = json(last(NET_222, 'check\n  E = 0.3'));
    assert.equal(refusal({ ...check, passed: '59' }), 'field `passed` must be a number');
    assert.equal(refusal({ ...step, epoch: null }), 'field `epoch` must be a number');
    assert.equal(refusal({ ...step, kind: 'message' }), 'field `text` is missing');
    assert.equal(refusal(json({ ...step, updates: undefined })), 'field `updates` is missing');
    const deep = json(step);
    (deep.updates[0].grads[3] as unknown as { grad: string }).grad = '0.08';
    assert.equal(refusal(deep), 'field `updates[0].grads[3].grad` must be a number');
    assert.equal(refusal({ ...step, kind: 'plot' }), 'field `kind` must be one of network, forward, step, train, check, gradcheck, message');
    const layers = json(step);
    (layers.network.layers[1] as { activation: string }).activation = 'softplus';
    assert.match(refusal(layers), /^field `network\.layers\[1\]\.activation` must be one of sigmoid, tanh, relu/);
    assert.equal(refusal({ ...step, network: [] }), 'field `network` must be an object');
    assert.equal(refusal({ ...step, updates: {} }), 'field `updates` must be a list');
    assert.equal(refusal(null), 'field `` must be an object');
  });

  it('elides long names and texts, keeping long names that differ apart', function () {
    const step = json(last(NET_222, 'step')) as StepTrace;
    const a = `w${'x'.repeat(1_000_000)}`;
    const b = `w${'x'.repeat(500_000)}y${'x'.repeat(499_999)}`;
    const renamed = JSON.parse(JSON.stringify(step).replaceAll('"w5"', JSON.stringify(a)).replaceAll('"w6"', JSON.stringify(b))) as StepTrace;
    const read = readTrace({ ...renamed, kind: 'step' }) as StepTrace;
    const names = read.network.params.map((p) => p.name);
    const [ea, eb] = [elideName(a), elideName(b)];
    assert.ok(ea.length <= MAX_NAME + 20 && eb.length <= MAX_NAME + 20, ea);
    assert.notEqual(ea, eb, 'two long names that differ in the middle stay two names');
    assert.ok(names.includes(ea) && names.includes(eb));
    assert.ok(read.updates[0].grads.some((g) => g.name === ea), 'the same name is elided the same way everywhere');
    assert.equal(elideName('w5'), 'w5');
    const message = readTrace({ ...step, kind: 'message', text: 'm'.repeat(100_000) });
    assert.ok(message.kind === 'message');
    assert.ok(message.text.length < MAX_TEXT + 50);
    assert.match(message.text, /… \(98,000 more characters\)$/);
  });
});
