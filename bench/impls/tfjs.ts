/**
 * @tensorflow/tfjs 4.22 (float32) on its `cpu` and `wasm` backends, driven through the core API:
 * variables, a hand-written loss in the workload's convention and `tf.train.sgd(rate).minimize` per
 * batch. That is the leanest loop tfjs offers (model.fit adds callbacks and per-batch bookkeeping),
 * so the ratios against it are the conservative ones. Batches are made into tensors before timing.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { lossScale } from '../reference';
import { sampleCount, type Workload } from '../workloads';
import type { Implementation } from './types';

const require = createRequire(import.meta.url);
type TF = typeof import('@tensorflow/tfjs');
interface Loaded { tf: TF; wasmInfo: string; wasmError?: string }
let tfPromise: Promise<Loaded> | undefined;

/**
 * Loads tfjs and registers the wasm backend with the .wasm files shipped in its package. A wasm
 * backend that does not start is reported on its own rows and leaves the cpu backend running.
 */
function loadTf(): Promise<Loaded> {
  tfPromise ??= (async () => {
    const tf = require('@tensorflow/tfjs') as TF;
    // Production mode drops tfjs's correctness checks in favour of speed (the fair setting for a
    // benchmark) and its console advice to install tfjs-node, which is not a peer here.
    tf.enableProdMode();
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
      wasm.setWasmPaths(dist);
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      return { tf, wasmInfo: `SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off (tfjs 4.22 disables wasm threads under Node)'}` };
    } catch (e) {
      const wasmError = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return { tf, wasmInfo: `did not start: ${wasmError}`, wasmError };
    }
  })();
  return tfPromise;
}

export async function tfjsInfo(): Promise<string> {
  try {
    return (await loadTf()).wasmInfo;
  } catch (e) {
    return `tfjs did not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

export function tfjsImplementation(backend: 'cpu' | 'wasm'): Implementation {
  return {
    name: `tfjs-${backend}`,
    precision: 'float32',
    unsupported: () => null,
    async prepare(w: Workload) {
      const { tf, wasmError } = await loadTf();
      if (backend === 'wasm' && wasmError) throw new Error(`wasm backend did not start: ${wasmError}`);
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
      const { sizes } = w;
      const L = sizes.length - 1;
      const n = sampleCount(w);

      // Engine layout W[j * nIn + i] is tfjs's kernel [i][j] (x · W), so kernels are transposes.
      const kernels: Float32Array[] = [];
      const biases: Float32Array[] = [];
      let o = 0;
      for (let l = 1; l <= L; l++) {
        const k = new Float32Array(sizes[l - 1] * sizes[l]);
        for (let j = 0; j < sizes[l]; j++) for (let i = 0; i < sizes[l - 1]; i++) k[i * sizes[l] + j] = w.params[o + j * sizes[l - 1] + i];
        o += sizes[l - 1] * sizes[l];
        kernels.push(k);
        biases.push(Float32Array.from(w.params.subarray(o, o + sizes[l])));
        o += sizes[l];
      }
      const Ws = kernels.map((k, l) => tf.variable(tf.tensor2d(k, [sizes[l], sizes[l + 1]])));
      const bs = biases.map((b) => tf.variable(tf.tensor1d(b)));
      const vars = [...Ws, ...bs];

      const batch = w.mode.kind === 'batch' ? n : w.mode.kind === 'sample' ? 1 : w.mode.size;
      const batches: { x: import('@tensorflow/tfjs').Tensor2D; y: import('@tensorflow/tfjs').Tensor2D; scale: number }[] = [];
      for (let s = 0; s < n; s += batch) {
        const m = Math.min(batch, n - s);
        batches.push({
          x: tf.tensor2d(Float32Array.from(w.inputs.subarray(s * sizes[0], (s + m) * sizes[0])), [m, sizes[0]]),
          y: tf.tensor2d(Float32Array.from(w.targets.subarray(s * sizes[L], (s + m) * sizes[L])), [m, sizes[L]]),
          scale: lossScale(w.loss, m).value,
        });
      }
      const activate = (a: Workload['activations'][number], z: import('@tensorflow/tfjs').Tensor2D) => {
        switch (a) {
          case 'sigmoid': return tf.sigmoid(z);
          case 'tanh': return tf.tanh(z);
          case 'relu': return tf.relu(z);
          case 'leaky-relu': return tf.leakyRelu(z, 0.01);
          case 'linear': return z;
          default: throw new Error(`no ${a} in the benchmark's workloads`);
        }
      };
      const optimizer = tf.train.sgd(w.rate);
      const lossOf = (bt: (typeof batches)[number]) => () => {
        let h = bt.x;
        for (let l = 0; l < L; l++) h = activate(w.activations[l], tf.add(tf.matMul(h, Ws[l]), bs[l]));
        return tf.mul(tf.sum(tf.square(tf.sub(h, bt.y))), bt.scale) as import('@tensorflow/tfjs').Scalar;
      };
      const steps = batches.map(lossOf);
      let updates = 0;
      return {
        reset: () => {
          tf.tidy(() => {
            Ws.forEach((v, l) => v.assign(tf.tensor2d(kernels[l], [sizes[l], sizes[l + 1]])));
            bs.forEach((v, l) => v.assign(tf.tensor1d(biases[l])));
          });
        },
        run: (epochs) => {
          updates = 0;
          for (let e = 0; e < epochs; e++) for (const f of steps) { optimizer.minimize(f, false, vars); updates++; }
          // cpu and wasm compute synchronously; reading one value back makes that explicit.
          Ws[0].dataSync();
        },
        params: () => {
          const out = new Float64Array(w.params.length);
          let p = 0;
          for (let l = 1; l <= L; l++) {
            const k = Ws[l - 1].dataSync();
            for (let j = 0; j < sizes[l]; j++) for (let i = 0; i < sizes[l - 1]; i++) out[p + j * sizes[l - 1] + i] = k[i * sizes[l] + j];
            p += sizes[l - 1] * sizes[l];
            out.set(bs[l - 1].dataSync(), p);
            p += sizes[l];
          }
          return out;
        },
        updates: () => updates,
        dispose: () => {
          vars.forEach((v) => v.dispose());
          batches.forEach((b) => { b.x.dispose(); b.y.dispose(); });
          optimizer.dispose();
        },
      };
    },
  };
}
