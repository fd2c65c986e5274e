/* global document, window, fetch, EventSource, setTimeout, clearTimeout */
// The inspector's page: draws the chart the server laid out, and keeps the panels in step
// with the server-sent event stream. Plain DOM, no framework, nothing from the internet.
// Data is only ever put in the page as text (textContent), never as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';
const LABEL_LINE_HEIGHT = 15;

/** Everything the page knows. */
const model = {
  /** @type {any} */ snapshot: null,
  /** @type {any[]} timeline entries, index = seq */ timeline: [],
  /** @type {any[]} */ messages: [],
  /** @type {any} the live summary (or the last step of a log) */ summary: null,
  /** @type {number | null} the replay position (log mode) */ step: null,
  /** @type {Set<string>} */ hiddenKinds: new Set(),
  /** @type {Map<string, Element>} state id → its <g> */ stateNodes: new Map(),
  /** @type {Array<{ source: string, parts: Element[], path: Element, initial: boolean }>} */ edges:
    [],
  /** @type {any} */ layout: null,
  /** @type {number | null} the chart's scale; null: fit the width */ zoom: null,
  /** @type {string} the active state drawn last */ litKey: '',
};

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * An HTML element with attributes and, optionally, text.
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {unknown} [text]
 * @returns {HTMLElement}
 */
function el(tag, attrs = {}, text = undefined) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function svg(/** @type {string} */ tag, /** @type {Record<string, string | number>} */ attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

// ---------------------------------------------------------------- chart

function drawChart(layout) {
  const root = svg('svg', {
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    'aria-label': 'state chart of the conversation machine',
  });
  const defs = svg('defs');
  for (const [id, cls] of [
    ['arrow', 'arrow'],
    ['arrow-hot', 'arrow-hot'],
    ['arrow-initial', 'arrow-initial'],
  ]) {
    const marker = svg('marker', {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 8,
      markerHeight: 8,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }));
    defs.append(marker);
  }
  root.append(defs);

  const states = svg('g', { class: 'states' });
  for (const state of layout.states) {
    const kind = state.depth === 0 ? 'root compound' : state.compound ? 'compound' : 'atomic';
    const g = svg('g', { class: `state ${kind}`, 'data-state': state.id, 'data-active': 'false' });
    const title = svg('title');
    title.textContent = state.id;
    g.append(title);
    g.append(
      svg('rect', {
        x: state.x,
        y: state.y,
        width: state.width,
        height: state.height,
        rx: state.compound ? 12 : 9,
      }),
    );
    if (state.compound) {
      const name = svg('text', { class: 'name', x: state.x + 14, y: state.y + 21 });
      name.textContent = state.key;
      g.append(name);
      if (state.handles.length) {
        const note = svg('text', { class: 'detail', x: state.x + 14, y: state.y + 38 });
        note.textContent =
          state.depth === 0
            ? `⟲ ${state.handles.join(' · ')} (accepted in every state)`
            : `⟲ ${state.handles.join(' · ')}`;
        g.append(note);
      }
    } else {
      const details = [
        ...(state.invokes.length ? [`invoke ${state.invokes.join(', ')}`] : []),
        ...state.handles.map((h) => `⟲ ${h}`),
      ];
      const top = state.y + state.height / 2 - (details.length * 14) / 2 + 5;
      const name = svg('text', {
        class: 'name',
        x: state.x + state.width / 2,
        y: top,
        'text-anchor': 'middle',
      });
      name.textContent = state.key;
      g.append(name);
      details.forEach((line, i) => {
        const text = svg('text', {
          class: 'detail',
          x: state.x + state.width / 2,
          y: top + 15 + i * 14,
          'text-anchor': 'middle',
        });
        text.textContent = line;
        g.append(text);
      });
    }
    states.append(g);
    model.stateNodes.set(state.id, g);
  }
  root.append(states);

  const edges = svg('g', { class: 'edges' });
  const labels = svg('g', { class: 'labels' });
  model.edges = [];
  for (const edge of layout.transitions) {
    const initial = edge.kind === 'initial';
    const g = svg('g', {
      class: `edge ${edge.kind}`,
      'data-source': edge.source,
      'data-target': edge.target,
    });
    const d = edge.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
    const path = svg('path', { d, 'marker-end': initial ? 'url(#arrow-initial)' : 'url(#arrow)' });
    const title = svg('title');
    title.textContent = edge.lines.length
      ? `${edge.source} → ${edge.target}: ${edge.lines.join(' | ')}`
      : 'initial state';
    g.append(title, path);
    edges.append(g);
    const parts = [g];
    if (edge.label && edge.lines.length) {
      const label = svg('g', { class: `edge ${edge.kind}` });
      const box = svg('g', { class: 'edge-label' });
      box.append(
        svg('rect', {
          x: edge.label.x - 2,
          y: edge.label.y,
          width: edge.label.width + 4,
          height: edge.label.height,
          rx: 3,
        }),
      );
      edge.lines.forEach((line, i) => {
        const text = svg('text', {
          x: edge.label.x + 3,
          y: edge.label.y + 13 + i * LABEL_LINE_HEIGHT,
        });
        text.textContent = line;
        box.append(text);
      });
      label.append(box);
      labels.append(label);
      parts.push(label);
    }
    const entry = { source: edge.source, parts, path, initial };
    for (const part of parts) {
      part.addEventListener('mouseenter', () => hoverEdge(entry, true));
      part.addEventListener('mouseleave', () => hoverEdge(entry, false));
    }
    model.edges.push(entry);
  }
  for (const dot of layout.initials) {
    edges.append(svg('circle', { class: 'initial-dot', cx: dot.x, cy: dot.y, r: dot.radius }));
  }
  root.append(edges, labels);

  model.layout = layout;
  $('chart').replaceChildren(root);
  applyZoom();
  model.litKey = '';
  if (model.summary) render();
}

function hoverEdge(entry, on) {
  for (const part of entry.parts) part.classList.toggle('hover', on);
  markArrow(entry);
}

function markArrow(entry) {
  if (entry.initial) return;
  const hot =
    entry.parts[0].classList.contains('hover') || entry.parts[0].classList.contains('from-active');
  entry.path.setAttribute('marker-end', hot ? 'url(#arrow-hot)' : 'url(#arrow)');
}

/** Scales the chart: `model.zoom`, or the panel's width (never above natural size). */
function applyZoom() {
  const chart = $('chart');
  const root = chart.querySelector('svg');
  // A panel not laid out (hidden, or mid-resize) has no width to fit: keep the last size.
  if (!root || !model.layout || chart.clientWidth < 50) return;
  const fit = Math.min(1, (chart.clientWidth - 2) / model.layout.width);
  const scale = model.zoom ?? fit;
  root.setAttribute('width', String(Math.round(model.layout.width * scale)));
  root.setAttribute('height', String(Math.round(model.layout.height * scale)));
  $('zoom-fit').setAttribute('aria-pressed', model.zoom === null ? 'true' : 'false');
}

function zoomBy(factor) {
  const chart = $('chart');
  const fit = model.layout
    ? Math.min(1, Math.max(50, chart.clientWidth - 2) / model.layout.width)
    : 1;
  model.zoom = Math.max(0.3, Math.min(2.5, (model.zoom ?? fit) * factor));
  applyZoom();
}

/** Scrolls the chart (and only the chart) so the innermost active state is in view. */
function revealActive(active) {
  const node = model.stateNodes.get(active[active.length - 1]);
  const chart = $('chart');
  if (!node) return;
  const box = node.getBoundingClientRect();
  const view = chart.getBoundingClientRect();
  if (box.top < view.top || box.bottom > view.bottom) {
    chart.scrollTop += box.top - view.top - (view.height - box.height) / 2;
  }
  if (box.left < view.left || box.right > view.right) {
    chart.scrollLeft += box.left - view.left - (view.width - box.width) / 2;
  }
}

function lightStates(active) {
  const lit = new Set(active);
  for (const [id, node] of model.stateNodes) {
    const on = lit.has(id);
    node.classList.toggle('active', on);
    node.setAttribute('data-active', on ? 'true' : 'false');
  }
  for (const entry of model.edges) {
    const from = !entry.initial && lit.has(entry.source);
    for (const part of entry.parts) part.classList.toggle('from-active', from);
    markArrow(entry);
  }
  const key = active.join(' ');
  if (key !== model.litKey && model.stateNodes.size) {
    model.litKey = key;
    revealActive(active);
  }
}

// ---------------------------------------------------------------- data

function applySnapshot(snapshot) {
  model.snapshot = snapshot;
  model.timeline = [];
  for (const entry of snapshot.timeline) model.timeline[entry.event.seq] = entry;
  model.messages = snapshot.messages;
  model.summary = snapshot.summary;
  if (snapshot.mode === 'log') {
    const last = (snapshot.steps?.length ?? 0) - 1;
    model.step = model.step === null ? last : Math.min(model.step, last);
  } else {
    model.step = null;
  }

  $('title').textContent = snapshot.title;
  $('title').title = snapshot.title;
  $('mode').textContent = snapshot.mode === 'log' ? 'replay' : 'live';
  $('controls').hidden = !snapshot.controls;
  renderWarnings(snapshot.warnings);
  renderFollowing();
  renderSteps();
  rebuildTimeline();
  render();
}

function renderWarnings(list) {
  const warnings = $('warnings');
  warnings.replaceChildren(...list.map((w) => el('li', {}, w)));
  warnings.hidden = list.length === 0;
}

/** The badge of a followed log: shown while the inspector follows the file. */
function renderFollowing() {
  const badge = $('following');
  badge.hidden = model.snapshot?.following === undefined;
  badge.dataset.state = model.snapshot?.following ? 'on' : 'off';
  badge.textContent = model.snapshot?.following ? 'following' : 'not following';
}

/** The replay bar's range: one position per step. */
function renderSteps() {
  const snapshot = model.snapshot;
  $('replay').hidden = snapshot.mode !== 'log' || !snapshot.steps?.length;
  const slider = /** @type {HTMLInputElement} */ ($('replay-slider'));
  slider.max = String(Math.max(0, (snapshot.steps?.length ?? 1) - 1));
}

function applyUpdate(update) {
  if (!model.snapshot) return;
  const fresh = [];
  for (const entry of update.timeline) {
    if (model.timeline[entry.event.seq]) continue;
    model.timeline[entry.event.seq] = entry;
    fresh.push(entry);
  }
  for (const message of update.messages) {
    const at = model.messages.findIndex((m) => m.id === message.id);
    if (at >= 0) model.messages[at] = message;
    else model.messages.push(message);
  }
  model.summary = update.summary;
  if (update.steps?.length && model.snapshot.steps) {
    // A followed log grew: the slider grows, and moves along when it was at the end.
    const steps = model.snapshot.steps;
    const atEnd = model.step === null || model.step >= steps.length - 1;
    for (const step of update.steps) steps[step.seq] = step;
    if (atEnd) model.step = steps.length - 1;
    renderSteps();
  }
  if (update.warnings) renderWarnings(update.warnings);
  if (update.following !== undefined) {
    model.snapshot.following = update.following;
    renderFollowing();
  }
  appendTimeline(fresh);
  render();
}

/** The summary shown: the replay step, or the live state. */
function current() {
  if (model.step !== null && model.snapshot?.steps?.length) return model.snapshot.steps[model.step];
  return model.summary;
}

function render() {
  const summary = current();
  if (!summary) return;
  lightStates(summary.active);
  $('state-name').textContent = summary.state;
  const status = $('status');
  status.textContent = summary.status.replaceAll('_', ' ');
  status.dataset.status = summary.status;
  $('metric-status').textContent = summary.status.replaceAll('_', ' ');
  $('metric-iterations').textContent =
    summary.iterations === undefined ? '–' : String(summary.iterations);
  $('metric-prompt').textContent = formatTokens(summary.metrics.promptTokens);
  $('metric-completion').textContent = formatTokens(summary.metrics.completionTokens);
  $('metric-cost').textContent = formatCost(summary.metrics.cost);
  $('metric-responses').textContent = String(summary.metrics.responses);
  renderInbox(summary);
  renderMessages(summary);
  renderReplay(summary);
  markTimeline(summary);
}

// ---------------------------------------------------------------- inbox and messages

function renderInbox(summary) {
  const byId = new Map(model.messages.map((m) => [m.id, m]));
  const canRetract = Boolean(model.snapshot?.controls) && model.step === null;
  const items = summary.pending
    .map((id) => byId.get(id))
    .filter(Boolean)
    .map((message) => {
      const li = el('li', { 'data-message-id': message.id });
      li.append(el('span', { class: 'text' }, message.content));
      li.append(el('span', { class: 'mode', 'data-mode': message.delivery }, message.delivery));
      li.append(el('span', { class: 'seq', title: 'arrived at event' }, `#${message.seq}`));
      if (canRetract) {
        const button = el(
          'button',
          { type: 'button', class: 'retract', title: 'withdraw this message' },
          'Retract',
        );
        button.addEventListener('click', () =>
          post('/api/retract', { id: message.id }, 'Message retracted'),
        );
        li.append(button);
      }
      return li;
    });
  if (items.length === 0) items.push(el('li', { class: 'empty' }, 'nothing waiting'));
  $('inbox').replaceChildren(...items);
  $('inbox-count').textContent = String(summary.pending.length);
}

function renderMessages(summary) {
  const at = summary.seq;
  const rows = model.messages.map((message) => {
    const read = message.readSeq !== undefined && message.readSeq <= at;
    const retracted = message.retractedSeq !== undefined && message.retractedSeq <= at;
    const state = message.seq > at ? 'future' : read ? 'read' : retracted ? 'retracted' : 'pending';
    const tr = el('tr', { class: state, 'data-message-id': message.id, 'data-state': state });
    tr.append(el('td', { class: 'text' }, message.content));
    const mode = el('td');
    mode.append(el('span', { class: 'mode', 'data-mode': message.delivery }, message.delivery));
    tr.append(mode);
    tr.append(el('td', { class: 'seq arrived' }, `#${message.seq}`));
    tr.append(
      el(
        'td',
        { class: 'seq read' },
        read ? `#${message.readSeq}` : retracted ? `retracted #${message.retractedSeq}` : 'pending',
      ),
    );
    return tr;
  });
  $('messages').replaceChildren(...rows);
}

// ---------------------------------------------------------------- timeline

function rebuildTimeline() {
  $('timeline').replaceChildren();
  appendTimeline(model.timeline.filter(Boolean));
}

function appendTimeline(entries) {
  const list = $('timeline');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  for (const entry of entries) list.append(timelineRow(entry));
  $('event-count').textContent = String(model.timeline.filter(Boolean).length);
  renderFilters();
  if (atBottom && model.step === null) list.scrollTop = list.scrollHeight;
}

function timelineRow(entry) {
  const { event, summary } = entry;
  const li = el('li', {
    'data-seq': String(event.seq),
    'data-kind': event.kind,
    'data-source': event.source,
  });
  if (event.kind === 'observation' && event.isError) li.classList.add('tool-error');
  li.hidden = model.hiddenKinds.has(event.kind);
  const row = el('button', { type: 'button', class: 'row', 'aria-expanded': 'false' });
  row.append(
    el('span', { class: 'seq' }, `#${event.seq}`),
    el('span', { class: 'time', title: event.timestamp }, formatTime(event.timestamp)),
    el('span', { class: 'source', 'data-source': event.source }, event.source),
    el('span', { class: 'kind' }, event.kind),
    el('span', { class: 'summary', title: summary }, summary),
  );
  row.addEventListener('click', () => {
    const open = li.querySelector('pre');
    if (open) {
      open.remove();
      row.setAttribute('aria-expanded', 'false');
    } else {
      li.append(el('pre', { class: 'json' }, JSON.stringify(event, null, 2)));
      row.setAttribute('aria-expanded', 'true');
    }
  });
  li.append(row);
  return li;
}

function renderFilters() {
  const counts = new Map();
  for (const entry of model.timeline) {
    if (entry) counts.set(entry.event.kind, (counts.get(entry.event.kind) ?? 0) + 1);
  }
  const box = $('filters');
  const existing = new Map([...box.querySelectorAll('label')].map((l) => [l.dataset.kind, l]));
  for (const [kind, count] of counts) {
    let label = /** @type {HTMLElement | undefined} */ (existing.get(kind));
    if (!label) {
      label = el('label', { 'data-kind': kind });
      const input = /** @type {HTMLInputElement} */ (
        el('input', { type: 'checkbox', value: kind })
      );
      input.checked = !model.hiddenKinds.has(kind);
      input.addEventListener('change', () => {
        if (input.checked) model.hiddenKinds.delete(kind);
        else model.hiddenKinds.add(kind);
        for (const li of $('timeline').querySelectorAll(`li[data-kind="${kind}"]`)) {
          /** @type {HTMLElement} */ (li).hidden = !input.checked;
        }
      });
      label.append(input, el('span', { class: 'name' }), el('span', { class: 'count' }));
      box.append(label);
    }
    /** @type {HTMLElement} */ (label.querySelector('.name')).textContent = kind;
    /** @type {HTMLElement} */ (label.querySelector('.count')).textContent = String(count);
  }
}

function markTimeline(summary) {
  const replaying = model.step !== null;
  /** @type {HTMLElement | null} */
  let currentRow = null;
  for (const child of $('timeline').children) {
    const li = /** @type {HTMLElement} */ (child);
    const seq = Number(li.dataset.seq);
    li.classList.toggle('future', replaying && seq > summary.seq);
    const isCurrent = replaying && seq === summary.seq;
    li.classList.toggle('current', isCurrent);
    if (isCurrent) currentRow = li;
  }
  if (currentRow && !currentRow.hidden) currentRow.scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------- replay

function renderReplay(summary) {
  if (model.step === null) return;
  const steps = model.snapshot.steps;
  const slider = /** @type {HTMLInputElement} */ ($('replay-slider'));
  slider.value = String(model.step);
  const kind = model.timeline[summary.seq]?.event.kind ?? '';
  $('step-label').textContent = `event ${summary.seq + 1} / ${steps.length} · ${kind}`;
  /** @type {HTMLButtonElement} */ ($('step-first')).disabled = model.step <= 0;
  /** @type {HTMLButtonElement} */ ($('step-prev')).disabled = model.step <= 0;
  /** @type {HTMLButtonElement} */ ($('step-next')).disabled = model.step >= steps.length - 1;
  /** @type {HTMLButtonElement} */ ($('step-last')).disabled = model.step >= steps.length - 1;
}

function setStep(step) {
  const steps = model.snapshot?.steps;
  if (!steps?.length) return;
  model.step = Math.max(0, Math.min(steps.length - 1, step));
  render();
}

// ---------------------------------------------------------------- controls

let noticeTimer = 0;
function notice(text, kind = 'error') {
  const box = $('notice');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (box.hidden = true), kind === 'error' ? 8000 : 2500);
}

async function post(path, body, done) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const reply = await response.json().catch(() => ({}));
    if (!response.ok) {
      notice(reply.error ?? `${path} failed (${response.status})`);
      return undefined;
    }
    if (done) notice(done, 'ok');
    return reply;
  } catch (error) {
    notice(`Cannot reach the inspector: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function wireControls() {
  const form = /** @type {HTMLFormElement} */ ($('send-form'));
  const text = /** @type {HTMLTextAreaElement} */ ($('message-text'));
  const delivery = /** @type {HTMLSelectElement} */ ($('delivery'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = text.value.trim();
    if (!message) return notice('Type a message first');
    const reply = await post(
      '/api/send',
      { text: message, delivery: delivery.value },
      'Message sent',
    );
    if (reply) text.value = '';
  });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  $('run').addEventListener('click', () => post('/api/run', {}));
  $('pause').addEventListener('click', () => post('/api/pause', {}));
  $('interrupt').addEventListener('click', () => post('/api/interrupt', {}));

  $('zoom-in').addEventListener('click', () => zoomBy(1.25));
  $('zoom-out').addEventListener('click', () => zoomBy(0.8));
  $('zoom-fit').addEventListener('click', () => {
    model.zoom = null;
    applyZoom();
  });
  window.addEventListener('resize', () => {
    if (model.zoom === null) applyZoom();
  });

  const slider = /** @type {HTMLInputElement} */ ($('replay-slider'));
  slider.addEventListener('input', () => setStep(Number(slider.value)));
  $('step-first').addEventListener('click', () => setStep(0));
  $('step-prev').addEventListener('click', () => setStep((model.step ?? 0) - 1));
  $('step-next').addEventListener('click', () => setStep((model.step ?? 0) + 1));
  $('step-last').addEventListener('click', () => setStep(Infinity));
}

// ---------------------------------------------------------------- formatting

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatCost(cost) {
  return cost >= 1 ? `$${cost.toFixed(2)}` : `$${cost.toFixed(4)}`;
}

function formatTokens(count) {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}K`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

// ---------------------------------------------------------------- start

function connect() {
  const connection = $('connection');
  const stream = new EventSource('/api/stream');
  stream.addEventListener('snapshot', (event) => applySnapshot(JSON.parse(event.data)));
  stream.addEventListener('update', (event) => applyUpdate(JSON.parse(event.data)));
  stream.addEventListener('open', () => {
    connection.dataset.state = 'live';
    connection.textContent = 'connected';
  });
  stream.addEventListener('error', () => {
    connection.dataset.state = 'reconnecting';
    connection.textContent = 'reconnecting';
  });
}

async function start() {
  wireControls();
  connect();
  const response = await fetch('/api/chart');
  drawChart(await response.json());
}

start().catch((error) => notice(`The inspector failed to start: ${error.message}`));
