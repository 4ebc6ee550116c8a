// Entry of the in-host suite. Imports are evaluated in order: setup first (globals), then the tests.
import { run } from './setup';
import './examples.test';
import './language.test';
import './kernel.test';
import './contributions.test';
import './codeActions.test';
import './teacher.test';
import './editor.test';

export { run };
