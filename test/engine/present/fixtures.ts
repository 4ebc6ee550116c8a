/**
 * Traces written by hand for the formatter tests, with numbers worked out on paper:
 * - the ReLU chain of the notes (x = 3, y = 2, w1 = 0.5, w2 = 0.8, η = 0.1, J = (y − ŷ)²/2N):
 *   ŷ = 1.2, J = 0.32, dJ/dŷ = −0.8, dJ/dw2 = −0.8 · 1 · 1.5 = −1.2, dJ/dw1 = (−0.8 · 1 · 0.8) · 1 · 3 = −1.92,
 *   new weights 0.692 and 0.92, then ŷ = 0.92 · 2.076 = 1.90992 and J = 0.09008²/2 = 0.0040572032;
 * - a one-weight linear net y = w·x, w = 1, samples (1 → 2) and (2 → 3), half-sse, η = 0.1: outputs 1 and 2,
 *   E = 0.5 + 0.5 = 1, per-sample ∂E/∂w = −1·1 and −1·2, sum −3, new w = 1.3.
 */
import type {
  CheckTrace, GradcheckTrace, MessageTrace, NetworkInfo, StepTrace, TraceLimits, TrainTrace,
} from '../../../src/engine/trace/schema';
import { TRACE_VERSION } from '../../../src/engine/trace/schema';

const limits: TraceLimits = { truncated: false, samplesShown: 1, paramsShown: 2, maxNeuronsPerLayer: 100, notes: [] };

export const reluNetwork: NetworkInfo = {
  layers: [
    { index: 0, activation: null, size: 1, neurons: ['x'] },
    { index: 1, activation: 'relu', size: 1, neurons: ['h'] },
    { index: 2, activation: 'relu', size: 1, neurons: ['y'] },
  ],
  params: [
    { name: 'w1', kind: 'weight', from: 'x', to: ['h'], layer: 1, value: 0.5, frozen: false, generated: false },
    { name: 'w2', kind: 'weight', from: 'h', to: ['y'], layer: 2, value: 0.8, frozen: false, generated: false },
  ],
  paramCount: 2,
  loss: 'half-mse',
  rate: 0.1,
  mode: { kind: 'batch' },
  sampleCount: 1,
  optimizer: { name: 'sgd' },
  decay: 0,
};

const reluForward = [{ sample: 1, input: [3], target: [2], layers: [{ net: [3], out: [3] }, { net: [1.5], out: [1.5] }, { net: [1.2], out: [1.2] }] }];
const reluLoss = { name: 'half-mse' as const, scale: 0.5, batchSize: 1, terms: [{ sample: 1, neuron: 'y', target: 2, out: 1.2, value: 0.32 }], total: 0.32 };

export const reluStep: StepTrace = {
  version: TRACE_VERSION, kind: 'step', digits: 6, line: 1, network: reluNetwork, limits, epoch: 1,
  updates: [{
    samples: [1],
    forward: reluForward,
    loss: reluLoss,
    neurons: [
      { sample: 1, neuron: 'y', layer: 2, net: 1.2, out: 1.2, dE_dout: -0.8, dout_dnet: 1, dE_dnet: -0.8, lossDerivative: { target: 2, out: 1.2, scale: 0.5 } },
      { sample: 1, neuron: 'h', layer: 1, net: 1.5, out: 1.5, dE_dout: -0.64, dout_dnet: 1, dE_dnet: -0.64, downstream: [{ neuron: 'y', dE_dout: -0.8, dout_dnet: 1, weight: 'w2', w: 0.8, product: -0.64 }] },
    ],
    grads: [
      { name: 'w1', grad: -1.92, perSample: [{ sample: 1, value: -1.92, paths: [{ neuron: 'h', dE_dout: -0.64, dout_dnet: 1, dnet_dparam: 3, product: -1.92 }] }] },
      { name: 'w2', grad: -1.2, perSample: [{ sample: 1, value: -1.2, paths: [{ neuron: 'y', dE_dout: -0.8, dout_dnet: 1, dnet_dparam: 1.5, product: -1.2 }] }] },
    ],
    updates: [
      { name: 'w1', old: 0.5, grad: -1.92, step: -0.192, new: 0.692, frozen: false },
      { name: 'w2', old: 0.8, grad: -1.2, step: -0.12, new: 0.92, frozen: false },
    ],
    t: 1,
  }],
  lossAfter: 0.0040572032,
};

const linearNetwork: NetworkInfo = {
  layers: [
    { index: 0, activation: null, size: 1, neurons: ['x'] },
    { index: 1, activation: 'linear', size: 1, neurons: ['y'] },
  ],
  params: [{ name: 'w', kind: 'weight', from: 'x', to: ['y'], layer: 1, value: 1, frozen: false, generated: false }],
  paramCount: 1, loss: 'half-sse', rate: 0.1, mode: { kind: 'batch' }, sampleCount: 2, optimizer: { name: 'sgd' }, decay: 0,
};

export const batchStep: StepTrace = {
  version: TRACE_VERSION, kind: 'step', digits: 6, line: 1, network: linearNetwork, limits: { ...limits, samplesShown: 2, paramsShown: 1 }, epoch: 1,
  updates: [{
    samples: [1, 2],
    forward: [
      { sample: 1, input: [1], target: [2], layers: [{ net: [1], out: [1] }, { net: [1], out: [1] }] },
      { sample: 2, input: [2], target: [3], layers: [{ net: [2], out: [2] }, { net: [2], out: [2] }] },
    ],
    loss: { name: 'half-sse', scale: 0.5, batchSize: 2, terms: [
      { sample: 1, neuron: 'y', target: 2, out: 1, value: 0.5 },
      { sample: 2, neuron: 'y', target: 3, out: 2, value: 0.5 },
    ], total: 1 },
    neurons: [
      { sample: 1, neuron: 'y', layer: 1, net: 1, out: 1, dE_dout: -1, dout_dnet: 1, dE_dnet: -1, lossDerivative: { target: 2, out: 1, scale: 0.5 } },
      { sample: 2, neuron: 'y', layer: 1, net: 2, out: 2, dE_dout: -1, dout_dnet: 1, dE_dnet: -1, lossDerivative: { target: 3, out: 2, scale: 0.5 } },
    ],
    grads: [{ name: 'w', grad: -3, perSample: [
      { sample: 1, value: -1, paths: [{ neuron: 'y', dE_dout: -1, dout_dnet: 1, dnet_dparam: 1, product: -1 }] },
      { sample: 2, value: -2, paths: [{ neuron: 'y', dE_dout: -1, dout_dnet: 1, dnet_dparam: 2, product: -2 }] },
    ] }],
    updates: [{ name: 'w', old: 1, grad: -3, step: -0.3, new: 1.3, frozen: false }],
    t: 1,
  }],
  // (2 − 1.3)²/2 + (3 − 2.6)²/2 = 0.245 + 0.08
  lossAfter: 0.325,
};

export const reluCheck: CheckTrace = {
  version: TRACE_VERSION, kind: 'check', digits: 6, line: 1, network: reluNetwork, limits, passed: 1, failed: 1,
  lines: [
    { line: 2, quantity: 'E', writtenText: '0,32', written: 0.32, exact: 0.32, tolerance: 0.005, ok: true },
    {
      line: 3, quantity: 'dE/dw1', writtenText: '-1.6', written: -1.6, exact: -1.92, tolerance: 0.05, ok: false,
      factors: [
        { label: '∂E/∂out(h)', quantity: 'dE/dout(h)', exact: -0.64, suspect: false },
        { label: '∂out(h)/∂net(h)', quantity: 'dout(h)/dnet(h)', exact: 1, suspect: false },
        { label: '∂net(h)/∂w1', quantity: 'dnet(h)/dw1', exact: 3, written: 2.5, ok: false, suspect: true },
      ],
      diagnosis: 'factor ∂net(h)/∂w1 is x = 3, not 2.5',
    },
  ],
};

export const reluGradcheck: GradcheckTrace = {
  version: TRACE_VERSION, kind: 'gradcheck', digits: 6, line: 1, network: reluNetwork, limits, epsilon: 1e-6,
  rows: [
    { name: 'w1', analytic: -1.92, numeric: -1.9200000001, relativeError: 5.2e-11, ok: true },
    { name: 'w2', analytic: -1.2, numeric: -1.2000000002, relativeError: 1.7e-10, ok: true },
  ],
  maxRelativeError: 1.7e-10, ok: true,
};

export const reluTrain: TrainTrace = {
  version: TRACE_VERSION, kind: 'train', digits: 6, line: 1, network: reluNetwork, limits,
  epochsRequested: 2, epochsRun: 2, epoch: 2,
  lossCurve: [0.32, 0.0040572032, 0.001], lossEpochs: [0, 1, 2],
  final: [{ name: 'w1', value: 0.7, before: 0.5 }, { name: 'w2', value: 0.95, before: 0.8 }],
  forward: [{ sample: 1, input: [3], target: [2], layers: [{ net: [3], out: [3] }, { net: [2.1], out: [2.1] }, { net: [1.995], out: [1.995] }] }],
  loss: { ...reluLoss, terms: [{ sample: 1, neuron: 'y', target: 2, out: 1.995, value: 0.0000125 }], total: 0.0000125 },
  snapshots: [],
};

export function message(text: string): MessageTrace {
  return { version: TRACE_VERSION, kind: 'message', digits: 6, line: 1, network: reluNetwork, limits, text };
}
