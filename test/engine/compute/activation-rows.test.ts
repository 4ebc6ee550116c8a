// The trainer's row loops against the activation records they stand for: every activation, every
// kind of value (signed zeros, the kinks, saturation, infinities, NaN), bit for bit.
import * as assert from 'assert';
import { ACTIVATION_KERNELS, activateRow, multiplyByDerivative, recordKernel, type ActivationKernel } from '../../../src/engine/compute/activation-rows';
import { ELEMENTWISE_NAMES as ACTIVATION_NAMES, elementwise, type ActivationRecord } from '../../../src/engine/math/activations';

const activationRecord = (name: (typeof ACTIVATION_NAMES)[number]): ActivationRecord => elementwise(name)!;

const NETS = [0, -0, 1e-300, -1e-300, 0.25, -0.25, 1, -1, 3.5, -3.5, 40, -40, 800, -800, Infinity, -Infinity, NaN];
const DELTAS = [1, -2.5, 0, -0, 1e-200, Infinity, NaN];

function same(actual: number, expected: number, what: string) {
  assert.ok(Object.is(actual, expected), `${what}: got ${actual}, the record gives ${expected}`);
}

/** Runs the kernel's row loops over NETS × DELTAS laid out in one heap, and checks each element against the record. */
function checkAgainstRecord(k: ActivationKernel, record: ActivationRecord, label: string) {
  const n = NETS.length * DELTAS.length;
  const H = new Float64Array(3 * n + 5);
  const z = 5, a = z + n, d = a + n; // offsets off zero, as in the trainer's heap
  NETS.forEach((net, p) => DELTAS.forEach((delta, q) => { H[z + p * DELTAS.length + q] = net; H[d + p * DELTAS.length + q] = delta; }));
  activateRow(k, H, z, a, n);
  multiplyByDerivative(k, H, d, z, a, n);
  NETS.forEach((net, p) => DELTAS.forEach((delta, q) => {
    const at = p * DELTAS.length + q;
    const out = record.value(net);
    same(H[a + at], out, `${label}: f(${net})`);
    same(H[d + at], delta * record.derivative(net, out), `${label}: ${delta} · f′(${net})`);
  }));
}

describe('activation rows', () => {
  it('has a kernel for every elementwise activation record, in the records\' order', () => {
    assert.deepStrictEqual([...ACTIVATION_KERNELS.keys()], ACTIVATION_NAMES);
    for (const name of ACTIVATION_NAMES) assert.strictEqual(ACTIVATION_KERNELS.get(name)!.record, activationRecord(name));
  });

  for (const name of ACTIVATION_NAMES) {
    it(`${name}: its row loops give bitwise what its record gives`, () => {
      checkAgainstRecord(ACTIVATION_KERNELS.get(name)!, activationRecord(name), name);
    });
  }

  it('a record without a dedicated loop runs through its own value and derivative', () => {
    // A record the kernels have never heard of: softplus, f = ln(1 + e^net), f′ = σ(net).
    const softplus = {
      ...activationRecord('sigmoid'), name: 'softplus',
      value: (z: number) => Math.log1p(Math.exp(z)),
      derivative: (z: number) => 1 / (1 + Math.exp(-z)),
    };
    checkAgainstRecord(recordKernel(softplus), softplus, 'softplus');
    for (const name of ACTIVATION_NAMES) checkAgainstRecord(recordKernel(activationRecord(name)), activationRecord(name), `${name} through its record`);
  });
});
