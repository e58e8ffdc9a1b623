// The operator view (admin): the engine rather than a site. Read from GET /api/v1/operator every few seconds:
// ingest rate (journal appends between two readings), answers by code, the rate limiter (changed live through
// PUT /api/v1/limits), the most limited addresses, quotas and usage, the rollups' and notifier's lag, the disk.
'use strict';
(() => {
  const { $, el, api, number, percent, views } = window.Tally;
  const REFRESH_MS = 5000;
  const rate = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

  let timer = null;
  let previous = null;
  let wired = false;

  function bytes(value) {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
    let v = Number(value);
    let u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return new Intl.NumberFormat(undefined, { style: 'unit', unit: units[u], unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
  }

  /** A table with a caption for screen readers; {@code columns}: [key, label, format, numeric]. */
  function table(caption, columns, rows, id) {
    if (rows.length === 0) return el('p', { class: 'note' }, caption + ': none.');
    return el('div', { class: 'scroll' }, el('table', { dataset: { panel: id } },
      el('caption', { class: 'sr' }, caption),
      el('thead', {}, el('tr', {}, columns.map(([, label, , numeric]) => el('th', { scope: 'col', class: numeric ? 'num' : null }, label)))),
      el('tbody', {}, rows.map((row) => el('tr', { dataset: { row: String(row[columns[0][0]]) } }, columns.map(([key, , format, numeric], i) =>
        el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: numeric ? 'num' : null, dataset: { col: key, value: String(row[key]) } },
          format ? format(row[key]) : String(row[key]))))))));
  }

  function card(key, label, value, shown) {
    return el('li', { class: 'kpi', dataset: { kpi: key, value: String(value) } },
      el('span', { class: 'kpi-label' }, label), el('span', { class: 'kpi-value' }, shown));
  }

  async function open() {
    if (!wired) {
      wired = true;
      $('op-limits').addEventListener('submit', applyLimits);
    }
    close();
    document.body.dataset.state = 'loading';
    await refresh(true);
    timer = setInterval(() => refresh(false), REFRESH_MS);
  }

  function close() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  async function refresh(first) {
    try {
      const report = await api('operator');
      render(report, first);
      document.body.dataset.state = 'ready';
    } catch (e) {
      $('op-status').textContent = 'Could not read the engine: ' + e.message;
      if (first) document.body.dataset.state = 'error';
    }
  }

  function render(report, first) {
    const health = report.health;
    const perSecond = previous && report.at > previous.at ?
      (report.journal_appends - previous.journal_appends) / ((report.at - previous.at) / 1000) : null;
    previous = report;
    $('op-status').textContent = health.status === 'ok' ? 'The engine is healthy.' :
      'The engine is ' + health.status + (health.problems ? ': ' + health.problems.join('; ') : '.');
    const notifications = health.notifications;
    $('op-kpis').replaceChildren(...[
      card('ingest_rate', 'Events a second', perSecond === null ? '' : perSecond, perSecond === null ? 'measuring…' : rate.format(perSecond)),
      card('journal_appends', 'Events journaled since start', report.journal_appends, number.format(report.journal_appends)),
      card('rollup_lag', 'Rollups behind', report.rollups.lag_events, number.format(report.rollups.lag_events) + ' events'),
      card('rollup_lag_seconds', 'Rollup lag', report.rollups.lag_seconds, rate.format(report.rollups.lag_seconds) + ' s'),
      notifications ? card('notification_lag', 'Notifications behind', notifications.lag_events,
        number.format(notifications.lag_events) + ' events, ' + number.format(notifications.pending) + ' pending') : null,
      card('journal_bytes', 'Journal on disk', health.disk.journal_bytes, bytes(health.disk.journal_bytes)),
      card('rollup_bytes', 'Rollups on disk', health.disk.rollup_bytes, bytes(health.disk.rollup_bytes))].filter(Boolean));
    const limits = report.limits;
    if (first || document.activeElement.closest('#op-limits') === null) {
      // never overwrite what the operator is typing
      $('op-rate').value = limits.rate_per_second;
      $('op-burst').value = limits.burst;
    }
    $('op-overrides').replaceChildren(table('Per-site limits', [['site', 'Site'], ['rate_per_second', 'A second', rate.format, true],
      ['burst', 'Burst', number.format, true], ['limited', 'Limited', number.format, true]],
    Object.entries(limits.sites).map(([site, l]) => Object.assign({ site }, l)), 'overrides'));
    $('op-top').replaceChildren(table('Most limited addresses', [['address', 'Address'], ['limited', 'Refused', number.format, true],
      ['error', 'Of which perhaps others\'', number.format, true]], limits.top_limited, 'top-limited'));
    $('op-answers').replaceChildren(table('Answers by code', [['code', 'Answer'], ['count', 'Count', number.format, true]],
      Object.entries(health.answers).sort((a, b) => b[1] - a[1]).map(([code, count]) => ({ code, count })), 'answers'));
    $('op-usage').replaceChildren(table('Quotas and usage', [['site', 'Site'], ['events', 'Events', number.format, true],
      ['quota', 'Quota', (q) => q === null ? 'none' : number.format(q), true],
      ['used', 'Used', (u) => u === null ? '–' : percent.format(u), true]],
    report.usage.map((u) => Object.assign({ used: u.quota ? u.events / u.quota : null }, u)), 'usage'));
    $('op-disk').replaceChildren(table('Disk', [['part', 'Part'], ['value', 'Size', null, true]], [
      { part: 'Free', value: bytes(health.disk.free_bytes) },
      { part: 'Kept free (reserve)', value: bytes(health.disk.reserve_bytes) },
      { part: 'Journal', value: bytes(health.disk.journal_bytes) },
      { part: 'Rollups', value: bytes(health.disk.rollup_bytes) }], 'disk'),
    table('Background agents', [['agent', 'Agent'], ['state', 'State'], ['restarts', 'Restarts', number.format, true]],
      Object.entries(health.agents).map(([agent, a]) => Object.assign({ agent }, a)), 'agents'));
  }

  async function applyLimits(event) {
    event.preventDefault();
    const out = $('op-limits-result');
    for (const input of $('op-limits').querySelectorAll('input')) input.removeAttribute('aria-invalid');
    try {
      const limits = await api('limits', null, 'PUT', null,
        { rate_per_second: Number($('op-rate').value), burst: Number($('op-burst').value) });
      out.textContent = 'Applied: ' + rate.format(limits.rate_per_second) + ' events a second, bursts of ' +
        number.format(limits.burst) + ', until the next restart or reload.';
      await refresh(true);
    } catch (e) {
      out.textContent = 'Not applied: ' + e.message;
      const field = e.message.slice(0, e.message.indexOf(':'));
      const input = $('op-limits').querySelector('[data-field="' + CSS.escape(field) + '"]');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    }
  }

  views.operator = { open, close };
})();
