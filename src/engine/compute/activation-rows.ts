/**
 * Activations applied to whole rows of net inputs, for the trainer's hot loops. The mathematics is
 * the records' (math/activations.ts): each record gets a numeric code from the record list, and the
 * activations that have a dedicated loop below (written out so that the loop stays monomorphic)
 * are checked bitwise against their record in test/engine/compute/activation-rows.test.ts. A record
 * without a dedicated loop runs through its own `value` and `derivative`: adding an activation
 * needs nothing here, it is only slower until it gets a case. A layer-wise activation (softmax) has
 * no kernel here: the network applies its record to each sample's row (compute/network.ts).
 */
import { ELEMENTWISE_NAMES, elementwise, LEAKY_SLOPE, type Activation, type ActivationRecord } from '../math/activations';

/** Loops with a case of their own; `Record` calls the record. (A const enum: literal case labels.) */
const enum Fast { Record, Sigmoid, Tanh, Relu, Leaky, Linear }

const DEDICATED: Partial<Record<string, Fast>> = {
  sigmoid: Fast.Sigmoid, tanh: Fast.Tanh, relu: Fast.Relu, 'leaky-relu': Fast.Leaky, linear: Fast.Linear,
};

export interface ActivationKernel {
  readonly code: Fast;
  readonly record: ActivationRecord;
}

/** One kernel per elementwise activation record, in the records' order. */
export const ACTIVATION_KERNELS: ReadonlyMap<Activation, ActivationKernel> = new Map(
  ELEMENTWISE_NAMES.map((name) => [name, { code: DEDICATED[name] ?? Fast.Record, record: elementwise(name)! }]),
);

/** The kernel of an elementwise activation; undefined for a layer-wise one. */
export function activationKernel(name: Activation): ActivationKernel | undefined {
  return ACTIVATION_KERNELS.get(name);
}

/** The kernel of a record without a dedicated loop: the path every new activation takes first. */
export function recordKernel(record: ActivationRecord): ActivationKernel {
  return { code: Fast.Record, record };
}

// Each case is a small function of its own, and the switches small, so that V8 inlines them into
// the passes: for tiny layers the call, not the loop, is the cost.

/** H[a + k] = f(H[z + k]) for k < n. */
export function activateRow(k: ActivationKernel, H: Float64Array, z: number, a: number, n: number): void {
  switch (k.code) {
    case Fast.Sigmoid: return sigmoidRow(H, z, a, n);
    case Fast.Tanh: return tanhRow(H, z, a, n);
    case Fast.Relu: return reluRow(H, z, a, n);
    case Fast.Leaky: return leakyRow(H, z, a, n);
    case Fast.Linear: return H.copyWithin(a, z, z + n), undefined;
    default: return recordRow(k.record, H, z, a, n);
  }
}

/** H[d + k] *= f′(H[z + k]) given out = H[a + k], for k < n. */
export function multiplyByDerivative(k: ActivationKernel, H: Float64Array, d: number, z: number, a: number, n: number): void {
  switch (k.code) {
    case Fast.Sigmoid: return sigmoidSlope(H, d, a, n);
    case Fast.Tanh: return tanhSlope(H, d, a, n);
    case Fast.Relu: return stepSlope(H, d, z, n, 0);
    case Fast.Leaky: return stepSlope(H, d, z, n, LEAKY_SLOPE);
    case Fast.Linear: return; // f′ = 1 leaves every value as it is
    default: return recordSlope(k.record, H, d, z, a, n);
  }
}

function sigmoidRow(H: Float64Array, z: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) H[a + q] = 1 / (1 + Math.exp(-H[z + q]));
}

function tanhRow(H: Float64Array, z: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) H[a + q] = Math.tanh(H[z + q]);
}

function reluRow(H: Float64Array, z: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) { const v = H[z + q]; H[a + q] = v > 0 ? v : 0; }
}

function leakyRow(H: Float64Array, z: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) { const v = H[z + q]; H[a + q] = v > 0 ? v : LEAKY_SLOPE * v; }
}

function recordRow(f: ActivationRecord, H: Float64Array, z: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) H[a + q] = f.value(H[z + q]);
}

function sigmoidSlope(H: Float64Array, d: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) { const o = H[a + q]; H[d + q] *= o * (1 - o); }
}

function tanhSlope(H: Float64Array, d: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) { const o = H[a + q]; H[d + q] *= 1 - o * o; }
}

/** relu and leaky-relu: f′ = 1 above 0, `low` at and below. */
function stepSlope(H: Float64Array, d: number, z: number, n: number, low: number): void {
  for (let q = 0; q < n; q++) H[d + q] *= H[z + q] > 0 ? 1 : low;
}

function recordSlope(f: ActivationRecord, H: Float64Array, d: number, z: number, a: number, n: number): void {
  for (let q = 0; q < n; q++) H[d + q] *= f.derivative(H[z + q], H[a + q]);
}
