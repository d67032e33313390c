// The planner's workbench in the dashboard: a case's explanation, alternatives and why-not; the
// what-if editor run warm from the open run; officers' marginal values; recommend for a new
// case; sweeps with their chart. Every answer is the service's (the CLI's document): nothing
// is computed here but the layout. Text from the service goes in with textContent only; the
// sweep's chart, an SVG the service draws, is shown as an image (no script can run in it).
'use strict';
(function () {
  const WORDS = {
    'problems.count': ['共 {n} 个问题：', '{n} problems:'],
    'problems.all': ['全部 {n} 个问题（另有 {more} 个未在上方列出）', 'All {n} problems ({more} more than above)'],
    'input.number': ['“{what}”须填写 {min}–{max} 之间的数', '"{what}" needs a number from {min} to {max}'],
    'cases.search_label': ['搜索案件', 'Search cases'],
    'cases.hint': ['点击或按回车键打开案件：解释、其他合法方式、为何不移送某院。',
      'Click a case, or press Enter on it, for its explanation, alternatives and why-not.'],
    'page.prev': ['上一页', 'Previous'], 'page.next': ['下一页', 'Next'],
    'page.at': ['第 {page}/{pages} 页（第 {from}–{to} 件）', 'page {page} of {pages} (cases {from}–{to})'],
    'flows.heading': ['流向表（原法院 → 执行法院）', 'Origin–destination table (from court → enforcing court)'],
    'flows.none': ['没有移送的案件', 'No case moves'],
    'compare.before': ['A 的决定', 'In A'], 'compare.after': ['B 的决定', 'In B'],
    'compare.cases_heading': ['决定不同的案件', 'Cases decided differently'],
    'compare.nocase': ['没有决定不同的案件', 'No case is decided differently'],
    'case.heading': ['案件解释', 'Case explained'],
    'case.alternatives': ['其他合法方式（按估算增加成本）', 'Lawful alternatives (by estimated extra cost)'],
    'case.estimate': ['估算增加', 'Estimated extra'], 'case.binds': ['约束', 'What binds'],
    'case.whynot_court': ['为何不移送至', 'Why not send it to'], 'case.whynot': ['为何不？', 'Why not?'],
    'case.decision': ['决定', 'Decision'], 'case.basis': ['依据', 'Basis'], 'case.reasons': ['事由', 'Reasons'],
    'case.cost': ['成本', 'Cost'], 'case.document': ['文书', 'Document'],
    'case.none': ['没有其他合法方式', 'No other lawful option'],
    'whynot.lawful': ['合法，但多出成本 {cost}', 'lawful, but {cost} dearer'],
    'whatif.heading': ['变更方案（what-if）', 'What-if changes'],
    'whatif.note': ['从当前运行热启动求解；每项变更可删除。', 'Planned warm from the open run; each change can be removed.'],
    'whatif.court': ['法院', 'Court'], 'whatif.officers_add': ['增减执行人员（±）', 'Officers added (±)'],
    'whatif.add': ['加入', 'Add'], 'whatif.bar': ['不得接收案件的法院', 'Court barred from receiving'],
    'whatif.pin': ['指定', 'Pin'], 'whatif.forbid': ['禁止', 'Forbid'],
    'whatif.forbid_court': ['不得移送至', 'May not go to'], 'whatif.weight': ['目标权重', 'Weight'],
    'whatif.rule': ['规则', 'Rule'], 'whatif.value': ['值', 'Value'],
    'whatif.run': ['按变更求解（热启动）', 'Run the what-if (warm)'], 'whatif.clear': ['清空变更', 'Clear changes'],
    'whatif.remove': ['删除', 'Remove'], 'whatif.empty': ['尚无变更。', 'No changes yet.'],
    'whatif.pin_here': ['指定到该院（加入变更）', 'Pin it there (add to the what-if)'],
    'whatif.forbid_here': ['禁止移送该院（加入变更）', 'Forbid that court (add to the what-if)'],
    'whatif.need_plan': ['请先打开一个已完成的运行。', 'Open a finished run first.'],
    'whatif.officers_item': ['{court} 执行人员 {n}', '{court}: officers {n}'],
    'whatif.bar_item': ['{court} 不得接收案件', '{court} receives no case'],
    'whatif.pin_item': ['{case} 指定 {mode} @{court}', '{case} pinned to {mode} @{court}'],
    'whatif.forbid_item': ['{case} 不得移送至 {court}', '{case} may not go to {court}'],
    'tools.heading': ['工作台', 'Workbench'],
    'officers.heading': ['增加一名执行人员的边际价值', 'Marginal value of one more officer'],
    'officers.estimate': ['估算', 'Estimate'], 'officers.top': ['精确重算前几名', 'Re-solve the top'],
    'officers.exact': ['精确（重新求解）', 'Exact (re-solve)'], 'officers.officers': ['人员', 'Officers'],
    'officers.load': ['负荷', 'Load'], 'officers.est': ['估算下降', 'Estimated fall'],
    'officers.exact_fall': ['精确下降', 'Exact fall'],
    'recommend.heading': ['新案推荐', 'Recommend for a new case'],
    'recommend.case': ['新案件（JSON，与场景 cases 的一项相同）', 'The new case (JSON, like an item of the scenario’s cases)'],
    'recommend.fill': ['以所选案件为模板', 'Start from the chosen case'], 'recommend.k': ['列出几项', 'Options listed'],
    'recommend.button': ['推荐', 'Recommend'], 'recommend.incremental': ['增加成本', 'Extra cost'],
    'recommend.bad_json': ['新案件不是有效的 JSON：', 'The new case is not valid JSON: '],
    'sweep.heading': ['扫描（多组变更并行求解）', 'Sweep (a grid of what-ifs)'],
    'sweep.vary': ['变化轴（如 officers:C331102=0,2,4；每行一个）', 'Axes (e.g. officers:C331102=0,2,4; one a line)'],
    'sweep.kpi': ['图表指标', 'Chart KPI'], 'sweep.button': ['开始扫描', 'Start the sweep'],
    'sweep.chart': ['扫描图：{kpi}', 'Sweep chart: {kpi}'],
    'job.progress': ['{what}：{status} {done}/{total}', '{what}: {status} {done}/{total}'],
    'job.failed': ['任务失败：', 'The job failed: '],
  };
  for (const [k, v] of Object.entries(WORDS)) {
    if (!(k in window.I18N.zh)) { window.I18N.zh[k] = v[0]; window.I18N.en[k] = v[1]; }
  }
  const CP = window.CP;
  const { $, t, num, el, row, fill, api } = CP;
  const MODES = window.I18N.modes;  // served by GET /vocabulary (filled before a plan is shown)
  const wb = { changes: {}, explained: null, names: {}, parameters: null };

  function courtsOfPlan() {
    const plan = CP.state.plan && CP.state.plan.plan;
    return plan ? plan.courts.map((c) => [c.court_id, c.name]) : [];
  }
  function options(select, pairs) {
    const before = select.value;
    select.replaceChildren(...pairs.map(([value, label]) => Object.assign(el('option', label), { value: value })));
    if (pairs.some(([v]) => v === before)) select.value = before;
  }

  // ---- a case: explanation, alternatives, why-not -----------------------------------------
  async function openCase(caseId) {
    if (!CP.state.run) return;
    CP.caseOpen = caseId;
    CP.renderCases();
    try {
      const answer = await api('/runs/' + CP.state.run.id + '/explain?case=' + encodeURIComponent(caseId));
      wb.explained = answer.cases[0];
      renderCase();
      $('case-panel').hidden = false;
      $('case-panel').scrollIntoView({ block: 'nearest' });
    } catch (e) { CP.failed(e); }
  }
  function renderCase() {
    const e = wb.explained;
    if (!e) return;
    const court = (id) => wb.names[id] || id || '—';
    $('case-id').textContent = e.case_id;
    const facts = [['case.decision', t('mode.' + e.mode) + ' @' + court(e.court_id)], ['cases.from', court(e.from_court_id)],
      ['cases.decider', court(e.decided_by)], ['case.document', e.document || '—'],
      ['case.reasons', (e.reasons || []).join('、') || '—'], ['case.cost', num(e.cost, 2)], ['case.basis', e.basis]];
    $('case-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', t(k)), el('dd', v)]));
    const rows = e.alternatives.map((a) => row([t('mode.' + a.mode), court(a.court_id),
      (a.estimate > 0 ? '+' : '') + num(a.estimate, 2), (a.binds || []).join('；')], [2]));
    if (!rows.length) { const tr = row([t('case.none')]); tr.firstChild.colSpan = 4; rows.push(tr); }
    fill($('alternatives').tBodies[0], rows);
    options($('whynot-court'), courtsOfPlan().filter(([id]) => id !== e.court_id).map(([id, n]) => [id, n]));
    $('whynot-out').textContent = '';
  }
  async function whyNot(event) {
    event.preventDefault();
    const e = wb.explained, court = $('whynot-court').value;
    if (!e || !court) return;
    try {
      const [w] = await api('/runs/' + CP.state.run.id + '/why-not?case=' + encodeURIComponent(e.case_id) +
                            '&court=' + encodeURIComponent(court));
      const cost = w.estimate === null ? '' : ' ' + t('whynot.lawful', { cost: num(w.estimate, 2) });
      $('whynot-out').textContent = w.reason + (w.lawful && !w.chosen ? cost : '') + (w.article ? '（' + w.article + '）' : '');
    } catch (err) { CP.failed(err); }
  }

  // ---- what-if: the library's changes document, edited -----------------------------------
  function add(field, item) {
    const c = wb.changes;
    if (field === 'weights' || field === 'rules') c[field] = Object.assign(c[field] || {}, item);
    else c[field] = (c[field] || []).concat([item]);
    renderChanges();
  }
  function itemText(field, x) {
    const court = (id) => wb.names[id] || id;
    if (field === 'officers') return t('whatif.officers_item', { court: court(x.court), n: (x.add > 0 ? '+' : '') + x.add });
    if (field === 'bar_receiving') return t('whatif.bar_item', { court: court(x) });
    if (field === 'pins') return t('whatif.pin_item', { case: x.case, mode: t('mode.' + x.mode), court: court(x.court) });
    if (field === 'forbid') return t('whatif.forbid_item', { case: x.case, court: court(x.court) });
    return JSON.stringify(x);
  }
  function renderChanges() {
    const items = [];
    for (const [field, value] of Object.entries(wb.changes)) {
      const entries = Array.isArray(value) ? value.map((x, i) => [i, itemText(field, x)])
        : Object.entries(value).map(([k, v]) => [k, t('whatif.' + field.slice(0, -1)) + ' ' + k + ' = ' + JSON.stringify(v)]);
      for (const [at, text] of entries) {
        const li = el('li', text + ' '), remove = el('button', t('whatif.remove'));
        remove.type = 'button';
        remove.setAttribute('aria-label', t('whatif.remove') + ' ' + text);
        remove.addEventListener('click', () => {
          if (Array.isArray(value)) value.splice(at, 1); else delete value[at];
          if (!Object.keys(value).length) delete wb.changes[field];
          renderChanges();
        });
        li.append(remove);
        items.push(li);
      }
    }
    if (!items.length) items.push(el('li', t('whatif.empty'), 'muted'));
    $('wi-list').replaceChildren(...items);
  }
  function value(text) { try { return JSON.parse(text); } catch (e) { return text; } }
  function wire(form, read) {
    $(form).addEventListener('submit', (event) => {
      event.preventDefault();
      try { read(); CP.say(''); } catch (e) { CP.failed(e); }
    });
  }
  function runWhatIf() {
    const run = CP.state.run;
    if (!run || run.status !== 'done') { CP.say(t('whatif.need_plan')); return; }
    CP.runWhatIf(JSON.parse(JSON.stringify(wb.changes)), run);
  }
  async function loadParameters() {
    if (wb.parameters) return;
    try {
      const schema = await (await fetch('/schema', { cache: 'no-store', credentials: 'omit' })).json();
      const defs = schema.$defs || {};
      wb.parameters = { weights: Object.keys((defs.Weights || {}).properties || {}),
                        rules: Object.keys((defs.Rules || {}).properties || {}) };
      options($('wi-weight-name'), wb.parameters.weights.map((k) => [k, k]));
      options($('wi-rule-name'), wb.parameters.rules.map((k) => [k, k]));
    } catch (e) { CP.failed(e); }
  }

  // ---- jobs that re-solve: queued, watched, their answer read -----------------------------
  async function job(path, body, status, what) {
    let run = await api(path, { json: body });
    while (run.status === 'queued' || run.status === 'running') {
      const p = run.progress || {};
      status.textContent = t('job.progress', { what: what, status: t('run.' + run.status),
        done: num(p.pieces_done || 0, 0), total: num(p.pieces_total || 0, 0) });
      await new Promise((resolve) => setTimeout(resolve, 700));
      run = await api('/runs/' + run.id);
    }
    if (run.status !== 'done') {
      throw new CP.ApiError(0, t('job.failed') + (run.error || []).map((e) => e.path + ': ' + e.message).join('; '));
    }
    status.textContent = t('job.progress', { what: what, status: t('run.done'), done: num(run.progress.pieces_done || 0, 0),
      total: num(run.progress.pieces_total || 0, 0) });
    return api('/runs/' + run.id + '/result');
  }

  // ---- officers ---------------------------------------------------------------------------
  function renderOfficers(answer) {
    fill($('officers').tBodies[0], answer.courts.slice(0, 30).map((g) => row([g.name, num(g.officers, 0), num(g.load_after, 1),
      num(g.estimate, 2), g.exact === null ? '—' : num(g.exact, 2)], [1, 2, 3, 4])));
  }
  async function officersEstimate() {
    try { renderOfficers(await api('/runs/' + CP.state.run.id + '/officers')); } catch (e) { CP.failed(e); }
  }
  async function officersExact() {
    try {
      const top = CP.numberField('officers-top', 'officers.top');
      const body = { top: top, time_limit: CP.numberField('time-limit', 'run.time_limit') };
      renderOfficers(await job('/runs/' + CP.state.run.id + '/officers', body, $('officers-status'), t('officers.exact')));
    } catch (e) { CP.failed(e); }
  }

  // ---- recommend --------------------------------------------------------------------------
  // a new case to start from: a copy of the chosen case (or the scenario's first) under a new
  // number and debtor, read from the stored scenario (an audited read) when first asked
  async function fillRecommend() {
    try {
      if (!wb.cases || wb.cases.scenario !== CP.state.scenario.id) {
        const body = await api('/scenarios/' + CP.state.scenario.id + '/body');
        wb.cases = { scenario: CP.state.scenario.id, list: body.cases };
      }
      const model = wb.cases.list.find((x) => x.id === CP.caseOpen) || wb.cases.list[0];
      if (!model) return;
      const copy = Object.assign({}, model, { id: model.id + '-新', debtor_id: model.debtor_id + '-新', assets: [] });
      $('recommend-case').value = JSON.stringify(copy, null, 1);
    } catch (e) { CP.failed(e); }
  }
  async function recommend(event) {
    event.preventDefault();
    let kase;
    try { kase = JSON.parse($('recommend-case').value); } catch (e) { CP.say(t('recommend.bad_json') + e.message); return; }
    try {
      const k = CP.numberField('recommend-k', 'recommend.k');
      const r = await api('/runs/' + CP.state.run.id + '/recommend', { json: { case: kase, k: k } });
      fill($('recommend').tBodies[0], r.options.map((o) => row([t('mode.' + o.mode), wb.names[o.court_id] || o.court_id,
        '+' + num(o.incremental, 2)], [2])));
      $('recommend-notes').textContent = [...(r.notes || []), ...(r.excluded || [])].join('\n');
    } catch (e) { CP.failed(e); }
  }

  // ---- sweep ------------------------------------------------------------------------------
  async function sweep(event) {
    event.preventDefault();
    const vary = $('sweep-vary').value.split('\n').map((x) => x.trim()).filter(Boolean);
    try {
      const body = { vary: vary, kpi: $('sweep-kpi').value.trim() || 'objective',
        time_limit: CP.numberField('sweep-time', 'run.time_limit') };
      const answer = await job('/scenarios/' + CP.state.scenario.id + '/sweeps', body, $('sweep-status'), t('sweep.heading'));
      const columns = ['variant', ...answer.axes, 'status', 'objective', 'gap', 'seconds'];
      const table = $('sweep');
      table.tHead.replaceChildren(row(columns.map((c) => el('th', c))));
      const cell = (r, c) => c === 'status' ? t('status.' + r[c]) : typeof r[c] === 'number' ? num(r[c], 3) : String(r[c]);
      fill(table.tBodies[0], answer.rows.map((r) => row(columns.map((c) => cell(r, c)),
        columns.map((_, i) => i).filter((i) => i > 0 && columns[i] !== 'status'))));
      const chart = $('sweep-chart');
      if (chart.src) URL.revokeObjectURL(chart.src);
      chart.hidden = !answer.chart_svg;
      if (answer.chart_svg) {
        chart.src = URL.createObjectURL(new Blob([answer.chart_svg], { type: 'image/svg+xml' }));
        chart.alt = t('sweep.chart', { kpi: answer.kpi });
      }
      if (answer.chart_note) $('sweep-status').textContent += ' — ' + answer.chart_note;
    } catch (e) { CP.failed(e); }
  }

  // ---- wiring -----------------------------------------------------------------------------
  function planShown() {
    const plan = CP.state.plan.plan;
    wb.names = Object.fromEntries(plan.courts.map((c) => [c.court_id, c.name]));
    const courts = courtsOfPlan();
    document.querySelectorAll('select.courts').forEach((s) => options(s, courts));
    options($('wi-pin-mode'), MODES.map((m) => [m, t('mode.' + m)]));
    $('whatif-panel').hidden = false; $('tools-panel').hidden = false;
    if (!$('sweep-vary').value && courts.length) $('sweep-vary').value = 'officers:' + courts[0][0] + '=0,2';
    renderChanges();
    loadParameters();
  }
  function relabel() {
    if (!CP.state.plan) return;
    options($('wi-pin-mode'), MODES.map((m) => [m, t('mode.' + m)]));
    renderChanges(); renderCase();
  }
  function start() {
    wire('wi-officers', () => add('officers', { court: $('wi-officers-court').value,
      add: CP.numberField('wi-officers-add', 'whatif.officers_add') }));
    wire('wi-bar', () => add('bar_receiving', $('wi-bar-court').value));
    wire('wi-pin', () => add('pins', { case: $('wi-pin-case').value.trim(), mode: $('wi-pin-mode').value, court: $('wi-pin-court').value }));
    wire('wi-forbid', () => add('forbid', { case: $('wi-forbid-case').value.trim(), court: $('wi-forbid-court').value }));
    wire('wi-weight', () => add('weights', { [$('wi-weight-name').value]: value($('wi-weight-value').value) }));
    wire('wi-rule', () => add('rules', { [$('wi-rule-name').value]: value($('wi-rule-value').value) }));
    $('wi-run').addEventListener('click', runWhatIf);
    $('wi-clear').addEventListener('click', () => { wb.changes = {}; renderChanges(); });
    $('whynot-form').addEventListener('submit', whyNot);
    $('case-pin').addEventListener('click', () => {
      const e = wb.explained, court = $('whynot-court').value, alt = e && e.alternatives.find((a) => a.court_id === court);
      if (e) add('pins', { case: e.case_id, mode: alt ? alt.mode : 'designate', court: court });
    });
    $('case-forbid').addEventListener('click', () => {
      if (wb.explained) add('forbid', { case: wb.explained.case_id, court: $('whynot-court').value });
    });
    $('officers-estimate').addEventListener('click', officersEstimate);
    $('officers-exact').addEventListener('click', officersExact);
    $('recommend-fill').addEventListener('click', fillRecommend);
    $('recommend-form').addEventListener('submit', recommend);
    $('sweep-form').addEventListener('submit', sweep);
  }
  Object.assign(CP, { openCase: openCase, planShown: planShown, relabel: relabel, start: start });
})();
