/**
 * Saturation: outputs whose activation is flat where they sit (σ or tanh of a huge |net|) pass no
 * gradient back, so training stalls with the loss frozen and no NaN to report. Typically a learning
 * rate far too high threw the weights there in the first epochs.
 */
import { ACTIVATION_RECORDS, type Activation } from '../math/activations';
import type { TraceContext } from '../trace/build';

/** Below this, ∂out/∂net has vanished: a gradient through it is lost next to the others' rounding. */
export const SATURATED_SLOPE = 1e-12;
/** A loss at most this small is not a stall: outputs saturated at their targets are right. */
export const SMALL_LOSS = 1e-6;

/** The activation's slope vanishes at both ends (sigmoid, tanh; not relu or linear), read from its record. */
export function saturates(act: Activation): boolean {
  const r = ACTIVATION_RECORDS[act];
  const slope = (net: number) => r.derivative(net, r.value(net));
  return slope(-50) < SATURATED_SLOPE && slope(50) < SATURATED_SLOPE;
}

/**
 * True when every output neuron is saturated (∂out/∂net below SATURATED_SLOPE) for every sample
 * while the loss is not small. Stops at the first output that is not, so a healthy network costs one
 * sample's forward pass.
 */
export function stalledBySaturation(ctx: TraceContext, loss: number): boolean {
  const { model, trainer } = ctx;
  const L = model.layers.length - 1;
  const act = model.layers[L].activation;
  const S = trainer.sampleCount;
  if (!act || !saturates(act) || !(loss > SMALL_LOSS) || S === 0) return false;
  const r = ACTIVATION_RECORDS[act];
  for (let s = 0; s < S; s++) {
    const d = trainer.detail(s, S);
    for (let j = 0; j < d.out[L].length; j++) if (!(r.derivative(d.net[L][j], d.out[L][j]) < SATURATED_SLOPE)) return false;
  }
  return true;
}
