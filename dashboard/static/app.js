import { ApiError, forgetToken, getJson, saveToken, savedToken } from './api.js';
import { fill, h, show } from './dom.js';
import { ALL, loadModel } from './model.js';
import { renderChannels, renderFlows, renderSubscriptions } from './messaging-views.js';
import { renderPlots } from './plots.js';
import { renderSources } from './source-views.js';
import { renderBrokers, renderEvents, renderEventTypes, renderTotals, renderTriggers } from './views.js';

const POLL_MS = 2000;

const state = { identity: undefined, namespace: ALL, namespaces: [], previous: new Map(), timer: undefined, generation: 0, showInternals: false, model: undefined };

/** Asks who the token is, then shows the dashboard (or the token prompt). */
async function start(loginMessage = '') {
  clearTimeout(state.timer);
  state.generation++;
  try {
    state.identity = await getJson('/apis/junction.dev/v1/whoami');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin(loginMessage || (savedToken() ? `That token was not accepted (401 ${error.message}).` : ''));
    setStatus(`cannot reach Junction (${error.message}) — retrying…`, 'down');
    state.timer = setTimeout(() => start(loginMessage), POLL_MS);
    return;
  }
  if (state.identity.role === 'ingest' || state.identity.role === 'metrics') {
    forgetToken();
    const may = state.identity.role === 'ingest' ? 'it may send events but not read them' : 'it may only scrape /metrics';
    return showLogin(`Token ${state.identity.tokenId} has role ${state.identity.role}: ${may}. Use a token with role read or admin.`);
  }
  const scoped = state.identity.namespace !== ALL;
  state.namespace = scoped ? state.identity.namespace : (new URLSearchParams(location.search).get('namespace') ?? ALL);
  renderIdentity();
  show('login', false);
  show('content', true);
  await poll(state.generation);
}

function showLogin(message) {
  clearTimeout(state.timer);
  show('content', false);
  show('namespace-picker', false);
  show('alert', false);
  fill('identity');
  setStatus('auth is on: a token is needed', 'idle');
  fill('login-error', message);
  show('login-error', Boolean(message));
  show('login', true);
  document.getElementById('token').focus();
}

function renderIdentity() {
  const identity = state.identity;
  if (!identity.authEnabled) return fill('identity', h('span', { class: 'muted' }, 'auth off (loopback): everything is visible'));
  const scope = identity.namespace === ALL ? 'all namespaces' : `namespace ${identity.namespace}`;
  const signOut = h('button', { type: 'button', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    forgetToken();
    start();
  });
  fill('identity', h('span', { title: identity.description || undefined }, `token ${identity.tokenId} · ${identity.role} · ${scope}`), signOut);
}

function setStatus(text, kind) {
  const element = document.getElementById('status');
  element.textContent = text;
  element.className = `status ${kind}`;
}

function showAlert(message) {
  fill('alert', message ?? '');
  show('alert', Boolean(message));
}

/** Stops the current polling round (a late answer of it is ignored) and starts a fresh one now. */
function restartPolling() {
  clearTimeout(state.timer);
  state.generation++;
  poll(state.generation);
}

/** Fetches everything the token may see, renders it, and schedules the next round. */
async function poll(generation) {
  if (generation !== state.generation) return;
  // A background tab does not poll; it catches up when shown again (see visibilitychange).
  if (document.hidden) return;
  try {
    const model = await loadModel(state.identity, state.namespace, state.previous);
    if (generation !== state.generation) return;
    render(model);
    showAlert('');
    setStatus(`live · updated ${new Date().toLocaleTimeString()}`, 'live');
  } catch (error) {
    if (generation !== state.generation) return;
    if (error instanceof ApiError && error.status === 401) {
      forgetToken();
      return showLogin(`Junction no longer accepts this token (401 ${error.message}). Paste a valid token.`);
    }
    if (error instanceof ApiError && error.status === 403) showAlert(`This token may not see this (403 ${error.message}).`);
    else setStatus(`connection lost (${error.message}) — retrying…`, 'down');
  }
  state.timer = setTimeout(() => poll(generation), POLL_MS);
}

function render(model) {
  state.model = model;
  model.showInternals = state.showInternals;
  renderNamespacePicker(model.namespaces);
  renderTotals(model);
  renderPlots(model);
  renderSources(model);
  renderBrokers(model);
  renderTriggers(model);
  renderChannels(model);
  renderSubscriptions(model);
  renderFlows(model);
  renderEventTypes(model);
  renderEvents(model);
}

function renderNamespacePicker(namespaces) {
  const scoped = state.identity.namespace !== ALL;
  const options = scoped ? [state.identity.namespace] : [ALL, ...new Set([...namespaces, ...(state.namespace === ALL ? [] : [state.namespace])])];
  if (options.join('\n') !== state.namespaces.join('\n')) {
    state.namespaces = options;
    fill('namespace', options.map((namespace) => h('option', { value: namespace }, namespace === ALL ? 'All namespaces' : namespace)));
  }
  const select = document.getElementById('namespace');
  select.value = state.namespace;
  select.disabled = scoped;
  show('namespace-picker', true);
}

document.getElementById('namespace').addEventListener('change', (event) => {
  state.namespace = event.target.value;
  const url = new URL(location.href);
  if (state.namespace === ALL) url.searchParams.delete('namespace');
  else url.searchParams.set('namespace', state.namespace);
  history.replaceState(null, '', url);
  restartPolling();
});

// The "show flow internals" checkboxes (one per table, redrawn each round) share one setting.
document.getElementById('content').addEventListener('change', (event) => {
  if (!event.target.matches('[data-toggle="flow-internals"]')) return;
  state.showInternals = event.target.checked;
  if (state.model) render(state.model);
});

document.getElementById('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('token');
  saveToken(input.value.trim());
  input.value = '';
  start();
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.identity && !document.getElementById('content').hidden) {
    restartPolling();
  }
});

start();
