// The funnels and experiments views: the site's definitions (read with any credential that reads the site), the
// selected one's report for the page's range, and for the admin a form to make one (the API's errors on their field)
// and a delete. Both reports are read from the event store: with it off, the view says how to turn it on.
// See docs/funnels.md for what each figure means.
'use strict';
(() => {
  const { $, el, api, number, percent, signed, money, duration, state, range, formErrors, views } = window.Tally;
  const pValues = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 2 });
  /** A p-value: two significant digits, and below 0.0001 only that (a smaller one says no more). */
  const pValue = (v) => Number(v) < 0.0001 ? '< ' + pValues.format(0.0001) : pValues.format(Number(v));
  const STORE_OFF = ' are read from the event store, which is off on this engine. Start it with --event-store true ' +
    '(or TALLY_EVENT_STORE=true) to see their figures; the definitions are kept meanwhile.';
  const pct = (v) => v === null || v === undefined ? '–' : percent.format(Number(v) / 100);
  const raw = (v) => v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

  /** A figure's cell: the formatted text shown, the API's raw value in data-value (what the tests compare). */
  function cell(key, value, text, extra) {
    return el('td', { class: 'num', dataset: { col: key, value: raw(value) } }, text, extra);
  }

  /**
   * One kind of definition and its view: {@code kind} (funnel, experiment), the view's id prefix, how its report
   * renders and how its form reads and is reset.
   */
  function explorer(kind, prefix, render, form) {
    const plural = kind + 's';
    const errors = formErrors($(prefix + '-form'), $(prefix + '-error'));
    let site = null;
    let list = [];
    let run = 0;
    let wired = false;

    const selected = () => new URLSearchParams(location.search).get(kind);
    const kept = (name) => 'sites/' + encodeURIComponent(site) + '/' + plural + (name === undefined ? '' : '/' + encodeURIComponent(name));

    function select(name) {
      const query = new URLSearchParams(location.search);
      query.set(kind, name);
      history.replaceState(null, '', location.pathname + '?' + query);
      // the list is drawn again: the focus goes back to the chosen one's button
      return open(site).then(() => {
        const button = document.querySelector('#' + prefix + '-list li[data-name="' + CSS.escape(name) + '"] button.link');
        if (button) button.focus();
      });
    }

    function wire() {
      wired = true;
      $(prefix + '-new').addEventListener('click', () => {
        form.reset();
        errors.clear();
        $(prefix + '-form').hidden = false;
        $(prefix + '-form').querySelector('input').focus();
      });
      $(prefix + '-form').addEventListener('submit', save);
      $(prefix + '-form').querySelector('[id$=-cancel]').addEventListener('click', closeForm);
    }

    function closeForm() {
      $(prefix + '-form').hidden = true;
      errors.clear();
      $(prefix + '-new').focus();
    }

    /** Lists the definitions, then the selected one's report (the first when none is named). */
    async function open(domain) {
      site = domain;
      if (!wired) wire();
      const mine = ++run;
      document.body.dataset.state = 'loading';
      $('load-error').hidden = true;
      $(prefix + '-new').hidden = !state.admin;
      try {
        const body = await api('stats/' + encodeURIComponent(site) + '/' + plural);
        if (mine !== run) return;
        list = body[plural];
        storeOff(!body.event_store);
        const name = list.some((d) => d.name === selected()) ? selected() : list.length ? list[0].name : null;
        renderList(name);
        if (name && body.event_store) await report(list.find((d) => d.name === name), mine);
        else $(prefix + '-report').hidden = true;
        if (mine === run) document.body.dataset.state = 'ready';
      } catch (e) {
        if (mine !== run) return;
        if (e.body && e.body.error === 'event_store_off') {
          storeOff(true);
          $(prefix + '-report').hidden = true;
          document.body.dataset.state = 'ready';
          return;
        }
        $('load-error').hidden = false;
        $('load-error').textContent = 'Could not load the ' + plural + ': ' + e.message;
        document.body.dataset.state = 'error';
      }
    }

    function storeOff(off) {
      $(prefix + '-store-off').hidden = !off;
      $(prefix + '-store-off').textContent = off ? kind[0].toUpperCase() + plural.slice(1) + STORE_OFF : '';
    }

    function renderList(current) {
      $(prefix + '-empty').hidden = list.length > 0;
      $(prefix + '-empty').textContent = 'No ' + plural + ' yet' + (state.admin ? ': make one with "New ' + kind + '".' : '.');
      $(prefix + '-list').replaceChildren(...list.map((d) => el('li', { dataset: { name: d.name } },
        el('button', { type: 'button', class: 'link', 'aria-pressed': String(d.name === current), onclick: () => select(d.name) }, d.name),
        el('span', { class: 'note' }, form.summary(d)),
        state.admin ? el('button', { type: 'button', class: 'delete', 'aria-label': 'Delete ' + d.name,
          onclick: (e) => remove(d.name, e.currentTarget) }, 'Delete') : null)));
    }

    async function report(definition, mine) {
      const body = await api('stats/' + encodeURIComponent(site) + '/' + kind, Object.assign({ name: definition.name }, range()));
      if (mine !== run) return;
      $(prefix + '-report').hidden = false;
      $(prefix + '-report-title').textContent = definition.name;
      $(prefix + '-range').textContent = body.from === body.to ? body.from : body.from + ' – ' + body.to;
      $(prefix + '-figures').replaceChildren(...render(body));
    }

    /** Deletes on a second press: the first asks. */
    async function remove(name, button) {
      if (button.dataset.confirm !== 'yes') {
        button.dataset.confirm = 'yes';
        button.textContent = 'Really delete?';
        $(prefix + '-status').textContent = 'Press again to delete ' + name + '.';
        return;
      }
      try {
        await api(kept(name), null, 'DELETE');
        $(prefix + '-status').textContent = name + ' deleted.';
        await open(site);
        $(prefix + '-new').focus();
      } catch (e) {
        $(prefix + '-status').textContent = 'Not deleted: ' + e.message;
      }
    }

    async function save(event) {
      event.preventDefault();
      errors.clear();
      const definition = form.read();
      try {
        await api(kept(), null, 'POST', null, definition);
        $(prefix + '-form').hidden = true;
        $(prefix + '-status').textContent = definition.name + ' saved.';
        select(definition.name);
      } catch (e) {
        errors.show(e, e.status === 409 ? 'name' : null);
      }
    }

    return { open, ranged: true };
  }

  // ---- funnels ---------------------------------------------------------------------------------------------------

  const STEP_TYPES = [['page', 'Page'], ['event', 'Event'], ['goal', 'Goal']];

  /** A step's row; its inputs name the API's fields (steps[0].value) once numbered. */
  function stepRow(step) {
    const type = el('select', { class: 's-type', 'aria-label': 'Step type' },
      STEP_TYPES.map(([v, label]) => el('option', { value: v, selected: v === step.type }, label)));
    const row = el('li', { class: 'row' }, type,
      el('input', { class: 's-value', 'aria-label': 'Page path (* any characters), event or goal name', placeholder: '/pricing', value: step.value }),
      el('input', { class: 's-name', 'aria-label': 'Label (optional)', placeholder: 'label (optional)' }),
      el('input', { class: 's-filters', 'aria-label': 'Property filters (optional)', placeholder: 'event:props:plan==pro' }),
      el('button', { type: 'button', class: 'remove', 'aria-label': 'Remove this step', onclick: () => { row.remove(); numberSteps(); } }, '✕'));
    return row;
  }

  function numberSteps() {
    [...$('f-steps').children].forEach((row, i) => {
      row.dataset.field = 'steps[' + i + ']';
      for (const name of ['type', 'value', 'name', 'filters']) row.querySelector('.s-' + name).dataset.field = 'steps[' + i + '].' + name;
      row.querySelector('.remove').setAttribute('aria-label', 'Remove step ' + (i + 1));
    });
  }

  const funnelForm = {
    summary: (f) => f.steps.map((s) => s.name).join(' → ') + ' · ' + (f.window === 'session' ? 'one session' : 'within ' + f.window),
    reset() {
      $('f-name').value = '';
      $('f-window').value = 'session';
      $('f-steps').replaceChildren(stepRow({ type: 'page', value: '' }), stepRow({ type: 'event', value: '' }));
      numberSteps();
    },
    read() {
      return {
        name: $('f-name').value.trim(), window: $('f-window').value.trim(),
        steps: [...$('f-steps').children].map((row) => {
          const step = { type: row.querySelector('.s-type').value, value: row.querySelector('.s-value').value.trim() };
          for (const key of ['name', 'filters']) if (row.querySelector('.s-' + key).value.trim()) step[key] = row.querySelector('.s-' + key).value.trim();
          return step;
        })
      };
    }
  };
  $('f-add-step').addEventListener('click', () => {
    $('f-steps').append(stepRow({ type: 'event', value: '' }));
    numberSteps();
    $('f-steps').lastElementChild.querySelector('select').focus();
  });

  /** The funnel: a bar per step (its width the share of the first step's visitors), then every figure in a table. */
  function funnelFigures(body) {
    const steps = body.steps;
    const first = steps.length ? Number(steps[0].visitors) : 0;
    const bars = el('ol', { class: 'funnel-bars', 'aria-hidden': 'true' }, steps.map((s) => {
      const bar = el('span', { class: 'fill' });
      bar.style.width = (first ? 100 * Number(s.visitors) / first : 0) + '%';
      return el('li', {}, el('span', { class: 'bar-label' }, s.name, ' · ', number.format(s.visitors), ' · ', pct(s.conversion_rate)),
        el('span', { class: 'track' }, bar));
    }));
    const columns = ['Visitors', 'Drop-off', 'Conversion', 'From the previous step', 'Median time from the previous step', 'Revenue'];
    const table = el('div', { class: 'scroll' }, el('table', { dataset: { panel: 'funnel-steps' } },
      el('caption', { class: 'sr' }, 'Funnel steps'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Step'), columns.map((c) => el('th', { scope: 'col', class: 'num' }, c)))),
      el('tbody', {}, steps.map((s, i) => el('tr', { dataset: { row: s.name } },
        el('th', { scope: 'row' }, number.format(i + 1), '. ', s.name, el('span', { class: 'note' }, ' ', s.type, ' ', s.value)),
        cell('visitors', s.visitors, number.format(s.visitors)),
        cell('dropoff', s.dropoff, i === 0 ? '–' : number.format(s.dropoff)),
        cell('conversion_rate', s.conversion_rate, pct(s.conversion_rate)),
        cell('conversion_rate_from_previous', s.conversion_rate_from_previous, i === 0 ? '–' : pct(s.conversion_rate_from_previous)),
        cell('median_seconds_from_previous', s.median_seconds_from_previous, duration(s.median_seconds_from_previous)),
        cell('revenue', s.revenue, money(s.revenue)))))));
    return [bars, table];
  }

  // ---- experiments -----------------------------------------------------------------------------------------------

  const experimentForm = {
    summary: (x) => Object.keys(x.variant)[0].replace('_', ' ') + ' ' + Object.values(x.variant)[0] + ' · goal ' + x.goal +
      ' · control ' + x.control,
    reset() {
      for (const id of ['x-name', 'x-key', 'x-goal', 'x-control', 'x-weights']) $(id).value = '';
      $('x-source').value = 'property';
      $('x-key').dataset.field = 'variant.property';
      // the goals to pick from: the admin's goals list (the form is the admin's)
      api('sites/' + encodeURIComponent(state.site) + '/goals').then((body) => $('x-goals').replaceChildren(
        ...body.goals.map((g) => el('option', { value: g.name })))).catch(() => {});
    },
    read() {
      const experiment = { name: $('x-name').value.trim(), variant: { [$('x-source').value]: $('x-key').value.trim() },
        goal: $('x-goal').value.trim(), control: $('x-control').value.trim() };
      const weights = $('x-weights').value.trim();
      if (weights) {
        // "A=50, B=50": a value that is not a number is sent as it is, for the API to name
        experiment.weights = Object.fromEntries(weights.split(',').map((pair) => pair.split('=').map((p) => p.trim()))
          .map(([variant, weight]) => [variant, weight !== undefined && weight !== '' && !Number.isNaN(Number(weight)) ? Number(weight) : weight || null]));
      }
      return experiment;
    }
  };
  $('x-source').addEventListener('change', () => { $('x-key').dataset.field = 'variant.' + $('x-source').value; });

  /** The variants: visitors, conversions, the rate with its 95% interval, lift against the control, p-value; the warnings. */
  function experimentFigures(body) {
    const ratio = body.sample_ratio || {};
    const warnings = (body.warnings || []).filter((w) => !w.startsWith('sample_ratio_mismatch'));
    const srm = ratio.mismatch ? el('div', { id: 'ex-srm', class: 'warning', role: 'alert' },
      el('strong', {}, 'Sample ratio mismatch. '),
      'The visitors are split far from the ' + (ratio.against === 'declared weights' ? 'intended split' : 'equal split') +
      ' (p-value ' + pValue(ratio.p_value) + '): check how visitors are assigned before trusting these results.') : null;
    const table = el('div', { class: 'scroll' }, el('table', { dataset: { panel: 'experiment-variants' } },
      el('caption', { class: 'sr' }, 'Variants'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Variant'),
        ['Visitors', 'Conversions', 'Conversion rate (95% interval)', 'Lift', 'p-value'].map((c) => el('th', { scope: 'col', class: 'num' }, c)))),
      el('tbody', {}, body.variants.map((v) => el('tr', { dataset: { row: v.variant }, class: v.significant ? 'picked' : null },
        el('th', { scope: 'row' }, v.variant, v.control ? el('span', { class: 'badge' }, 'control') : null),
        cell('visitors', v.visitors, number.format(v.visitors)),
        cell('conversions', v.conversions, number.format(v.conversions)),
        cell('conversion_rate', v.conversion_rate, pct(v.conversion_rate), el('span', { class: 'interval' }, ' (',
          el('span', { dataset: { col: 'conversion_rate_low', value: raw(v.conversion_rate_low) } }, pct(v.conversion_rate_low)), ' – ',
          el('span', { dataset: { col: 'conversion_rate_high', value: raw(v.conversion_rate_high) } }, pct(v.conversion_rate_high)), ')')),
        cell('lift', v.lift, v.lift === null ? '–' : signed.format(Number(v.lift) / 100)),
        cell('p_value', v.p_value, v.p_value === null ? '–' : pValue(v.p_value),
          v.significant ? el('span', { class: 'badge' }, 'significant') : null))))));
    return [srm, table, ...warnings.map((w) => el('p', { class: 'note warning-note' }, w.replace(/^[a-z_]+: /, ''))),
      body.more_variants ? el('p', { class: 'note' }, 'More variants were seen than are shown.') : null].filter((n) => n);
  }

  views.funnels = explorer('funnel', 'fn', funnelFigures, funnelForm);
  views.experiments = explorer('experiment', 'ex', experimentFigures, experimentForm);
})();
