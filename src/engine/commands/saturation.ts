/**
 * Saturation: neurons whose activation is flat where they sit (σ or tanh of a huge |net|) pass no
 * gradient back, so training stalls — the loss frozen, the weights unchanging, and no NaN to report.
 * Typically a learning rate far too high threw the weights there in the first epochs.
 */
import { elementwise, type Activation } from '../math/activations';
import type { TraceContext } from '../trace/build';

/** Below this, ∂out/∂net (or a gradient) has vanished: nothing measurable passes through it. */
export const VANISHED = 1e-12;
/** A loss at most this small is not a stall: neurons saturated at their targets are right. */
export const SMALL_LOSS = 1e-6;

/** The activation's slope vanishes at both ends (sigmoid, tanh; not relu or linear), read from its record. */
export function saturates(act: Activation): boolean {
  const r = elementwise(act);
  if (!r) return false;
  const slope = (net: number) => r.derivative(net, r.value(net));
  return slope(-50) < VANISHED && slope(50) < VANISHED;
}

export interface Saturation {
  /** The saturated layer nearest the output. */
  layer: number;
  activation: Activation;
  neurons: string[];
}

/**
 * A stall by saturation: the loss is not small, every neuron of some sigmoid/tanh layer has
 * ∂out/∂net below VANISHED for every sample, and the gradient of every trainable parameter has
 * vanished too. A healthy network is cleared after one sample's forward pass; only a saturated one
 * costs a pass over the samples and one gradient.
 */
export function stalledBySaturation(ctx: TraceContext, loss: number): Saturation | undefined {
  if (!(loss > SMALL_LOSS) || ctx.trainer.sampleCount === 0) return undefined;
  const layer = saturatedLayer(ctx);
  if (layer === undefined || !gradientsVanished(ctx)) return undefined;
  const { names, activation } = ctx.model.layers[layer];
  return { layer, activation: activation!, neurons: names };
}

/** The last layer whose neurons are all saturated in every sample, if any. */
function saturatedLayer(ctx: TraceContext): number | undefined {
  const { model, trainer } = ctx;
  const S = trainer.sampleCount;
  let open = model.layers.flatMap((l, i) => (i > 0 && l.activation && saturates(l.activation) ? [i] : []));
  for (let s = 0; s < S && open.length; s++) {
    const d = trainer.detail(s, S);
    open = open.filter((l) => {
      const r = elementwise(model.layers[l].activation!)!;
      for (let j = 0; j < d.out[l].length; j++) if (!(r.derivative(d.net[l][j], d.out[l][j]) < VANISHED)) return false;
      return true;
    });
  }
  return open.length ? open[open.length - 1] : undefined;
}

/** Every unfrozen parameter's ∂E/∂p over the batch is below VANISHED (false when all are frozen). */
function gradientsVanished(ctx: TraceContext): boolean {
  const { trainer } = ctx;
  trainer.gradient(0, trainer.sampleCount);
  let trainable = false;
  for (let i = 0; i < trainer.grad.length; i++) {
    if (trainer.isFrozen(i)) continue;
    trainable = true;
    if (!(Math.abs(trainer.grad[i]) < VANISHED)) return false;
  }
  return trainable;
}
