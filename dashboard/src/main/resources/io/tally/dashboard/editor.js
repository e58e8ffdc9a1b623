// The goal editor (admin): the site's goals in priority order, reordered by dragging or by each goal's arrows;
// a form with every field of the goals API; the API's own validation errors shown beside the field they name;
// "test this goal" against the site's newest events before saving. See docs/goals.md for what each field means.
'use strict';
(() => {
  const { $, el, api, number, clock, formErrors, views } = window.Tally;

  /** The fields each goal type can test, and the operators (the last two take no value). */
  const FIELDS = {
    pageview: [['path', 'Path'], ['url', 'Page URL']],
    click: [['url', 'Link URL'], ['domain', 'Link host'], ['text', 'Link text'], ['title', 'Link title'], ['asin', 'ASIN']],
    form: [['form_name', 'Form name'], ['form_id', 'Form id'], ['plugin', 'Form plugin'], ['page_url', 'Page URL']],
    custom: [['event', 'Event name'], ['prop_key', 'Property key'], ['prop_value', 'Property value']]
  };
  const OPS = [['equals', 'equals'], ['not_equals', 'does not equal'], ['contains', 'contains'],
    ['not_contains', 'does not contain'], ['starts_with', 'starts with'], ['ends_with', 'ends with'],
    ['is_not_empty', 'is not empty'], ['is_empty', 'is empty']];
  const NO_VALUE = ['is_not_empty', 'is_empty'];

  let site = null;
  let goals = [];
  let editing = null; // the name of the goal in the form, null for a new one
  let dragged = null;
  let wired = false;

  const goalsPath = (name) => 'sites/' + encodeURIComponent(site) + '/goals' + (name === undefined ? '' : '/' + encodeURIComponent(name));

  async function open(domain) {
    site = domain;
    if (!wired) wire();
    document.body.dataset.state = 'loading';
    try {
      goals = (await api(goalsPath())).goals;
      renderList();
      document.body.dataset.state = 'ready';
    } catch (e) {
      $('load-error').hidden = false;
      $('load-error').textContent = 'Could not load the goals: ' + e.message;
      document.body.dataset.state = 'error';
    }
  }

  function wire() {
    wired = true;
    errors = formErrors($('goal-form'), $('goal-error'));
    $('goal-new').addEventListener('click', () => edit(null));
    $('g-cancel').addEventListener('click', closeForm);
    $('g-add-condition').addEventListener('click', () => { addCondition({}); lastRowFocus('g-conditions'); });
    $('g-add-notify').addEventListener('click', () => { addRecipient({}); lastRowFocus('g-notify'); });
    $('g-kind').addEventListener('change', showKind);
    $('g-type').addEventListener('change', () => {
      for (const row of $('g-conditions').children) fillFields(row.querySelector('.c-field'), row.querySelector('.c-field').value);
    });
    $('g-trigger-type').addEventListener('change', () => {
      if ($('g-trigger-type').value) {
        $('g-type').value = 'custom'; // the tracker sends a custom event
        $('g-type').dispatchEvent(new Event('change'));
      }
      showTrigger();
    });
    $('g-test').addEventListener('click', testGoal);
    $('goal-form').addEventListener('submit', save);
  }

  // ---- the list, in priority order ---------------------------------------------------------------------------

  function summary(goal) {
    const parts = [goal.type, goal.kind === 'macro' ? goal.value.amount + ' ' + goal.value.currency :
      goal.kind === 'micro' ? 'weight ' + goal.weight : 'event'];
    if (goal.trigger) parts.push(goal.trigger.type + ' trigger');
    if (goal.notify && goal.notify.length) parts.push(goal.notify.length + ' to notify');
    return parts.join(' · ');
  }

  function renderList() {
    $('goals-empty').hidden = goals.length > 0;
    $('goal-list').replaceChildren(...goals.map((goal, i) => el('li', {
      draggable: 'true', dataset: { goal: goal.name },
      ondragstart: (e) => {
        dragged = goal.name;
        e.dataTransfer.setData('text/plain', goal.name);
        e.dataTransfer.effectAllowed = 'move';
        e.currentTarget.classList.add('dragging');
      },
      ondragend: (e) => e.currentTarget.classList.remove('dragging'),
      ondragover: (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; e.currentTarget.classList.add('over'); },
      ondragleave: (e) => e.currentTarget.classList.remove('over'),
      ondrop: (e) => {
        e.preventDefault();
        e.currentTarget.classList.remove('over');
        const name = e.dataTransfer.getData('text/plain') || dragged;
        move(goals.findIndex((g) => g.name === name), i);
      }
    },
    el('span', { class: 'grip', 'aria-hidden': 'true' }, '⠿'),
    el('span', { class: 'rank' }, number.format(i + 1)),
    el('span', { class: 'goal-name' }, goal.name),
    el('span', { class: 'note' }, summary(goal)),
    el('span', { class: 'goal-actions' },
      el('button', { type: 'button', class: 'up', 'aria-label': 'Move ' + goal.name + ' up', disabled: i === 0,
        onclick: () => move(i, i - 1) }, '↑'),
      el('button', { type: 'button', class: 'down', 'aria-label': 'Move ' + goal.name + ' down', disabled: i === goals.length - 1,
        onclick: () => move(i, i + 1) }, '↓'),
      el('button', { type: 'button', class: 'edit', 'aria-label': 'Edit ' + goal.name, onclick: () => edit(goal) }, 'Edit'),
      el('button', { type: 'button', class: 'delete', 'aria-label': 'Delete ' + goal.name, onclick: (e) => remove(goal, e.currentTarget) },
        'Delete')))));
  }

  /** Moves the goal at {@code from} to {@code to} and saves the whole order through the API. */
  async function move(from, to) {
    if (from < 0 || to < 0 || to >= goals.length || from === to) return;
    const names = goals.map((g) => g.name);
    const [name] = names.splice(from, 1);
    names.splice(to, 0, name);
    try {
      goals = (await api(goalsPath('order'), null, 'PUT', null, { names })).goals;
      renderList();
      $('goal-status').textContent = name + ' is now priority ' + (to + 1) + ' of ' + goals.length + '.';
      const row = document.querySelector('#goal-list [data-goal="' + CSS.escape(name) + '"]');
      const button = row && row.querySelector(to < from ? '.up' : '.down');
      if (button) (button.disabled ? row.querySelector('.edit') : button).focus();
    } catch (e) {
      $('goal-status').textContent = 'The order was not saved: ' + e.message;
    }
  }

  /** Deletes on a second press: the first asks. */
  async function remove(goal, button) {
    if (button.dataset.confirm !== 'yes') {
      button.dataset.confirm = 'yes';
      button.textContent = 'Really delete?';
      $('goal-status').textContent = 'Press again to delete ' + goal.name + '.';
      return;
    }
    try {
      await api(goalsPath(goal.name), null, 'DELETE');
      $('goal-status').textContent = goal.name + ' deleted.';
      if (editing === goal.name) closeForm();
      await open(site);
    } catch (e) {
      $('goal-status').textContent = 'Not deleted: ' + e.message;
    }
  }

  // ---- the form ------------------------------------------------------------------------------------------------

  function options(select, pairs, value) {
    select.replaceChildren(...pairs.map(([v, label]) => el('option', { value: v, selected: v === value }, label)));
    if (value !== undefined && pairs.some(([v]) => v === value)) select.value = value;
  }

  function fillFields(select, value) {
    options(select, FIELDS[$('g-type').value], value);
    select.dispatchEvent(new Event('change'));
  }

  /** A condition row: field, the property's key (prop_value only), operator, value (not for the empty tests). */
  function addCondition(condition) {
    const row = el('li', { class: 'row' });
    const field = el('select', { class: 'c-field', 'aria-label': 'Field' });
    const key = el('input', { class: 'c-key', 'aria-label': 'Property key', placeholder: 'key' });
    const op = el('select', { class: 'c-op', 'aria-label': 'Test' });
    const value = el('input', { class: 'c-value', 'aria-label': 'Value', placeholder: 'value' });
    const sync = () => {
      key.hidden = field.value !== 'prop_value';
      value.hidden = NO_VALUE.includes(op.value);
    };
    field.addEventListener('change', sync);
    op.addEventListener('change', sync);
    options(op, OPS, condition.op || 'equals');
    key.value = condition.key || '';
    value.value = condition.value || '';
    row.append(field, key, op, value, el('button', { type: 'button', class: 'remove', 'aria-label': 'Remove this condition',
      onclick: () => { row.remove(); renumber(); } }, '✕'));
    $('g-conditions').append(row);
    fillFields(field, condition.field);
    renumber();
  }

  /** A recipient row: webhook URL or email address. */
  function addRecipient(recipient) {
    const row = el('li', { class: 'row' });
    const channel = el('select', { class: 'n-channel', 'aria-label': 'Channel' });
    options(channel, [['webhook', 'Webhook'], ['email', 'Email']], recipient.channel || 'webhook');
    const target = el('input', { class: 'n-target', 'aria-label': 'Webhook URL or email address', placeholder: 'https://… or name@example.com',
      value: recipient.target || '' });
    row.append(channel, target, el('button', { type: 'button', class: 'remove', 'aria-label': 'Remove this recipient',
      onclick: () => { row.remove(); renumber(); } }, '✕'));
    $('g-notify').append(row);
    renumber();
  }

  /** Names each row's inputs by the path the API's errors use: conditions[1].op, notify[0].target. */
  function renumber() {
    [...$('g-conditions').children].forEach((row, i) => {
      for (const [cls, name] of [['c-field', 'field'], ['c-key', 'key'], ['c-op', 'op'], ['c-value', 'value']]) {
        row.querySelector('.' + cls).dataset.field = 'conditions[' + i + '].' + name;
      }
      row.dataset.field = 'conditions[' + i + ']';
    });
    [...$('g-notify').children].forEach((row, i) => {
      row.querySelector('.n-channel').dataset.field = 'notify[' + i + '].channel';
      row.querySelector('.n-target').dataset.field = 'notify[' + i + '].target';
      row.dataset.field = 'notify[' + i + ']';
    });
  }

  function lastRowFocus(id) {
    const row = $(id).lastElementChild;
    if (row) row.querySelector('select, input').focus();
  }

  function showKind() {
    const kind = $('g-kind').value;
    for (const part of $('goal-form').querySelectorAll('[data-for-kind]')) part.hidden = !part.dataset.forKind.split(' ').includes(kind);
  }

  function showTrigger() {
    const type = $('g-trigger-type').value;
    for (const part of $('goal-form').querySelectorAll('[data-for-trigger]')) part.hidden = !part.dataset.forTrigger.split(' ').includes(type);
  }

  /** Opens the form on {@code goal}, or empty for a new one. */
  function edit(goal) {
    editing = goal ? goal.name : null;
    const g = goal || { kind: 'micro', type: 'pageview', match: 'all', fire: 'once', counts_as_conversion: true,
      conditions: [{ field: 'path', op: 'equals', value: '' }] };
    clearErrors();
    $('goal-form-title').textContent = goal ? 'Edit ' + goal.name : 'New goal';
    $('g-name').value = g.name || '';
    $('g-name').readOnly = !!goal; // a goal's name never changes
    $('g-kind').value = g.kind;
    $('g-conversion').checked = g.counts_as_conversion !== false;
    $('g-amount').value = g.value ? g.value.amount : '';
    $('g-currency').value = g.value ? g.value.currency : '';
    $('g-weight').value = String(g.weight || 1);
    $('g-type').value = g.type;
    $('g-fire').value = g.fire || 'once';
    for (const radio of $('goal-form').querySelectorAll('[name=g-match]')) radio.checked = radio.value === (g.match || 'all');
    $('g-conditions').replaceChildren();
    (g.conditions || []).forEach(addCondition);
    $('g-notify').replaceChildren();
    (g.notify || []).forEach(addRecipient);
    const t = g.trigger || {};
    $('g-trigger-type').value = t.type || '';
    $('g-trigger-event').value = t.event && t.event !== g.name ? t.event : '';
    $('g-trigger-selector').value = t.selector || '';
    $('g-trigger-path').value = t.path || '';
    $('g-trigger-op').value = t.op || 'equals';
    $('g-trigger-query').value = Object.entries(t.query || {}).map(([k, v]) => k + '=' + v).join('\n');
    $('g-trigger-seconds').value = t.seconds || '';
    $('g-trigger-interactions').value = t.interactions || '';
    $('g-trigger-every').checked = !!t.every_time;
    showKind();
    showTrigger();
    $('g-test-result').replaceChildren();
    $('goal-form').hidden = false;
    (goal ? $('g-kind') : $('g-name')).focus();
  }

  function closeForm() {
    $('goal-form').hidden = true;
    editing = null;
    $('goal-new').focus();
  }

  /** The goal as the API reads it, from the form: only the fields its kind and trigger have. */
  function readForm() {
    const kind = $('g-kind').value;
    const goal = { name: $('g-name').value.trim(), kind };
    if (kind !== 'event') goal.counts_as_conversion = $('g-conversion').checked;
    if (kind === 'macro') goal.value = { amount: $('g-amount').value.trim(), currency: $('g-currency').value.trim() || 'USD' };
    if (kind === 'micro') goal.weight = Number($('g-weight').value);
    goal.type = $('g-type').value;
    goal.match = $('goal-form').querySelector('[name=g-match]:checked').value;
    goal.fire = $('g-fire').value;
    const conditions = [...$('g-conditions').children].map((row) => {
      const condition = { field: row.querySelector('.c-field').value };
      if (condition.field === 'prop_value') condition.key = row.querySelector('.c-key').value;
      condition.op = row.querySelector('.c-op').value;
      if (!NO_VALUE.includes(condition.op)) condition.value = row.querySelector('.c-value').value;
      return condition;
    });
    const triggerType = $('g-trigger-type').value;
    if (conditions.length > 0 || !triggerType) goal.conditions = conditions;
    const notify = [...$('g-notify').children].map((row) => ({ channel: row.querySelector('.n-channel').value,
      target: row.querySelector('.n-target').value.trim() }));
    if (notify.length > 0) goal.notify = notify;
    if (triggerType) goal.trigger = trigger(triggerType);
    return goal;
  }

  function trigger(type) {
    const t = { type };
    const text = (id) => $(id).value.trim();
    if (text('g-trigger-event')) t.event = text('g-trigger-event');
    if (type === 'click' || type === 'view') t.selector = text('g-trigger-selector');
    if (type === 'page') {
      if (text('g-trigger-path')) {
        t.path = text('g-trigger-path');
        t.op = $('g-trigger-op').value;
      }
      const lines = text('g-trigger-query').split('\n').map((l) => l.trim()).filter((l) => l);
      if (lines.length) {
        t.query = Object.fromEntries(lines.map((l) => l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, '']));
      }
    }
    if (type === 'engagement') {
      if (text('g-trigger-seconds')) t.seconds = Number(text('g-trigger-seconds'));
      if (text('g-trigger-interactions')) t.interactions = Number(text('g-trigger-interactions'));
    }
    t.every_time = $('g-trigger-every').checked;
    return t;
  }

  // ---- errors beside their field ---------------------------------------------------------------------------

  let errors = null;

  function clearErrors() {
    errors.clear();
  }

  function showError(e) {
    errors.show(e, (e.body || {}).error === 'goal_exists' ? 'name' : null);
  }

  // ---- test, save ---------------------------------------------------------------------------------------------

  async function testGoal() {
    clearErrors();
    const out = $('g-test-result');
    out.replaceChildren(el('p', { class: 'note' }, 'Testing against the newest events…'));
    try {
      const r = await api(goalsPath('test'), null, 'POST', null, readForm());
      out.replaceChildren(
        el('p', { dataset: { events: String(r.events), sessions: String(r.sessions) } },
          'Would have matched ' + number.format(r.events) + ' events in ' + number.format(r.sessions) + ' sessions (' +
          number.format(r.visitors) + ' visitors) among the site\'s ' + number.format(r.scanned) + ' newest events (' +
          number.format(r.sessions_scanned) + ' sessions).'),
        r.taken_by_other_goals ? el('p', { class: 'note' }, number.format(r.taken_by_other_goals) +
          ' of them matched a goal with a higher priority at the time.') : null,
        r.examples.length ? el('ul', { class: 'examples' }, r.examples.map((x) => el('li', {},
          clock.format(new Date(x.ts)), ' · ', x.type === 'pageview' ? x.path : x.name + ' on ' + x.path,
          x.current_goal ? el('span', { class: 'badge' }, x.current_goal) : null))) : null);
    } catch (e) {
      out.replaceChildren();
      showError(e);
    }
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    const goal = readForm();
    try {
      if (editing) await api(goalsPath(editing), null, 'PUT', null, goal);
      else await api(goalsPath(), null, 'POST', null, goal);
      $('goal-form').hidden = true;
      editing = null;
      await open(site);
      $('goal-status').textContent = goal.name + ' saved.';
      const row = document.querySelector('#goal-list [data-goal="' + CSS.escape(goal.name) + '"] .edit');
      if (row) row.focus();
    } catch (e) {
      showError(e);
    }
  }

  views.goals = { open };
})();
