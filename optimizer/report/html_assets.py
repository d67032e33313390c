"""The inline style and script of the HTML report (no CDN, no external font: the page works
offline). The script renders the case table from the JSON embedded in the page: a search box,
sorting by any column, a detail row per case with its explanation."""

from __future__ import annotations

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
 "WenQuanYi Micro Hei",sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{background:#1e3a5f;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;font-size:14px;opacity:.9}
main{padding:12px 24px;max-width:1400px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:12px 16px;margin:12px 0}
h2{font-size:18px;margin:4px 0 10px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px}
.charts{display:flex;flex-wrap:wrap;gap:8px}.charts svg{background:#fafafa}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f5f9;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
#cases th{cursor:pointer;user-select:none}#cases th:hover{background:#e2e8f0}
#cases tr.case{cursor:pointer}#cases tr.case:hover{background:#f8fafc}
tr.detail td{background:#fffbeb;font-size:13px}
tr.detail dl{display:grid;grid-template-columns:8em 1fr;gap:2px 10px;margin:4px 0}
tr.detail dt{color:#64748b}tr.detail dd{margin:0}
input[type=search]{font-size:15px;padding:5px 8px;width:28em;max-width:90%}
.muted{color:#64748b;font-size:12px}
.tag{display:inline-block;padding:0 6px;border-radius:3px;background:#e0e7ff;margin-right:4px}
svg text{font-family:inherit}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.sw{display:inline-block;width:14px;height:4px;vertical-align:middle;margin-right:4px}
"""

JS = r"""
(function(){
  const data = JSON.parse(document.getElementById('case-data').textContent);
  const cols = data.columns, rows = data.rows, terms = data.terms;
  const table = document.getElementById('cases'), body = table.tBodies[0];
  const search = document.getElementById('case-search'), count = document.getElementById('case-count');
  const more = document.getElementById('case-more');
  let shown = rows, sortCol = -1, sortDir = 1, limit = 300;
  const text = r => r.join(' ').toLowerCase();
  const index = rows.map(text);
  function esc(s){return String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));}
  function detail(r){
    const d = r[cols.length];
    const costs = terms.map((t, i) =>
      '<span class="tag">' + esc(t) + ' ' + d.costs[i].toFixed(1) + '</span>').join('');
    const items = [['决定 decision', r[1]], ['决定法院 decided by', r[4]], ['事由 reasons', d.reasons || '—'],
      ['依据 basis', d.basis || '—'], ['申请人意愿 wishes', d.wishes || '—'],
      ['委托事项 entrusted', d.entrusted || '—'], ['说明 note', d.note || '—']];
    return '<dl>' + items.map(x => '<dt>' + esc(x[0]) + '</dt><dd>' + esc(x[1]) + '</dd>').join('') +
      '<dt>成本 cost by term</dt><dd>' + costs + '</dd></dl>';
  }
  function render(){
    const out = [];
    shown.slice(0, limit).forEach(r => {
      out.push('<tr class="case">' + cols.map((c, i) => '<td' + (c.num ? ' class="n"' : '') + '>' +
        esc(c.num ? Number(r[i]).toFixed(1) : r[i]) + '</td>').join('') + '</tr>');
    });
    body.innerHTML = out.join('');
    Array.from(body.rows).forEach((tr, k) => tr.addEventListener('click', () => {
      const next = tr.nextElementSibling;
      if (next && next.classList.contains('detail')) { next.remove(); return; }
      const d = document.createElement('tr'); d.className = 'detail';
      d.innerHTML = '<td colspan="' + cols.length + '">' + detail(shown[k]) + '</td>';
      tr.after(d);
    }));
    count.textContent = shown.length + ' / ' + rows.length + ' 件 cases' +
      (shown.length > limit ? '（显示前 ' + limit + ' 件 showing the first ' + limit + '）' : '');
    more.style.display = shown.length > limit ? '' : 'none';
  }
  function filter(){
    const q = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    shown = rows.filter((r, i) => q.every(w => index[i].includes(w)));
    if (sortCol >= 0) sort();
    limit = 300; render();
  }
  function sort(){
    const num = cols[sortCol].num;
    shown = shown.slice().sort((a, b) => {
      const x = a[sortCol], y = b[sortCol];
      return sortDir * (num ? x - y : String(x).localeCompare(String(y), 'zh'));
    });
  }
  Array.from(table.tHead.rows[0].cells).forEach((th, i) => th.addEventListener('click', () => {
    sortDir = sortCol === i ? -sortDir : 1; sortCol = i; sort(); render();
    Array.from(table.tHead.rows[0].cells).forEach(h => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
  }));
  search.addEventListener('input', filter);
  more.addEventListener('click', () => { limit += 1000; render(); });
  render();
})();
"""
