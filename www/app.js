// The console's UI: reads the form, shows the signed request, confirms, flushes, shows the answer.
// The secret key is read from its input when a request is signed and kept nowhere else: not in
// storage, cookies, the URL or the console. Answers are rendered as text nodes, never as HTML.
import {
  CLOCK_WINDOW_MS, ENDPOINTS, clockOffset, curlCommand, describeClockOffset, endpointNote,
  errorTitle, formatApiDate, formatBytes, formatDuration, hintFor, outcomeText, parseApiDate,
  resolveEndpoint, roleText, statusTone, validateInstanceNo, validateKey, validateTimeout, yesNo,
} from './console.js';

const STORE_KEY = 'ncloud-redis-flush.console.accessKey';
const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

const ui = {
  form: $('form'), loader: $('loader'), note: $('endpoint-note'), customUrl: $('custom-url'),
  accessKey: $('access-key'), secretKey: $('secret-key'), remember: $('remember'), reveal: $('reveal'),
  instanceNo: $('instance-no'), timeout: $('timeout'), flush: $('flush'),
  preview: $('preview'), resign: $('resign'), progress: $('progress'), progressText: $('progress-text'),
  elapsed: $('progress-elapsed'), cancel: $('cancel'), outcome: $('outcome'), announcer: $('announcer'),
  history: $('history'), historyEmpty: $('history-empty'),
  dialog: $('confirm'), confirmForm: $('confirm-form'), confirmInput: $('confirm-input'),
  confirmFlush: $('confirm-flush'), confirmCancel: $('confirm-cancel'), confirmMismatch: $('confirm-mismatch'),
};

let lib = null; // the package: signRequest, buildFlushRequest, parseFlushResponse
let busy = false;
let pending = null; // the inputs the confirmation dialog is about
let abortReason = null;
let controller = null;
const history = [];

const radio = (name) => ui.form.querySelector(`input[name="${name}"]:checked`).value;

/** The form's values, as typed. */
function values() {
  return {
    endpoint: radio('endpoint'), customUrl: ui.customUrl.value, accessKey: ui.accessKey.value,
    secretKey: ui.secretKey.value, instanceNo: ui.instanceNo.value, format: radio('format'),
    method: radio('method'), timeout: ui.timeout.value,
  };
}

/** Every field's check, by input id; the endpoint's (under `custom-url`) has the resolved `base`. */
function checks(v) {
  return {
    'custom-url': resolveEndpoint(v.endpoint, v.customUrl, location.origin),
    'access-key': validateKey(v.accessKey, 'access key'),
    'secret-key': validateKey(v.secretKey, 'secret key'),
    'instance-no': validateInstanceNo(v.instanceNo),
    timeout: validateTimeout(v.timeout),
  };
}

function showError(id, message) {
  const input = $(id);
  const text = $(`${id}-error`);
  text.textContent = message;
  text.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Shows the check of one field (as the user types). */
function showCheck(id) {
  showError(id, checks(values())[id].message);
}

// ---- connection panel -------------------------------------------------------------------------

function updateEndpoint() {
  const choice = radio('endpoint');
  ui.customUrl.disabled = choice !== 'custom';
  if (choice !== 'custom') showError('custom-url', '');
  else if (ui.customUrl.value) showCheck('custom-url');
  ui.note.textContent = endpointNote(choice, location.origin);
}

function storage(action) {
  try {
    action(window.localStorage);
  } catch {
    // Storage disabled: the access key is simply not remembered.
  }
}

function remember() {
  storage((s) => {
    if (ui.remember.checked) s.setItem(STORE_KEY, ui.accessKey.value);
    else s.removeItem(STORE_KEY);
  });
}

// ---- preview ------------------------------------------------------------------------------------

/** A signed request for the form's values at `timestamp`, or throws the library's error. */
function build(v, base, timestamp) {
  return lib.buildFlushRequest({
    cloudDBInstanceNo: v.instanceNo, responseFormatType: v.format, method: v.method,
    endpoint: base, timestamp, accessKey: v.accessKey, secretKey: v.secretKey,
  });
}

const clockTime = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function renderPreview() {
  if (!lib) return;
  const v = values();
  const c = checks(v);
  const missing = Object.entries(c).filter(([, r]) => !r.valid).map(([id]) => $(id).labels[0].textContent.toLowerCase());
  ui.resign.disabled = missing.length > 0;
  if (missing.length) {
    ui.preview.replaceChildren(h('p', { class: 'placeholder' }, `Complete the form to see the exact request: ${missing.join(', ')}.`));
    return;
  }
  const timestamp = Date.now();
  let request;
  let signed;
  try {
    request = build(v, c['custom-url'].base, timestamp);
    signed = lib.signRequest({ method: request.method, url: request.url, timestamp, accessKey: v.accessKey, secretKey: v.secretKey });
  } catch (e) {
    ui.preview.replaceChildren(h('p', { class: 'error-text' }, `Cannot sign: ${e.message}`));
    return;
  }
  const curl = curlCommand(request);
  const copyStatus = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const pre = h('pre', { class: 'code', id: 'curl-text', tabindex: '0', 'aria-label': 'curl command' }, curl);
  const copy = h('button', { type: 'button', class: 'secondary small', id: 'copy' }, 'Copy');
  copy.addEventListener('click', () => copyText(curl, pre, copyStatus));
  ui.preview.replaceChildren(
    h('div', { class: 'request-line' }, h('span', { class: `method method-${request.method.toLowerCase()}` }, request.method),
      h('code', { class: 'url', id: 'preview-url' }, request.url)),
    h('table', { class: 'kv', id: 'preview-headers' },
      h('caption', { class: 'visually-hidden' }, 'Request headers'),
      h('thead', { class: 'visually-hidden' }, h('tr', {}, h('th', { scope: 'col' }, 'Header'), h('th', { scope: 'col' }, 'Value'))),
      h('tbody', {}, Object.entries(request.headers).map(([name, value]) => h('tr', { dataset: { header: name } },
        h('th', { scope: 'row' }, name), h('td', {}, h('code', {}, value)))),
      h('tr', {}, h('th', { scope: 'row' }, 'body'), h('td', { id: 'preview-body' }, request.body === undefined
        ? h('span', { class: 'muted' }, 'none: the parameters are in the signed query')
        : h('code', {}, request.body))))),
    h('details', { class: 'sts' }, h('summary', {}, 'String to sign'), h('pre', { class: 'code light' }, signed.stringToSign)),
    h('div', { class: 'curl-head' }, h('h3', {}, 'curl'), copyStatus, copy),
    pre,
    h('p', { class: 'note' }, `Signed at ${clockTime(timestamp)}; the gateway accepts it until ${clockTime(timestamp + CLOCK_WINDOW_MS)}. `
      + 'Flush signs a new request.'),
  );
}

async function copyText(text, pre, status) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    pre.focus();
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
  }
}

// ---- confirmation -------------------------------------------------------------------------------

function openConfirm(event) {
  event.preventDefault();
  if (!lib || busy) return;
  const v = values();
  const c = checks(v);
  let first = null;
  for (const [id, result] of Object.entries(c)) {
    showError(id, result.message);
    if (!result.valid && !first) first = $(id);
  }
  if (first) {
    first.focus();
    return;
  }
  pending = { ...v, base: c['custom-url'].base, timeoutMs: c.timeout.ms };
  delete pending.secretKey; // read again from its input when the flush is signed
  for (const el of ui.dialog.querySelectorAll('.confirm-no')) el.textContent = v.instanceNo;
  const { upstream } = ENDPOINTS[v.endpoint];
  $('confirm-base').textContent = upstream ? `${pending.base}, forwarded to ${upstream} if the gateway runs with that --upstream` : pending.base;
  ui.confirmInput.value = '';
  ui.confirmFlush.disabled = true;
  ui.confirmMismatch.hidden = true;
  ui.confirmInput.removeAttribute('aria-invalid');
  ui.dialog.showModal();
  ui.confirmInput.focus();
}

function updateConfirm() {
  const typed = ui.confirmInput.value;
  const match = pending && typed === pending.instanceNo;
  ui.confirmFlush.disabled = !match;
  const wrong = typed !== '' && !match && !pending.instanceNo.startsWith(typed);
  ui.confirmMismatch.hidden = !wrong;
  if (wrong) ui.confirmInput.setAttribute('aria-invalid', 'true');
  else ui.confirmInput.removeAttribute('aria-invalid');
}

function confirmed(event) {
  event.preventDefault();
  if (!pending || ui.confirmInput.value !== pending.instanceNo) return;
  const target = pending;
  pending = null;
  ui.dialog.close('flush');
  flush(target);
}

// ---- flush --------------------------------------------------------------------------------------

async function flush(v) {
  busy = true;
  ui.flush.disabled = true;
  abortReason = null;
  controller = new AbortController();
  const timer = setTimeout(() => {
    abortReason = 'timeout';
    controller.abort();
  }, v.timeoutMs);
  const started = Date.now();
  ui.progressText.textContent = `Flushing instance ${v.instanceNo} at ${v.base}…`;
  const tick = () => { ui.elapsed.textContent = `${formatDuration(Date.now() - started)} of ${formatDuration(v.timeoutMs)}`; };
  tick();
  const ticker = setInterval(tick, 500);
  ui.progress.hidden = false;
  ui.cancel.focus();

  let error = null;
  let result = null;
  let body = '';
  let offset = null;
  let status = null;
  try {
    const request = build({ ...v, secretKey: ui.secretKey.value }, v.base, Date.now());
    const sentAt = Date.now();
    try {
      const response = await fetch(request.url, {
        method: request.method, headers: request.headers, body: request.body, signal: controller.signal,
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'error',
      });
      body = await response.text();
      status = response.status;
      offset = clockOffset(response.headers.get('date'), sentAt, Date.now());
    } catch (e) {
      if (abortReason === 'timeout') throw Object.assign(new Error(`No answer within ${formatDuration(v.timeoutMs)}.`), { kind: 'timeout', code: 'TIMEOUT' });
      if (abortReason === 'cancel') throw Object.assign(new Error('You cancelled the request before an answer came.'), { kind: 'cancelled', code: 'CANCELLED' });
      throw Object.assign(new Error(`fetch failed: ${e.message}`), { kind: 'network', code: 'FETCH_FAILED' });
    }
    result = lib.parseFlushResponse(body, { status });
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    controller = null;
    ui.progress.hidden = true;
    busy = false;
    ui.flush.disabled = false;
  }

  const ctx = {
    base: v.base, endpoint: v.endpoint, pageOrigin: location.origin, instanceNo: v.instanceNo,
    timeoutMs: v.timeoutMs, clockOffsetMs: offset,
  };
  addHistory({ time: started, instanceNo: v.instanceNo, endpoint: v.endpoint, base: v.base, error });
  ui.outcome.replaceChildren(...(error ? renderError(error, ctx, body, status) : renderResult(v, result, body)));
  ui.outcome.hidden = false;
  ui.announcer.textContent = error
    ? `Flush of instance ${v.instanceNo} failed: ${errorTitle(error)}.`
    : `Instance ${v.instanceNo} flushed.`;
  const heading = ui.outcome.querySelector('h2');
  heading.focus();
  renderPreview();
}

function cancel() {
  if (!controller) return;
  abortReason = 'cancel';
  controller.abort();
}

// ---- result -------------------------------------------------------------------------------------

function rawBody(body, status) {
  const format = body.trimStart().startsWith('<') ? 'XML' : 'JSON';
  let text = body;
  if (format === 'JSON') {
    try {
      text = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // Not JSON after all: shown as received.
    }
  }
  const size = new Blob([body]).size;
  return h('details', { class: 'raw' },
    h('summary', {}, `Raw response${status ? ` · HTTP ${status}` : ''} · ${size ? `${format} · ${formatBytes(size)}` : 'empty'}`),
    h('pre', { class: 'code light', tabindex: '0', 'data-raw': '' }, text));
}

const SERVER_COLUMNS = ['Name', 'Role', 'Status', 'DNS', 'Uptime'];
const fact = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value ?? '—'));

function renderInstance(instance, now) {
  const zone = instance.zone ?? {};
  const region = instance.region ?? {};
  const tone = statusTone(instance.cloudDBInstanceStatusName);
  const servers = instance.cloudDBServerInstanceList ?? [];
  const groups = instance.accessControlGroupList ?? [];
  const configs = instance.cloudDBConfigList ?? [];
  const zoneText = zone.zoneName || zone.zoneCode ? `${zone.zoneName ?? zone.zoneCode}${zone.zoneDescription ? ` (${zone.zoneDescription})` : ''}` : undefined;
  const regionText = region.regionName || region.regionCode ? `${region.regionName ?? region.regionCode}${region.regionName && region.regionCode ? ` (${region.regionCode})` : ''}` : undefined;
  const backup = instance.backupTime ? `${instance.backupTime} daily${instance.backupFileRetentionPeriod ? `, kept ${instance.backupFileRetentionPeriod} d` : ''}` : undefined;
  return h('article', { class: 'panel card instance', dataset: { instance: instance.cloudDBInstanceNo ?? '' } },
    h('div', { class: 'card-head' },
      h('div', {},
        h('h3', { class: 'service-name' }, instance.cloudDBServiceName ?? '(no name)'),
        h('p', { class: 'muted' }, `Instance ${instance.cloudDBInstanceNo ?? '?'}${instance.dbKindCode ? ` · ${instance.dbKindCode}` : ''}`)),
      h('span', { class: `badge ${tone}`, 'aria-label': `Status: ${instance.cloudDBInstanceStatusName ?? 'unknown'}` }, instance.cloudDBInstanceStatusName ?? 'unknown')),
    h('dl', { class: 'facts' },
      fact('Engine', instance.engineVersion ?? instance.dbKindCode),
      fact('Memory', instance.memorySize === undefined ? undefined : formatBytes(instance.memorySize)),
      fact('CPU', instance.cpuCount === undefined ? undefined : `${instance.cpuCount} vCPU`),
      fact('High availability', yesNo(instance.isHa)),
      fact('Zone', zoneText),
      fact('Region', regionText),
      fact('Port', instance.cloudDBPort === undefined ? undefined : String(instance.cloudDBPort)),
      fact('Backup', backup),
      fact('Created', instance.createDate ? formatApiDate(instance.createDate) : undefined)),
    h('h4', {}, `Servers (${servers.length})`),
    servers.length === 0 ? h('p', { class: 'placeholder' }, 'The answer lists no server.') : h('div', { class: 'table-scroll', role: 'region', 'aria-label': 'Servers', tabindex: '0' },
      // Explicit roles: on a phone the rows are laid out as cards (CSS), and some browsers drop a
      // table's semantics when its display changes.
      h('table', { class: 'grid servers', role: 'table' },
        h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, SERVER_COLUMNS.map((t) => h('th', { scope: 'col', role: 'columnheader' }, t)))),
        h('tbody', { role: 'rowgroup' }, servers.map((s) => {
          const since = parseApiDate(s.uptime);
          const cells = [
            s.cloudDBServerName ?? '—',
            roleText(s.cloudDBServerRole),
            s.cloudDBServerInstanceStatusName ? h('span', { class: `badge small ${statusTone(s.cloudDBServerInstanceStatusName)}` }, s.cloudDBServerInstanceStatusName) : '—',
            h('span', { class: 'mono' }, [s.privateDnsName, s.publicDnsName].filter(Boolean).join(' · ') || '—'),
            since === null ? (s.uptime ?? '—') : h('span', {}, formatDuration(now - since), h('small', { class: 'muted since' }, `since ${formatApiDate(s.uptime)}`)),
          ];
          return h('tr', { role: 'row' }, cells.map((c, i) => h('td', { role: 'cell', dataset: { label: SERVER_COLUMNS[i] } }, c)));
        })))),
    h('h4', {}, `Access control groups (${groups.length})`),
    groups.length === 0 ? h('p', { class: 'placeholder' }, 'None listed.') : h('ul', { class: 'acgs' }, groups.map((g) => h('li', {},
      h('strong', {}, g.accessControlGroupName ?? '(no name)'),
      ' ', h('span', { class: 'muted' }, `#${g.accessControlGroupConfigurationNo ?? '?'}`),
      g.isDefault ? h('span', { class: 'badge small neutral' }, 'default') : null,
      g.accessControlGroupDescription ? h('div', { class: 'muted' }, g.accessControlGroupDescription) : null))),
    configs.length === 0 ? null : h('details', {}, h('summary', {}, `Configuration (${configs.length})`),
      h('dl', { class: 'facts' }, configs.map((c) => fact(c.configName ?? '?', c.configValue)))),
  );
}

function renderResult(v, result, body) {
  const instances = result.cloudDBInstanceList;
  const name = instances[0]?.cloudDBServiceName;
  const now = Date.now();
  const message = result.returnMessage && result.returnMessage !== 'success' ? ` ${result.returnMessage}.` : '';
  const banner = h('div', { class: 'panel alert success' },
    h('h2', { tabindex: '-1' }, `Instance ${v.instanceNo}${name ? ` (${name})` : ''} flushed`),
    h('p', {}, `Every key in every database is deleted.${message} Answered at ${clockTime(now)}`,
      result.requestId ? [' · request ', h('code', {}, result.requestId)] : null));
  const cards = instances.map((i) => renderInstance(i, now));
  if (!cards.length) banner.append(h('p', { class: 'placeholder' }, 'The answer lists no instance.'));
  (cards.at(-1) ?? banner).append(rawBody(body));
  return [banner, ...cards];
}

function renderError(error, ctx, body, status) {
  const facts = [fact('Kind', h('code', {}, error.kind ?? 'unknown')), fact('Code', h('code', {}, error.code ?? '—'))];
  if (error.httpStatus ?? status) facts.push(fact('HTTP status', String(error.httpStatus ?? status)));
  if (error.requestId) facts.push(fact('Request id', h('code', {}, error.requestId)));
  const showClock = status !== null;
  return [h('div', { class: 'panel alert failure', role: 'alert', 'aria-live': 'assertive', dataset: { kind: error.kind ?? '', code: error.code ?? '' } },
    h('h2', { tabindex: '-1' }, errorTitle(error)),
    h('dl', { class: 'error-facts' }, facts),
    h('p', { class: 'message' }, error.message),
    error.details && !error.message.includes(error.details) ? h('p', { class: 'details' }, h('span', { class: 'muted' }, 'Details: '), error.details) : null,
    h('p', { class: 'hint' }, h('strong', {}, 'What to do: '), hintFor(error, ctx)),
    showClock ? h('p', { class: 'clock' }, h('strong', {}, 'Clock: '), describeClockOffset(ctx.clockOffsetMs)) : null,
    body ? rawBody(body, status) : null)];
}

// ---- history ------------------------------------------------------------------------------------

function addHistory(entry) {
  history.unshift(entry);
  ui.historyEmpty.hidden = true;
  ui.history.closest('.table-scroll').hidden = false;
  ui.history.tBodies[0].replaceChildren(...history.map((e) => h('tr', {},
    h('td', {}, clockTime(e.time)),
    h('td', { class: 'mono' }, e.instanceNo),
    h('td', {}, `${ENDPOINTS[e.endpoint].label}`, h('br'), h('small', { class: 'muted' }, e.base)),
    h('td', {}, h('span', { class: `badge small ${e.error ? 'bad' : 'ok'}` }, outcomeText(e.error))))));
}

// ---- start --------------------------------------------------------------------------------------

for (const el of document.querySelectorAll('.origin-text')) el.textContent = location.origin;
storage((s) => {
  const saved = s.getItem(STORE_KEY);
  if (saved !== null) {
    ui.accessKey.value = saved;
    ui.remember.checked = true;
  }
});
updateEndpoint();
ui.flush.disabled = true;

// Every edit (radios and checkboxes included) fires `input`: the preview is signed anew then, and
// not on `change`, which a text field also fires when it loses focus.
ui.form.addEventListener('input', (e) => {
  const id = e.target.id;
  if (['custom-url', 'access-key', 'secret-key', 'instance-no', 'timeout'].includes(id)) showCheck(id);
  if (id === 'access-key' && ui.remember.checked) remember();
  if (e.target.name === 'endpoint') updateEndpoint();
  renderPreview();
});
ui.remember.addEventListener('change', remember);
ui.reveal.addEventListener('click', () => {
  const show = ui.secretKey.type === 'password';
  ui.secretKey.type = show ? 'text' : 'password';
  ui.reveal.setAttribute('aria-pressed', String(show));
  ui.reveal.textContent = show ? 'Hide' : 'Show';
});
ui.form.addEventListener('submit', openConfirm);
ui.resign.addEventListener('click', renderPreview);
ui.confirmInput.addEventListener('input', updateConfirm);
ui.confirmForm.addEventListener('submit', confirmed);
ui.confirmCancel.addEventListener('click', () => ui.dialog.close('cancel'));
ui.cancel.addEventListener('click', cancel);

try {
  lib = await import('./pkg/index.browser.js');
  ui.loader.hidden = true;
  ui.flush.disabled = false;
  renderPreview();
} catch (e) {
  ui.loader.classList.add('failure');
  ui.loader.textContent = `The signing module did not load from ${new URL('pkg/index.browser.js', document.baseURI)}: ${e.message}. `
    + 'Serve the package’s pkg/ folder next to this page (ncloud-gateway does, with pkg_dir).';
}
