// Tally's dashboard: reads the stats API with the signed-in token (or a share link's id) in the Authorization
// header, never in a URL. No framework: elements are built with textContent, so no figure or name is ever HTML.
'use strict';
(() => {
  const TOKEN_KEY = 'tally.token';
  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat();
  const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 });
  const signed = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function money(amounts) {
    if (!amounts || amounts.length === 0) return '–';
    return amounts.map((m) => {
      try {
        return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency }).format(Number(m.amount));
      } catch (e) {
        return number.format(Number(m.amount)) + ' ' + m.currency;
      }
    }).join(' · ');
  }

  function duration(value) {
    if (value === null || value === undefined) return '–';
    const seconds = Number(value);
    const unit = seconds >= 5400 ? ['hour', seconds / 3600] : seconds >= 90 ? ['minute', seconds / 60] : ['second', seconds];
    return new Intl.NumberFormat(undefined, { style: 'unit', unit: unit[0], unitDisplay: 'narrow', maximumFractionDigits: 1 })
      .format(unit[1]);
  }

  // ---- where we are: /, /{site} or /share/{id} ----------------------------------------------------------------

  const path = location.pathname;
  const shareId = path.startsWith('/share/') ? decodeURIComponent(path.slice('/share/'.length)) : null;
  const pathSite = !shareId && path.length > 1 ? decodeURIComponent(path.slice(1)) : null;

  function credential() {
    return shareId || sessionStorage.getItem(TOKEN_KEY) || localStorage.getItem(TOKEN_KEY);
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.detail) || 'HTTP ' + status);
      this.status = status;
      this.body = body || {};
    }
  }

  /** A call to the API; {@code json}: a body to send (POST, PUT). */
  async function api(path, params, method, token, json) {
    const query = params ? '?' + new URLSearchParams(params) : '';
    let response;
    // a read the engine was too busy to take (503 with Retry-After) is asked again when it says, a few times
    for (let attempt = 0; ; attempt++) {
      response = await fetch('/api/v1/' + path + query, {
        method: method || 'GET',
        headers: Object.assign({ Authorization: 'Bearer ' + (token || credential()) },
          json === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: json === undefined ? undefined : JSON.stringify(json),
        cache: 'no-store',
        referrerPolicy: 'no-referrer'
      });
      const retryAfter = Number(response.headers.get('Retry-After'));
      if (response.status !== 503 || (method && method !== 'GET') || attempt >= 3 || !(retryAfter > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter, 10) * 1000));
    }
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  function show(id) {
    for (const section of ['sign-in', 'site-list', 'site']) $(section).hidden = section !== id;
  }

  // ---- signing in ----------------------------------------------------------------------------------------------

  async function start() {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    if (!credential()) {
      showSignIn('');
      return;
    }
    try {
      enter(await api('access'));
    } catch (e) {
      if (shareId) fail(e.status === 401 ? 'This share link does not exist or was revoked.' : e.message);
      else showSignIn(e.status === 401 ? 'The saved token no longer works: sign in again.' : e.message);
    }
  }

  function showSignIn(message) {
    show('sign-in');
    $('sign-in-error').textContent = message;
    $('token').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    try {
      const access = await api('access', null, 'GET', token);
      // the token is kept for this tab only, unless the user asked to be remembered
      (($('remember').checked) ? localStorage : sessionStorage).setItem(TOKEN_KEY, token);
      $('token').value = '';
      enter(access);
    } catch (e) {
      showSignIn(e.status === 401 ? 'That token is not the admin token nor a site\'s read token.' : e.message);
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
    location.assign('/');
  }

  function fail(message) {
    show('site');
    $('site-title').textContent = 'Tally';
    $('load-error').hidden = false;
    $('load-error').textContent = message;
    document.body.dataset.state = 'error';
  }

  function enter(access) {
    $('sign-out').hidden = !!shareId;
    const domains = access.sites.map((s) => s.domain);
    const nav = $('sites');
    nav.replaceChildren(...(shareId ? [] : domains.map((d) =>
      el('a', { href: '/' + encodeURIComponent(d), 'aria-current': d === pathSite ? 'page' : null }, d))));
    const site = shareId ? domains[0] : pathSite ? domains.find((d) => d === pathSite.toLowerCase()) : domains.length === 1 ? domains[0] : null;
    if (pathSite && !site) {
      fail('No site named ' + pathSite + ' is readable with this token.');
      return;
    }
    if (!site) {
      show('site-list');
      $('site-links').replaceChildren(...domains.map((d) => el('li', {}, el('a', { href: '/' + encodeURIComponent(d) }, d))));
      document.body.dataset.state = 'ready';
      return;
    }
    openSite(site, access.admin && !shareId);
  }

  // ---- the site view -------------------------------------------------------------------------------------------

  const state = { site: null, admin: false, metric: 'visitors', goal: null, event: null, touch: 'last', dimension: 'referrer', chart: null,
    filters: [] };

  // ---- filters: Plausible's v1 clauses (event:goal==Buy), joined by ';' in the page's query and every stats request ---

  /** A value as a clause takes it: the characters the syntax uses ('|', ';', '*', '\\') made plain. */
  const plain = (value) => String(value).replace(/[\\|;*]/g, (c) => '\\' + c);
  const DIMENSIONS = { 'event:goal': 'Goal', 'event:page': 'Page', 'event:name': 'Event', 'visit:source': 'Source',
    'visit:utm_source': 'UTM source', 'visit:utm_medium': 'UTM medium', 'visit:utm_campaign': 'UTM campaign',
    'visit:entry_page': 'Entry page', 'visit:exit_page': 'Exit page', 'visit:browser': 'Browser', 'visit:os': 'System',
    'visit:device': 'Device', 'visit:country': 'Country' };

  /** The clauses of a filters parameter: split at each ';' the syntax does not escape. */
  function clauses(text) {
    const out = [];
    let current = '';
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\\' && i + 1 < text.length) current += text[i] + text[++i];
      else if (text[i] === ';') { out.push(current); current = ''; } else current += text[i];
    }
    if (current) out.push(current);
    return out.filter((c) => c.includes('=='));
  }

  function dimensionOf(clause) {
    return clause.slice(0, clause.indexOf('=='));
  }

  /** How a chip reads: "Goal is Buy", "plan is pro". */
  function describe(clause) {
    const dimension = dimensionOf(clause);
    const value = clause.slice(dimension.length + 2).replace(/\\(.)/g, '$1');
    const name = DIMENSIONS[dimension] || (dimension.startsWith('event:props:') ? dimension.slice('event:props:'.length) : dimension);
    return name + ' is ' + value;
  }

  /** Adds a clause (one per dimension: a new value replaces the old) and reloads every panel with it. */
  function addFilter(clause) {
    state.filters = state.filters.filter((c) => dimensionOf(c) !== dimensionOf(clause)).concat(clause);
    writeRange();
    load();
  }

  function removeFilter(clause) {
    const at = state.filters.indexOf(clause);
    state.filters = state.filters.filter((c) => c !== clause);
    writeRange();
    load();
    // the focus goes to the next chip, or back to the range when none is left
    const chips = $('filters').querySelectorAll('button');
    (chips[Math.min(at, chips.length - 1)] || $('period')).focus();
  }

  function renderFilters() {
    $('filter-bar').hidden = state.filters.length === 0;
    $('filters').replaceChildren(...state.filters.map((clause) => el('li', { class: 'chip', dataset: { filter: clause } },
      el('span', {}, describe(clause)),
      el('button', { type: 'button', 'aria-label': 'Remove the filter: ' + describe(clause), onclick: () => removeFilter(clause) }, '✕'))));
  }

  /** A stats request's own error under filters (the engine cannot filter: a 4xx), shown in place of its figures. */
  function filterRefused(e) {
    return state.filters.length > 0 && e.status >= 400 && e.status < 500;
  }

  function showFilterError(e) {
    $('filter-error').hidden = false;
    $('filter-error').textContent = 'These filters cannot be applied: ' + e.message;
  }

  /** The range in the page's own query (never a credential): a view can be bookmarked. */
  function readRange() {
    const query = new URLSearchParams(location.search);
    const period = query.get('period') || '30d';
    $('period').value = ['today', '7d', '30d', 'month', '12mo', 'custom'].includes(period) ? period : '30d';
    $('from').value = query.get('from') || '';
    $('to').value = query.get('to') || '';
    $('compare').checked = query.get('compare') !== 'off';
    $('custom').hidden = $('period').value !== 'custom';
    state.filters = clauses(query.get('filters') || '');
  }

  function writeRange() {
    const query = new URLSearchParams(location.search);
    query.set('period', $('period').value);
    for (const key of ['from', 'to', 'compare']) query.delete(key);
    if ($('period').value === 'custom') {
      query.set('from', $('from').value);
      query.set('to', $('to').value);
    }
    if (!$('compare').checked) query.set('compare', 'off');
    query.delete('filters');
    if (state.filters.length > 0) query.set('filters', state.filters.join(';'));
    history.replaceState(null, '', location.pathname + '?' + query);
  }

  /** The stats API's range parameters for the chosen range. */
  function range() {
    const period = $('period').value;
    return period === 'custom' ? { from: $('from').value, to: $('to').value } : { period };
  }

  function interval(from, to) {
    const days = (Date.parse(to) - Date.parse(from)) / 86400000 + 1;
    return days <= 1 ? 'hour' : days > 92 ? 'month' : 'day';
  }

  function openSite(site, admin) {
    state.site = site;
    state.admin = admin;
    show('site');
    document.title = site + ' · Tally';
    $('site-title').textContent = site;
    $('shared-note').hidden = !shareId;
    $('shares').hidden = !admin;
    readRange();
    for (const id of ['period', 'from', 'to', 'compare']) {
      $(id).addEventListener('change', () => {
        $('custom').hidden = $('period').value !== 'custom';
        if ($('period').value === 'custom' && (!$('from').value || !$('to').value)) return;
        writeRange();
        showView();
      });
    }
    $('metrics').replaceChildren(...METRICS.map(([key, label]) => el('button', {
      type: 'button', 'aria-pressed': String(key === state.metric), dataset: { metric: key },
      onclick: () => { state.metric = key; load(); }
    }, label)));
    $('share-create').addEventListener('click', createShare);
    addEventListener('resize', () => { if (state.chart) state.chart.setSize(chartSize()); });
    // the funnels and experiments are read by every reader (read-only but for the admin); the editors are the admin's
    $('views').hidden = false;
    for (const link of $('views').querySelectorAll('a')) {
      link.hidden = !admin && link.hasAttribute('data-admin');
      link.addEventListener('click', (event) => {
        event.preventDefault();
        const query = new URLSearchParams(location.search);
        query.set('view', link.dataset.view);
        history.pushState(null, '', location.pathname + '?' + query);
        showView();
      });
    }
    addEventListener('popstate', () => { readRange(); showView(); });
    realtime();
    setInterval(realtime, REALTIME_MS);
    showView();
    if (admin) loadShares();
  }

  const REALTIME_MS = 30000;

  /** The strip under the title: the site's events in the last 30 minutes, asked again every 30 seconds. */
  async function realtime() {
    if (document.hidden) return; // a tab in the background asks nothing
    try {
      const r = await api('stats/' + encodeURIComponent(state.site) + '/realtime');
      $('realtime').hidden = false;
      $('realtime').dataset.events = String(r.events);
      $('realtime-text').textContent = (r.capped ? 'at least ' : '') + number.format(r.events) + ' events from ' +
        number.format(r.visitors) + ' visitors in the last ' + r.minutes + ' minutes';
    } catch (e) {
      $('realtime').hidden = true;
    }
  }

  /** The view the page's query names: the figures, funnels, experiments, or (admin only) the goal editor or the operator view. */
  function showView() {
    const asked = new URLSearchParams(location.search).get('view');
    const link = asked && $('views').querySelector('a[data-view="' + CSS.escape(asked) + '"]');
    const view = VIEWS[asked] && link && !link.hidden ? asked : 'overview';
    for (const each of $('views').querySelectorAll('a')) each.setAttribute('aria-current', each.dataset.view === view ? 'page' : 'false');
    for (const name of Object.keys(VIEWS)) $('view-' + name).hidden = name !== view;
    // the range is the overview's and the reports' (funnels, experiments); the comparison is the overview's only
    $('range-controls').hidden = !VIEWS[view].ranged;
    $('compare-label').hidden = view !== 'overview';
    for (const [name, other] of Object.entries(VIEWS)) if (name !== view && other.close) other.close();
    VIEWS[view].open(state.site);
  }

  /** The views: the overview is this file's; the goal editor and the operator view add themselves (editor.js, operator.js). */
  const VIEWS = { overview: { open: () => load(), ranged: true } };

  const KPIS = [
    ['visitors', 'Visitors'], ['pageviews', 'Pageviews'], ['events', 'Events'], ['sessions', 'Sessions'],
    ['visits', 'Visits'], ['bounce_rate', 'Bounce rate'], ['visit_duration', 'Visit duration'],
    ['views_per_visit', 'Views per visit'], ['conversions', 'Conversions'], ['conversion_rate', 'Conversion rate']
  ];
  /** How a KPI's value reads: rates in percent, durations in minutes and seconds, the rest as numbers. */
  const KPI_FORMATS = {
    conversion_rate: (v) => percent.format(v / 100),
    bounce_rate: (v) => percent.format(v / 100),
    visit_duration: (v) => duration(v)
  };
  const METRICS = [['visitors', 'Visitors'], ['pageviews', 'Pageviews'], ['events', 'Events'], ['sessions', 'Sessions'],
    ['conversions', 'Conversions']];

  let loading = 0;

  async function load() {
    const run = ++loading;
    document.body.dataset.state = 'loading';
    $('load-error').hidden = true;
    for (const button of $('metrics').children) button.setAttribute('aria-pressed', String(button.dataset.metric === state.metric));
    const compare = $('compare').checked;
    renderFilters();
    $('filter-error').hidden = true;
    try {
      let kpis = null;
      try {
        kpis = await stats('kpis', Object.assign(range(), compare ? { compare: 'previous' } : {}));
      } catch (e) {
        if (!filterRefused(e)) throw e;
        if (run === loading) showFilterError(e);
      }
      if (run !== loading) return;
      if (!kpis) {
        $('kpis').replaceChildren();
        if (state.chart) state.chart.destroy();
        state.chart = null;
        $('chart').replaceChildren(el('p', { class: 'note' }, 'Not shown with these filters.'));
        $('empty').hidden = true;
        await panels(null, run);
        if (run === loading) document.body.dataset.state = 'ready';
        return;
      }
      $('range').textContent = kpis.from === kpis.to ? kpis.from : kpis.from + ' – ' + kpis.to;
      renderKpis(kpis, compare ? kpis.previous : null);
      $('empty').hidden = kpis.events + kpis.pageviews > 0 || state.filters.length > 0;
      $('snippet').textContent = snippet();
      const previous = compare ? { from: kpis.previous.from, to: kpis.previous.to } : null;
      await Promise.all([chart(kpis, previous, run), panels(previous, run)]);
      if (run === loading) document.body.dataset.state = 'ready';
    } catch (e) {
      if (run !== loading) return;
      $('load-error').hidden = false;
      $('load-error').textContent = 'Could not load the figures: ' + e.message;
      document.body.dataset.state = 'error';
    }
  }

  /** A report of the stats API, with the filters (every report but the sessions takes them). */
  function stats(report, params) {
    const filtered = state.filters.length > 0 && report !== 'sessions' ? { filters: state.filters.join(';') } : {};
    return api('stats/' + encodeURIComponent(state.site) + '/' + report, Object.assign({}, params, filtered));
  }

  function snippet() {
    return '<script>window.tally=window.tally||{q:[],track:function(){tally.q.push(arguments)}}</script>\n' +
      '<script defer data-site="' + state.site + '" src="' + location.origin + '/js/tally.js"></script>';
  }

  /** The change from {@code before} to {@code now} as a ratio; null when there is none to show (from nothing). */
  function ratio(now, before) {
    if (before === undefined || before === null || Number.isNaN(before)) return null;
    if (before === 0) return now === 0 ? 0 : null;
    return (now - before) / before;
  }

  function delta(now, before) {
    const change = ratio(now, before);
    return change === null ? null : signed.format(change);
  }

  function renderKpis(kpis, previous) {
    const cards = [];
    for (const [key, label] of KPIS) {
      if (!(key in kpis)) continue;
      const value = Number(kpis[key]);
      const text = (KPI_FORMATS[key] || ((v) => number.format(v)))(value);
      const change = previous ? delta(value, Number(previous[key])) : null;
      const changeRatio = previous ? ratio(value, Number(previous[key])) : null;
      cards.push(el('li', { class: 'kpi', dataset: { kpi: key, value: String(kpis[key]), delta: changeRatio === null ? undefined : String(changeRatio) } },
        el('span', { class: 'kpi-label' }, label),
        el('span', { class: 'kpi-value' }, text),
        change ? el('span', { class: 'kpi-delta' + (change.startsWith('-') || change.startsWith('−') ? ' down' : ''),
          title: 'against the previous period' }, change, el('span', { class: 'sr' }, ' against the previous period')) : null));
    }
    for (const amount of kpis.revenue || []) {
      cards.push(el('li', { class: 'kpi', dataset: { kpi: 'revenue-' + amount.currency, value: amount.amount } },
        el('span', { class: 'kpi-label' }, 'Revenue ' + amount.currency),
        el('span', { class: 'kpi-value' }, money([amount]))));
    }
    $('kpis').replaceChildren(...cards);
  }

  // ---- the chart -----------------------------------------------------------------------------------------------

  function chartSize() {
    const width = Math.max(280, $('chart').clientWidth);
    return { width, height: width < 500 ? 180 : 240 };
  }

  async function chart(kpis, previous, run) {
    const step = interval(kpis.from, kpis.to);
    const params = { from: kpis.from, to: kpis.to, metric: state.metric, interval: step };
    const [now, before] = await Promise.all([stats('timeseries', params),
      previous ? stats('timeseries', Object.assign({}, params, previous)) : null]);
    if (run !== loading) return;
    const xs = now.points.map((p) => Date.parse(p.start.length === 10 ? p.start + 'T00:00:00' : p.start) / 1000);
    const data = [xs, now.points.map((p) => p.value)];
    const label = METRICS.find((m) => m[0] === state.metric)[1];
    const css = getComputedStyle(document.body);
    const series = [{}, { label, stroke: css.getPropertyValue('--accent').trim(), width: 2, fill: css.getPropertyValue('--accent-fill').trim() }];
    if (before) {
      data.push(xs.map((x, i) => (before.points[i] ? before.points[i].value : null)));
      series.push({ label: 'Previous period', stroke: css.getPropertyValue('--muted').trim(), width: 1.5, dash: [6, 4] });
    }
    $('chart').setAttribute('aria-label', label + ' by ' + step + ', ' + kpis.from + ' to ' + kpis.to + ': ' +
      data[1].map((v) => number.format(v)).join(', '));
    if (state.chart) state.chart.destroy();
    $('chart').replaceChildren();
    if (typeof uPlot === 'undefined') return;
    const axis = { stroke: css.getPropertyValue('--muted').trim(), grid: { stroke: css.getPropertyValue('--line').trim() } };
    state.chart = new uPlot(Object.assign(chartSize(), {
      series,
      scales: { x: { time: true } },
      axes: [axis, Object.assign({ values: (u, ticks) => ticks.map((t) => number.format(t)) }, axis)],
      legend: { show: true }
    }), data, $('chart'));
  }

  // ---- the panels: each a report of the stats API and the columns it shows ----------------------------------------
  //
  // A new report is one entry: its name, the parameters it needs, where its rows are in the answer, its columns.

  const count = (key, label) => ({ key, label, format: (v) => v === null || v === undefined ? '–' : number.format(v), numeric: true });
  const regions = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(undefined, { type: 'region' }) : null;
  function regionName(code) {
    try {
      return regions ? regions.of(code) : code;
    } catch (e) {
      return code;
    }
  }
  /** A panel of one of the audience reports (browsers, systems, devices, countries): visitors and conversions. */
  function audience(report, title, key, label, format) {
    return { id: report, title, report, rows: (b) => b[report], filter: (row) => 'visit:' + key + '==' + plain(row[key]), columns: [{ key, label, format }, count('visitors', 'Visitors'),
      count('pageviews', 'Pageviews'), count('conversions', 'Conversions')] };
  }
  const PANELS = [
    {
      id: 'top-pages', filter: (row) => 'event:page==' + plain(row.page), title: 'Pages', report: 'pages', rows: (b) => b.pages,
      columns: [{ key: 'page', label: 'Page' }, count('visitors', 'Visitors'), count('pageviews', 'Pageviews'),
        { key: 'time_on_page', label: 'Time on page', numeric: true, format: (v) => v === null ? '–' : duration(v) },
        { key: 'scroll_depth', label: 'Scroll depth', numeric: true, format: (v) => v === null ? '–' : percent.format(Number(v) / 100) }]
    },
    {
      id: 'top-sources', filter: (row) => (state.dimension === 'referrer' ? 'visit:source' : 'visit:' + state.dimension) + '==' + plain(row.source || '(direct)'), title: 'Sources', report: 'sources', rows: (b) => b.sources,
      params: () => ({ dimension: state.dimension }),
      toggle: { values: [['referrer', 'Referrers'], ['utm_source', 'UTM source'], ['utm_medium', 'UTM medium'],
        ['utm_campaign', 'UTM campaign']], get: () => state.dimension, set: (v) => { state.dimension = v; } },
      columns: [{ key: 'source', label: 'Source' }, count('visitors', 'Visitors'), count('visits', 'Visits')]
    },
    {
      id: 'entry-pages', filter: (row) => 'visit:entry_page==' + plain(row.page), title: 'Entry pages', report: 'entry_pages', rows: (b) => b.entry_pages,
      columns: [{ key: 'page', label: 'Entry page' }, count('visitors', 'Visitors'), count('visits', 'Visits')]
    },
    {
      id: 'exit-pages', filter: (row) => 'visit:exit_page==' + plain(row.page), title: 'Exit pages', report: 'exit_pages', rows: (b) => b.exit_pages,
      columns: [{ key: 'page', label: 'Exit page' }, count('visitors', 'Visitors'), count('exits', 'Exits'),
        { key: 'exit_rate', label: 'Exit rate', numeric: true, format: (v) => v === null ? '–' : percent.format(Number(v) / 100) }]
    },
    {
      id: 'goals', filter: (row) => 'event:goal==' + plain(row.name), title: 'Goals', report: 'goals', rows: (b) => b.goals, compare: true,
      pick: (row) => { state.goal = row.name; },
      picked: (row) => row.name === state.goal,
      columns: [
        { key: 'name', label: 'Goal' },
        count('conversions', 'Conversions'),
        count('visitors', 'Converting visitors'),
        { key: 'conversion_rate', label: 'Rate', numeric: true, format: (v) => percent.format(Number(v) / 100) },
        { key: 'value', label: 'Value', numeric: true, format: money },
        count('weight', 'Weight'),
        { key: 'revenue', label: 'Revenue', numeric: true, format: money },
        { key: 'time_to_conversion', label: 'Time to convert (median)', numeric: true, format: (t) => duration(t && t.p50_seconds) }
      ]
    },
    {
      id: 'sources', filter: (row) => 'visit:source==' + plain(row.source || '(direct)'), title: 'Sources of the goal', report: 'sources', rows: (b) => b.sources,
      params: () => state.goal && { goal: state.goal, touch: state.touch },
      needs: 'Pick a goal to see where its conversions came from.',
      toggle: { values: [['last', 'Last touch'], ['first', 'First touch']], get: () => state.touch, set: (v) => { state.touch = v; } },
      columns: [{ key: 'source', label: 'Source', format: (v) => v || '(direct)' }, count('conversions', 'Conversions')]
    },
    {
      id: 'pages', filter: (row) => 'visit:entry_page==' + plain(row.page), title: 'Entry pages of the goal', report: 'pages', rows: (b) => b.pages,
      params: () => state.goal && { goal: state.goal },
      needs: 'Pick a goal to see the pages its converting visits entered on.',
      columns: [{ key: 'page', label: 'Entry page' }, count('conversions', 'Conversions')]
    },
    {
      id: 'events', filter: (row) => 'event:name==' + plain(row.name), title: 'Events', report: 'events', rows: (b) => b.events,
      pick: (row) => { state.event = row.name; },
      picked: (row) => row.name === state.event,
      columns: [{ key: 'name', label: 'Event' }, count('events', 'Events'), count('visitors', 'Visitors')]
    },
    {
      id: 'properties', filter: (row) => 'event:props:' + plain(row.key) + '==' + plain(row.value), title: 'Properties of the event', report: 'events',
      params: () => state.event && { name: state.event },
      needs: 'Pick an event to break it down by its properties.',
      rows: (b) => Object.entries(b.properties).flatMap(([key, values]) => values.map((v) => Object.assign({ key }, v))),
      key: (row) => row.key + '=' + row.value,
      columns: [{ key: 'key', label: 'Property' }, { key: 'value', label: 'Value' }, count('events', 'Events'),
        count('visitors', 'Visitors')]
    },
    {
      id: 'sessions', title: 'Recent sessions', report: 'sessions', rows: (b) => b.sessions, extra: { limit: 10 },
      hidden: () => !!shareId, // a share link shows the aggregate figures only
      render: sessionList
    },
    audience('browsers', 'Browsers', 'browser', 'Browser'),
    audience('operating_systems', 'Operating systems', 'os', 'System'),
    audience('devices', 'Devices', 'device', 'Device'),
    audience('countries', 'Countries', 'country', 'Country', (code) => code ? regionName(code) : '(unknown)'),
    {
      id: 'labels', title: 'Labels', report: 'events', rows: (b) => b.labels, hideEmpty: true,
      columns: [{ key: 'label', label: 'Label' }, count('events', 'Events')]
    },
    {
      id: 'actions', title: 'Actions', report: 'events', rows: (b) => b.actions, hideEmpty: true,
      columns: [{ key: 'action', label: 'Action' }, count('events', 'Events')]
    },
    {
      id: 'categories', title: 'Categories', report: 'events', rows: (b) => b.categories, hideEmpty: true,
      columns: [{ key: 'category', label: 'Category' }, count('events', 'Events')]
    }
  ];

  async function panels(previous, run) {
    const container = $('panels');
    const answers = new Map();
    const fetchOnce = (report, params) => {
      const key = report + '?' + new URLSearchParams(params);
      if (!answers.has(key)) answers.set(key, stats(report, params));
      return answers.get(key);
    };
    const views = PANELS.filter((panel) => !(panel.hidden && panel.hidden())).map((panel) => panelView(panel, fetchOnce, previous));
    const rendered = await Promise.all(views);
    if (run !== loading) return;
    container.replaceChildren(...rendered.filter((section) => section !== null));
  }

  async function panelView(panel, fetchOnce, previous) {
    const extra = panel.params ? panel.params() : {};
    const section = el('section', { class: 'panel', id: 'panel-' + panel.id, 'aria-labelledby': 'title-' + panel.id },
      el('div', { class: 'panel-head' }, el('h2', { id: 'title-' + panel.id }, panel.title,
        panel.params && extra ? el('span', { class: 'for' }, ' · ' + Object.values(extra)[0]) : null),
      panel.toggle ? el('div', { role: 'group', 'aria-label': panel.title + ': attribution' }, panel.toggle.values.map(([v, label]) =>
        el('button', { type: 'button', 'aria-pressed': String(panel.toggle.get() === v), onclick: () => { panel.toggle.set(v); load(); } }, label))) : null));
    if (!extra) {
      section.append(el('p', { class: 'note' }, panel.needs));
      return section;
    }
    const base = Object.assign({}, range(), panel.extra);
    let body;
    let before;
    try {
      [body, before] = await Promise.all([fetchOnce(panel.report, Object.assign({}, base, extra)),
        panel.compare && previous ? fetchOnce(panel.report, Object.assign({}, previous, extra)) : null]);
    } catch (e) {
      if (!filterRefused(e)) throw e;
      section.append(el('p', { class: 'note filter-refused' }, 'Not shown with these filters: ' + e.message));
      return section;
    }
    if (state.filters.length > 0 && panel.report === 'sessions') section.querySelector('h2').append(el('span', { class: 'for' }, ' · not filtered'));
    const rows = panel.rows(body) || [];
    if (rows.length === 0) {
      if (panel.hideEmpty) return null;
      section.append(el('p', { class: 'note' }, 'Nothing in this range.'));
      return section;
    }
    if (panel.render) {
      section.append(panel.render(rows));
      return section;
    }
    const key = panel.key || ((row) => String(row[panel.columns[0].key]));
    const earlier = before ? new Map(panel.rows(before).map((r) => [key(r), r])) : null;
    section.append(el('div', { class: 'scroll' }, el('table', { dataset: { panel: panel.id } },
      el('caption', { class: 'sr' }, panel.title),
      el('thead', {}, el('tr', {}, panel.columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      el('tbody', {}, rows.map((row) => rowView(panel, row, key(row), earlier))))));
    return section;
  }

  function rowView(panel, row, key, earlier) {
    return el('tr', { dataset: { row: key }, class: panel.picked && panel.picked(row) ? 'picked' : null },
      panel.columns.map((c, i) => {
        const shown = c.format ? c.format(row[c.key]) : row[c.key];
        const raw = typeof row[c.key] === 'object' ? JSON.stringify(row[c.key]) : String(row[c.key]);
        const clause = i === 0 && panel.filter ? panel.filter(row) : null;
        const cell = i === 0 && panel.pick ?
          el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', 'aria-pressed': String(!!panel.picked(row)),
            onclick: () => { panel.pick(row); load(); } }, shown), clause ? filterButton(clause) : null) :
          i === 0 && clause ?
            el('th', { scope: 'row', dataset: { col: c.key, value: raw } }, el('button', { type: 'button', class: 'link', dataset: { filter: clause },
              title: 'Filter every panel by ' + describe(clause), onclick: () => addFilter(clause) }, shown)) :
            el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: c.numeric ? 'num' : null, dataset: { col: c.key, value: raw } }, shown);
        const was = earlier && earlier.get(key);
        if (was && c.key === 'conversions') {
          const change = delta(Number(row[c.key]), Number(was[c.key]));
          if (change) cell.append(' ', el('span', { class: 'kpi-delta' + (change.startsWith('-') || change.startsWith('−') ? ' down' : '') }, change));
        }
        return cell;
      }));
  }

  /** The small button beside a name that picks (a goal, an event): it filters every panel by it instead. */
  function filterButton(clause) {
    return el('button', { type: 'button', class: 'filter-add', dataset: { filter: clause }, 'aria-label': 'Filter every panel: ' + describe(clause),
      title: 'Filter every panel: ' + describe(clause), onclick: () => addFilter(clause) }, '⊕');
  }

  const clock = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

  /** Sessions, newest first: when, the pages and events in order, a badge for each goal matched. */
  function sessionList(sessions) {
    return el('ol', { class: 'sessions' }, sessions.map((session) => el('li', { dataset: { session: session.session } },
      el('span', { class: 'when' }, clock.format(new Date(session.events[0].ts))),
      el('span', { class: 'steps' }, session.events.map((e) => el('span', { class: 'step' },
        e.type === 'pageview' ? e.path : e.name,
        e.goal ? el('span', { class: 'badge' + (e.conversion ? ' conversion' : ''), dataset: { goal: e.goal } },
          e.goal) : null))))));
  }

  // ---- share links (admin) ---------------------------------------------------------------------------------------

  function sharesPath(id) {
    return 'sites/' + encodeURIComponent(state.site) + '/shares' + (id ? '/' + encodeURIComponent(id) : '');
  }

  async function loadShares() {
    const body = await api(sharesPath());
    $('share-list').replaceChildren(...body.shares.map((share) => {
      const url = location.origin + share.url;
      return el('li', { dataset: { share: share.id } },
        el('input', { type: 'text', readonly: true, value: url, 'aria-label': 'Share link made ' + share.created }),
        el('button', { type: 'button', onclick: () => navigator.clipboard && navigator.clipboard.writeText(url) }, 'Copy'),
        el('button', { type: 'button', class: 'revoke', onclick: async () => { await api(sharesPath(share.id), null, 'DELETE'); loadShares(); } }, 'Revoke'));
    }));
  }

  async function createShare() {
    try {
      await api(sharesPath(), null, 'POST');
    } catch (e) {
      $('load-error').hidden = false;
      $('load-error').textContent = e.message;
    }
    loadShares();
  }

  // ---- a form's errors: the API's own, each shown on the field it names --------------------------------------------

  /**
   * The errors of {@code form}, whose inputs name the API's fields in {@code data-field} (name, steps[1].value,
   * value.currency); {@code summary} says what was not saved.
   */
  function formErrors(form, summary) {
    const visible = (field) => {
      const found = form.querySelector('[data-field="' + CSS.escape(field) + '"]');
      return found && found.closest('[hidden]') === null ? found : null;
    };
    function clear() {
      summary.textContent = '';
      for (const message of form.querySelectorAll('.field-error')) message.remove();
      for (const field of form.querySelectorAll('[aria-invalid]')) {
        field.removeAttribute('aria-invalid');
        field.removeAttribute('aria-describedby');
      }
    }
    /**
     * Shows the API's error on the field it names (or {@code named} when the API names none), or on the nearest part
     * of the form that holds it; the message the API wrote, after the field's name.
     */
    function show(e, named) {
      let field = (e.body || {}).field || named || null;
      if (!field && /^[a-z_.[\]0-9]+: /.test(e.message)) field = e.message.slice(0, e.message.indexOf(':'));
      let target = null;
      while (field && !(target = visible(field))) {
        field = field.includes('.') ? field.slice(0, field.lastIndexOf('.')) : field.includes('[') ? field.slice(0, field.lastIndexOf('[')) : '';
      }
      if (!target) {
        summary.textContent = e.message;
        return;
      }
      const id = form.id + '-error-' + field.replace(/[^a-z0-9]+/gi, '-');
      const message = el('p', { class: 'field-error error', id, dataset: { errorFor: field } }, e.message.replace(/^[^:]*: /, ''));
      const input = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea');
      if (target.matches('fieldset, li')) target.append(message); else target.after(message);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', id);
        input.focus();
      }
      summary.textContent = 'Not saved: see ' + field + '.';
    }
    return { clear, show };
  }

  // what editor.js and operator.js use: they are loaded after this file, before the page's DOMContentLoaded
  window.Tally = { $, el, api, number, percent, signed, money, duration, clock, state, range, formErrors, views: VIEWS };
  addEventListener('DOMContentLoaded', start);
})();
