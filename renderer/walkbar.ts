/**
 * The step-through control of a `forward` or `step` output: ▶ plays the epoch one operation at a
 * time, ← and → (the buttons or the arrow keys) move by one, Home and End to the first and last,
 * Escape stops. The current operation is announced (`aria-live`) and its formula so far shown
 * typeset under the control. The steps come from present/walk.ts, computed when first asked for.
 */
import type { WalkStep } from '../src/engine/present/walk';
import { el } from './dom';
import type { Model } from './model';
import { chainBox } from './tex';
import { announce } from './update';

/** Time between two operations while playing. */
const PLAY_MS = 1400;

export interface WalkTarget {
  show(step: WalkStep): void;
  clear(): void;
}

export function walkBar(steps: () => WalkStep[], target: WalkTarget, model: Model): HTMLElement {
  let list: WalkStep[] | undefined;
  let at = -1;
  let timer: ReturnType<typeof setInterval> | undefined;
  const all = () => (list ??= steps());
  const button = (text: string, label: string) => el('button', { type: 'button', 'aria-label': label, title: label }, text);
  const play = button('▶', 'play the epoch one operation at a time');
  const prev = button('←', 'previous operation (←)');
  const next = button('→', 'next operation (→)');
  const stop = button('✕', 'stop the step-through (Escape)');
  const status = el('span', { class: 'bp-walk-status', 'aria-live': 'polite', role: 'status' }, 'Step through the epoch one operation at a time: ▶, or ← and →');
  const now = el('div', { class: 'bp-walk-now', 'aria-hidden': 'true' });
  const bar = el('div', { class: 'bp-walkbar', role: 'group', 'aria-label': 'step-through', tabindex: 0 }, el('div', { class: 'bp-walk-buttons' }, play, prev, next, stop, status), now);
  const sync = () => {
    prev.disabled = at <= 0;
    next.disabled = list !== undefined && at >= list.length - 1;
    stop.disabled = at < 0;
    play.textContent = timer ? '⏸' : '▶';
    play.setAttribute('aria-label', timer ? 'pause' : 'play the epoch one operation at a time');
  };
  const go = (k: number) => {
    const s = all();
    if (!s.length) return;
    at = Math.max(0, Math.min(s.length - 1, k));
    target.show(s[at]);
    status.textContent = announce(s[at], at, s.length);
    now.replaceChildren(chainBox(s[at].formula, model.keyOf, 'bp-formula'));
    if (at >= s.length - 1) pause();
    sync();
  };
  const pause = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    sync();
  };
  const end = () => {
    pause();
    at = -1;
    target.clear();
    now.replaceChildren();
    status.textContent = 'Step-through stopped.';
    sync();
  };
  play.addEventListener('click', () => {
    if (timer !== undefined) return pause();
    if (at >= all().length - 1) at = -1;
    go(at + 1);
    timer = setInterval(() => go(at + 1), PLAY_MS);
    sync();
  });
  prev.addEventListener('click', () => { pause(); go(at - 1); });
  next.addEventListener('click', () => { pause(); go(at + 1); });
  stop.addEventListener('click', end);
  bar.addEventListener('keydown', (e) => {
    const move: Record<string, () => number> = { ArrowRight: () => at + 1, ArrowLeft: () => at - 1, Home: () => 0, End: () => all().length - 1 };
    if (e.key in move) {
      e.preventDefault();
      pause();
      go(move[e.key]());
    } else if (e.key === 'Escape' && at >= 0) {
      e.stopPropagation();
      end();
    }
  });
  sync();
  return bar;
}
