// The studio page: a notation editor with live validation, the plan, one card per step that
// follows the render's events, per-layer edits written back into the text, and the history.
// Everything goes through the local server (same origin, session cookie); no CDN.

import { type Card, type CardStatus, createCard } from './card.js';
import { renderMirror } from './mirror.js';
import { api, type WireError, type WirePlan, type WireStep } from './studio-api.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const editor = $<HTMLTextAreaElement>('notation');
const mirror = $<HTMLPreElement>('mirror');
const diagnostic = $<HTMLDivElement>('diagnostic');
const planBody = $<HTMLTableElement>('plan').tBodies[0]!;
const planTotal = $<HTMLSpanElement>('plan-total');
const renderButton = $<HTMLButtonElement>('render');
const abortButton = $<HTMLButtonElement>('abort');
const saveButton = $<HTMLButtonElement>('save');
const statusLine = $<HTMLSpanElement>('status');
const cardsBox = $<HTMLDivElement>('cards');
const compositeImage = $<HTMLImageElement>('composite');
const resultImage = $<HTMLImageElement>('result');
const resultCaption = $<HTMLElement>('result-caption');
const downloads = $<HTMLDivElement>('downloads');
const historyList = $<HTMLOListElement>('history');
const manifestView = $<HTMLPreElement>('manifest');
const callsView = $<HTMLSpanElement>('calls');

let file: string | null = null;
let blendModes: readonly string[] = ['normal'];
let plan: WirePlan | undefined;
let renderId: string | undefined;
let running = false;
/** Whether the current render runs the style pass. */
let styled = true;
const cards = new Map<string, Card>();
/** Opacity of each hidden layer before it was hidden, to restore it. */
const hiddenOpacity = new Map<string, number>();

function money(value: number | undefined): string {
  return value === undefined ? '—' : `$${value.toFixed(value < 0.01 && value > 0 ? 4 : 2)}`;
}

function showError(error: WireError | undefined): void {
  renderMirror(mirror, editor.value, error);
  diagnostic.textContent =
    error === undefined
      ? ''
      : error.line === undefined
        ? `${error.message} [${error.code}]`
        : `line ${error.line}, column ${error.column}: ${error.message}`;
  diagnostic.dataset.line = error?.line === undefined ? '' : String(error.line);
}

function showPlan(next: WirePlan): void {
  plan = next;
  planBody.replaceChildren(
    ...next.steps.map((step) => {
      const row = planBody.insertRow();
      const cache = step.cached === undefined ? '—' : step.cached ? 'hit' : 'miss';
      for (const text of [
        step.id,
        `@${step.providers.join(' | @')} · ${step.providerId}/${step.modelId}`,
        `${step.width}×${step.height}`,
        money(step.estimatedCostUsd),
        cache,
      ]) {
        row.insertCell().textContent = text;
      }
      if (step.cached === true) row.cells[4]!.className = 'hit';
      return row;
    }),
  );
  const hits = next.steps.filter((step) => step.cached === true).length;
  planTotal.textContent = `${next.steps.length} steps · est. ${money(next.estimatedCostUsd)}${next.costComplete ? '' : ' (some prices unknown)'} · ${hits} cached`;
}

let validation = 0;
async function validate(): Promise<boolean> {
  const ticket = ++validation;
  const answer = await api.plan(editor.value);
  if (ticket !== validation) return false;
  if (answer.ok) {
    showError(undefined);
    showPlan(answer.plan);
    return true;
  }
  showError(answer.error);
  return false;
}

let timer: ReturnType<typeof setTimeout> | undefined;
editor.addEventListener('input', () => {
  renderMirror(mirror, editor.value, undefined);
  clearTimeout(timer);
  timer = setTimeout(() => void validate(), 200);
});
editor.addEventListener('keydown', (event) => {
  // Ctrl/Cmd+Enter renders, as in ComfyUI's "Queue Prompt".
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void startRender(true);
  }
});
editor.addEventListener('scroll', () => {
  mirror.scrollTop = editor.scrollTop;
});

function setRunning(value: boolean): void {
  running = value;
  renderButton.disabled = value;
  abortButton.disabled = !value;
  for (const card of cards.values()) card.setBusy(value);
}

async function refreshCalls(): Promise<void> {
  const { calls } = await api.stats();
  const total = Object.values(calls).reduce((sum, count) => sum + count, 0);
  callsView.textContent = `provider calls: ${total}`;
  callsView.dataset.total = String(total);
}

async function applyEdit(stepId: string, edit: Record<string, unknown>): Promise<void> {
  if (running) return;
  const answer = await api.edit(editor.value, stepId, edit);
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  editor.value = answer.text;
  renderMirror(mirror, editor.value, undefined);
  // Re-composite (or re-roll one layer) without the style pass, which would repaint; a re-roll
  // of the style pass itself runs it (the layers come from the cache).
  await startRender(stepId === 'style');
}

function cardActions(step: WireStep) {
  return {
    reroll: () => {
      const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
      void applyEdit(step.id, { seed });
    },
    opacity: (opacity: number) => void applyEdit(step.id, { opacity }),
    visible: (visible: boolean) => {
      const current = plan?.steps.find((candidate) => candidate.id === step.id)?.opacity ?? 1;
      if (!visible) hiddenOpacity.set(step.id, current === 0 ? 1 : current);
      const opacity = visible ? (hiddenOpacity.get(step.id) ?? 1) : 0;
      if (visible) hiddenOpacity.delete(step.id);
      void applyEdit(step.id, { opacity });
    },
    blend: (blend: string) => void applyEdit(step.id, { blend }),
    placement: (field: 'x' | 'y' | 'width' | 'height', value: number) => {
      const edit: Record<string, unknown> = { [field]: value };
      // Pin the generation size, so that a new box re-composites instead of repainting.
      if (field === 'width' || field === 'height') {
        edit.size = { width: step.width, height: step.height };
      }
      void applyEdit(step.id, edit);
    },
  };
}

function buildCards(next: WirePlan): void {
  cards.clear();
  // Top of the stack first, as in a layer panel; the style pass last.
  const order = (step: WireStep) => step.layerIndex ?? Number.MAX_SAFE_INTEGER;
  cardsBox.replaceChildren(
    ...[...next.steps]
      .sort((a, b) => order(a) - order(b))
      .map((step) => {
        const card = createCard(step, cardActions(step), hiddenOpacity.has(step.id), blendModes);
        cards.set(step.id, card);
        card.setBusy(running);
        return card.element;
      }),
  );
}

function setCard(id: string, status: CardStatus, patch: Parameters<Card['update']>[1] = {}) {
  cards.get(id)?.update(status, patch);
}

function link(href: string, text: string): HTMLAnchorElement {
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.textContent = text;
  anchor.download = '';
  return anchor;
}

// biome-ignore lint/suspicious/noExplicitAny: the server's wire events, read field by field by type.
function onEvent(event: Record<string, any>): void {
  const id: string = event.layerId ?? 'style';
  switch (event.type) {
    case 'studio:plan':
      styled = event.plan.steps.some((step: WireStep) => step.kind === 'style');
      if (styled || cards.size === 0) {
        showPlan(event.plan);
        buildCards(event.plan);
      } else {
        // A re-composite: the style card stays, marked as not re-run.
        for (const card of cards.values()) card.update('queued', {});
        cards.get('style')?.update('planned', { note: 'not re-run: press Render to restyle' });
      }
      break;
    case 'layer:queued':
      setCard(id, 'queued');
      break;
    case 'layer:start':
    case 'style:start':
      setCard(id, 'painting', { fraction: 0, attempt: event.attempt });
      break;
    case 'layer:progress':
    case 'style:progress':
      setCard(id, 'painting', {
        ...(event.fraction === undefined ? {} : { fraction: event.fraction }),
        ...(event.previewUrl === undefined ? {} : { imageUrl: event.previewUrl }),
      });
      break;
    case 'layer:retry':
    case 'style:retry':
      setCard(id, 'painting', { note: `retry after ${event.reason}` });
      break;
    case 'layer:done':
    case 'style:done':
      setCard(id, 'done', { imageUrl: event.imageUrl, record: event.record });
      break;
    case 'layer:error':
    case 'style:error':
      if (event.outcome === 'fallback') setCard(id, 'painting', { note: event.error.message });
      else setCard(id, 'failed', { error: event.error });
      break;
    case 'composite:done':
      compositeImage.src = event.imageUrl;
      compositeImage.hidden = false;
      compositeImage.dataset.renderId = renderId ?? '';
      break;
    case 'done':
      if (styled) {
        resultImage.src = event.imageUrl;
        resultImage.hidden = false;
        resultImage.classList.remove('stale');
      }
      downloads.replaceChildren(
        link(`${event.imageUrl.split('?')[0]}?download=1`, 'Download image'),
        link(`/api/renders/${renderId}/manifest`, 'Download manifest'),
      );
      break;
    case 'studio:end': {
      setRunning(false);
      const end = event.status as string;
      if (end !== 'done') {
        for (const card of cards.values()) {
          if (card.status === 'planned' && !styled) continue;
          if (card.status !== 'done' && card.status !== 'failed') {
            // A failed render aborts the calls still running: those cards stopped, not failed.
            card.update('aborted', {});
          }
        }
      }
      statusLine.textContent =
        end === 'done'
          ? `done · ${event.calls} provider call${event.calls === 1 ? '' : 's'}`
          : end === 'aborted'
            ? 'aborted'
            : `failed: ${event.error?.message ?? ''}`;
      statusLine.dataset.state = end;
      void refreshCalls();
      void refreshHistory();
      // The plan again, now that the cache holds this render's layers.
      void validate();
      break;
    }
  }
}

async function startRender(style: boolean): Promise<void> {
  if (running) return;
  const answer = await api.render(editor.value, style);
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  showError(undefined);
  renderId = answer.renderId;
  if (!style && !resultImage.hidden) resultImage.classList.add('stale');
  resultCaption.textContent = style
    ? 'Styled result'
    : 'Styled result (earlier render; press Render to restyle)';
  statusLine.textContent = 'rendering…';
  statusLine.dataset.state = 'running';
  setRunning(true);
  // Events of this render that arrived before its id are replayed from the buffer.
  for (const message of early.splice(0)) if (message.renderId === renderId) onEvent(message.event);
}

const early: { renderId: string; event: Record<string, unknown> }[] = [];
function connect(): void {
  const source = new EventSource('/api/events');
  source.addEventListener('render', (message) => {
    const data = JSON.parse((message as MessageEvent<string>).data);
    if (renderId === data.renderId) onEvent(data.event);
    else early.push(data);
    if (early.length > 500) early.splice(0, early.length - 500);
  });
}

async function refreshHistory(): Promise<void> {
  const { renders } = await api.history();
  historyList.replaceChildren(
    ...renders.map((render) => {
      const item = document.createElement('li');
      const time = new Date(render.startedAt).toLocaleTimeString();
      item.textContent = `${time} · ${render.status}${render.styled ? '' : ' · no style'} · ${render.calls} call${render.calls === 1 ? '' : 's'} · ${money(render.costUsd)}`;
      item.dataset.renderId = render.id;
      item.addEventListener('click', async () => {
        for (const other of historyList.children) other.classList.remove('selected');
        item.classList.add('selected');
        const detail = await api.renderDetail(render.id);
        manifestView.textContent =
          detail.manifest === null ? '(no manifest)' : JSON.stringify(detail.manifest, null, 2);
        if (render.images.includes('result')) {
          resultImage.src = `/api/renders/${render.id}/images/result`;
          resultImage.hidden = false;
        }
        downloads.replaceChildren(
          ...(render.images.includes('result')
            ? [link(`/api/renders/${render.id}/images/result?download=1`, 'Download image')]
            : []),
          ...(detail.manifest === null
            ? []
            : [link(`/api/renders/${render.id}/manifest`, 'Download manifest')]),
        );
      });
      return item;
    }),
  );
}

renderButton.addEventListener('click', () => void startRender(true));
abortButton.addEventListener('click', () => {
  if (renderId !== undefined) void api.abort(renderId);
});
saveButton.addEventListener('click', async () => {
  if (file === null) return;
  const answer = await api.save(file, editor.value);
  statusLine.textContent = answer.ok ? `saved ${file}` : `not saved: ${answer.error.message}`;
});

async function start(): Promise<void> {
  connect();
  const session = await api.session();
  file = session.file;
  blendModes = session.blendModes;
  $('file').textContent = file ?? '(unsaved)';
  $('mode').textContent = session.previewOnly ? 'preview provider' : '';
  saveButton.disabled = file === null;
  editor.value = session.text;
  renderMirror(mirror, editor.value, undefined);
  await Promise.all([validate(), refreshCalls(), refreshHistory()]);
  document.body.dataset.ready = 'true';
}

void start();
