// Shared by the trainer's and the decay's tests: the fused per-sample pass against the general update.
import * as assert from 'assert';
import { DenseTrainer, type DenseSpec } from '../../../src/engine/compute/trainer';

/**
 * Trains `spec` (sample mode, nothing frozen or tied) for `epochs` epochs by the fused per-sample
 * pass and, from the same weights, by the general update one sample at a time; asserts that the
 * two agree bitwise, to the sign of a zero, every epoch: loss, parameters, the optimizer's state.
 */
export function assertFusedIsGeneral(spec: DenseSpec, epochs: number): void {
  const fused = new DenseTrainer(spec);
  const general = new DenseTrainer({ ...spec, params: spec.params?.slice() });
  for (let e = 0; e < epochs; e++) {
    const lf = fused.epoch();
    let lg = 0;
    for (const [s, n] of general.groups()) lg += general.update(s, n);
    assert.ok(Object.is(lf, lg), `epoch ${e + 1} loss: ${lf} vs ${lg}`);
    for (const [what, a, b] of [['param', fused.params, general.params], ['v', fused.state.v, general.state.v], ['m', fused.state.m, general.state.m]] as const) {
      a.forEach((x, i) => assert.ok(Object.is(x, b[i]), `epoch ${e + 1}, ${what} ${i}: ${x} vs ${b[i]}`));
    }
    assert.strictEqual(fused.state.t, general.state.t);
  }
  assert.ok(Object.is(fused.loss(), general.loss()), 'the loss after training');
}
