// The WebAssembly SIMD kernels against the JavaScript ones: the same numbers, bit for bit, kernel by
// kernel on random shapes and through whole training runs (every activation, loss and mode, odd
// sizes, chunk boundaries, missing/tied biases, frozen parameters, a run that diverges), so that
// `check` and traces never depend on which kernels ran.
import * as assert from 'assert';
import { JsKernels, type MatrixKernels } from '../../../src/engine/compute/kernels';
import { DenseTrainer, type DenseSpec } from '../../../src/engine/compute/trainer';
import { computeLayout } from '../../../src/engine/compute/layout';
import { wasmKernels, wasmMemory, wasmSimdSupported } from '../../../src/engine/compute/wasm/kernels';
import { ACTIVATION_NAMES, layerwise, type Activation } from '../../../src/engine/math/activations';
import { OPTIMIZER_NAMES, optimizerRecord } from '../../../src/engine/math/optimizers';
import { LOSS_NAMES } from '../../../src/engine/math/losses';
import { prng } from '../../../src/engine/math/init';
import type { Mode } from '../../../src/engine/trace/schema';

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}]: ${a[i]} vs ${b[i]}`;
  return undefined;
}

describe('WebAssembly SIMD kernels', () => {
  it('are available here (Node 20, like the extension hosts), so the comparisons below compare two paths', () => {
    assert.ok(wasmSimdSupported(), 'WebAssembly SIMD is missing: the tests below would compare the JavaScript kernels with themselves');
  });

  it('each kernel gives bitwise the JavaScript kernel\'s numbers on random shapes (odd sizes, 1 to 9 samples)', () => {
    const size = 20_000;
    const memory = wasmMemory(size * 8)!;
    const Hw = new Float64Array(memory.buffer, 0, size);
    const Hj = new Float64Array(size);
    const kernels: [MatrixKernels, Float64Array][] = [[new JsKernels(Hj), Hj], [wasmKernels(memory)!, Hw]];
    const r = prng(17);
    for (let trial = 0; trial < 400; trial++) {
      for (let q = 0; q < size; q++) Hj[q] = r() - 0.5;
      Hw.set(Hj);
      const nIn = 1 + Math.floor(r() * 13), n = 1 + Math.floor(r() * 13), count = 1 + Math.floor(r() * 9);
      // Regions: weights at 3, a bias row at 2000, inputs at 3001, outputs at 5000, deltas at 7001, gradient at 9000.
      const run = ([k]: [MatrixKernels, Float64Array]) => {
        switch (trial % 5) {
          case 0: return k.forward(3, 2000, 3001, 5000, nIn, n, count);
          case 1: return k.backward(7001, 3, 5000, nIn, n, count);
          case 2: return k.accumulate(9000, 3001, 7001, nIn, n, count);
          case 3: return k.step(3, 3001, 7001, 5000, nIn, n, 0.37);
          default: k.step(3, 3001, 7001, -1, nIn, n, 0.37); return k.update(9000, 3001, nIn * n + 3, 0.11);
        }
      };
      kernels.forEach(run);
      const diff = firstDifference(Hj, Hw);
      assert.strictEqual(diff, undefined, `kernel ${trial % 5}, nIn ${nIn}, n ${n}, count ${count}: ${diff}`);
    }
  });

  const r = prng(23);
  const cases: { name: string; spec: DenseSpec; epochs: number; diverges?: boolean }[] = [];
  const spec = (sizes: number[], activations: Activation[], mode: Mode, samples: number, extra: Partial<DenseSpec> = {}): DenseSpec => ({
    sizes, activations, loss: 'half-mse', rate: 0.3, mode,
    inputs: Float64Array.from({ length: samples * sizes[0] }, () => 2 * r() - 1),
    targets: Float64Array.from({ length: samples * sizes[sizes.length - 1] }, r),
    init: { kind: 'xavier' }, seed: Math.floor(r() * 1000), ...extra,
  });
  const modes: Mode[] = [{ kind: 'batch' }, { kind: 'sample' }, { kind: 'minibatch', size: 7 }];
  ACTIVATION_NAMES.forEach((act, k) => {
    const mode = modes[k % modes.length];
    // A layer-wise activation (softmax) is for the output layer only.
    const acts: Activation[] = layerwise(act) ? ['tanh', 'tanh', act] : [act, act, 'sigmoid'];
    cases.push({ name: `${act}, ${mode.kind}, 5-9-7-3 (odd sizes), 45 samples`, spec: spec([5, 9, 7, 3], acts, mode, 45), epochs: 3 });
  });
  LOSS_NAMES.forEach((loss, k) => {
    const mode = modes[k % modes.length];
    cases.push({ name: `${loss}, ${mode.kind}, 16-24-10 relu/linear, 70 samples (chunk boundaries)`, spec: { ...spec([16, 24, 10], ['relu', 'linear'], mode, 70), loss }, epochs: 2 });
  });
  {
    const layout = computeLayout([4, 6, 2], [[true, false, true, false, true, true], [true, true]]);
    const shared = [layout.biasSlot[1][0], layout.biasSlot[1][2]];
    cases.push({
      name: 'missing and tied biases, frozen weights, minibatch 4',
      spec: spec([4, 6, 2], ['tanh', 'sigmoid'], { kind: 'minibatch', size: 4 }, 13, {
        hasBias: [[true, false, true, false, true, true], [true, true]], tied: [shared], frozen: [0, 5, 9],
        params: Float64Array.from({ length: layout.paramCount }, (_, i) => (shared.includes(i) ? 0.125 : r() - 0.5)),
      }),
      epochs: 4,
    });
  }
  OPTIMIZER_NAMES.forEach((name, k) => {
    const optimizer = optimizerRecord(name).spec(name === 'momentum' ? [0.9] : [0.9, 0.999, 1e-8]);
    const mode = modes[k % modes.length];
    cases.push({
      name: `softmax and cross-entropy, ${name}, decay 0.01, ${mode.kind}, frozen weights, 5-9-4, 40 samples`,
      spec: { ...spec([5, 9, 4], ['tanh', 'softmax'], mode, 40, { frozen: [3] }), loss: 'cross-entropy', optimizer, decay: 0.01 }, epochs: 3,
    });
  });
  // Nothing frozen: the optimizers' own WebAssembly kernels run (5-8-3: 75 parameters, an odd last lane).
  OPTIMIZER_NAMES.forEach((name, k) => {
    const optimizer = optimizerRecord(name).spec(name === 'momentum' ? [0.9] : [0.9, 0.999, 1e-8]);
    for (const decay of [0, 0.01]) {
      const mode = modes[(k + (decay ? 1 : 0)) % modes.length];
      // Decay: rows of 5 and 7 weights (an odd last weight) and 7 rows (a tile of four, then single rows).
      const shape = decay ? [5, 7, 3] : [5, 8, 3];
      cases.push({
        name: `softmax and cross-entropy, ${name}${decay ? ', decay 0.01' : ''}, ${mode.kind}, nothing frozen, ${shape.join('-')}, 33 samples`,
        spec: { ...spec(shape, ['sigmoid', 'softmax'], mode, 33), loss: 'cross-entropy', optimizer, decay }, epochs: 4,
      });
    }
  });
  cases.push({
    name: 'momentum and decay, sample (the fused SIMD step with both), nothing frozen, 5-7-3, 33 samples',
    spec: { ...spec([5, 7, 3], ['sigmoid', 'softmax'], { kind: 'sample' }, 33), loss: 'cross-entropy', optimizer: { name: 'momentum', beta: 0.9 }, decay: 0.01 }, epochs: 4,
  });
  for (const decay of [0, 0.01]) {
    cases.push({
      name: `Adam${decay ? ' and decay' : ''}, sample (the fused SIMD step), nothing frozen, 5-7-3, 33 samples`,
      spec: { ...spec([5, 7, 3], ['sigmoid', 'softmax'], { kind: 'sample' }, 33), loss: 'cross-entropy', optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, decay }, epochs: 4,
    });
  }
  // 480 and 400 updates: from t = 356 on, 1 − 0.9ᵗ is 1 and Adam's kernels (the fused step's, the
  // whole-array one) take their branch without m/c1.
  for (const mode of [{ kind: 'sample' }, { kind: 'minibatch', size: 2 }] as Mode[]) {
    cases.push({
      name: `Adam, ${mode.kind}, 16 samples, past the first moment's correction reaching 1, 5-7-3`,
      spec: { ...spec([5, 7, 3], ['sigmoid', 'softmax'], mode, 16), loss: 'cross-entropy', optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
      epochs: mode.kind === 'sample' ? 30 : 50,
    });
  }
  cases.push({ name: 'a run that diverges (rate 1e6, linear): infinities and NaN alike', spec: { ...spec([6, 8, 4], ['linear', 'linear'], { kind: 'batch' }, 10), rate: 1e6 }, epochs: 12, diverges: true });

  for (const c of cases) {
    it(`training: ${c.name}`, () => {
      const js = new DenseTrainer({ ...c.spec, kernels: 'js' });
      const wasm = new DenseTrainer({ ...c.spec, kernels: 'wasm' });
      assert.strictEqual(js.kernels, 'js');
      assert.strictEqual(wasm.kernels, 'wasm');
      for (let e = 0; e < c.epochs; e++) {
        const [lj, lw] = [js.epoch(), wasm.epoch()];
        assert.ok(Object.is(lj, lw), `epoch ${e + 1} loss: ${lj} vs ${lw}`);
        assert.strictEqual(firstDifference(js.params, wasm.params), undefined, `epoch ${e + 1}: ${firstDifference(js.params, wasm.params)}`);
        assert.strictEqual(firstDifference(js.state.v, wasm.state.v), undefined, `epoch ${e + 1}: optimizer state v`);
        assert.strictEqual(firstDifference(js.state.m, wasm.state.m), undefined, `epoch ${e + 1}: optimizer state m`);
        assert.strictEqual(js.state.t, wasm.state.t);
      }
      if (c.diverges) assert.ok(js.params.some((p) => !Number.isFinite(p)), 'the run was meant to diverge');
      const [gj, gw] = [js.gradient(0, js.sampleCount), wasm.gradient(0, wasm.sampleCount)];
      assert.ok(Object.is(gj, gw));
      assert.strictEqual(firstDifference(js.grad, wasm.grad), undefined, 'gradient');
      const [dj, dw] = [js.detail(js.sampleCount - 1, js.sampleCount), wasm.detail(wasm.sampleCount - 1, wasm.sampleCount)];
      for (const key of ['net', 'out', 'dE_dout', 'dE_dnet'] as const) {
        dj[key].forEach((row, l) => assert.strictEqual(firstDifference(row, dw[key][l]), undefined, `detail ${key}[${l}]`));
      }
    });
  }
});
