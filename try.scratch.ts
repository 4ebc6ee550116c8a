import { readFileSync } from 'node:fs';
import { readBpnb } from './src/engine/file/bpnb';
import { makeExercise } from './src/engine/exercise/make';
import { readRoster } from './src/engine/exercise/roster';
import { describeProblem } from './src/engine/exercise/problems';
(async () => {
  const doc = readBpnb(readFileSync('/work/wt/i13/examples/exercise-template.bpnb'));
  const { ids, errors } = readRoster(readFileSync('/work/wt/i13/examples/roster.csv', 'utf8'));
  console.log(ids, errors);
  const t0 = Date.now();
  const r = await makeExercise(doc, ids, 1);
  console.log('ms', Date.now() - t0);
  for (const p of r.problems) console.log(describeProblem('T', p, doc.cells));
  for (const f of r.files ?? []) { if (f.path.startsWith('s01')|| f.path === 'key/s01.bpnb') console.log('== ' + f.path + '\n' + new TextDecoder().decode(f.bytes)); }
})();
