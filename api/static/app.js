// The dashboard's script: vanilla JS, same origin as the API. The API key lives in
// sessionStorage and goes only into the Authorization header (never a URL: progress is read
// with fetch() streaming, not EventSource, which cannot send headers). Text from the service
// is put into the page with textContent, never as HTML; the one exception is the map, an SVG the
// service draws, parsed as XML and imported as nodes.
'use strict';
(function () {
  const KEY_STORE = 'courtplan.key', LANG_STORE = 'courtplan.lang', CASES_SHOWN = 300, PROBLEMS_SHOWN = 12;
  const OPEN_STORE = 'courtplan.open';  // the scenario and run on screen, reopened after a reload
  const state = {
    key: sessionStorage.getItem(KEY_STORE) || '',
    lang: localStorage.getItem(LANG_STORE) === 'en' ? 'en' : 'zh',
    scenarios: [], scenario: null, runs: [], run: null, plan: null, watch: null, compared: null,
    casePage: 0, caseSort: null,
  };
  const $ = (id) => document.getElementById(id);

  function t(key, vars) {
    let s = (window.I18N[state.lang] || {})[key];
    if (s === undefined) s = window.I18N.zh[key];
    if (s === undefined) s = key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replace('{' + k + '}', v);
    return s;
  }
  function num(x, digits) {
    if (x === null || x === undefined || Number.isNaN(x)) return '—';
    return Number(x).toLocaleString(state.lang === 'en' ? 'en' : 'zh-CN',
      { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  const pct = (x) => (x === null || x === undefined) ? '—' : (100 * x).toFixed(3) + '%';
  const when = (s) => s ? new Date(s).toLocaleString(state.lang === 'en' ? 'en' : 'zh-CN') : '—';
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function row(cells, numeric) {
    // cells: text, or a ready <td> (e.g. a coloured status)
    const tr = document.createElement('tr');
    cells.forEach((c, i) => {
      const td = c instanceof Node ? c : el('td', c);
      if (numeric && numeric.includes(i)) td.classList.add('n');
      tr.appendChild(td);
    });
    return tr;
  }
  function fill(tbody, rows) { tbody.replaceChildren(...rows); }
  // a row that opens something: reachable with Tab, opened with Enter or Space as with a click
  function pickable(tr, open, chosen) {
    tr.className = 'pick' + (chosen ? ' chosen' : '');
    tr.tabIndex = 0;
    tr.setAttribute('aria-selected', chosen ? 'true' : 'false');
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); }
    });
    return tr;
  }

  // ---- messages and the API -------------------------------------------------------------
  function say(text, ok, items) {
    // text, and when an answer lists problems, all of them: the count, the first few in the
    // message, every one in a list that opens (a renamed sheet can give thousands)
    const m = $('message');
    m.replaceChildren();
    m.hidden = !text; m.classList.toggle('ok', !!ok);
    if (!text) return;
    if (!items || items.length <= 1) { m.textContent = text; return; }
    m.append(el('p', t('problems.count', { n: num(items.length, 0) }), 'count'));
    m.append(el('p', items.slice(0, PROBLEMS_SHOWN).join('\n')));
    if (items.length > PROBLEMS_SHOWN) {
      const all = el('details'), list = el('ol');
      all.append(el('summary', t('problems.all', { n: num(items.length, 0), more: num(items.length - PROBLEMS_SHOWN, 0) })));
      list.append(...items.map((x) => el('li', x)));
      all.append(list);
      m.append(all);
    }
  }
  class ApiError extends Error {
    constructor(status, text, items) { super(text); this.status = status; this.items = items || []; }
  }
  const problemText = (p) => [p.path, p.record].filter(Boolean).join(' ') + ': ' + p.message;
  async function problems(r) {
    try {
      const body = await r.json();
      return (body.detail || []).map(problemText);
    } catch (e) { return [r.status + ' ' + r.statusText]; }
  }
  async function api(path, opts) {
    opts = opts || {};
    const headers = { 'Authorization': 'Bearer ' + state.key };
    let body;
    if (opts.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(opts.json); }
    if (opts.text !== undefined) { headers['Content-Type'] = 'application/json'; body = opts.text; }
    let r;
    try {
      r = await fetch(path, { method: opts.method || (body ? 'POST' : 'GET'), headers: headers, body: body,
        cache: 'no-store', credentials: 'omit', signal: opts.signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, t('error.network'));
    }
    if (!r.ok) { const items = await problems(r); throw new ApiError(r.status, items.join('\n'), items); }
    return opts.raw ? r : r.json();
  }
  function failed(e) {
    if (e && e.name === 'AbortError') return;
    if (e && e.status === 401) { say(t('key.bad')); showApp(false); return; }
    say(e && e.message ? e.message : String(e), false, e && e.items);
  }

  // ---- language -------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((e) => { e.placeholder = t(e.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-title]').forEach((e) => { e.title = t(e.dataset.i18nTitle); });
    const button = $('lang');
    button.textContent = state.lang === 'en' ? '中文' : 'English';
    button.lang = state.lang === 'en' ? 'zh-CN' : 'en';
    showApp(!$('app').hidden);
    renderScenarios(); renderRuns(); renderResult(); renderOutcomes(); renderCompare();
    if (window.CP.relabel) window.CP.relabel();
    if (state.run) renderProgress(state.run);
  }

  // ---- key ------------------------------------------------------------------------------
  function showApp(on) {
    $('app').hidden = !on;
    $('key-panel').hidden = on;
    $('key-forget').hidden = !on;
    const id = /^cp_([0-9a-f]{12})_/.exec(state.key);  // the key's id (not secret), never the token
    $('who').textContent = on && id ? t('key.id') + ' ' + id[1] : '';
  }
  async function useKey(event) {
    if (event) event.preventDefault();
    const typed = $('key').value.trim();
    if (typed) { state.key = typed; sessionStorage.setItem(KEY_STORE, typed); $('key').value = ''; }
    if (!state.key) return;
    try {
      await loadScenarios();
      say('');
      showApp(true);
      await reopen();
    } catch (e) { failed(e); }
  }
  function remember() {
    sessionStorage.setItem(OPEN_STORE, JSON.stringify({ scenario: state.scenario && state.scenario.id,
      run: state.run && state.run.id }));
  }
  async function reopen() {
    let open = {};
    try { open = JSON.parse(sessionStorage.getItem(OPEN_STORE) || '{}') || {}; } catch (e) { open = {}; }
    const s = state.scenarios.find((x) => x.id === open.scenario);
    if (!s) return;
    await chooseScenario(s);
    const r = state.runs.find((x) => x.id === open.run);
    if (r) openRun(r);
  }
  function forgetKey() {
    sessionStorage.removeItem(OPEN_STORE);
    sessionStorage.removeItem(KEY_STORE);
    state.key = ''; state.scenario = null; state.run = null; state.plan = null;
    stopWatching(); showApp(false); say('');
  }

  // ---- scenarios ------------------------------------------------------------------------
  async function loadScenarios() {
    const page = await api('/scenarios?limit=200');
    state.scenarios = page.items;
    renderScenarios();
  }
  function renderScenarios() {
    const rows = state.scenarios.map((s) => {
      const tr = row([s.name, s.dispatcher, num(s.courts, 0), num(s.cases, 0), String(s.version), when(s.created_at)],
        [2, 3, 4]);
      tr.dataset.id = s.id;
      return pickable(tr, () => chooseScenario(s), state.scenario && state.scenario.id === s.id);
    });
    if (!rows.length) { const tr = row([t('scenarios.none')]); tr.firstChild.colSpan = 6; rows.push(tr); }
    fill($('scenarios').tBodies[0], rows);
  }
  async function chooseScenario(s) {
    state.scenario = s;
    remember();
    $('runs-panel').hidden = false;
    $('scenario-name').textContent = s.name;
    renderScenarios();
    try { await loadRuns(); } catch (e) { failed(e); }
  }
  function base64(buffer) {
    const bytes = new Uint8Array(buffer), parts = [];
    for (let i = 0; i < bytes.length; i += 0x8000) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    return btoa(parts.join(''));
  }
  function showFileName() {
    const file = $('file').files[0], name = $('file-name');
    if (file) { name.textContent = file.name; delete name.dataset.i18n; }
    else { name.dataset.i18n = 'upload.no_file'; name.textContent = t('upload.no_file'); }
  }
  async function upload(event) {
    event.preventDefault();
    const file = $('file').files[0];
    if (!file) { say(t('upload.choose')); return; }
    const button = $('upload');
    button.disabled = true;
    try {
      let text;
      if (/\.xlsx$/i.test(file.name)) {
        const scenario = await api('/convert/workbook', { json: { workbook: base64(await file.arrayBuffer()) } });
        text = JSON.stringify(scenario);
      } else {
        text = await file.text();
      }
      const stored = await api('/scenarios', { text: text });
      say(t('upload.done') + ' ' + stored.name + ' (' + num(stored.cases, 0) + ' ' + t('col.cases') + ')', true);
      $('file').value = '';
      showFileName();
      await loadScenarios();
      await chooseScenario(stored);
    } catch (e) { failed(e); } finally { button.disabled = false; }
  }

  // ---- runs -----------------------------------------------------------------------------
  async function loadRuns() {
    if (!state.scenario) return;
    const page = await api('/scenarios/' + state.scenario.id + '/runs?limit=100&kind=plan');
    state.runs = page.items;
    renderRuns();
  }
  // one duration per run: the worker's wall time once it has ended (what the runs table shows),
  // the solver's elapsed time while it runs
  function seconds(r) {
    if (r.solve_seconds !== null && r.solve_seconds !== undefined) return num(r.solve_seconds, 1) + ' s';
    const p = r.progress || {};
    return p.elapsed === null || p.elapsed === undefined ? '—' : num(p.elapsed, 1) + ' s';
  }
  function statusCell(status) { return el('td', t('run.' + status), 'status-' + status); }
  function renderRuns() {
    const rows = state.runs.map((r) => {
      const s = r.summary;
      const tr = row([when(r.created_at), statusCell(r.status), s ? num(s.objective) : '—', s ? pct(s.gap) : '—',
        seconds(r)], [2, 3, 4]);
      tr.dataset.id = r.id;
      return pickable(tr, () => openRun(r), state.run && state.run.id === r.id);
    });
    if (!rows.length) { const tr = row([t('runs.none')]); tr.firstChild.colSpan = 5; rows.push(tr); }
    fill($('runs').tBodies[0], rows);
    renderCompareChoices();
  }
  // a number field read as the user typed it: empty or out of range is said, never sent as 0
  function numberField(id, what) {
    const input = $(id), text = input.value.trim();
    if (text === '' || !input.checkValidity() || !Number.isFinite(Number(text))) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      throw new ApiError(0, t('input.number', { what: t(what), min: input.min || '—', max: input.max || '—' }));
    }
    input.removeAttribute('aria-invalid');
    return Number(text);
  }
  function runParameters() {
    return { time_limit: numberField('time-limit', 'run.time_limit'), gap: numberField('gap', 'run.gap') };
  }
  async function startRun(event, changes, from) {
    if (event) event.preventDefault();
    if (!state.scenario) return;
    let body;
    try { body = runParameters(); } catch (e) { failed(e); return; }
    if (changes) body.changes = changes;
    // 热启动: from the latest finished run of this scenario (a run finished before warm starts
    // were kept has none: then the run starts cold)
    const base = from || ($('warm').checked ? state.runs.find((r) => r.status === 'done') : null);
    try {
      let run;
      try {
        run = await api('/scenarios/' + state.scenario.id + '/runs',
                        { json: base ? { ...body, warm_start_run: base.id } : body });
      } catch (e) {
        if (!base || e.status !== 409) throw e;
        run = await api('/scenarios/' + state.scenario.id + '/runs', { json: body });
      }
      say('');
      await loadRuns();
      openRun(run);
    } catch (e) { failed(e); }
  }
  function openRun(run) {
    stopWatching();
    state.run = run; state.plan = null;
    remember();
    $('result').hidden = true;
    renderRuns();
    renderProgress(run);
    if (run.status === 'done') loadResult(run);
    else if (run.status === 'queued' || run.status === 'running') watch(run);
  }
  function renderProgress(run) {
    const p = run.progress || {};
    $('progress-panel').hidden = false;
    $('run-id').textContent = run.id.slice(0, 8);
    const status = $('p-status');
    status.textContent = t('run.' + run.status); status.className = 'status-' + run.status;
    $('p-phase').textContent = p.phase ? t('phase.' + p.phase) : '—';
    const s = run.summary;  // once a plan exists its own numbers are the final ones
    $('p-objective').textContent = num(s ? s.objective : p.incumbent);
    $('p-bound').textContent = num(s ? s.bound : p.bound);
    $('p-gap').textContent = pct(s ? s.gap : p.gap);
    $('p-elapsed').textContent = seconds(run);
    const bar = $('p-bar');
    bar.max = Math.max(p.pieces_total || 0, 1);
    bar.value = run.status === 'done' ? bar.max : (p.pieces_done || 0);
    const errors = (run.error || []).map((e) => [e.path, e.record].filter(Boolean).join(' ') + ': ' + e.message);
    const live = run.status === 'queued' || run.status === 'running';
    $('p-message').textContent = errors.length ? t('result.failed') + errors.join('; ') : live ? (p.message || '') : '';
    $('run-cancel').hidden = !live;
  }
  function stopWatching() { if (state.watch) { state.watch.abort(); state.watch = null; } }
  async function watch(run) {
    const controller = new AbortController();
    state.watch = controller;
    try {
      const r = await api('/runs/' + run.id + '/events', { raw: true, signal: controller.signal });
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
          const event = sseEvent(block);
          if (event && event.type === 'progress') { state.run = JSON.parse(event.data); renderProgress(state.run); }
        }
      }
    } catch (e) { failed(e); return; } finally { if (state.watch === controller) state.watch = null; }
    if (controller.signal.aborted) return;
    try {
      await loadRuns();
      const fresh = state.runs.find((x) => x.id === run.id) || state.run;
      state.run = fresh; renderProgress(fresh); renderRuns();
      if (fresh.status === 'done') await loadResult(fresh);
    } catch (e) { failed(e); }
  }
  function sseEvent(block) {
    let type = 'message'; const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    return data.length ? { type: type, data: data.join('\n') } : null;
  }
  async function cancelRun() {
    if (!state.run) return;
    try { state.run = await api('/runs/' + state.run.id + '/cancel', { method: 'POST' }); renderProgress(state.run); }
    catch (e) { failed(e); }
  }

  // ---- the plan -------------------------------------------------------------------------
  async function loadResult(run) {
    try {
      const [planOut, svg] = await Promise.all([
        api('/runs/' + run.id + '/plan'),
        api('/runs/' + run.id + '/map.svg', { raw: true }).then((r) => r.text()),
      ]);
      if (!state.run || state.run.id !== run.id) return;
      state.plan = planOut;
      showMap(svg);
      $('result').hidden = false;
      renderResult();
    } catch (e) { failed(e); return; }
    loadOutcomes(run);
  }
  // ---- what the plan does over time: projection and 执转破 screening -------------------
  async function loadOutcomes(run) {
    try {
      const [proj, screen] = await Promise.all([api('/runs/' + run.id + '/projection'),
        api('/runs/' + run.id + '/screening')]);
      if (!state.run || state.run.id !== run.id) return;
      state.outcomes = { proj: proj, screen: screen };
      renderOutcomes();
    } catch (e) { failed(e); }
  }
  function chart(block, title) {
    const NS = 'http://www.w3.org/2000/svg', W = 240, H = 110, L = 42, R = 6, U = 16, D = 14;
    const plan = block.plan.pending, none = block.none.pending, lo = block.plan_band.low, hi = block.plan_band.high;
    const all = plan.concat(none, lo, hi), top = Math.max(...all), bottom = Math.min(...all);
    const span = (top - bottom) || Math.max(Math.abs(top), 1);
    const xy = (t, v) => (L + (W - L - R) * t / Math.max(plan.length - 1, 1)).toFixed(1) + ',' +
      (U + (H - U - D) * (1 - (v - bottom) / span)).toFixed(1);
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H); svg.setAttribute('width', W); svg.setAttribute('height', H);
    const add = (tag, attrs, text) => {
      const e = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e);
    };
    add('polygon', { points: lo.map((v, t) => xy(t, v)).concat(hi.map((v, t) => xy(t, v)).reverse()).join(' '), class: 'proj-band' });
    add('polyline', { points: none.map((v, t) => xy(t, v)).join(' '), class: 'proj-none' });
    add('polyline', { points: plan.map((v, t) => xy(t, v)).join(' '), class: 'proj-plan' });
    add('text', { x: 2, y: U - 4 }, title);
    add('text', { x: 2, y: U + 8 }, num(top, 0));
    add('text', { x: 2, y: H - D }, num(bottom, 0));
    return svg;
  }
  function renderOutcomes() {
    const o = state.outcomes;
    if (!o) return;
    const m = o.proj.months;
    const courts = o.proj.courts.slice().sort((a, b) =>
      Math.abs(b.difference.pending[m]) - Math.abs(a.difference.pending[m])).slice(0, 12);
    $('projection').replaceChildren(chart(o.proj.district, t('proj.district')),
      ...courts.map((c) => chart(c, c.name)));
    const k = o.proj.kpis;
    fill($('proj-kpis').tBodies[0], Object.keys(k).filter((x) => typeof k[x] === 'object').map((x) =>
      row([t('proj.' + x.split('_')[0], {}) + ' · ' + t('proj.after', { n: x.split('_')[1].replace('m', '') }),
        num(k[x].plan, 0), num(k[x].none, 0), (k[x].difference > 0 ? '+' : '') + num(k[x].difference, 0)], [1, 2, 3])));
    const c = o.screen.counts;
    $('screen-counts').textContent = t('screen.counts', { transfer: num(c.transfer, 0), consult: num(c.consult, 0),
      na: num(c.not_applicable, 0) });
    fill($('screening').tBodies[0], o.screen.groups.slice(0, 200).map((g) => row([t('screen.' + g.status),
      g.debtor_id, num(g.open_cases, 0), num(g.zhongben_cases, 0), g.receiving_court_name || '—', g.reason], [2, 3])));
  }
  function showMap(svgText) {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const root = doc.documentElement;
    const box = $('map');
    if (root.namespaceURI === 'http://www.w3.org/2000/svg') box.replaceChildren(document.importNode(root, true));
    else box.replaceChildren(el('p', root.textContent, 'muted'));
  }
  function decision(c) {
    let label = t('mode.' + c.mode);
    if (c.mode === 'coordinate' && c.coordination) label += '（' + t('coordination.' + c.coordination) + '）';
    if (c.entrusted_assets && c.entrusted_assets.length) label += ' + ' + t('kpi.matters_entrusted') + '×' + c.entrusted_assets.length;
    return label;
  }
  function renderResult() {
    if (!state.plan) return;
    const s = state.plan.summary, k = s.kpis || {}, plan = state.plan.plan;
    const facts = [['result.status', t('status.' + s.status)], ['progress.objective', num(s.objective)],
      ['progress.bound', num(s.bound)], ['progress.gap', pct(s.gap)], ['result.method', s.method],
      ['col.cases', num(plan.cases.length, 0)]];
    $('summary').replaceChildren(...facts.flatMap(([key, v]) => [el('dt', t(key)), el('dd', v)]));
    const kpiRows = Object.keys(k).filter((x) => typeof k[x] === 'number').map((x) =>
      row([t('kpi.' + x), /utilisation/.test(x) && !/gini/.test(x) ? (100 * k[x]).toFixed(1) + '%' : num(k[x], 3)], [1]));
    fill($('kpis').tBodies[0], kpiRows);
    const rules = k.rules || {};
    fill($('rules').tBodies[0], Object.keys(rules).map((x) => row([t('rule.' + x), num(rules[x], 0)], [1])));
    const modes = s.cases_per_mode || {};
    fill($('modes').tBodies[0], Object.keys(modes).map((x) => row([t('mode.' + x), num(modes[x], 0)], [1])));
    state.caseText = plan.cases.map((c) => [c.case_id, decision(c), c.from_court_name, c.court_name,
      c.decided_by_name || '—', (c.reasons || []).join('、')]);
    state.caseIndex = state.caseText.map((r) => r.join(' ').toLowerCase());
    renderCases();
    renderFlows(plan);
    window.CP.planShown();
  }
  function searchCases() { state.casePage = 0; renderCases(); }
  function sortCases(col) {
    const s = state.caseSort;
    state.caseSort = { col: col, up: !(s && s.col === col && s.up) };
    renderCases();
  }
  function renderCases() {
    if (!state.caseText) return;
    const words = $('case-search').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const hits = [];
    state.caseIndex.forEach((text, i) => { if (words.every((w) => text.includes(w))) hits.push(i); });
    const sort = state.caseSort;
    if (sort) {
      const cmp = new Intl.Collator(state.lang === 'en' ? 'en' : 'zh-CN', { numeric: true });
      hits.sort((a, b) => (sort.up ? 1 : -1) * cmp.compare(state.caseText[a][sort.col], state.caseText[b][sort.col]));
    }
    document.querySelectorAll('#cases thead th').forEach((th, i) => {
      th.setAttribute('aria-sort', sort && sort.col === i ? (sort.up ? 'ascending' : 'descending') : 'none');
    });
    const pages = Math.max(1, Math.ceil(hits.length / CASES_SHOWN));
    state.casePage = Math.min(state.casePage, pages - 1);
    const first = state.casePage * CASES_SHOWN, shown = hits.slice(first, first + CASES_SHOWN);
    fill($('cases').tBodies[0], shown.map((i) => pickable(row(state.caseText[i]), () => window.CP.openCase(state.caseText[i][0]),
      window.CP.caseOpen === state.caseText[i][0])));
    $('case-count').textContent = t('cases.count', { n: num(hits.length, 0), shown: num(shown.length, 0) });
    $('page-at').textContent = t('page.at', { page: num(state.casePage + 1, 0), pages: num(pages, 0),
      from: num(hits.length ? first + 1 : 0, 0), to: num(first + shown.length, 0) });
    $('page-prev').disabled = state.casePage === 0;
    $('page-next').disabled = state.casePage >= pages - 1;
  }
  function turnPage(by) { state.casePage += by; renderCases(); }
  // 流向表: cases per (from court, enforcing court) pair, largest first — the map's arrows as numbers
  function renderFlows(plan) {
    const count = new Map();
    for (const c of plan.cases) {
      if (c.court_id === c.from_court_id) continue;
      const key = c.from_court_name + '\u0000' + c.court_name;
      count.set(key, (count.get(key) || 0) + 1);
    }
    const rows = [...count.entries()].sort((a, b) => b[1] - a[1]).map(([key, n]) => row([...key.split('\u0000'), num(n, 0)], [2]));
    if (!rows.length) { const tr = row([t('flows.none')]); tr.firstChild.colSpan = 3; rows.push(tr); }
    fill($('od').tBodies[0], rows);
  }
  async function download(what, button) {
    if (!state.run) return;
    const label = button.textContent;
    button.disabled = true; button.textContent = t('dl.busy');
    try {
      const r = await api('/runs/' + state.run.id + '/' + what, { raw: true });
      const match = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') || '');
      const url = URL.createObjectURL(await r.blob());
      const a = document.createElement('a');
      a.href = url; a.download = match ? match[1] : what;
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (e) { failed(e); } finally { button.disabled = false; button.textContent = label; }
  }

  // ---- compare --------------------------------------------------------------------------
  function renderCompareChoices() {
    const done = state.runs.filter((r) => r.status === 'done');
    $('compare-panel').hidden = done.length < 2;
    for (const [id, pick] of [['cmp-a', 1], ['cmp-b', 0]]) {
      const select = $(id), before = select.value;
      select.replaceChildren(...done.map((r) => {
        const o = el('option', when(r.created_at) + ' · ' + num(r.summary ? r.summary.objective : null));
        o.value = r.id; return o;
      }));
      if (done.some((r) => r.id === before)) select.value = before;
      else if (done.length > pick) select.value = done[pick].id;
    }
  }
  async function compare(event) {
    event.preventDefault();
    const a = $('cmp-a').value, b = $('cmp-b').value;
    if (!a || !b) { say(t('compare.need')); return; }
    try { state.compared = await api('/runs/' + a + '/compare/' + b); renderCompare(); } catch (e) { failed(e); }
  }
  const place = (mode, court) => t('mode.' + mode) + ' @' + court;
  function renderCompare() {
    const c = state.compared, out = $('compare-out');
    if (!c) { out.replaceChildren(); return; }
    const names = c.court_names || {}, court = (id) => names[id] || id;
    const facts = el('dl', null, 'facts');
    const change = c.objective.change;
    // the objective is a cost: lower is better, so only its change is coloured
    const objective = el('dd', (change > 0 ? '+' : '') + num(change), change < 0 ? 'better' : change > 0 ? 'worse' : '');
    facts.append(el('dt', 'A'), el('dd', num(c.objective.a)), el('dt', 'B'), el('dd', num(c.objective.b)),
      el('dt', t('compare.objective')), objective,
      el('dt', t('compare.cases')), el('dd', num(c.cases.length, 0)));
    const parts = [facts];
    for (const w of c.warnings || []) parts.push(el('p', w, 'muted'));
    const kpis = el('table'), khead = el('thead'), kbody = el('tbody');
    khead.appendChild(row([el('th', t('compare.kpi')), el('th', 'A'), el('th', 'B'), el('th', 'B − A')], [1, 2, 3]));
    Object.entries(c.kpis).forEach(([key, [a, b]]) => {
      if (typeof a !== 'number' || typeof b !== 'number' || a === b) return;
      const bits = key.split('.');
      const name = bits[0] === 'rules' ? t('rule.' + bits[1]) : bits[0] === 'cases_per_mode' ? t('mode.' + bits[1]) : t('kpi.' + key);
      kbody.appendChild(row([name.trim(), num(a, 3), num(b, 3), (b > a ? '+' : '') + num(b - a, 3)], [1, 2, 3]));
    });
    if (!kbody.childNodes.length) kbody.appendChild(row([t('compare.nokpi'), '', '', '']));
    kpis.append(khead, kbody);
    parts.push(kpis);
    const cases = el('table'), chead = el('thead'), cbody = el('tbody');
    cases.id = 'compare-cases';
    chead.appendChild(row([el('th', t('cases.id')), el('th', t('compare.before')), el('th', t('compare.after')),
      el('th', t('cases.reasons'))]));
    c.cases.forEach((x) => cbody.appendChild(row([x.case_id, place(x.mode_a, court(x.court_a)),
      place(x.mode_b, court(x.court_b)), (x.reasons_b || []).join('、')])));
    if (!c.cases.length) cbody.appendChild(row([t('compare.nocase'), '', '', '']));
    cases.append(chead, cbody);
    parts.push(el('h3', t('compare.cases_heading')), Object.assign(el('div', null, 'scroll short'), {}));
    parts[parts.length - 1].appendChild(cases);
    out.replaceChildren(...parts);
  }

  // ---- what workbench.js uses ------------------------------------------------------------
  window.CP = Object.assign(window.CP || {}, {
    state: state, $: $, t: t, num: num, el: el, row: row, fill: fill, pickable: pickable, api: api,
    say: say, failed: failed, numberField: numberField, ApiError: ApiError,
    runWhatIf: (changes, from) => startRun(null, changes, from), renderCases: renderCases,
    planShown: () => {}, openCase: () => {}, start: () => {}, caseOpen: null,
  });

  // ---- start ----------------------------------------------------------------------------
  document.addEventListener('DOMContentLoaded', () => {
    $('lang').addEventListener('click', () => {
      state.lang = state.lang === 'en' ? 'zh' : 'en';
      localStorage.setItem(LANG_STORE, state.lang);
      applyLanguage();
    });
    $('key-form').addEventListener('submit', useKey);
    $('key-forget').addEventListener('click', forgetKey);
    $('upload-form').addEventListener('submit', upload);
    $('file').addEventListener('change', showFileName);
    $('run-form').addEventListener('submit', startRun);
    $('run-cancel').addEventListener('click', cancelRun);
    $('case-search').addEventListener('input', searchCases);
    $('page-prev').addEventListener('click', () => turnPage(-1));
    $('page-next').addEventListener('click', () => turnPage(1));
    document.querySelectorAll('#cases button.sort').forEach((b) => b.addEventListener('click', () => sortCases(Number(b.dataset.col))));
    $('compare-form').addEventListener('submit', compare);
    $('dl-xlsx').addEventListener('click', (e) => download('plan.xlsx', e.currentTarget));
    $('dl-report').addEventListener('click', (e) => download('report.html', e.currentTarget));
    $('dl-drafts').addEventListener('click', (e) => download('drafts.zip', e.currentTarget));
    applyLanguage();
    window.CP.start();
    // the product's labels come from the service (GET /vocabulary), then the page is redrawn
    window.I18N.load().then(() => {
      applyLanguage();
      if (state.key) useKey();
    });
  });
})();
