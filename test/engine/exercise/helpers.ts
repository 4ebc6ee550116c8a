/** Shared by the exercise tests: the example template and notebooks made from text. */
import { join } from 'node:path';
import { readBpnb } from '../../../src/engine/file/bpnb';

export const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'exercise-template.bpnb');
export const ROSTER = join(__dirname, '..', '..', '..', 'examples', 'roster.csv');
export const doc = (text: string) => readBpnb(new TextEncoder().encode(text));
