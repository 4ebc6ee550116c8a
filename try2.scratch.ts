import { readFileSync } from 'node:fs';
import { readBpnb } from './src/engine/file/bpnb';
import { makeExercise } from './src/engine/exercise/make';
(async () => {
  const doc = readBpnb(readFileSync('/work/wt/i13/examples/exercise-template.bpnb'));
  const r = await makeExercise(doc, ['s01'], 1);
  console.log(new TextDecoder().decode(r.files![2].bytes));
})();
