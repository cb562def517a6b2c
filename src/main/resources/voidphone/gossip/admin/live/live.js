// The admin endpoint's live view (docs/LIVE-VIEW.md): listens to /events (server-sent events
// "view", "graph" and "item") and draws the overlay with a small force layout in SVG, the selected
// item's tree hop by hop, the recent items, this node's views and its counters. No libraries.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const W = 800, H = 620;
const HOP_COLOURS = ['#1d2330', '#e4572e', '#f29e4c', '#d7b31f', '#83b347', '#2e9e8f', '#3c7dc4', '#7d5ab5', '#b5508f'];

const state = {
  view: null,        // this node's /view
  graph: null,       // the last /graph
  localItems: [],    // this node's records, newest first (view + item events)
  selected: null,    // item id picked in the table; null: follow the newest
  pos: new Map(),    // identity -> {x, y, dx, dy}
  nodes: new Map(),  // identity -> {id, address, known}
  edges: [],         // [{a, b, passive}]
  heat: 0,
};

const $ = (id) => document.getElementById(id);
const short = (hex) => (hex || '').slice(0, 8);
const port = (address) => (address || '').replace(/^.*:/, ':');
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
const hopColour = (hops) => HOP_COLOURS[Math.min(hops, HOP_COLOURS.length - 1)];

// ---------------------------------------------------------------- events

function connect() {
  const events = new EventSource('events');
  events.onopen = () => setConn(true);
  events.onerror = () => setConn(false);
  events.addEventListener('view', (e) => onView(JSON.parse(e.data)));
  events.addEventListener('graph', (e) => onGraph(JSON.parse(e.data)));
  events.addEventListener('item', (e) => onItem(JSON.parse(e.data)));
}

function setConn(ok) {
  const c = $('conn');
  c.className = ok ? 'ok' : 'bad';
  c.textContent = ok ? 'live' : 'reconnecting…';
}

function onView(view) {
  state.view = view;
  state.localItems = view.items;
  const s = view.status;
  $('self').textContent = `${short(s.identity)}  p2p ${s.p2p_address}  api ${s.api_address}  admin ${view.admin}`;
  renderViews();
  renderCounters();
  if (!state.graph || state.graph.nodes.length <= 1) updateTopology();
  renderItems();
}

function onGraph(graph) {
  state.graph = graph;
  updateTopology();
  renderItems();
}

function onItem(item) {
  const rest = state.localItems.filter((i) => i.id !== item.id);
  state.localItems = [item, ...rest].slice(0, 64);
  renderItems();
}

// ---------------------------------------------------------------- data

/** Every node's status: the graph's, or this node's alone. */
function statuses() {
  if (state.graph && state.graph.nodes.length > 0) return state.graph.nodes.map((n) => n.status);
  return state.view ? [state.view.status] : [];
}

function selfId() {
  return state.view ? state.view.status.identity : state.graph && state.graph.self;
}

/** The item trees: the graph's, with this node's newer records merged in. */
function trees() {
  const byId = new Map();
  for (const t of (state.graph ? state.graph.items : [])) {
    byId.set(t.id, { ...t, receipts: [...t.receipts] });
  }
  const self = selfId();
  for (const i of state.localItems) {
    let t = byId.get(i.id);
    if (!t) {
      t = { id: i.id, type: i.type, origin: null, first_ms: i.at_ms, receipts: [] };
      byId.set(i.id, t);
    }
    const r = { node: self, from: i.from, hops: i.hops, at_ms: i.at_ms, verdict: i.verdict };
    const k = t.receipts.findIndex((x) => x.node === self);
    if (k >= 0) t.receipts[k] = r; else t.receipts.push(r);
    if (i.from === null) t.origin = self;
    t.first_ms = Math.min(t.first_ms, i.at_ms);
  }
  return [...byId.values()].sort((a, b) => b.first_ms - a.first_ms);
}

function updateTopology() {
  const nodes = new Map();
  const edges = new Map();
  const all = statuses();
  for (const s of all) nodes.set(s.identity, { id: s.identity, address: s.p2p_address, known: true });
  for (const s of all) {
    for (const p of s.active) {
      if (!nodes.has(p.identity)) nodes.set(p.identity, { id: p.identity, address: p.address, known: false });
      const key = [s.identity, p.identity].sort().join('-');
      edges.set(key, { a: s.identity, b: p.identity, passive: false });
    }
  }
  const self = state.view && state.view.status;
  if (self) {
    for (const p of self.passive) {
      if (!nodes.has(p.identity)) nodes.set(p.identity, { id: p.identity, address: p.address, known: false });
      const key = [self.identity, p.identity].sort().join('-');
      if (!edges.has(key)) edges.set(key, { a: self.identity, b: p.identity, passive: true });
    }
  }
  const changed = nodes.size !== state.nodes.size || edges.size !== state.edges.length
      || [...edges.keys()].some((k) => !state.edgeKeys || !state.edgeKeys.has(k));
  state.nodes = nodes;
  state.edges = [...edges.values()];
  state.edgeKeys = new Set(edges.keys());
  for (const id of [...state.pos.keys()]) if (!nodes.has(id)) state.pos.delete(id);
  for (const id of nodes.keys()) {
    if (state.pos.has(id)) continue;
    const neighbour = state.edges.find((e) => (e.a === id && state.pos.has(e.b)) || (e.b === id && state.pos.has(e.a)));
    const anchor = neighbour ? state.pos.get(neighbour.a === id ? neighbour.b : neighbour.a) : { x: W / 2, y: H / 2 };
    const angle = Math.random() * 2 * Math.PI;
    state.pos.set(id, { x: anchor.x + 40 * Math.cos(angle), y: anchor.y + 40 * Math.sin(angle), dx: 0, dy: 0 });
  }
  const summary = $('graph-summary');
  const reach = state.graph ? state.graph.nodes.length : 1;
  const lost = state.graph ? state.graph.unreachable.length : 0;
  summary.textContent = `${nodes.size} nodes, ${state.edges.filter((e) => !e.passive).length} active links`
      + (reach > 1 ? `, ${reach} admin endpoints answering` : ' (this node\'s view)')
      + (lost > 0 ? `, ${lost} not answering` : '');
  summary.dataset.nodes = String(nodes.size);
  syncElements();
  if (changed) {
    state.heat = 1;
    requestAnimationFrame(step);
  } else {
    draw();
  }
}

// ---------------------------------------------------------------- force layout

/** One Fruchterman-Reingold step: all nodes repel, links attract, a little gravity; cools down. */
function step() {
  const ids = [...state.nodes.keys()];
  const n = ids.length;
  if (n === 0) return;
  const k = Math.min(160, Math.sqrt((W * H) / n) * 0.6);
  const p = ids.map((id) => state.pos.get(id));
  for (const a of p) { a.dx = 0; a.dy = 0; }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = p[i], b = p[j];
      let dx = a.x - b.x, dy = a.y - b.y;
      let d2 = dx * dx + dy * dy;
      if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
      const f = (k * k) / d2;
      a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
    }
  }
  for (const e of state.edges) {
    const a = state.pos.get(e.a), b = state.pos.get(e.b);
    if (!a || !b) continue;
    const dx = a.x - b.x, dy = a.y - b.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 0.1;
    const f = (d / k) * (e.passive ? 0.3 : 1);
    a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
  }
  const limit = 30 * state.heat + 0.5;
  for (const a of p) {
    a.dx += (W / 2 - a.x) * 0.01;
    a.dy += (H / 2 - a.y) * 0.01;
    const d = Math.sqrt(a.dx * a.dx + a.dy * a.dy) || 1;
    const move = Math.min(d, limit);
    a.x = Math.max(20, Math.min(W - 20, a.x + (a.dx / d) * move));
    a.y = Math.max(20, Math.min(H - 20, a.y + (a.dy / d) * move));
  }
  state.heat *= 0.985;
  draw();
  if (state.heat > 0.02) requestAnimationFrame(step);
}

// ---------------------------------------------------------------- drawing

const elements = { nodes: new Map(), edges: new Map() };

function syncElements() {
  const nodeLayer = $('nodes'), edgeLayer = $('edges');
  for (const [id, g] of elements.nodes) if (!state.nodes.has(id)) { g.remove(); elements.nodes.delete(id); }
  for (const [id, node] of state.nodes) {
    let g = elements.nodes.get(id);
    if (!g) {
      g = svg('g', { class: 'node', 'data-node': id });
      const title = svg('title');
      g.append(svg('circle', { r: 8 }), svg('text', { dy: 19 }), title);
      nodeLayer.append(g);
      elements.nodes.set(id, g);
    }
    g.classList.toggle('self', id === selfId());
    g.classList.toggle('unknown', !node.known);
    g.querySelector('text').textContent = port(node.address);
    g.querySelector('title').textContent = `${id}\n${node.address}${node.known ? '' : '\n(no admin endpoint answering)'}`;
  }
  const keys = new Set();
  for (const e of state.edges) {
    const key = `${e.a}-${e.b}`;
    keys.add(key);
    let line = elements.edges.get(key);
    if (!line) {
      line = svg('line');
      edgeLayer.append(line);
      elements.edges.set(key, line);
    }
    line.setAttribute('class', e.passive ? 'passive' : 'edge');
  }
  for (const [key, line] of elements.edges) if (!keys.has(key)) { line.remove(); elements.edges.delete(key); }
  draw();
}

function draw() {
  for (const [id, g] of elements.nodes) {
    const p = state.pos.get(id);
    if (p) g.setAttribute('transform', `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
  }
  for (const e of state.edges) {
    const line = elements.edges.get(`${e.a}-${e.b}`);
    const a = state.pos.get(e.a), b = state.pos.get(e.b);
    if (!line || !a || !b) continue;
    line.setAttribute('x1', a.x.toFixed(1)); line.setAttribute('y1', a.y.toFixed(1));
    line.setAttribute('x2', b.x.toFixed(1)); line.setAttribute('y2', b.y.toFixed(1));
  }
  drawTree();
}

function selectedTree() {
  const all = trees();
  if (all.length === 0) return null;
  return all.find((t) => t.id === state.selected) || all[0];
}

/** A newly shown item is drawn hop by hop: hop k appears k * HOP_MILLIS after it was first shown. */
const HOP_MILLIS = 400;
const replay = { id: null, start: 0, pending: false };

/** The selected item on the graph: nodes coloured by hops, arrows from sender to receiver. */
function drawTree() {
  const tree = selectedTree();
  const layer = $('tree-edges');
  layer.replaceChildren();
  const hops = new Map();
  if (tree) {
    if (replay.id !== tree.id) {
      replay.id = tree.id;
      replay.start = performance.now();
    }
    const shown = Math.floor((performance.now() - replay.start) / HOP_MILLIS);
    const maxHops = Math.max(0, ...tree.receipts.map((r) => r.hops));
    if (shown <= maxHops && !replay.pending) { // one frame request at a time, however often drawn
      replay.pending = true;
      requestAnimationFrame(() => { replay.pending = false; drawTree(); });
    }
    for (const r of tree.receipts) {
      if (r.hops > shown) continue;
      hops.set(r.node, r.hops);
      const a = state.pos.get(r.from), b = state.pos.get(r.node);
      if (r.from && a && b) {
        layer.append(svg('line', { class: 'tree', x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1) }));
      }
    }
  }
  for (const [id, g] of elements.nodes) {
    const c = g.querySelector('circle');
    if (hops.has(id)) {
      c.style.fill = hopColour(hops.get(id));
      g.dataset.hops = String(hops.get(id));
    } else {
      c.style.fill = '';
      delete g.dataset.hops;
    }
  }
}

function renderItems() {
  const all = trees();
  const tbody = $('items').querySelector('tbody');
  tbody.replaceChildren();
  const selected = selectedTree();
  const nodeCount = Math.max(1, statuses().length);
  for (const t of all.slice(0, 20)) {
    const maxHops = Math.max(0, ...t.receipts.map((r) => r.hops));
    const last = Math.max(...t.receipts.map((r) => r.at_ms));
    const tr = el('tr', { 'data-item': t.id, 'data-reached': String(t.receipts.length) });
    if (selected && t.id === selected.id) tr.classList.add('selected');
    tr.append(
      el('td', { class: 'mono' }, short(t.id)),
      el('td', { class: 'num' }, String(t.type)),
      el('td', { class: 'mono' }, t.origin ? short(t.origin) : '?'),
      el('td', { class: 'num' }, `${t.receipts.length}/${nodeCount}`),
      el('td', { class: 'num' }, String(maxHops)),
      el('td', { class: 'num' }, `${last - t.first_ms} ms`),
      el('td', { class: 'num' }, age(t.first_ms)));
    tr.onclick = () => { state.selected = t.id; replay.id = null; renderItems(); };
    tbody.append(tr);
  }
  renderTree(selected, nodeCount);
  drawTree();
}

function age(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** The selected item as a tree: who got it from whom, hop by hop, with times since its first record. */
function renderTree(tree, nodeCount) {
  const box = $('tree');
  const summary = $('tree-summary');
  if (!tree) return;
  const addresses = new Map([...state.nodes.values()].map((n) => [n.id, n.address]));
  const maxHops = Math.max(0, ...tree.receipts.map((r) => r.hops));
  const last = Math.max(...tree.receipts.map((r) => r.at_ms));
  summary.textContent = `${short(tree.id)} (type ${tree.type}): reached ${tree.receipts.length} of ${nodeCount} nodes, `
      + `${maxHops} hops at most, ${last - tree.first_ms} ms from first to last`;
  summary.dataset.item = tree.id;
  summary.dataset.reached = String(tree.receipts.length);
  const children = new Map();
  const have = new Set(tree.receipts.map((r) => r.node));
  const roots = [];
  for (const r of tree.receipts) {
    if (r.from && have.has(r.from)) {
      if (!children.has(r.from)) children.set(r.from, []);
      children.get(r.from).push(r);
    } else {
      roots.push(r);
    }
  }
  const item = (r) => {
    const li = el('li', { 'data-node': r.node });
    li.append(el('span', { class: 'hop', style: `background:${hopColour(r.hops)}` }, r.from ? `hop ${r.hops}` : 'origin'), ' ');
    li.append(el('span', { class: 'mono' }, short(r.node)), ' ', el('span', { class: 'muted' }, port(addresses.get(r.node))));
    li.append(' ', el('span', {}, `+${r.at_ms - tree.first_ms} ms`));
    const verdict = r.verdict || 'pending';
    if (r.from && !addresses.has(r.from)) li.append(' ', el('span', { class: 'muted' }, `from ${short(r.from)}`));
    if (verdict !== 'valid' && verdict !== 'local') li.append(' ', el('span', { class: `verdict-${verdict}` }, verdict));
    const kids = (children.get(r.node) || []).sort((a, b) => a.at_ms - b.at_ms);
    if (kids.length > 0) {
      const ul = el('ul');
      for (const k of kids) ul.append(item(k));
      li.append(ul);
    }
    return li;
  };
  const ul = el('ul');
  for (const r of roots.sort((a, b) => a.at_ms - b.at_ms)) ul.append(item(r));
  box.replaceChildren(ul);
  const missing = statuses().filter((s) => !have.has(s.identity)).length;
  if (missing > 0) box.append(el('p', { class: 'muted' }, `${missing} node(s) with an answering admin endpoint have no record of it (yet)`));
}

function renderViews() {
  const s = state.view.status;
  const box = $('views');
  box.replaceChildren();
  for (const [name, list] of [['active view', s.active], ['passive view', s.passive]]) {
    box.append(el('h3', {}, `${name} (${list.length})`));
    const ul = el('ul', { 'data-view': name.split(' ')[0] });
    for (const p of list) {
      const li = el('li');
      li.append(el('span', { class: 'mono' }, short(p.identity)), ` ${p.address}`);
      ul.append(li);
    }
    box.append(ul);
  }
}

function renderCounters() {
  const tbody = $('counters').querySelector('tbody');
  tbody.replaceChildren();
  const rows = { ...state.view.status.counters };
  for (const [k, v] of Object.entries(state.view.live)) rows[`live_view_${k}`] = v;
  const entries = Object.entries(rows);
  const half = Math.ceil(entries.length / 2);
  for (let i = 0; i < half; i++) { // two columns: the first half down the left, the rest down the right
    const tr = el('tr');
    for (const [k, v] of [entries[i], entries[i + half]].filter(Boolean)) {
      tr.append(el('td', { 'data-counter': k }, k), el('td', { class: 'num' }, String(v)));
    }
    tbody.append(tr);
  }
}

setInterval(() => { if (state.view) renderItems(); }, 5000); // the "seen" column ages
connect();
