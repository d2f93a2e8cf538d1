// The teaching page: builds the controls from the catalogue the server embeds, sends the
// settings to POST /api/run, animates one municipality month by month and draws many
// municipalities beside the national baseline. Plain SVG, no libraries, nothing fetched
// from elsewhere.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const CATALOGUE = JSON.parse(document.getElementById('catalogue').textContent);
const COLOURS = { settings: '#0072B2', baseline: '#8c8c8c', previous: '#CC79A7', exit: '#D55E00', mayor: '#009E73', election: '#444', acting: '#E69F00', unresolved: '#D55E00', resolved: '#F0C08A' };

// The page's words in bokmål and English come with the catalogue (samspill's one label table).
const TEXT = CATALOGUE.text;

const state = {
  lang: 'nb',
  levers: Object.fromEntries(CATALOGUE.levers.map(l => [l.key, 'today'])),
  preset: 'som-i-dag',
  data: null,
  // The run before this one and what it was called, to show beside it ("keep-previous").
  previous: null,
  previousName: '',
  frame: 0,
  timer: null,
  paused: false,
  runs: 0,
  status: null,
};

// ------------------------------------------------------------------------------ helpers

const $ = id => document.getElementById(id);
const t = (key, vars) => {
  let s = TEXT[state.lang][key] ?? TEXT.nb[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll('{' + k + '}', v);
  return s;
};
const label = item => (state.lang === 'en' ? item.en : item.nb);
function num(x, decimals) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  let s = x.toFixed(decimals);
  if (/^-0[.,]?0*$/.test(s)) s = s.slice(1);
  s = s.replace('-', '−');
  return state.lang === 'nb' ? s.replace('.', ',') : s;
}
function thousands(n) {
  return n.toLocaleString(state.lang === 'nb' ? 'nb-NO' : 'en-GB');
}
function monthLabel(ym) {
  const [y, m] = ym.split('-').map(Number);
  return t('months')[m - 1] + ' ' + y;
}
function svg(tag, attrs, parent) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
function text(parent, x, y, content, attrs) {
  const e = svg('text', Object.assign({ x, y }, attrs || {}), parent);
  e.textContent = content;
  return e;
}
function newChart(container, width, height, title) {
  container.replaceChildren();
  const s = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', preserveAspectRatio: 'xMidYMid meet' }, container);
  svg('title', {}, s).textContent = title;
  return s;
}
function choiceLabel(leverKey, value) {
  const lever = CATALOGUE.levers.find(l => l.key === leverKey);
  const choice = lever && lever.choices.find(c => c.value === value);
  return choice ? label(choice).toLowerCase() : t('other_form');
}
function reasonLabel(key) {
  const r = CATALOGUE.exit_reasons.find(x => x.key === key);
  return r ? label(r) : key;
}

// ------------------------------------------------------------------------------ controls

function buildControls() {
  const presets = $('presets');
  presets.replaceChildren();
  for (const p of CATALOGUE.presets) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'preset';
    b.dataset.preset = p.key;
    b.textContent = label(p);
    b.setAttribute('aria-pressed', String(state.preset === p.key));
    b.addEventListener('click', () => applyPreset(p.key));
    presets.appendChild(b);
  }
  const preset = CATALOGUE.presets.find(p => p.key === state.preset);
  $('preset-help').textContent = preset ? (state.lang === 'en' ? preset.help_en : preset.help_nb) : '';

  const levers = $('levers');
  levers.replaceChildren();
  for (const lever of CATALOGUE.levers) {
    const group = document.createElement('fieldset');
    group.className = 'lever';
    group.dataset.lever = lever.key;
    const legend = document.createElement('legend');
    legend.textContent = label(lever);
    legend.title = state.lang === 'en' ? lever.help_en : lever.help_nb;
    group.appendChild(legend);
    const row = document.createElement('div');
    row.className = 'segments';
    for (const choice of lever.choices) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.value = choice.value;
      b.textContent = label(choice);
      b.setAttribute('aria-pressed', String(state.levers[lever.key] === choice.value));
      if (choice.value === 'today') b.classList.add('today');
      b.addEventListener('click', () => setLever(lever.key, choice.value));
      row.appendChild(b);
    }
    group.appendChild(row);
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = state.lang === 'en' ? lever.help_en : lever.help_nb;
    group.appendChild(help);
    levers.appendChild(group);
  }
}

function setLever(key, value) {
  state.levers[key] = value;
  state.preset = matchingPreset();
  buildControls();
  updateUrl();
}

function applyPreset(key) {
  const p = CATALOGUE.presets.find(x => x.key === key);
  for (const lever of CATALOGUE.levers) state.levers[lever.key] = 'today';
  for (const [k, v] of p.levers) state.levers[k] = v;
  state.preset = key;
  buildControls();
  updateUrl();
}

// The address bar names the preset, the municipality, the language and presentation mode, so
// a link copied from it opens the same page.
function updateUrl() {
  const params = new URLSearchParams(location.search);
  if (state.preset && state.preset !== 'som-i-dag') params.set('preset', state.preset); else params.delete('preset');
  // The municipality by name, or by number where two share the name (Herøy, Våler).
  const members = CATALOGUE.base.members;
  const member = members[Number($('municipality').value)];
  if (member) params.set('kommune', members.filter(m => m.name === member.name).length > 1 ? member.number : member.name);
  else params.delete('kommune');
  if (state.lang === 'en') params.set('lang', 'en'); else params.delete('lang');
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
}

function matchingPreset() {
  for (const p of CATALOGUE.presets) {
    const wanted = Object.fromEntries(CATALOGUE.levers.map(l => [l.key, 'today']));
    for (const [k, v] of p.levers) wanted[k] = v;
    if (CATALOGUE.levers.every(l => wanted[l.key] === state.levers[l.key])) return p.key;
  }
  return null;
}

function setLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang === 'en' ? 'en' : 'nb';
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  document.title = t('title');
  buildControls();
  if ($('municipality').options.length) updateUrl();
  showBaseInfo();
  if (state.status) setStatus(...state.status);
  showPauseState();
  $('present').textContent = document.body.classList.contains('presentation') ? t('present_off') : t('present');
  if (state.data) {
    showProfile(state.data);
    drawMany(state.data);
    drawStory(state.data, state.frame);
    rebuildLog(state.data, state.frame);
  } else {
    drawStory(null, 0);
    drawMany(null);
  }
}

function showBaseInfo() {
  const b = CATALOGUE.base;
  $('base-info').textContent = t('base_info', { name: b.name, description: b.description, seed: b.seed, reps: CATALOGUE.defaults.replications, n: b.municipalities });
}

// ------------------------------------------------------------------------------ running

async function run() {
  const button = $('run');
  button.disabled = true;
  document.body.dataset.state = 'running';
  setStatus('running');
  hideError();
  const municipality = Math.max(0, Math.min(CATALOGUE.base.municipalities - 1, Math.floor(Number($('municipality').value) || 0)));
  $('municipality').value = String(municipality);
  const body = { levers: state.levers, municipality, terms: Number($('terms').value) };
  const name = presetName();
  try {
    const response = await fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) {
      const e = answer.error || {};
      showError(response.status === 503 ? t('busy') : t('failed') + (state.lang === 'en' ? e.message : e.melding));
      setStatus(null);
      document.body.dataset.state = 'error';
      return;
    }
    if (state.data && state.data.story.profile && answer.story.profile && state.data.story.profile.id === answer.story.profile.id && state.data.story.months.length === answer.story.months.length) {
      state.previous = state.data;
      state.previousName = state.dataName;
    } else {
      state.previous = null;
    }
    state.data = answer;
    state.dataName = name;
    state.runs += 1;
    document.body.dataset.runs = String(state.runs);
    setStatus('ready', { s: answer.elapsed_seconds });
    $('scenario-text').textContent = answer.scenario_file;
    drawMany(answer);
    animate();
  } catch (err) {
    showError(t('offline'));
    setStatus(null);
    document.body.dataset.state = 'error';
  } finally {
    button.disabled = false;
  }
}

// The status line, kept as a text key so a language switch can say it again.
function setStatus(key, vars) {
  state.status = key ? [key, vars] : null;
  const shown = Object.fromEntries(Object.entries(vars || {}).map(([k, v]) => [k, typeof v === 'number' ? num(v, v < 1 ? 2 : 1) : v]));
  $('status').textContent = key ? t(key, shown) : '';
}

function showError(message) {
  const e = $('error');
  e.textContent = message;
  e.hidden = false;
}
function hideError() {
  $('error').hidden = true;
}

// ------------------------------------------------------------------------------ one municipality

function animate() {
  clearInterval(state.timer);
  const data = state.data;
  state.frame = 0;
  state.paused = false;
  document.body.dataset.state = 'animating';
  $('log').replaceChildren();
  showProfile(data);
  drawStory(data, 0);
  explain(data, 0);
  startTimer();
}

// The animation's clock: one month per tick at the chosen speed.
function startTimer() {
  clearInterval(state.timer);
  const data = state.data;
  const n = data.story.months.length;
  state.timer = setInterval(() => {
    state.frame += 1;
    advance(data, state.frame);
    if (state.frame >= n) finish();
  }, Number($('speed').value));
  showPauseState();
}

function finish() {
  clearInterval(state.timer);
  state.timer = null;
  state.paused = false;
  document.body.dataset.state = 'done';
  showPauseState();
}

// Pause and resume (the button and the space bar); a finished story starts again.
function togglePause() {
  if (!state.data) return;
  if (state.timer) {
    clearInterval(state.timer);
    state.timer = null;
    state.paused = true;
    document.body.dataset.state = 'paused';
    showPauseState();
  } else if (state.frame >= state.data.story.months.length) {
    animate();
  } else {
    state.paused = false;
    document.body.dataset.state = 'animating';
    startTimer();
  }
}

// One month forward (the button and the right arrow), pausing first.
function stepMonth() {
  if (!state.data || state.frame >= state.data.story.months.length) return;
  if (state.timer) togglePause();
  state.paused = true;
  state.frame += 1;
  advance(state.data, state.frame);
  if (state.frame >= state.data.story.months.length) finish();
  showPauseState();
}

function showPauseState() {
  const b = $('pause');
  b.textContent = state.timer ? t('pause') : t('resume');
  b.setAttribute('aria-pressed', String(!state.timer && state.paused));
}

function skip() {
  if (!state.data) return;
  clearInterval(state.timer);
  state.frame = state.data.story.months.length;
  drawStory(state.data, state.frame);
  rebuildLog(state.data, state.frame);
  explain(state.data, state.frame);
  finish();
}

// The chosen preset's name, or "your settings".
function presetName() {
  const p = CATALOGUE.presets.find(x => x.key === state.preset);
  return p ? label(p) : t('yours');
}

// One line beside the story on what moved the relationship lately: the window's start, an
// election or a change of mayor or director in the last months, else the trend of the last half
// year and the friction behind it.
function explain(data, frame) {
  const story = data.story;
  const i = Math.min(frame, story.months.length) - 1;
  const why = $('why');
  if (i < 0) {
    why.textContent = differs(data) ? t('why_start', { y: story.months[0].slice(0, 4) }) : '';
    return;
  }
  const recent = story.events.filter(e => e.month <= i && e.month > i - 4);
  const last = recent[recent.length - 1];
  if (last) {
    if (last.kind === 'election') {
      const parties = t(last.parties_behind_mayor === 1 ? 'why_election_one' : 'why_election', { c: last.parties_behind_mayor });
      why.textContent = parties + ' – ' + (last.new_mayor ? t('why_new_pair') : t('why_same_pair')) + '.';
      return;
    }
    if (last.kind === 'new_mayor') { why.textContent = t('ev_mayor') + ': ' + t('why_rebuild') + '.'; return; }
    if (last.kind === 'director_leaves') {
      why.textContent = t('why_leaves', { r: reasonLabel(last.reason).toLowerCase() }) + (last.acting_follows ? ' ' + t('why_acting') : '');
      return;
    }
    if (last.kind === 'director_appointed') { why.textContent = t('why_new_director'); return; }
  }
  if (story.acting[i]) { why.textContent = t('why_acting'); return; }
  const from = Math.max(0, i - 5);
  const f = story.friction.slice(from, i + 1).reduce((a, b) => a + b, 0);
  const u = story.unresolved.slice(from, i + 1).reduce((a, b) => a + b, 0);
  const change = story.cooperation[i] - story.cooperation[from];
  if (change < -0.08) why.textContent = u > 0 ? t('why_falls', { u, f }) : t('why_falls_quiet');
  else if (change > 0.08) why.textContent = t('why_rises', { u });
  else why.textContent = t('why_steady', { f, u });
}

function differs(data) {
  return data.baseline_story.cooperation.some((c, i) => c !== data.story.cooperation[i]);
}

function showProfile(data) {
  const p = data.story.profile;
  const line1 = t('profile', { name: p.name, county: p.county, pop: thousands(p.population), seats: p.council_seats });
  const line2 = t('profile_practice', {
    informal: choiceLabel('informal', p.informal_contact),
    delegation: choiceLabel('delegation_review', p.delegation_review),
    conversation: choiceLabel('development_conversation', p.development_conversation),
    forum: choiceLabel('leader_group_forum', p.leader_group_forum),
    training: choiceLabel('councillor_training', p.councillor_training),
    severance: p.severance ? t('yes') : t('no'),
  });
  $('profile').textContent = line1 + ' ' + line2;
}

// Geometry of the story chart.
const G = { w: 1000, h: 450, left: 78, right: 16, top: 38, coopBottom: 300, fricTop: 334, fricBottom: 412 };

// The cooperation axis runs from 5 down to 3, or lower when the line goes lower, so the
// months of a good relationship are not squeezed against the top.
function storyScales(n, data) {
  const previous = data ? comparing(data) : null;
  const values = data ? data.story.cooperation.concat(data.baseline_story.cooperation, previous ? previous.story.cooperation : []) : [];
  const low = Math.min(3, Math.floor(Math.min(...values, 5)));
  const x = i => G.left + (i + 0.5) * (G.w - G.left - G.right) / n;
  const y = c => G.coopBottom - (c - low) / (5 - low) * (G.coopBottom - G.top);
  return { x, y, low };
}

// Draws the whole chart with the first `frame` months revealed.
function drawStory(data, frame) {
  const chart = newChart($('story-chart'), G.w, G.h, t('story_title'));
  const n = data ? data.story.months.length : 96;
  const { x, y, low } = storyScales(n, data);
  const poor = CATALOGUE.poor_cooperation_below;
  // Poor-cooperation zone and the cooperation axis.
  svg('rect', { x: G.left, y: y(poor), width: G.w - G.left - G.right, height: G.coopBottom - y(poor), fill: '#fbe9e0' }, chart);
  text(chart, G.w - G.right - 6, G.coopBottom - 8, t('poor_zone'), { 'text-anchor': 'end', class: 'small muted' });
  for (let c = low; c <= 5; c += low < 3 ? 1 : 0.5) {
    svg('line', { x1: G.left, x2: G.w - G.right, y1: y(c), y2: y(c), stroke: '#ddd' }, chart);
    text(chart, G.left - 10, y(c) + 6, num(c, Number.isInteger(c) ? 0 : 1), { 'text-anchor': 'end', class: 'tick' });
  }
  text(chart, 20, (G.top + G.coopBottom) / 2, t('cooperation'), { transform: `rotate(-90 20 ${(G.top + G.coopBottom) / 2})`, 'text-anchor': 'middle', class: 'axis' });
  text(chart, G.left + 6, G.fricTop + 4, t('friction'), { class: 'small muted' });
  svg('line', { x1: G.left, x2: G.w - G.right, y1: G.fricBottom, y2: G.fricBottom, stroke: '#999' }, chart);
  if (!data) return;
  const story = data.story;
  // Year ticks (January) under the friction panel.
  story.months.forEach((m, i) => {
    if (m.endsWith('-01')) {
      svg('line', { x1: x(i) - 0.5 * (x(1) - x(0)), x2: x(i) - 0.5 * (x(1) - x(0)), y1: G.fricBottom, y2: G.fricBottom + 6, stroke: '#666' }, chart);
      text(chart, x(i) - 0.5 * (x(1) - x(0)), G.fricBottom + 24, m.slice(0, 4), { 'text-anchor': 'middle', class: 'tick' });
    }
  });
  // Acting periods.
  let start = null;
  for (let i = 0; i <= Math.min(frame, n); i += 1) {
    const acting = i < frame && story.acting[i];
    if (acting && start === null) start = i;
    if (!acting && start !== null) {
      const half = 0.5 * (x(1) - x(0));
      svg('rect', { x: x(start) - half, y: G.top, width: x(i - 1) - x(start) + 2 * half, height: G.coopBottom - G.top, fill: COLOURS.acting, 'fill-opacity': 0.18 }, chart);
      text(chart, x(start) + 4, G.top + 22, t('acting'), { class: 'small', fill: '#8a5a00' });
      start = null;
    }
  }
  // Friction bars: resolved early (light) and unresolved (dark).
  const fmax = Math.max(4, ...story.friction);
  const fy = v => G.fricBottom - v / fmax * (G.fricBottom - G.fricTop);
  const bw = Math.max(1, (x(1) - x(0)) * 0.8);
  for (let i = 0; i < Math.min(frame, n); i += 1) {
    const f = story.friction[i];
    const u = story.unresolved[i];
    if (f > u) svg('rect', { x: x(i) - bw / 2, y: fy(f), width: bw, height: fy(u) - fy(f), fill: COLOURS.resolved }, chart);
    if (u > 0) svg('rect', { x: x(i) - bw / 2, y: fy(u), width: bw, height: G.fricBottom - fy(u), fill: COLOURS.unresolved }, chart);
  }
  // Events: election lines, new mayors, director exits.
  for (const e of story.events) {
    if (e.month >= frame) continue;
    const ex = x(e.month) - 0.5 * (x(1) - x(0));
    if (e.kind === 'election') {
      svg('line', { x1: ex, x2: ex, y1: G.top - 10, y2: G.fricBottom, stroke: COLOURS.election, 'stroke-dasharray': '6 4', 'stroke-width': 2 }, chart);
      text(chart, ex + 6, G.top - 14, `${t('election')} ${story.months[e.month].slice(0, 4)}`, { class: 'label' });
    }
    if ((e.kind === 'election' && e.new_mayor) || e.kind === 'new_mayor') {
      svg('path', { d: `M ${x(e.month)} ${G.top + 22} l 9 9 l -9 9 l -9 -9 z`, fill: COLOURS.mayor }, chart);
    }
  }
  // The same municipality today (dashed), then the settings (solid), up to `frame`.
  const shown = Math.min(frame, n);
  const line = series => series.slice(0, shown).map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(' ');
  const differs = data.baseline_story.cooperation.some((c, i) => c !== story.cooperation[i]);
  if (differs && shown > 0) {
    svg('polyline', { points: line(data.baseline_story.cooperation), fill: 'none', stroke: COLOURS.baseline, 'stroke-width': 3, 'stroke-dasharray': '8 6' }, chart);
  }
  const previous = comparing(data);
  if (previous && shown > 0) {
    svg('polyline', { points: line(previous.story.cooperation), fill: 'none', stroke: COLOURS.previous, 'stroke-width': 3.5, 'stroke-dasharray': '2 6', 'stroke-linecap': 'round' }, chart);
  }
  if (shown > 0) {
    svg('polyline', { points: line(story.cooperation), fill: 'none', stroke: COLOURS.settings, 'stroke-width': 4.5, 'stroke-linejoin': 'round', class: 'story-line' }, chart);
    const last = shown - 1;
    svg('circle', { cx: x(last), cy: y(story.cooperation[last]), r: 7, fill: COLOURS.settings }, chart);
  }
  for (const e of story.events) {
    if (e.month >= frame || e.kind !== 'director_leaves') continue;
    const cx = x(e.month);
    const cy = y(story.cooperation[e.month]);
    svg('path', { d: `M ${cx - 9} ${cy - 9} L ${cx + 9} ${cy + 9} M ${cx + 9} ${cy - 9} L ${cx - 9} ${cy + 9}`, stroke: COLOURS.exit, 'stroke-width': 5 }, chart);
  }
  drawStoryLegend(differs, !!previous);
}

// The previous run, when it is to be shown beside this one (same municipality and window).
function comparing(data) {
  return $('keep-previous').checked && state.previous && data === state.data ? state.previous : null;
}

// The legend sits under the chart as HTML, so it stays legible at any width.
function drawStoryLegend(differs, previous) {
  const legend = $('story-legend');
  legend.replaceChildren();
  const item = (draw, words) => {
    const li = document.createElement('li');
    const s = svg('svg', { viewBox: '0 0 30 20', width: 30, height: 20, 'aria-hidden': 'true' });
    draw(s);
    li.append(s, ' ', words);
    legend.appendChild(li);
  };
  item(s => svg('line', { x1: 2, x2: 28, y1: 10, y2: 10, stroke: COLOURS.settings, 'stroke-width': 4.5 }, s), t('yours'));
  if (differs) item(s => svg('line', { x1: 2, x2: 28, y1: 10, y2: 10, stroke: COLOURS.baseline, 'stroke-width': 3, 'stroke-dasharray': '7 5' }, s), t('same_today'));
  if (previous) item(s => svg('line', { x1: 2, x2: 28, y1: 10, y2: 10, stroke: COLOURS.previous, 'stroke-width': 3.5, 'stroke-dasharray': '2 6', 'stroke-linecap': 'round' }, s), t('previous_line') + ': ' + state.previousName);
  item(s => svg('path', { d: 'M 15 1 l 9 9 l -9 9 l -9 -9 z', fill: COLOURS.mayor }, s), t('ev_new_mayor'));
  item(s => svg('path', { d: 'M 7 2 L 23 18 M 23 2 L 7 18', stroke: COLOURS.exit, 'stroke-width': 4 }, s), t('legend_exit'));
  item(s => svg('rect', { x: 2, y: 1, width: 26, height: 18, fill: COLOURS.acting, 'fill-opacity': 0.3 }, s), t('acting'));
  item(s => svg('rect', { x: 8, y: 2, width: 14, height: 16, fill: COLOURS.unresolved }, s), t('friction') + ', ' + t('unresolved'));
  item(s => svg('rect', { x: 8, y: 2, width: 14, height: 16, fill: COLOURS.resolved }, s), t('friction') + ', ' + t('resolved'));
}

function eventText(story, e) {
  switch (e.kind) {
    case 'election':
      return t('ev_election', { p: e.parties_in_council, c: e.parties_behind_mayor }) + ' – ' + (e.new_mayor ? t('ev_new_mayor') : t('ev_same_mayor')) + '.';
    case 'new_mayor':
      return t('ev_mayor') + '.';
    case 'director_leaves':
      return t('ev_leaves', { y: num(e.years_in_post, 1), r: reasonLabel(e.reason).toLowerCase() }) + (e.acting_follows ? '; ' + t('ev_acting') : '') + '.';
    case 'director_appointed':
      return t('ev_appointed', { from: t('from_' + e.from) }) + '.';
    default:
      return e.kind;
  }
}

function logEvent(story, e) {
  const li = document.createElement('li');
  li.className = 'ev-' + e.kind;
  const when = document.createElement('span');
  when.className = 'when';
  when.textContent = monthLabel(story.months[e.month]);
  li.append(when, ' ', eventText(story, e));
  const log = $('log');
  log.appendChild(li);
  log.scrollTop = log.scrollHeight;
}

function rebuildLog(data, frame) {
  $('log').replaceChildren();
  for (const e of data.story.events) if (e.month < frame) logEvent(data.story, e);
  updateNow(data, frame);
}

function updateNow(data, frame) {
  const story = data.story;
  const i = Math.min(frame, story.months.length) - 1;
  $('now-value').textContent = i >= 0 ? num(story.cooperation[i], 2) : '–';
  $('now-month').textContent = i >= 0 ? monthLabel(story.months[i]) : '';
}

function advance(data, frame) {
  drawStory(data, frame);
  for (const e of data.story.events) if (e.month === frame - 1) logEvent(data.story, e);
  updateNow(data, frame);
  explain(data, frame);
}

// ------------------------------------------------------------------------------ many municipalities

function drawMany(data) {
  drawCards(data);
  drawCooperationBins(data);
  drawExitReasons(data);
}

// One card per key outcome: the settings and today, each with its interval, and the paired difference.
function drawCards(data) {
  const cards = $('cards');
  cards.replaceChildren();
  const poor = CATALOGUE.poor_cooperation_below;
  const spec = [
    { key: 'cooperation_mean', diff: 'cooperation_mean', title: t('cooperation'), decimals: 2, scale: 1 },
    { key: 'poor_cooperation_share', diff: 'poor_cooperation_share', title: t('poor', { x: num(poor, 1) }), decimals: 1, scale: 100, unit: ' %', diffUnit: ' ' + t('pp') },
    { key: 'exits_per_100_per_year', diff: 'exits_per_100_per_year', title: t('exits'), decimals: 1, scale: 1 },
  ];
  for (const s of spec) {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.outcome = s.key;
    const h = document.createElement('h3');
    h.textContent = s.title;
    card.appendChild(h);
    const holder = document.createElement('div');
    card.appendChild(holder);
    const previous = data ? comparing(data) : null;
    const chart = newChart(holder, 340, previous ? 132 : 92, s.title);
    const rows = data ? [[t('yours'), data.many.settings[s.key], COLOURS.settings], [t('today'), data.many.baseline[s.key], COLOURS.baseline]] : [];
    if (previous) rows.push([t('previous'), previous.many.settings[s.key], COLOURS.previous]);
    const values = rows.flatMap(r => [r[1].mean, ...(r[1].ci95 || [])]).filter(v => v !== null && v !== undefined).map(v => v * s.scale);
    let lo = Math.min(...values);
    let hi = Math.max(...values);
    if (!values.length) { lo = 0; hi = 1; }
    const pad = Math.max((hi - lo) * 0.25, Math.abs(hi) * 0.02, 1e-3);
    lo -= pad;
    hi += pad;
    const x = v => 196 + (v - lo) / (hi - lo) * 130;
    rows.forEach(([name, f, colour], i) => {
      const yy = 34 + i * 40;
      text(chart, 0, yy + 6, name, { class: 'small' });
      if (f.ci95) svg('line', { x1: x(f.ci95[0] * s.scale), x2: x(f.ci95[1] * s.scale), y1: yy, y2: yy, stroke: colour, 'stroke-width': 4 }, chart);
      if (f.mean !== null) {
        svg('circle', { cx: x(f.mean * s.scale), cy: yy, r: 8, fill: colour }, chart);
        text(chart, x(f.mean * s.scale), yy - 12, num(f.mean * s.scale, s.decimals) + (s.unit || ''), { 'text-anchor': 'middle', class: 'small strong' });
      }
    });
    if (data) {
      const d = data.many.differences.find(o => o.outcome === s.diff);
      const p = document.createElement('p');
      p.className = 'difference';
      if (d) {
        const clear = d.ci95[0] > 0 || d.ci95[1] < 0;
        const sign = d.difference > 0 ? '+' : '';
        const unit = s.diffUnit || s.unit || '';
        p.textContent = `${t('difference')}: ${sign}${num(d.difference * s.scale, s.decimals)}${unit} (${t('interval')} ${num(d.ci95[0] * s.scale, s.decimals)} ${t('to')} ${num(d.ci95[1] * s.scale, s.decimals)})` + (clear ? '' : ` – ${t('not_clear')}`);
        if (clear) p.classList.add('clear');
      }
      card.appendChild(p);
    }
    cards.appendChild(card);
  }
}

function drawCooperationBins(data) {
  const W = 600, H = 380, left = 70, bottom = 318, top = 40;
  const chart = newChart($('coop-chart'), W, H, t('coop_dist'));
  const labels = state.lang === 'en' ? CATALOGUE.cooperation_bins.labels_en : CATALOGUE.cooperation_bins.labels;
  const k = labels.length;
  const settings = data ? data.many.settings.cooperation_bins : new Array(k).fill(0);
  const baseline = data ? data.many.baseline.cooperation_bins : new Array(k).fill(0);
  const ymax = Math.max(0.1, ...settings, ...baseline);
  const top10 = Math.ceil(ymax * 10) / 10;
  const y = v => bottom - v / top10 * (bottom - top);
  for (let v = 0; v <= top10 + 1e-9; v += 0.1) {
    svg('line', { x1: left, x2: W - 10, y1: y(v), y2: y(v), stroke: '#e3e3e3' }, chart);
    text(chart, left - 8, y(v) + 5, num(v * 100, 0) + ' %', { 'text-anchor': 'end', class: 'tick' });
  }
  const slot = (W - 10 - left) / k;
  labels.forEach((l, i) => {
    const x0 = left + i * slot;
    const bar = (v, dx, colour) => svg('rect', { x: x0 + dx, y: y(v), width: slot * 0.36, height: bottom - y(v), fill: colour }, chart);
    bar(baseline[i], slot * 0.12, COLOURS.baseline);
    bar(settings[i], slot * 0.5, COLOURS.settings);
    text(chart, x0 + slot / 2, bottom + 22, l, { 'text-anchor': 'middle', class: 'tick' });
  });
  text(chart, left + (W - left) / 2, H - 6, t('cooperation'), { 'text-anchor': 'middle', class: 'small' });
  legendRow(chart, left, 18);
}

function legendRow(chart, x, y) {
  svg('rect', { x, y: y - 10, width: 16, height: 14, fill: COLOURS.settings }, chart);
  text(chart, x + 22, y + 2, t('yours'), { class: 'small' });
  svg('rect', { x: x + 215, y: y - 10, width: 16, height: 14, fill: COLOURS.baseline }, chart);
  text(chart, x + 237, y + 2, t('today'), { class: 'small' });
}

function drawExitReasons(data) {
  const W = 640, H = 380, left = 340, top = 40, right = 30;
  const chart = newChart($('exit-chart'), W, H, t('exit_reasons'));
  const reasons = CATALOGUE.exit_reasons;
  const settings = data ? data.many.settings.exits_by_reason_per_100_per_year : new Array(reasons.length).fill(0);
  const baseline = data ? data.many.baseline.exits_by_reason_per_100_per_year : new Array(reasons.length).fill(0);
  const xmax = Math.max(1, ...settings, ...baseline);
  const step = xmax > 10 ? 5 : xmax > 4 ? 2 : 1;
  const top5 = Math.ceil(xmax / step) * step;
  const x = v => left + v / top5 * (W - left - right);
  const slot = (H - top - 36) / reasons.length;
  for (let v = 0; v <= top5 + 1e-9; v += step) {
    svg('line', { x1: x(v), x2: x(v), y1: top, y2: H - 36, stroke: '#e3e3e3' }, chart);
    text(chart, x(v), H - 10, num(v, 0), { 'text-anchor': 'middle', class: 'tick' });
  }
  reasons.forEach((r, i) => {
    const y0 = top + i * slot;
    text(chart, left - 8, y0 + slot * 0.62, label(r), { 'text-anchor': 'end', class: 'small' });
    svg('rect', { x: left, y: y0 + slot * 0.1, width: x(baseline[i]) - left, height: slot * 0.38, fill: COLOURS.baseline }, chart);
    svg('rect', { x: left, y: y0 + slot * 0.5, width: x(settings[i]) - left, height: slot * 0.38, fill: COLOURS.settings }, chart);
  });
  legendRow(chart, left - 120, 18);
}

// ------------------------------------------------------------------------------ start

function start() {
  // The real municipalities of the register, by name; the value is the index in the world.
  const members = CATALOGUE.base.members.map((m, i) => ({ ...m, i }));
  const picker = $('municipality');
  for (const m of [...members].sort((a, b) => a.name.localeCompare(b.name, 'nb'))) {
    const o = document.createElement('option');
    o.value = String(m.i);
    o.textContent = `${m.name} (${m.county}, ${thousands(m.population)})`;
    picker.appendChild(o);
  }
  // A typical-sized municipality to start with: the one of median population.
  const bySize = [...members].sort((a, b) => a.population - b.population);
  picker.value = String(bySize[Math.floor(bySize.length / 2)].i);
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLanguage(b.dataset.lang));
  $('run').addEventListener('click', run);
  $('show-help').addEventListener('change', e => document.body.classList.toggle('show-help', e.target.checked));
  $('skip').addEventListener('click', skip);
  $('pause').addEventListener('click', togglePause);
  $('step').addEventListener('click', stepMonth);
  $('present').addEventListener('click', () => setPresentation(!document.body.classList.contains('presentation')));
  $('keep-previous').addEventListener('change', () => { if (state.data) { drawStory(state.data, state.frame); drawMany(state.data); } });
  // Space pauses and resumes, the right arrow steps a month (not while typing in a control).
  // A button clicked with the mouse gives the focus back, so that the space bar pauses rather
  // than pressing it again; a button reached with the keyboard keeps it (e.detail is 0 then).
  document.addEventListener('click', e => {
    const b = e.target instanceof Element ? e.target.closest('button') : null;
    if (b && e.detail > 0) b.blur();
  });
  document.addEventListener('keydown', e => {
    const el = e.target instanceof Element ? e.target : document.body;
    if (el.closest('select, input, textarea') || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === ' ' && !el.closest('button')) { e.preventDefault(); togglePause(); }
    if (e.key === 'ArrowRight') { e.preventDefault(); stepMonth(); }
  });
  $('replay').addEventListener('click', () => { if (state.data) animate(); });
  $('municipality').addEventListener('change', updateUrl);
  $('another').addEventListener('click', () => {
    $('municipality').value = String(Math.floor(Math.random() * CATALOGUE.base.municipalities));
    updateUrl();
  });
  $('speed').addEventListener('change', () => {
    if (state.timer && state.data) {
      const frame = state.frame;
      animate();
      state.frame = frame;
      drawStory(state.data, frame);
      rebuildLog(state.data, frame);
    }
  });
  // The address may name a preset, a municipality, the language and presentation mode:
  // ?preset=fragmentert&kommune=Tynset&presentasjon=1&lang=en
  const params = new URLSearchParams(location.search);
  const preset = params.get('preset');
  if (preset && CATALOGUE.presets.some(p => p.key === preset)) applyPreset(preset);
  const wanted = (params.get('kommune') || '').trim().toLowerCase();
  if (wanted) {
    const m = members.find(x => x.name.toLowerCase() === wanted || x.number === wanted);
    if (m) picker.value = String(m.i);
  }
  setPresentation(['1', 'ja', 'true'].includes(params.get('presentasjon') || params.get('presentation')));
  setLanguage(params.get('lang') === 'en' ? 'en' : 'nb');
  run();
}

// Presentation mode: the story, the national cards and the controls needed while narrating on
// one screen, in type that carries to the back of a room.
function setPresentation(on) {
  document.body.classList.toggle('presentation', on);
  $('present').setAttribute('aria-pressed', String(on));
  $('present').textContent = on ? t('present_off') : t('present');
  const params = new URLSearchParams(location.search);
  if (on) params.set('presentasjon', '1'); else params.delete('presentasjon');
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  if (state.data) { drawStory(state.data, state.frame); drawMany(state.data); }
}

start();
