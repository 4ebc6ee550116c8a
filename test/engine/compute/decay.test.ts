// Σ w² has one order of additions (compute/decay.ts): each weight row as `dot(row, row)`, the rows in
// order, the layers in order. The JavaScript sum, the WebAssembly kernels (with and without the
// gradient's λ·w) and the fused per-sample step must all give that very number. The weights are of
// like magnitude with full random mantissas, so that adding in another order rounds differently.
import * as assert from 'assert';
import { addDecay, decayInHeap, weightSquares } from '../../../src/engine/compute/decay';
import { computeLayout, type Layout } from '../../../src/engine/compute/layout';
import type { DenseSpec } from '../../../src/engine/compute/trainer';
import { wasmKernels, wasmMemory } from '../../../src/engine/compute/wasm/kernels';
import { prng } from '../../../src/engine/math/init';
import { assertFusedIsGeneral } from './fused';

/** The order written out: per row, even and odd partial sums (the odd last weight into the even one). */
function reference(params: Float64Array, layout: Layout): number {
  let total = 0;
  for (let l = 1; l < layout.sizes.length; l++) {
    const nIn = layout.sizes[l - 1];
    let layer = 0;
    for (let j = 0; j < layout.sizes[l]; j++) {
      const row = params.subarray(layout.weightOffset[l] + j * nIn, layout.weightOffset[l] + (j + 1) * nIn);
      let even = 0, odd = 0;
      for (let i = 0; i + 1 < nIn; i += 2) { even += row[i] * row[i]; odd += row[i + 1] * row[i + 1]; }
      if (nIn % 2 === 1) even += row[nIn - 1] * row[nIn - 1];
      layer += even + odd;
    }
    total += layer;
  }
  return total;
}

/** Left to right over all the weights: another order, for the test's own check that orders show. */
function naive(params: Float64Array, layout: Layout): number {
  let s = 0;
  for (let l = 1; l < layout.sizes.length; l++) {
    for (let i = 0; i < layout.sizes[l] * layout.sizes[l - 1]; i++) s += params[layout.weightOffset[l] + i] ** 2;
  }
  return s;
}

const r = prng(11);
/** A weight in (−1, 1). */
const weight = () => 2 * r() - 1;
const SHAPES = [[5, 7, 3], [9, 6, 5, 2], [1, 1], [2, 13, 4], [8, 9]];

describe('decay: Σ w² in one order', () => {
  for (const sizes of SHAPES) {
    it(`${sizes.join('-')}: JavaScript, the WebAssembly kernels and addDecay give the written-out order, bitwise (200 draws)`, () => {
      const layout = computeLayout(sizes);
      const memory = wasmMemory(layout.paramCount * 16 + 64)!;
      const k = wasmKernels(memory)!;
      const H = new Float64Array(memory.buffer, 0, layout.paramCount * 2 + 2);
      const params = H.subarray(0, layout.paramCount);
      // λ = 2: (λ/2)·Σ w² is Σ w² itself, so that no rounding of the product hides a different sum.
      const lambda = 2, g = layout.paramCount, acc = 2 * layout.paramCount;
      let reordered = 0;
      // One draw in five or so tells two orders apart, so many draws.
      for (let draw = 0; draw < 200; draw++) {
        for (let i = 0; i < layout.paramCount; i++) H[i] = weight();
        const expected = reference(params, layout);
        if (!Object.is(naive(params, layout), expected)) reordered++;
        assert.ok(Object.is(weightSquares(params, layout), expected), `draw ${draw}: weightSquares`);
        assert.ok(Object.is(decayInHeap(k, H, acc, layout, lambda), expected), `draw ${draw}: the squares kernel`);
        const grad = Float64Array.from({ length: layout.paramCount }, () => r() - 0.5);
        H.set(grad, g);
        assert.ok(Object.is(decayInHeap(k, H, acc, layout, lambda, g), expected), `draw ${draw}: the decay kernel`);
        assert.ok(Object.is(addDecay(grad, params, layout, lambda), expected), `draw ${draw}: addDecay`);
        grad.forEach((x, i) => assert.ok(Object.is(x, H[g + i]), `draw ${draw}, gradient ${i}: ${x} vs ${H[g + i]}`));
      }
      if (layout.paramCount > 20) assert.ok(reordered > 0, 'the data should tell the orders apart');
    });
  }

  for (const optimizer of [undefined, { name: 'momentum', beta: 0.9 }, { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }] as DenseSpec['optimizer'][]) {
    for (const kernels of ['js', 'wasm'] as const) {
      it(`the fused per-sample step (${optimizer?.name ?? 'sgd'}, ${kernels}) reports the same decay as the general update`, () => {
        const sizes = [9, 6, 5, 3];
        const layout = computeLayout(sizes);
        const spec: DenseSpec = {
          sizes, activations: ['tanh', 'tanh', 'sigmoid'], loss: 'half-sse', rate: 1e-9, mode: { kind: 'sample' }, decay: 2,
          inputs: Float64Array.from({ length: 9 * 8 }, () => r() - 0.5), targets: Float64Array.from({ length: 3 * 8 }, () => r()),
          params: Float64Array.from({ length: layout.paramCount }, () => weight()), optimizer, kernels,
        };
        assertFusedIsGeneral(spec, 3);
      });
    }
  }
});
