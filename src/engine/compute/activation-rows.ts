/**
 * Activations applied to whole rows of net inputs, for the trainer's hot loops. The mathematics is
 * the records' (math/activations.ts): each record gets a numeric code from the record list, and the
 * activations that have a dedicated loop below (written out so that the loop stays monomorphic)
 * are checked bitwise against their record in test/engine/compute/activation-rows.test.ts. A record
 * without a dedicated loop runs through its own `value` and `derivative`: adding an activation
 * needs nothing here, it is only slower until it gets a case.
 */
import { ACTIVATION_NAMES, activationRecord, LEAKY_SLOPE, type Activation, type ActivationRecord } from '../math/activations';

/** Loops with a case of their own; `Record` calls the record. */
export const FAST = { Record: 0, Sigmoid: 1, Tanh: 2, Relu: 3, Leaky: 4, Linear: 5 } as const;
type FastCode = (typeof FAST)[keyof typeof FAST];

const DEDICATED: Partial<Record<string, FastCode>> = {
  sigmoid: FAST.Sigmoid, tanh: FAST.Tanh, relu: FAST.Relu, 'leaky-relu': FAST.Leaky, linear: FAST.Linear,
};

export interface ActivationKernel {
  readonly code: FastCode;
  readonly record: ActivationRecord;
}

/** One kernel per activation record, in the records' order. */
export const ACTIVATION_KERNELS: ReadonlyMap<Activation, ActivationKernel> = new Map(
  ACTIVATION_NAMES.map((name) => [name, { code: DEDICATED[name] ?? FAST.Record, record: activationRecord(name) }]),
);

export function activationKernel(name: Activation): ActivationKernel {
  return ACTIVATION_KERNELS.get(name)!;
}

/** H[a + k] = f(H[z + k]) for k < n. */
export function activateRow(k: ActivationKernel, H: Float64Array, z: number, a: number, n: number): void {
  switch (k.code) {
    case FAST.Sigmoid: for (let q = 0; q < n; q++) H[a + q] = 1 / (1 + Math.exp(-H[z + q])); break;
    case FAST.Tanh: for (let q = 0; q < n; q++) H[a + q] = Math.tanh(H[z + q]); break;
    case FAST.Relu: for (let q = 0; q < n; q++) { const v = H[z + q]; H[a + q] = v > 0 ? v : 0; } break;
    case FAST.Leaky: for (let q = 0; q < n; q++) { const v = H[z + q]; H[a + q] = v > 0 ? v : LEAKY_SLOPE * v; } break;
    case FAST.Linear: for (let q = 0; q < n; q++) H[a + q] = H[z + q]; break;
    default: { const f = k.record; for (let q = 0; q < n; q++) H[a + q] = f.value(H[z + q]); }
  }
}

/** H[d + k] *= f′(H[z + k]) given out = H[a + k], for k < n. */
export function multiplyByDerivative(k: ActivationKernel, H: Float64Array, d: number, z: number, a: number, n: number): void {
  switch (k.code) {
    case FAST.Sigmoid: for (let q = 0; q < n; q++) { const o = H[a + q]; H[d + q] *= o * (1 - o); } break;
    case FAST.Tanh: for (let q = 0; q < n; q++) { const o = H[a + q]; H[d + q] *= 1 - o * o; } break;
    case FAST.Relu: for (let q = 0; q < n; q++) H[d + q] *= H[z + q] > 0 ? 1 : 0; break;
    case FAST.Leaky: for (let q = 0; q < n; q++) H[d + q] *= H[z + q] > 0 ? 1 : LEAKY_SLOPE; break;
    case FAST.Linear: break; // f′ = 1 leaves every value as it is
    default: { const f = k.record; for (let q = 0; q < n; q++) H[d + q] *= f.derivative(H[z + q], H[a + q]); }
  }
}
