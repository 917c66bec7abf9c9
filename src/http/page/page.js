// SPDX-License-Identifier: Apache-2.0
// The status page's logic: reads /api/status every few seconds and /api/history incrementally,
// and draws everything itself (DOM and SVG, no library). Only textContent and attributes are
// set: no HTML from data, no inline style (the Content-Security-Policy forbids it anyway).
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const STATUS_EVERY_MS = 2000;
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, parent, text) {
    const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4))
                                     : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  const fixed = (v, d) => (v === null || v === undefined ? '–' : Number(v).toFixed(d));
  const volts = (mv) => (mv === null || mv === undefined ? '–' : (mv / 1000).toFixed(3) + ' V');
  const age = (s) => (s === null || s === undefined ? '–'
                      : s < 120 ? s.toFixed(1) + ' s' : s < 7200 ? Math.round(s / 60) + ' min'
                      : (s / 3600).toFixed(1) + ' h');

  // ---- the bank ----
  function summary(st) {
    const b = st.battery;
    const root = $('summary');
    clear(root);
    const card = (k, v, bad) => {
      const c = el('div', { class: 'card' + (bad ? ' bad' : '') }, root);
      el('div', { class: 'k' }, c, k);
      el('div', { class: 'v' }, c, v);
    };
    card('Voltage', fixed(b.voltage_mv / 1000, 2) + ' V');
    card('Current', fixed(b.current_ma / 1000, 1) + ' A');
    card('Power', fixed((b.voltage_mv / 1000) * (b.current_ma / 1000), 0) + ' W');
    card('SOC', fixed(b.soc_centi / 100, 1) + ' %');
    card('SOH', fixed(b.soh_centi / 100, 1) + ' %');
    card('Remaining', fixed(b.remaining_mah / 1000, 1) + ' Ah');
    card('Packs counted', b.packs_counted + ' / ' + b.packs_known, b.packs_counted < b.packs_known);
    card('Cell spread', b.cells.spread_mv + ' mV');
    card('Highest temperature', fixed(b.temperature.max_dc / 10, 1) + ' °C');
    card('Cycles', String(b.cycles));
    if (b.safe_state) card('SAFE STATE', b.transmit ? 'zero limits' : 'silent', true);
  }

  function limits(st) {
    const body = $('limits').tBodies[0];
    clear(body);
    for (const [key, name, unit] of [['cvl', 'CVL', 'V'], ['dvl', 'DVL', 'V'], ['ccl', 'CCL', 'A'], ['dcl', 'DCL', 'A']]) {
      const l = st.battery.limits[key];
      const raw = unit === 'V' ? l.value_mv : l.value_ma;
      const tr = el('tr', { id: 'limit-' + key }, body);
      el('th', {}, tr, name);
      el('td', { class: 'num value' }, tr, (raw / 1000).toFixed(1) + ' ' + unit);
      el('td', { class: 'reason' }, tr, l.reasons.map((r) => r.text).join('; ') || '–');
    }
  }

  function flags(st) {
    const b = st.battery;
    const ul = $('flags');
    clear(ul);
    const f = (name, on, alert) => el('li', { class: on ? (alert ? 'alert' : 'on') : '' }, ul, name + (on ? '' : ': no'));
    f('charge enabled', b.flags.charge_enable);
    f('discharge enabled', b.flags.discharge_enable);
    f('force charge', b.flags.force_charge, true);
    f('full charge request', b.flags.full_charge_request);
    f('safe state', b.safe_state, true);
    const alarms = $('alarms');
    clear(alarms);
    if (!b.warnings.length && !b.protections.length) alarms.textContent = 'none';
    if (b.protections.length) el('div', { class: 'alarm-prot' }, alarms, 'protection: ' + b.protections.join(', '));
    if (b.warnings.length) el('div', { class: 'alarm-warn' }, alarms, 'warning: ' + b.warnings.join(', '));
    const inv = st.inverter;
    const line = $('inverter');
    clear(line);
    el('div', {}, line, inv.protocol + ' over ' + inv.link + ': ' + inv.state);
    el('div', {}, line, 'frames sent ' + inv.frames_sent + ', received ' + inv.frames_received +
       ', errors ' + inv.errors + (inv.since_heard_s !== null ? ', heard ' + age(inv.since_heard_s) + ' ago' : ''));
    if (inv.detail) el('div', {}, line, inv.detail);
    el('div', {}, line, 'pack bus ' + st.bus.device + ' (' + st.bus.mode + '), ' + st.bus.sweeps + ' sweeps');
  }

  // ---- the cell map: packs by cells ----
  const lastValues = {};  // address -> the last values seen: a stale pack keeps its picture
  function cellmap(st) {
    const svg = $('cellmap');
    clear(svg);
    const b = st.battery;
    const packs = st.packs;
    let width = 0;
    for (const p of packs) {
      if (p.values) lastValues[p.address] = p.values;
      const v = lastValues[p.address];
      if (v) width = Math.max(width, v.cell_mv.length);
    }
    const cw = 52, ch = 22, left = 64, right = 150;
    let lo = b.cells.min_mv, hi = b.cells.max_mv;
    if (!(hi > lo)) { lo -= 5; hi += 5; }
    svg.setAttribute('viewBox', '0 0 ' + (left + width * cw + right) + ' ' + (18 + packs.length * ch));
    for (let c = 0; c < width; ++c)
      el('svg:text', { x: left + c * cw + cw / 2, y: 12, 'text-anchor': 'middle', class: 'label' }, svg, String(c + 1));
    packs.forEach((p, row) => {
      const v = lastValues[p.address];
      const stale = !p.counted;
      const g = el('svg:g', { class: 'pack' + (stale ? ' stale' : ''), 'data-pack': p.address }, svg);
      const y = 18 + row * ch;
      el('svg:text', { x: 4, y: y + 15, class: 'label' }, g, 'pack ' + p.address);
      if (!v) {
        el('svg:text', { x: left, y: y + 15, class: 'stale-label' }, g, 'no reading yet' + (p.online ? '' : ' (not answering)'));
        return;
      }
      v.cell_mv.forEach((mv, i) => {
        const isMin = !stale && b.cells.min_at.pack === p.address && b.cells.min_at.index === i + 1;
        const isMax = !stale && b.cells.max_at.pack === p.address && b.cells.max_at.index === i + 1;
        const f = Math.min(1, Math.max(0, (mv - lo) / (hi - lo)));
        const r = el('svg:rect', {
          x: left + i * cw, y: y, width: cw, height: ch,
          class: 'cell' + (isMin ? ' min' : '') + (isMax ? ' max' : ''),
          fill: 'hsl(' + Math.round(225 - 225 * f) + ', 70%, 72%)',
          'data-pack': p.address, 'data-cell': i + 1, 'data-mv': mv }, g);
        el('svg:title', {}, r, 'pack ' + p.address + ' cell ' + (i + 1) + ': ' + (mv / 1000).toFixed(3) + ' V' +
           (isMin ? ' (lowest of the bank)' : '') + (isMax ? ' (highest of the bank)' : ''));
        el('svg:text', { x: left + i * cw + cw / 2, y: y + 15, 'text-anchor': 'middle' }, g,
           (isMin ? '▼' : isMax ? '▲' : '') + (mv / 1000).toFixed(3));
      });
      const spread = Math.max(...v.cell_mv) - Math.min(...v.cell_mv);
      el('svg:text', { x: left + width * cw + 8, y: y + 15, class: stale ? 'stale-label' : 'label' }, g,
         stale ? 'STALE, last ' + age(p.last_seen_age_s) + ' ago' : 'spread ' + spread + ' mV');
    });
  }

  // ---- the pack table ----
  function packTable(st) {
    const body = $('packs').tBodies[0];
    clear(body);
    for (const p of st.packs) {
      const v = p.values;
      const tr = el('tr', { 'data-pack': p.address, class: p.counted ? 'counted' : 'stale' }, body);
      const td = (text, cls) => el('td', cls ? { class: cls } : {}, tr, text);
      td(String(p.address));
      td(p.counted ? 'ok' : p.online ? 'stale (reading too old)' : 'stale (not answering)', 'state');
      // What the pack is: its family and model; firmware and serial (long) in the tooltip.
      const id = p.identity;
      const bms = td(id ? [id.family, id.model].filter(Boolean).join(' ') : '–', 'identity');
      if (id) bms.title = ['firmware ' + (id.firmware || '?'), 'serial ' + (id.serial || '?')].join(', ');
      if (v) {
        const lo = Math.min(...v.cell_mv), hi = Math.max(...v.cell_mv);
        td(fixed(v.voltage_mv / 1000, 2), 'num');
        td(fixed(v.current_ma / 1000, 1), 'num');
        td(fixed(v.soc_centi / 100, 1) + ' %', 'num');
        td(volts(lo) + ' (' + (v.cell_mv.indexOf(lo) + 1) + ')', 'num');
        td(volts(hi) + ' (' + (v.cell_mv.indexOf(hi) + 1) + ')', 'num');
        td((hi - lo) + ' mV', 'num');
        td(v.cell_temp_dc.length ? fixed(Math.max(...v.cell_temp_dc) / 10, 1) : '–', 'num');
        td(v.mosfet_temp_dc === null ? '–' : fixed(v.mosfet_temp_dc / 10, 1), 'num');
        td([].concat(v.protections, v.warnings).join(', ') || 'none');
      } else {
        for (let i = 0; i < 9; ++i) td('–', 'num');
      }
      td(String(p.polls), 'num');
      td(String(p.replies), 'num');
      td(String(p.timeouts), 'num');
      td(String(p.checksum_errors), 'num');
      td(p.last_latency_ms === null ? '–' : p.last_latency_ms + ' ms', 'num');
      td(p.last_seen_age_s === null ? 'never' : age(p.last_seen_age_s) + ' ago', 'num');
    }
  }

  // ---- history and charts ----
  const CHARTS = [
    { id: 'soc', title: 'SOC (%)', lines: [['soc_centi', 0.01, '#1a7f37']] },
    { id: 'voltage', title: 'Bank voltage (V)', lines: [['voltage_mv', 0.001, '#1d4ed8']] },
    { id: 'current', title: 'Bank current (A, + charging)', lines: [['current_ma', 0.001, '#7c3aed']] },
    { id: 'limits', title: 'CCL and DCL (A)', lines: [['ccl_ma', 0.001, '#1a7f37', 'CCL'], ['dcl_ma', 0.001, '#c2261d', 'DCL']] },
    { id: 'spread', title: 'Cell spread (mV)', lines: [['spread', 1, '#b26b00']] },
    { id: 'temp', title: 'Highest temperature (°C)', lines: [['temp_max_dc', 0.1, '#c2261d']] },
  ];
  let hist = null;  // {run, now, interval_s, capacity, t: [...], ...}
  let historyBusy = false;

  function mergeHistory(h) {
    if (!hist || hist.run !== h.run) { hist = h; return; }
    for (const k of Object.keys(h)) {
      if (Array.isArray(h[k])) hist[k] = hist[k].concat(h[k]).slice(-hist.capacity);
    }
    hist.now = h.now;
  }

  function drawCharts() {
    if (!hist) return;
    const root = $('charts');
    const n = hist.t.length;
    // The ring holds capacity x interval seconds (24 h by default); until it is full the x axis
    // spans what there is (at least 60 samples' time), so a fresh start does not draw a thin line
    // at the edge.
    const fullS = hist.capacity * hist.interval_s;
    const windowS = Math.min(fullS, Math.max(60 * hist.interval_s, n ? hist.now - hist.t[0] : 0));
    $('history-note').textContent = 'up to the last ' + (fullS / 3600).toFixed(fullS < 36000 ? 1 : 0) +
      ' h, one sample per ' + hist.interval_s + ' s; kept in memory only: it starts empty when packbridge restarts';
    const W = 420, H = 150, L = 40, R = 6, T = 8, B = 18;
    for (const c of CHARTS) {
      let box = $('chart-' + c.id);
      if (!box) {
        box = el('div', { class: 'chart', id: 'chart-' + c.id }, root);
        el('h3', {}, box, c.title);
        el('svg:svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': c.title }, box);
        if (c.lines.length > 1) {
          const legend = el('div', { class: 'legend' }, box);
          c.lines.forEach((l, i) => el('span', { class: 'key-' + l[3].toLowerCase() }, legend, (i ? '╌ ' : '━ ') + l[3] + ' '));
        }
      }
      const svg = box.querySelector('svg');
      clear(svg);
      const series = c.lines.map(([key, scale]) => {
        const ys = key === 'spread' ? hist.cell_max_mv.map((v, i) => v - hist.cell_min_mv[i]) : hist[key];
        return ys.map((y) => y * scale);
      });
      const all = [].concat(...series);
      let lo = all.length ? Math.min(...all) : 0, hi = all.length ? Math.max(...all) : 1;
      if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
      const pad = (hi - lo) * 0.05;
      // Padding never takes a quantity that cannot go negative (limits, SOC, spread) below zero.
      lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
      hi += pad;
      const x = (t) => L + (W - L - R) * (1 - (hist.now - t) / windowS);
      const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
      for (let i = 0; i <= 4; ++i) {
        const v = lo + ((hi - lo) * i) / 4;
        el('svg:line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }, svg);
        el('svg:text', { x: L - 4, y: y(v) + 3, 'text-anchor': 'end' }, svg, Math.abs(hi - lo) < 5 ? v.toFixed(2) : v.toFixed(0));
      }
      for (let i = 0; i <= 4; ++i) {
        const ago = windowS * (1 - i / 4);
        el('svg:text', { x: L + ((W - L - R) * i) / 4, y: H - 5, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, svg,
           ago === 0 ? 'now' : '-' + (ago >= 7200 ? (ago / 3600).toFixed(1) + ' h'
                                     : ago >= 120 ? Math.round(ago / 60) + ' min' : Math.round(ago) + ' s'));
      }
      c.lines.forEach(([, , colour], s) => {
        const pts = series[s].map((v, i) => x(hist.t[i]).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
        // A second line is dashed: CCL and DCL are often equal and would hide each other.
        el('svg:polyline', Object.assign({ points: pts, stroke: colour, 'data-n': n },
                                         s > 0 ? { 'stroke-dasharray': '6 4' } : {}), svg);
      });
    }
  }

  async function fetchJson(url) {
    const r = await fetch(url, { cache: 'no-store' });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.json();
  }

  async function updateHistory() {
    if (historyBusy) return;
    historyBusy = true;
    try {
      const since = hist && hist.t.length ? hist.t[hist.t.length - 1] : -1;
      let h = await fetchJson('/api/history' + (since >= 0 ? '?since=' + since : ''));
      // A restarted daemon has a new run and new times: its tail after our last time is not
      // its history, so fetch the whole of it.
      if (hist && h.run !== hist.run && since >= 0) h = await fetchJson('/api/history');
      mergeHistory(h);
      drawCharts();
    } catch (e) {
      // The connection line says it; the charts keep what they have.
    } finally {
      historyBusy = false;
    }
  }

  let lastOk = null;
  async function update() {
    try {
      const st = await fetchJson('/api/status');
      lastOk = new Date();
      $('version').textContent = st.version;
      $('conn').textContent = 'updated ' + lastOk.toLocaleTimeString();
      $('conn').className = 'conn';
      if (st.battery) {
        summary(st);
        limits(st);
        flags(st);
        cellmap(st);
        packTable(st);
      }
    } catch (e) {
      $('conn').textContent = 'no answer from packbridge' + (lastOk ? ' since ' + lastOk.toLocaleTimeString() : '') + ': values below are old';
      $('conn').className = 'conn lost';
    }
    await updateHistory();
  }

  update();
  setInterval(update, STATUS_EVERY_MS);
})();
