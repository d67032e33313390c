// The dashboard's own words, Chinese first; the English switch picks the second column.
// The product's vocabulary (modes, plan and run statuses, phases, KPIs, rules, 协同 kinds) is
// not copied here: load() reads it from GET /vocabulary (optimizer/law/vocabulary.py, the
// one source) and adds it under mode.*, status.*, run.*, phase.*, kpi.*, rule.*, coordination.*,
// proj.* (the projected figures) and screen.* (the 执转破 screening outcomes).
'use strict';
window.I18N = (function () {
  const both = {
    'title': ['交叉执行规划 · 执行指挥中心', 'Cross-execution planning · Command centre'],
    'key.heading': ['API 密钥', 'API key'],
    'key.label': ['粘贴密钥', 'Paste your key'],
    'key.use': ['使用', 'Use'],
    'key.forget': ['清除密钥', 'Forget key'],
    'key.id': ['密钥', 'key'],
    'key.note': ['密钥只保存在本标签页（sessionStorage），只放在请求头中发送。',
      'The key stays in this tab (sessionStorage) and is sent only in a request header.'],
    'key.bad': ['密钥无效或已吊销。', 'The key is not valid or has been revoked.'],
    'key.court': ['法院', 'court'],
    'scenarios.heading': ['场景', 'Scenarios'],
    'scenarios.none': ['尚无场景：请上传。', 'No scenarios yet: upload one.'],
    'upload.label': ['上传场景（JSON 或 .xlsx 工作簿）', 'Upload a scenario (JSON or .xlsx workbook)'],
    'upload.button': ['上传', 'Upload'],
    'upload.choose_file': ['选择文件', 'Choose file'],
    'upload.no_file': ['未选择文件', 'no file chosen'],
    'upload.choose': ['请先选择文件。', 'Choose a file first.'],
    'upload.done': ['已保存场景', 'Stored scenario'],
    'col.name': ['名称', 'Name'], 'col.dispatcher': ['统一调度法院', 'Dispatcher'],
    'col.courts': ['法院', 'Courts'], 'col.cases': ['案件', 'Cases'], 'col.version': ['版本', 'Version'],
    'col.created': ['创建时间', 'Created'], 'col.status': ['状态', 'Status'],
    'col.objective': ['目标值', 'Objective'], 'col.gap': ['差距', 'Gap'], 'col.seconds': ['用时（秒）', 'Seconds'],
    'runs.heading': ['运行', 'Runs'],
    'proj.heading': ['预测（非预报）：未结案件，有方案与无方案', 'Projection, not a forecast: pending cases with the plan and without it'],
    'proj.plan': ['有方案', 'plan'], 'proj.none': ['无方案', 'none'], 'proj.none_dashed': ['无方案（虚线）', 'no plan (dashed)'],
    'proj.band': ['区间（结案速率±）', 'band (exit rates ±)'], 'proj.diff': ['差值', 'difference'],
    'proj.district': ['全辖区', 'district'], 'proj.after': ['{n}个月后', 'after {n} months'],
    'screen.heading': ['执转破筛查', 'Screening for bankruptcy review (执转破)'],
    'screen.status': ['结论', 'status'], 'screen.debtor': ['被执行人', 'debtor'], 'screen.open': ['在办', 'open'],
    'screen.zhongben': ['终本', '终本'], 'screen.court': ['受理法院', 'receiving court'], 'screen.reason': ['理由', 'reason'],

    'screen.counts': ['移送 {transfer} · 征询 {consult} · 不适用 {na}', 'transfer {transfer} · consult {consult} · not applicable {na}'],
    'runs.none': ['尚无运行。', 'No runs yet.'],
    'run.time_limit': ['时限（秒）', 'Time limit (s)'],
    'run.gap': ['容许差距', 'Gap to stop at'],
    'run.start': ['开始求解', 'Start run'],
    'run.warm': ['热启动', 'Warm start'],
    'run.warm_hint': ['从本方案最近一次完成的运行结束处开始（割平面、基、借调人员）：方案小改后约快一倍',
                      "Start where this scenario's latest finished run ended (cuts, basis, lent officers): about twice as fast after a small edit"],
    'run.cancel': ['取消', 'Cancel'],
    'progress.heading': ['求解进度', 'Progress'],
    'progress.phase': ['阶段', 'Phase'], 'progress.objective': ['目标值', 'Objective'],
    'progress.bound': ['下界', 'Bound'], 'progress.gap': ['差距', 'Gap'],
    'progress.elapsed': ['已用时间', 'Elapsed'],
    'result.heading': ['方案', 'Plan'],
    'result.status': ['方案状态', 'Plan status'], 'result.method': ['方法', 'Method'],
    'result.failed': ['运行失败：', 'The run failed: '],
    'dl.xlsx': ['下载方案工作簿 (.xlsx)', 'Download plan workbook (.xlsx)'],
    'dl.report': ['下载报告 (HTML)', 'Download report (HTML)'],
    'dl.drafts': ['下载文书草稿 (.zip)', 'Download document drafts (.zip)'],
    'dl.busy': ['正在生成…', 'Preparing…'],
    'map.heading': ['辖区地图', 'District map'],
    'map.moves': ['案件移送（线宽按件数）', 'Case moves (width by count)'],
    'map.loans': ['人员借调（虚线）', 'Staff loans (dashed)'],
    'map.circles': ['圆面积按规划后负荷；绿 ≤100%，橙 ≤120%，红 >120%',
      'Circle area by load after the plan; green ≤100%, orange ≤120%, red >120%'],
    'kpi.heading': ['指标', 'KPIs'], 'kpi.name': ['指标', 'KPI'], 'kpi.value': ['值', 'Value'],
    'rules.heading': ['规则执行情况', 'Rules applied'], 'rules.name': ['规则', 'Rule'],
    'rules.count': ['件', 'Cases'],
    'modes.heading': ['各方式案件数', 'Cases per mode'], 'modes.name': ['方式', 'Mode'],
    'cases.heading': ['案件', 'Cases'],
    'cases.search': ['搜索 案号、法院、方式、事由…', 'Search case number, court, mode, reason…'],
    'cases.id': ['案号', 'Case number'], 'cases.decision': ['决定', 'Decision'],
    'cases.from': ['原法院', 'From court'], 'cases.to': ['执行法院', 'Enforcing court'],
    'cases.decider': ['决定法院', 'Decided by'], 'cases.reasons': ['事由', 'Reasons'],
    'cases.count': ['共 {n} 件，显示 {shown} 件', '{n} cases, {shown} shown'],
    'compare.heading': ['比较两次运行', 'Compare two runs'],
    'compare.button': ['比较', 'Compare'],
    'compare.need': ['需要两次已完成的运行。', 'Two finished runs are needed.'],
    'compare.objective': ['目标值变化 (B − A)', 'Objective change (B − A)'],
    'compare.cases': ['决定不同的案件', 'Cases decided differently'],
    'compare.kpi': ['指标变化 (B − A)', 'KPI changes (B − A)'],
    'compare.nokpi': ['指标无变化', 'No KPI changed'],
    'footer': ['本页只访问本服务，不加载任何外部资源。', 'This page talks only to this service and loads nothing from outside.'],
    'error.network': ['无法连接服务。', 'The service cannot be reached.'],
  };
  const zh = {}, en = {};
  for (const [k, v] of Object.entries(both)) { zh[k] = v[0]; en[k] = v[1]; }
  const modes = [];  // the modes' keys in the specs' order, once loaded
  function add(prefix, labels, indented) {
    for (const [k, v] of Object.entries(labels || {})) {
      const sub = indented && indented.includes(k);
      zh[prefix + k] = (sub ? '\u3000' : '') + v.zh;
      en[prefix + k] = (sub ? '  ' : '') + v.en;
    }
  }
  // The served vocabulary, added once; resolves even if the service cannot be reached (the
  // page then shows the keys, and its own error message says why).
  async function load() {
    try {
      const r = await fetch('/vocabulary', { cache: 'no-store', credentials: 'omit' });
      if (!r.ok) return;
      const v = await r.json();
      add('mode.', Object.fromEntries(v.modes.map((m) => [m.key, m])));
      modes.splice(0, modes.length, ...v.modes.map((m) => m.key));
      add('status.', v.plan_statuses);
      add('run.', v.run_statuses);
      add('phase.', v.phases);
      add('kpi.', v.kpis);
      add('rule.', v.rules, v.rule_details);
      add('coordination.', v.coordination);
      add('proj.', v.projection);
      add('screen.', v.screening);
    } catch (e) { /* offline: the UI strings still work */ }
  }
  return { zh: zh, en: en, load: load, modes: modes };
})();
