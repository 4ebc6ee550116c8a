import * as assert from 'assert';
import { TEXT_WIDTH, traceToText, tracesToText, wrapLine } from '../../../src/engine/present/text';
import { Session } from '../../../src/engine/session';
import { MAZUR_CELL } from '../fixtures';
import { batchStep, message, reluCheck, reluGradcheck, reluNetwork, reluStep, reluTrain } from './fixtures';

/** Collapse the aligned continuation lines of a chain into one line: "a = b\n   = c" → "a = b = c". */
const flat = (s: string) => s.replace(/\n\s+= /g, ' = ');

describe('text format', () => {
  const text = traceToText(reluStep);

  it('writes every net input out with the weights and inputs', () => {
    assert.match(text, /net_h = w1 · x = 0\.5 × 3 = 1\.5/);
    assert.match(text, /net_y = w2 · out_h = 0\.8 × 1\.5 = 1\.2/);
    assert.match(text, /out_y = relu\(net_y\) = max\(0, 1\.2\) = 1\.2/);
  });

  it('shows the loss term in its convention and E', () => {
    assert.match(text, /½ · \(t_y − out_y\)² = ½ · \(2 − 1\.2\)² = 0\.32/);
    assert.match(text, /E = 0\.32/);
  });

  it('derives a hidden neuron\'s ∂E/∂out once, from the δ of the neurons it feeds, and drops factors of 1', () => {
    // By hand: ∂E/∂out_y = 1.2 − 2 = −0.8, relu'(1.2) = 1, so δ_y = −0.8; ∂E/∂out_h = δ_y · w2 = −0.64.
    assert.ok(flat(text).includes('∂E/∂out_h = δ_y · w2 = -0.8 × 0.8 = -0.64'), text);
    assert.ok(flat(text).includes('δ_y = ∂E/∂net_y = -0.8'), text);
    // The weight's chain refers to ∂E/∂out_h instead of writing the sum again; relu'(1.5) = 1 is left out.
    assert.ok(flat(text).includes('∂E/∂w1 = ∂E/∂out_h · ∂out_h/∂net_h · ∂net_h/∂w1 = -0.64 × 3 = -1.92'), text);
    assert.ok(flat(text).includes('∂E/∂w2 = ∂E/∂out_y · ∂out_y/∂net_y · ∂net_y/∂w2 = -0.8 × 1.5 = -1.2'));
  });

  it('lists the update: old, gradient, η·gradient, new', () => {
    const row = text.split('\n').find((l) => l.startsWith('w1 '))!;
    assert.deepStrictEqual(row.split(/\s{2,}/), ['w1', '0.5', '-1.92', '-0.192', '0.5 − (-0.192) = 0.692']);
    assert.match(text, /E = 0\.0040572\b/);
  });

  it('writes an update\'s forward pass at the weights that update starts from', () => {
    // As in a `train … every K` snapshot or the second update of `mode sample`: the network's
    // declared values differ from the weights the update starts with.
    const moved = { ...reluStep, network: { ...reluNetwork, params: reluNetwork.params.map((p) => ({ ...p, value: 9 })) } };
    assert.match(traceToText(moved), /net_h = w1 · x = 0\.5 × 3 = 1\.5/);
  });

  it('gives each sample its contribution to a batch gradient and the sum', () => {
    const t = flat(traceToText(batchStep));
    assert.ok(t.includes('∂E[1]/∂w = ∂E[1]/∂out_y · ∂out_y/∂net_y · ∂net_y/∂w = -1'), t);
    assert.ok(t.includes('∂E[2]/∂w = ∂E[2]/∂out_y · ∂out_y/∂net_y · ∂net_y/∂w = -1 × 2 = -2'));
    assert.ok(t.includes('∂E/∂w = ∂E[1]/∂w + ∂E[2]/∂w = -1 + (-2) = -3'));
    assert.match(t, /E = 0\.5 \+ 0\.5 = 1/);
  });

  it('shows the significant digits the trace asks for', () => {
    const t = traceToText({ ...reluStep, digits: 2, lossAfter: 0.0040572032 });
    assert.match(t, /After the step: E = 0\.0041$/m);
  });

  it('marks check lines ✓/✗ and shows the factors of a wrong gradient with the suspect', () => {
    const t = traceToText(reluCheck);
    assert.match(t, /^2\s+E\s+0,32\s+0\.32\s+± 0\.005\s+✓$/m);
    assert.match(t, /^3\s+dE\/dw1\s+-1\.6\s+-1\.92\s+± 0\.05\s+✗$/m);
    assert.match(t, /∂net\(h\)\/∂w1\s+3\s+2\.5 ✗\s+← likely slip/);
    assert.match(t, /^✗ Line 3: dE\/dw1 = -1\.6, the exact value is -1\.92\.$/m);
    assert.match(t, /^Factor ∂net\(h\)\/∂w1 is x = 3, not 2\.5\.$/m);
    assert.match(t, /1 of 2 checks failed/);
  });

  it('starts a diagnosis with a capital, but leaves a quantity\'s name as it is written', () => {
    const named = (diagnosis: string) => traceToText({ ...reluCheck, lines: [reluCheck.lines[0], { ...reluCheck.lines[1], diagnosis }] });
    assert.match(named('net(h) uses w2 = 0.8 for x -> h instead of w1 = 0.5'), /^net\(h\) uses w2 = 0\.8 for x -> h instead of w1 = 0\.5\.$/m);
    assert.match(named('dnet(h)/dw1 is x = 3, not 2.5'), /^dnet\(h\)\/dw1 is x = 3, not 2\.5\.$/m);
    assert.match(named('uses the rate 0.05 instead of η = 0.5'), /^Uses the rate 0\.05 instead of η = 0\.5\.$/m);
  });

  it('prints gradcheck rows and a train summary with first and last loss and final weights', () => {
    assert.match(traceToText(reluGradcheck), /^w2\s+-1\.2\s+-1\.2\s+1\.7e-10\s+✓$/m);
    const t = traceToText(reluTrain);
    assert.match(t, /E = 0\.32 at the start, E = 0\.001 at the end/);
    assert.match(t, /^w2\s+0\.8\s+0\.95\s+0\.15$/m);
  });

  it('says what a truncated trace left out', () => {
    const t = traceToText({ ...reluStep, limits: { ...reluStep.limits, truncated: true, notes: ['only the first 20 of 2,000 samples are shown'] } });
    assert.match(t, /Not everything is shown: only the first 20 of 2,000 samples are shown/);
  });

  it('keeps control characters in user text away from the terminal', () => {
    const t = tracesToText([message('bad \u001b[31mred\u0007')]);
    assert.ok(!/[\u0000-\u0008\u001b]/.test(t));
    assert.match(t, /red/);
  });

  describe('in a terminal of 100 columns', () => {
    const session = new Session();
    session.runSync(MAZUR_CELL);
    const step = session.runSync('step').traces;
    const text = tracesToText(step);
    const lines = text.split('\n');

    it('keeps every line of the 2-2-2 step within 100 columns', () => {
      assert.strictEqual(TEXT_WIDTH, 100);
      const long = lines.filter((l) => [...l].length > 100);
      assert.deepStrictEqual(long, []);
    });

    it('stacks a table too wide for the terminal: the neuron, then each of its formulas on a line', () => {
      // Mazur's published values: out_h1 = 0.593269992 → net 0.3775, ∂E/∂out_h1 = 0.036350306.
      const h1 = lines.findIndex((l) => l.startsWith('h1 ') && l.includes('net_h1 = w1 · i1 + w2 · i2 + b1'));
      assert.ok(h1 >= 0, text);
      assert.match(lines[h1], /= 0\.15 × 0\.05 \+ 0\.2 × 0\.1 \+ 0\.35 = 0\.3775$/);
      assert.match(lines[h1 + 1], /^ +out_h1 = σ\(net_h1\) = 1\/\(1 \+ e\^\(−0\.3775\)\) = 0\.59327$/);
      const back = lines.findIndex((l) => /^h1 +∂E\/∂out_h1 = δ_o1 · w5 \+ δ_o2 · w7/.test(l));
      assert.ok(back >= 0, text);
      assert.match(lines[back], /= 0\.0363503$/);
    });

    it('breaks a long chain-rule line before the + of a sum rather than inside a product', () => {
      // The shared bias b1 has a path through h1 and one through h2: too long for 80 columns.
      const narrow = tracesToText(step, 80).split('\n');
      const i = narrow.findIndex((l) => l.includes('∂E/∂b1 = ∂E/∂out_h1 · ∂out_h1/∂net_h1 · ∂net_h1/∂b1'));
      assert.ok(i >= 0, narrow.join('\n'));
      assert.match(narrow[i], /∂net_h1\/∂b1$/);
      assert.match(narrow[i + 1], /^ +\+ ∂E\/∂out_h2 · ∂out_h2\/∂net_h2 · ∂net_h2\/∂b1$/);
    });

    it('keeps tables that fit as columns, and lays out for a wider terminal when asked', () => {
      assert.ok(lines.some((l) => /^Parameter +Old +∂E\/∂p/.test(l)));
      const wide = tracesToText(step, 250);
      assert.match(wide, /^Neuron +Net input +Output$/m);
      assert.match(wide, /^Neuron +∂E\/∂out +∂out\/∂net +δ = ∂E\/∂net$/m);
    });

    it('wraps the heading of a sample with many inputs', () => {
      const s = new Session();
      s.runSync(`input x[12]\nlayer y linear\ninit uniform -1 1\nsample ${Array.from({ length: 12 }, (_, i) => `x${i + 1}=0.${i + 1}`).join(' ')} -> y=1\nsample ${Array.from({ length: 12 }, (_, i) => `x${i + 1}=-0.${i + 1}`).join(' ')} -> y=2`);
      const t = tracesToText(s.runSync('forward').traces);
      assert.deepStrictEqual(t.split('\n').filter((l) => [...l].length > 100), []);
      assert.match(t, /^Sample 1: x1 = 0\.1, x2 = 0\.2, .*\n {2}.*x12 = 0\.12 → y = 1:$/m);
    });

    it('wraps prose at spaces and labels the cells of a stacked table that do not name themselves', () => {
      assert.deepStrictEqual(wrapLine('aaa bbb ccc ddd', 8, '  ', false), ['aaa bbb', '  ccc', '  ddd']);
      const check = traceToText({ ...reluCheck, lines: reluCheck.lines.map((l) => ({ ...l, quantity: `${l.quantity}${'x'.repeat(30)}`, writtenText: `${l.writtenText}${'0'.repeat(40)}` })) }, 80);
      assert.ok(check.split('\n').every((l) => [...l].length <= 80), check);
      assert.match(check, /^ +Exact +-1\.92$/m);
    });
  });
});

