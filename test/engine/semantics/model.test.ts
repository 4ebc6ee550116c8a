import * as assert from 'assert';
import { buildNetwork } from '../../../src/engine/semantics/model';
import { parseCell } from '../../../src/engine/language/parser';
import { MAZUR_CELL } from '../fixtures';
import { Session } from '../../../src/engine/session';

function build(text: string) {
  const p = parseCell(text);
  assert.deepStrictEqual(p.errors, [], 'the test cell parses');
  return buildNetwork(text, p.statements);
}
const where = (text: string) => build(text).errors.map((e) => `${e.line}:${e.column} ${e.message}`);

describe('model', () => {
  it('maps the 2-2-2 network onto the flat layout, with b1 shared by h1 and h2', () => {
    const { model, errors } = build(MAZUR_CELL);
    assert.deepStrictEqual(errors, []);
    assert.ok(model);
    assert.strictEqual(model.paramCount, 10);
    assert.strictEqual(model.layout.paramCount, 12, 'a shared bias has one slot per neuron');
    // Layout: layer 1 weights row by row (target, then source), its bias slots, then layer 2.
    assert.deepStrictEqual(model.param('w1')!.slots, [0]);
    assert.deepStrictEqual(model.param('w2')!.slots, [1]); // i2 -> h1
    assert.deepStrictEqual(model.param('w3')!.slots, [2]); // i1 -> h2
    assert.deepStrictEqual(model.param('b1')!.slots, [4, 5]);
    assert.deepStrictEqual(model.param('w7')!.slots, [8]); // h1 -> o2
    assert.deepStrictEqual(Array.from(model.declared), [0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.6]);
    assert.deepStrictEqual(model.tied, [[4, 5], [10, 11]]);
  });

  it('lists every missing edge at its layer line', () => {
    const e = where('input i1 i2\nlayer h1 h2 sigmoid\nlayer o1 sigmoid\nw1 i1 -> h1 = 0.1\nw2 i2 -> h1 = 0.2\nw3 i1 -> h2 = 0.3\n');
    assert.deepStrictEqual(e, [
      "2:1 missing weight for 1 edge into this layer: i2 -> h2 — write 'NAME FROM -> TO = NUMBER' for each, or add 'init xavier' to fill them",
      "3:1 missing weights for 2 edges into this layer: h1 -> o1, h2 -> o1 — write 'NAME FROM -> TO = NUMBER' for each, or add 'init xavier' to fill them",
    ]);
  });

  it('cuts a long list of missing edges short and says how many more', () => {
    const e = build('input x[10]\nlayer h[10] sigmoid\n').errors;
    assert.strictEqual(e.length, 1);
    assert.match(e[0].message, /missing weights for 100 edges into this layer: x1 -> h1, .*… \(88 more\)/);
  });

  it('reports unknown neurons with the nearest declared name', () => {
    assert.deepStrictEqual(where('input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h2 = 0.1\nw2 i3 -> h1 = 0.2\n'), [
      "3:10 unknown neuron 'h2' — did you mean 'h1'?",
      "4:4 unknown neuron 'i3' — did you mean 'i1'?",
    ]);
  });

  it('reports duplicate names and edges', () => {
    assert.deepStrictEqual(where('input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h1 = 0.1\nw1 i2 -> h1 = 0.2\n'), ["4:1 duplicate name 'w1': already declared on line 3"]);
    assert.deepStrictEqual(where('input i1 i2\nlayer i1 sigmoid\n'), ["2:7 duplicate name 'i1': already declared on line 1"]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nw1 a -> b = 1\nw2 a -> b = 2\n'), ["4:1 the edge a -> b already has the weight 'w1' (line 3)"]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nb a -> b = 1\n'), ["3:1 duplicate name 'b': already declared on line 2"]);
  });

  it('reports edges that skip a layer, biases on inputs and doubled biases', () => {
    assert.deepStrictEqual(where('input a\nlayer b linear\nlayer c linear\nw a -> c = 1\nv b -> c = 1\n'), [
      '4:3 a -> c is not an edge: weights connect a layer to the next one (a is in the input layer, c in layer 2)',
    ]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nw a -> b = 1\nbias c -> a = 1\nbias d -> b = 1\nbias e -> b = 2\n'), [
      '4:11 a is an input; inputs take no bias',
      "6:11 b already has the bias 'd' (line 5); a neuron has at most one bias",
    ]);
  });

  it('init fills unnamed weights deterministically and names them w_FROM_TO', () => {
    const text = 'input x1 x2\nlayer h1 relu\nlayer y linear\nmine x1 -> h1 = 7\ninit uniform -1 1 seed 5\n';
    const a = build(text).model!;
    const b = build(text.replace('mine x1 -> h1 = 7\n', '')).model!;
    assert.strictEqual(a.declared[a.param('mine')!.slots[0]], 7);
    assert.strictEqual(a.param('w_x1_h1'), undefined, 'a named edge has no generated name');
    const g = a.param('w_x2_h1')!;
    assert.ok(g.generated);
    // Naming one edge does not move the others' random values.
    assert.strictEqual(a.declared[g.slots[0]], b.declared[b.param('w_x2_h1')!.slots[0]]);
    for (const v of b.declared) assert.ok(v >= -1 && v < 1);
    assert.deepStrictEqual(a.listParams(10).map((p) => p.name), ['mine', 'w_x2_h1', 'w_h1_y']);
  });

  it('refuses a declared name that init would generate for another edge', () => {
    const e = where('input a b\nlayer c linear\nw_b_c a -> c = 1\ninit xavier\n');
    assert.strictEqual(e.length, 1);
    assert.match(e[0], /^3:1 'w_b_c' is the name init generates for the edge b -> c/);
  });

  it('refuses networks beyond the parameter limit', () => {
    const e = build('input x[3000]\nlayer h[3000] sigmoid\ninit xavier\n').errors;
    assert.strictEqual(e.length, 1);
    assert.match(e[0].message, /9,000,000 weights; the limit is 5,000,000/);
  });

  it('suggests generated init names for a misspelt one, and counts "1 parameter" right', () => {
    const s = new Session();
    assert.deepStrictEqual(s.runSync('input x1 x2\nlayer h1 h2 relu\nlayer y linear\ninit xavier seed 2\nsample x1=1 x2=2 -> y=3').errors, []);
    const r = s.runSync('check\n  dE/dw_x1_h3 = 0.1');
    assert.strictEqual(r.errors.length, 1);
    assert.match(r.errors[0].message, /unknown parameter 'w_x1_h3' — did you mean 'w_x1_h[12]'\?/);
    const one = build('input a\nlayer b linear\nw a -> b = 1').model!;
    assert.strictEqual(one.describe(), 'a 1-1 network (linear), 1 parameter');
  });
});
