/**
 * The classification chapter on the engine's fast path: softmax and the log losses, momentum, Adam
 * and L2 decay, each timed on the same network, data and starting weights as the squared-error path
 * it is compared with, in the same run. Ratios only: time ÷ that of the squared-error sgd run.
 *
 * An optimizer's update is arithmetic of its own (Adam: three divisions — two once 1 − β₁ᵗ has
 * rounded to 1 — and a square root per parameter where gradient descent has one multiply-add), so
 * each run is also split: the time of its updates alone (the same number of `apply` calls on a
 * fixed gradient), and the rest — forward, backward, loss, decay — compared with the rest of the
 * squared-error run. A rest ratio near 1 means the fast path runs everything but the optimizer's
 * own arithmetic at the squared-error speed.
 */
import type { DenseSpec, Trainer } from '../src/engine/compute/trainer';
import { fmt, measure, table, type TimingPolicy } from './harness';

type Create = (spec: DenseSpec) => Trainer & { epoch(): number; apply(): void; groups(): [number, number][] };

/** `softmax`: the base network with a softmax output layer. */
interface Variant { name: string; softmax?: boolean; spec: Partial<DenseSpec> }

const ADAM = { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;
const MOMENTUM = { name: 'momentum', beta: 0.9 } as const;

/** A network and its data: `outputs` one-hot classes, the same for every variant. */
function base(sizes: number[], samples: number, mode: DenseSpec['mode'], hidden: DenseSpec['activations'][number]): DenseSpec {
  let seed = 5;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const nIn = sizes[0];
  const nOut = sizes[sizes.length - 1];
  const targets = new Float64Array(samples * nOut);
  for (let s = 0; s < samples; s++) targets[s * nOut + Math.floor(rnd() * nOut)] = 1;
  return {
    sizes, activations: [...sizes.slice(1, -1).map(() => hidden), 'sigmoid'], loss: 'half-sse', rate: 0.05, mode,
    inputs: Float64Array.from({ length: samples * nIn }, () => rnd() * 2 - 1), targets, seed: 3,
  };
}

const VARIANTS: Variant[] = [
  { name: 'sigmoid + half-sse, sgd (the squared-error path)', spec: {} },
  { name: 'softmax + cross-entropy, sgd', softmax: true, spec: { loss: 'cross-entropy' } },
  { name: 'sigmoid + bce, sgd', spec: { loss: 'bce' } },
  { name: 'softmax + cross-entropy, momentum 0.9', softmax: true, spec: { loss: 'cross-entropy', optimizer: MOMENTUM } },
  { name: 'softmax + cross-entropy, adam', softmax: true, spec: { loss: 'cross-entropy', optimizer: ADAM } },
  { name: 'softmax + cross-entropy, adam, decay 0.01', softmax: true, spec: { loss: 'cross-entropy', optimizer: ADAM, decay: 0.01 } },
  { name: 'sigmoid + half-sse, sgd, decay 0.01', spec: { decay: 0.01 } },
];

function specOf(b: DenseSpec, v: Variant): DenseSpec {
  const activations = v.softmax ? [...b.activations.slice(0, -1), 'softmax' as const] : b.activations;
  return { ...b, ...v.spec, activations };
}

export function benchClassification(create: Create, policy: TimingPolicy): void {
  const shapes = [
    { title: '64-32-10, tanh, 2,000 samples, minibatch 32, 20 epochs', b: base([64, 32, 10], 2000, { kind: 'minibatch', size: 32 }, 'tanh'), epochs: 20 },
    { title: '64-32-10, tanh, 200 samples, mode sample, 20 epochs', b: base([64, 32, 10], 200, { kind: 'sample' }, 'tanh'), epochs: 20 },
    { title: '2-3-3, sigmoid, 4 samples, mode sample, 5,000 epochs', b: base([2, 3, 3], 4, { kind: 'sample' }, 'sigmoid'), epochs: 5000 },
  ];
  console.log('\nClassification and optimizers on the engine (time ÷ the squared-error sgd run of the same network, same run):');
  for (const { title, b, epochs } of shapes) {
    const rows = VARIANTS.map((v) => {
      const spec = specOf(b, v);
      const start = create(spec).params.slice();
      let t = create({ ...spec, params: start.slice() });
      const timing = measure({
        reset: () => { t = create({ ...spec, params: start.slice() }); },
        run: (n) => { for (let e = 0; e < n; e++) t.epoch(); },
        params: () => t.params, dispose: () => {},
      }, epochs, policy);
      const updates = t.groups().length;
      const alone = measure({
        reset: () => { t = create({ ...spec, params: start.slice() }); },
        run: (n) => { for (let k = 0; k < n * updates; k++) t.apply(); },
        params: () => t.params, dispose: () => {},
      }, epochs, policy);
      return { name: v.name, ms: timing.medianMs, updateMs: Math.min(alone.medianMs, timing.medianMs) };
    });
    const base0 = rows[0];
    const rest0 = base0.ms - base0.updateMs;
    console.log(`  ${title}`);
    console.log(table(['variant', 'ms (median)', 'time ÷ squared error', 'its updates alone, ms', 'rest ÷ squared error\'s rest'],
      rows.map((r) => [r.name, fmt(r.ms), `${fmt(r.ms / base0.ms)}×`, fmt(r.updateMs), `${fmt((r.ms - r.updateMs) / rest0)}×`])).replace(/^/gm, '    '));
  }
}
