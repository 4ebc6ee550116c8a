/**
 * Making an exercise (exercise/make.ts): the same inputs give the same bytes; each student's notebook
 * has their drawn numbers in place; the answer key's values are those of an independent computation
 * of the 2-2-2 network at the drawn weights (written out below, and checked by finite differences);
 * degenerate draws are drawn again.
 */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { readBpnb } from '../../../src/engine/file/bpnb';
import { parseNumber } from '../../../src/engine/language/numbers';
import { drawsFor } from '../../../src/engine/exercise/draw';
import { makeExercise, type OutputFile } from '../../../src/engine/exercise/make';
import { prepareExercise } from '../../../src/engine/exercise/prepare';
import { readTemplate } from '../../../src/engine/exercise/template';
import { runNotebook } from '../../../src/engine/notebook';
import { Session } from '../../../src/engine/session';
import { doc, EXAMPLE } from './helpers';

const ROSTER = ['s01', 's02', 's03', 's04', 's05'];
const example = () => readBpnb(readFileSync(EXAMPLE));
const text = (files: OutputFile[], path: string) => new TextDecoder().decode(files.find((f) => f.path === path)!.bytes);

async function filesOf(seed = 1, ids = ROSTER): Promise<OutputFile[]> {
  const { files, problems } = await makeExercise(example(), ids, seed);
  assert.deepStrictEqual(problems, []);
  return files!;
}

// ---- the 2-2-2 network, computed here on its own: sigmoid units, half-sse, one sample ----

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const INPUT = [0.05, 0.1];
const TARGET = [0.01, 0.99];
const B1 = 0.35;
const B2 = 0.6;

/** E for weights w1…w8 (w[0] … w[7]) as the template wires them. */
function loss(w: number[]): number {
  const h = [sigmoid(w[0] * INPUT[0] + w[1] * INPUT[1] + B1), sigmoid(w[2] * INPUT[0] + w[3] * INPUT[1] + B1)];
  const o = [sigmoid(w[4] * h[0] + w[5] * h[1] + B2), sigmoid(w[6] * h[0] + w[7] * h[1] + B2)];
  return 0.5 * ((TARGET[0] - o[0]) ** 2 + (TARGET[1] - o[1]) ** 2);
}

/** Every gradient by the chain rule, written out for this network. */
function gradients(w: number[]): number[] {
  const h = [sigmoid(w[0] * INPUT[0] + w[1] * INPUT[1] + B1), sigmoid(w[2] * INPUT[0] + w[3] * INPUT[1] + B1)];
  const o = [sigmoid(w[4] * h[0] + w[5] * h[1] + B2), sigmoid(w[6] * h[0] + w[7] * h[1] + B2)];
  const delta = [(o[0] - TARGET[0]) * o[0] * (1 - o[0]), (o[1] - TARGET[1]) * o[1] * (1 - o[1])];
  const hidden = [(delta[0] * w[4] + delta[1] * w[6]) * h[0] * (1 - h[0]), (delta[0] * w[5] + delta[1] * w[7]) * h[1] * (1 - h[1])];
  return [
    hidden[0] * INPUT[0], hidden[0] * INPUT[1], hidden[1] * INPUT[0], hidden[1] * INPUT[1],
    delta[0] * h[0], delta[0] * h[1], delta[1] * h[0], delta[1] * h[1],
  ];
}

/** The weights, rate and filled-in check lines of a key notebook. */
function readKey(key: string): { w: number[]; rate: number; answers: Map<string, { value: number; halfUnit: number }> } {
  const w = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => Number(new RegExp(`^w${i} +\\S+ -> \\S+ = (\\S+)$`, 'm').exec(key)![1]));
  const rate = Number(/^rate (\S+)$/m.exec(key)![1]);
  const answers = new Map([...key.matchAll(/^ {2}(\S+) += (\S+)/gm)].map((m) => [m[1], parseNumber(m[2])!]));
  return { w, rate, answers };
}

describe('exercises: making one', () => {
  it('gives the same bytes for the same template, roster and seed', async () => {
    const a = await filesOf();
    const b = await filesOf();
    assert.deepStrictEqual(a.map((f) => f.path), ROSTER.flatMap((id) => [`${id}.bpnb`, `key/${id}.bpnb`, `key/${id}.md`]));
    assert.deepStrictEqual(b, a);
    const other = await filesOf(2);
    assert.notDeepStrictEqual(other.map((f) => f.bytes), a.map((f) => f.bytes));
  });

  it('writes each student their drawn numbers in place of the vary lines, the blanks kept', async () => {
    const files = await filesOf();
    const students = ROSTER.map((id) => text(files, `${id}.bpnb`));
    const grid = new Set(Array.from({ length: 11 }, (_, i) => (0.1 + 0.05 * i).toFixed(2)));
    for (const s of students) {
      assert.doesNotMatch(s, /^vary/m);
      assert.strictEqual([...s.matchAll(/= \?/g)].length, 17);
      for (const m of s.matchAll(/^w\d +\S+ -> \S+ = (\S+)$/gm)) assert.ok(grid.has(m[1]), m[1]);
      assert.match(s, /^rate 0\.[1-9]$/m);
      // Everything but the drawn numbers is the template's.
      assert.strictEqual(s.replace(/^(w\d .* = |rate )\S+$/gm, '$1X'), readFileSync(EXAMPLE, 'utf8').replace(/^vary.*\n/gm, '').replace(/^(w\d .* = |rate )\S+$/gm, '$1X'));
    }
    assert.strictEqual(new Set(students).size, ROSTER.length);
  });

  it('fills the key with the exact values, as computed independently and by finite differences', async () => {
    const files = await filesOf();
    for (const id of ROSTER) {
      const { w, rate, answers } = readKey(text(files, `key/${id}.bpnb`));
      const g = gradients(w);
      const expected = new Map<string, number>([['E', loss(w)]]);
      g.forEach((x, i) => { expected.set(`dE/dw${i + 1}`, x); expected.set(`w${i + 1}'`, w[i] - rate * x); });
      assert.strictEqual(answers.size, 17);
      for (const [q, a] of answers) {
        const e = expected.get(q)!;
        // The key writes the notebook's 6 significant digits: the exact value is within half a unit of the last.
        assert.ok(Math.abs(a.value - e) <= a.halfUnit * (1 + 1e-9), `${id} ${q}: key ${a.value}, computed ${e}`);
      }
      for (let i = 0; i < 8; i++) {
        const h = 1e-5;
        const up = w.slice(); up[i] += h;
        const down = w.slice(); down[i] -= h;
        const numeric = (loss(up) - loss(down)) / (2 * h);
        assert.ok(Math.abs(numeric - g[i]) <= 1e-9, `${id} dE/dw${i + 1}: chain rule ${g[i]}, finite differences ${numeric}`);
      }
    }
  });

  it('the key runs with every check passed, and the worked solution shows the step', async () => {
    const files = await filesOf(1, ['s01']);
    const key = readBpnb(files[1].bytes);
    const runs = await runNotebook(key.cells, new Session());
    assert.ok(runs.every((r) => r.status === 'ok' || r.status === 'markdown'), JSON.stringify(runs.map((r) => r.status)));
    const md = text(files, 'key/s01.md');
    assert.match(md, /\*\*Worked solution\.\*\*/);
    assert.match(md, /## Step: epoch 1/);
    assert.match(md, /✓ All 17 checks passed\./);
  });

  it('writes a drawn rate where the notebook has no rate line, and drawn sample values in the sample line', async () => {
    const t = `%%\ninput x1 x2\nlayer y sigmoid\nw1 x1 -> y = 0.5\nw2 x2 -> y = 0.5\nsample x1=1 x2=2 -> y=0.5\nvary rate x1[1] y[1] from 0.2 to 0.8 step 0.2\n\n%%\ncheck\n  E = ?\n  w1' = ?\n`;
    const { files, problems } = await makeExercise(doc(t), ['a'], 1);
    assert.deepStrictEqual(problems, []);
    const s = text(files!, 'a.bpnb');
    const m = /^sample x1=(0\.\d) x2=2 -> y=(0\.\d)\nrate (0\.\d)\n\n%%/m.exec(s);
    assert.ok(m, s);
    const [x1, y, rate] = m.slice(1).map(Number);
    // By hand: out = σ(0.5·x1 + 0.5·2), E = ½(y − out)², ∂E/∂w1 = (out − y)·out(1 − out)·x1.
    const out = sigmoid(0.5 * x1 + 1);
    const { answers } = { answers: new Map([...text(files!, 'key/a.bpnb').matchAll(/^ {2}(\S+) += (\S+)/gm)].map((x) => [x[1], Number(x[2])])) };
    assert.ok(Math.abs(answers.get('E')! - 0.5 * (y - out) ** 2) <= 5e-6 * Math.abs(answers.get('E')!));
    assert.ok(Math.abs(answers.get("w1'")! - (0.5 - rate * (out - y) * out * (1 - out) * x1)) <= 5e-7);
  });
});

describe('exercises: degenerate draws are drawn again', () => {
  /** Each student's drawn texts, in the roster's order. */
  async function drawn(template: string, ids: string[]): Promise<string[][]> {
    const { prepared, problems } = await prepareExercise(doc(template), ids, 1);
    assert.deepStrictEqual(problems, []);
    return prepared!.variants.map((v) => v.texts);
  }
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
  /** What each student would get without the rule: their first draw. */
  const firstDraws = (template: string, roster: string[]) => roster.map((id) => drawsFor(1, id, readTemplate(doc(template)).template!.varied)());

  it('a relu unit exactly at 0: never drawn; the student who drew it first gets the next draw', async () => {
    // net(h) = 0.5·1 + b is exactly 0 for b = −0.5.
    const template = `%%\ninput x\nlayer h relu\nlayer y linear\nw1 x -> h = 0.5\nw2 h -> y = 1\nbias b -> h = 0\nsample x=1 -> y=0\nvary b from -0.5 to 0.5 step 0.5\nvary w2 from 0.1 to 1.0 step 0.1\n\n%%\ncheck\n  E = ?\n`;
    const roster = ids(12);
    const texts = await drawn(template, roster);
    assert.ok(texts.every(([b]) => b !== '-0.5'), JSON.stringify(texts));
    // The rule re-played: each student's draws in order, skipping b = −0.5 and numbers already given.
    const { template: t } = readTemplate(doc(template));
    const given = new Set<string>();
    let redrawn = 0;
    roster.forEach((id, k) => {
      const next = drawsFor(1, id, t!.varied);
      let d = next();
      if (d[0] === '-0.5') redrawn++;
      while (d[0] === '-0.5' || given.has(d.join())) d = next();
      given.add(d.join());
      assert.deepStrictEqual(texts[k], d, id);
    });
    assert.ok(redrawn > 0, 'some student drew b = −0.5 first');
  });

  it('a sigmoid output beyond 0.999: never drawn', async () => {
    // σ(w) > 0.999 from w = 7 on (σ(6.9) = 0.998993, σ(7) = 0.999089).
    const template = `%%\ninput x\nlayer y sigmoid\nw x -> y = 1\nsample x=1 -> y=0.5\nvary w from 1 to 10 step 1\n\n%%\ncheck\n  E = ?\n  dE/dw = ?\n`;
    const texts = await drawn(template, ids(5));
    assert.ok(texts.every(([w]) => Number(w) <= 6), JSON.stringify(texts));
    assert.ok(firstDraws(template, ids(5)).some(([w]) => Number(w) >= 7), 'some student drew w ≥ 7 first');
  });

  it('a gradient that rounds to 0 at the digits asked: never drawn', async () => {
    // Linear y = w·x with x = 1, t = 1, half-sse: ∂E/∂w = w − 1, zero for w = 1 (at `digits 2`, |g| < 0.005).
    const template = `%%\ninput x\nlayer y linear\nw x -> y = 1\nsample x=1 -> y=1\ndigits 2\nvary w from 0.8 to 1.2 step 0.1\n\n%%\ncheck\n  dE/dw = ?\n`;
    const texts = await drawn(template, ids(4));
    assert.ok(texts.every(([w]) => w !== '1.0'), JSON.stringify(texts));
    assert.ok(firstDraws(template, ids(4)).some(([w]) => w === '1.0'), 'some student drew w = 1.0 first');
  });

  it('two students\' numbers identical: never; when the ranges are too narrow for the roster, a clear error', async () => {
    const template = `%%\ninput x\nlayer y sigmoid\nw x -> y = 1\nsample x=1 -> y=0.5\nvary w from 0.1 to 0.2 step 0.1\n\n%%\ncheck\n  E = ?\n`;
    assert.deepStrictEqual((await drawn(template, ['a', 'b'])).map((t) => t[0]).sort(), ['0.1', '0.2']);
    const { problems } = await prepareExercise(doc(template), ['a', 'b', 'c'], 1);
    assert.deepStrictEqual(problems.map((p) => [p.code, p.cell, p.line, p.args.id, p.args.identical]), [['exercise-no-usable-draw', 0, 5, 'c', 100]]);
  });
});
