// One step's card: state (queued → painting % → done / failed / aborted), thumbnail, time,
// cost, attempts, whether it came from the cache, and the layer's controls.

import type { WireError, WireStep } from './studio-api.js';

/** Where a step is. */
export type CardStatus = 'planned' | 'queued' | 'painting' | 'done' | 'failed' | 'aborted';

/** What an event changes on a card. */
export interface CardPatch {
  readonly fraction?: number;
  readonly attempt?: number;
  readonly imageUrl?: string;
  readonly note?: string;
  readonly error?: WireError;
  readonly record?: {
    readonly cached: boolean;
    readonly attempts: number;
    readonly ms: number;
    readonly costUsd?: number;
    readonly provider: string;
  };
}

/** What the card's controls do. */
export interface CardActions {
  reroll(): void;
  opacity(value: number): void;
  visible(value: boolean): void;
  blend(value: string): void;
  placement(field: 'x' | 'y' | 'width' | 'height', value: number): void;
}

/** A card on the page. */
export interface Card {
  readonly element: HTMLElement;
  readonly status: CardStatus;
  update(status: CardStatus, patch: CardPatch): void;
  setBusy(busy: boolean): void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function labelled(text: string, control: HTMLElement): HTMLElement[] {
  const label = element('label', undefined, text);
  return [label, control];
}

/**
 * Creates the card of one planned step.
 *
 * @param step - the planned step.
 * @param actions - what its controls do.
 * @param hidden - whether the layer is hidden (opacity 0 set by the visibility toggle).
 * @param blendModes - the blend modes to offer (the SDK's list, from the server).
 */
export function createCard(
  step: WireStep,
  actions: CardActions,
  hidden: boolean,
  blendModes: readonly string[],
): Card {
  const root = element('article', 'card');
  root.dataset.step = step.id;
  root.dataset.status = 'planned';
  const name = element('span', 'name', step.id);
  const state = element('span', 'state', 'planned');
  const head = element('header');
  head.append(name, state);
  const thumb = element('div', 'thumb');
  const image = element('img');
  image.alt = `${step.id}`;
  image.hidden = true;
  thumb.append(image);
  // A click on the thumbnail opens the image at full size.
  image.addEventListener('click', () => window.open(image.src, '_blank', 'noopener'));
  const bar = element('div', 'progress');
  const fill = element('div');
  bar.append(fill);
  const meta = element('div', 'meta', `${step.providers.join(' | ')} · ${step.modelId}`);
  const error = element('div', 'error');
  const controls = element('div', 'controls');
  const busyControls: (HTMLInputElement | HTMLSelectElement | HTMLButtonElement)[] = [];

  const reroll = element('button', 'reroll', 'Re-roll');
  reroll.type = 'button';
  reroll.title = 'New seed for this step only; the others come from the cache';
  reroll.addEventListener('click', () => actions.reroll());
  busyControls.push(reroll);

  if (step.kind === 'layer' && step.composited) {
    const visible = element('input');
    visible.type = 'checkbox';
    visible.className = 'visible';
    visible.checked = !hidden;
    visible.addEventListener('change', () => actions.visible(visible.checked));
    const opacity = element('input');
    opacity.type = 'range';
    opacity.className = 'opacity';
    opacity.min = '0';
    opacity.max = '100';
    opacity.value = String(Math.round((step.opacity ?? 1) * 100));
    opacity.addEventListener('change', () => actions.opacity(Number(opacity.value) / 100));
    const blend = element('select');
    blend.className = 'blend';
    for (const mode of blendModes) blend.append(new Option(mode, mode, false, mode === step.blend));
    blend.addEventListener('change', () => actions.blend(blend.value));
    const box = element('div', 'xywh');
    const fields = ['x', 'y', 'width', 'height'] as const;
    for (const field of fields) {
      const input = element('input');
      input.type = 'number';
      input.className = `place-${field}`;
      input.title = field;
      input.placeholder = field === 'width' ? 'w' : field === 'height' ? 'h' : field;
      const value = step.placement?.[field];
      if (value !== undefined) input.value = String(value);
      input.addEventListener('change', () => {
        if (input.value !== '') actions.placement(field, Number(input.value));
      });
      box.append(input);
      busyControls.push(input);
    }
    controls.append(
      ...labelled('visible', visible),
      ...labelled('opacity', opacity),
      ...labelled('blend', blend),
      ...labelled('x y w h', box),
    );
    busyControls.push(visible, opacity, blend);
  }
  const download = element('a', 'download', 'Download');
  download.hidden = true;
  download.download = `${step.id}.png`;
  const actionsRow = element('div', 'actions');
  actionsRow.append(reroll, download);
  root.append(head, thumb, bar, meta, error, controls, actionsRow);

  let status: CardStatus = 'planned';
  return {
    element: root,
    get status() {
      return status;
    },
    update(next, patch) {
      status = next;
      root.dataset.status = next;
      if (patch.imageUrl !== undefined) {
        image.src = patch.imageUrl;
        image.hidden = false;
      }
      if (patch.fraction !== undefined) fill.style.width = `${Math.round(patch.fraction * 100)}%`;
      if (next === 'painting') {
        const percent = patch.fraction === undefined ? '' : ` ${Math.round(patch.fraction * 100)}%`;
        state.textContent = `painting${percent}`;
      } else if (next === 'done' && patch.record !== undefined) {
        const record = patch.record;
        if (patch.imageUrl !== undefined) {
          download.href = `${patch.imageUrl.split('?')[0]}?download=1`;
          download.hidden = false;
        }
        fill.style.width = '100%';
        state.textContent = record.cached ? 'done · cached' : 'done';
        root.dataset.cached = String(record.cached);
        meta.textContent = `${record.provider} · ${(record.ms / 1000).toFixed(2)} s · ${
          record.costUsd === undefined ? 'cost n/a' : `$${record.costUsd.toFixed(4)}`
        } · ${record.cached ? 'from cache, no call' : `${record.attempts} attempt${record.attempts === 1 ? '' : 's'}`}`;
      } else if (next !== 'done') {
        state.textContent = next;
      }
      if (patch.error !== undefined)
        error.textContent = `${patch.error.code}: ${patch.error.message}`;
      else if (patch.note !== undefined) error.textContent = patch.note;
    },
    setBusy(busy) {
      for (const control of busyControls) control.disabled = busy;
    },
  };
}
