// The console's UI: reads the form, lists instances, shows the signed request, confirms, flushes,
// shows the answer. The secret key is read from its input when a request is signed and kept
// nowhere else: not in storage, cookies, the URL or the console. Answers are rendered as text
// nodes, never as HTML.
import {
  CLOCK_WINDOW_MS, ENDPOINTS, PLATFORMS, backupText, clockOffset, confirmWords, curlCommand, describeClockOffset,
  describeTarget, endpointNote, errorTitle, findTarget, flushNumberOf, flushParams, formatApiDate, formatBytes,
  formatDuration, haWarning, hintFor, instanceView, instancesOf, isMaster, LIST_PAGE_SIZE, listAllPages, listParams,
  outcomeText, parseApiDate, readAnswer, resolveEndpoint,
  roleText, serverText, statusTone, validateInstanceNo, validateKey, validateRegionCode, validateTimeout, yesNo,
} from './console.js';

/** @typedef {import('./pkg/domain.js').PlatformName} PlatformName */
/** @typedef {import('./pkg/domain.js').InstanceView} InstanceView */
/** @typedef {import('./pkg/domain.js').ErrorLike} ErrorLike */
/** @typedef {import('./console.js').Check} Check */
/** @typedef {import('./console.js').HintContext} HintContext */
/** @typedef {import('./console.js').EndpointChoice} EndpointChoice */
/** @typedef {import('./console.js').Target} Target */
/** @typedef {import('./pkg/index.browser.js').FlushHttpRequest} FlushHttpRequest */
/** @typedef {import('./pkg/index.browser.js').FlushRequestOptions} FlushRequestOptions */
/** An error as the console shows it: the package's, the domain's, or the fetch's (send). @typedef {Error & ErrorLike} ShownError */
/**
 * What h() and setChildren() take as children: nodes, text, lists of them; null, undefined and false are skipped.
 * @typedef {Node | string | null | undefined | false} ChildItem
 * @typedef {ChildItem | ChildItem[]} Child
 */

const STORE_KEY = 'ncloud-redis-flush.console.accessKey';
/**
 * The element with id `id`: index.html has every one this file names.
 * @param {string} id @returns {HTMLElement}
 */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const inputEl = (id) => /** @type {HTMLInputElement} */ ($(id));
/** @param {string} id */
const buttonEl = (id) => /** @type {HTMLButtonElement} */ ($(id));

/**
 * An element with attributes and children (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined | Record<string, string>>} [attrs]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of nodes(children)) el.append(c);
  return el;
}

/**
 * The nodes and texts of `children`, flattened, without null, undefined and false.
 * @param {Child[]} children @returns {(Node | string)[]}
 */
const nodes = (children) => children.flat().filter(/** @returns {c is Node | string} */ (c) => c !== undefined && c !== null && c !== false);

/**
 * Replaces an element's children; like h(), it flattens arrays and skips null, undefined and false.
 * @param {Element} el @param {Child[]} children
 */
function setChildren(el, ...children) {
  el.replaceChildren(...nodes(children));
}

const ui = {
  form: /** @type {HTMLFormElement} */ ($('form')), loader: $('loader'), note: $('endpoint-note'), customUrl: inputEl('custom-url'),
  accessKey: inputEl('access-key'), secretKey: inputEl('secret-key'), remember: inputEl('remember'), reveal: buttonEl('reveal'),
  platformNote: $('platform-note'), regionField: $('region-field'), regionCode: inputEl('region-code'),
  list: buttonEl('list'), listStatus: $('list-status'), listCancel: buttonEl('list-cancel'), instances: $('instances'),
  instanceNo: inputEl('instance-no'), instanceLabel: $('instance-no-label'), instanceNote: $('instance-no-note'),
  targetNote: $('target-note'), timeout: inputEl('timeout'), flush: buttonEl('flush'),
  preview: $('preview'), resign: buttonEl('resign'), progress: $('progress'), progressText: $('progress-text'),
  elapsed: $('progress-elapsed'), cancel: buttonEl('cancel'), outcome: $('outcome'), announcer: $('announcer'),
  history: /** @type {HTMLTableElement} */ ($('history')), historyEmpty: $('history-empty'),
  dialog: /** @type {HTMLDialogElement} */ ($('confirm')), confirmForm: /** @type {HTMLFormElement} */ ($('confirm-form')),
  confirmTitle: $('confirm-title'), confirmWhat: $('confirm-what'),
  confirmHa: $('confirm-ha'), confirmLabel: $('confirm-label'), confirmInput: inputEl('confirm-input'),
  confirmFlush: buttonEl('confirm-flush'), confirmCancel: buttonEl('confirm-cancel'), confirmMismatch: $('confirm-mismatch'),
};

/**
 * The form's values, as typed (values()); the radios' values are the page's.
 * @typedef {{ endpoint: EndpointChoice, customUrl: string, accessKey: string, secretKey: string, platform: PlatformName,
 *   regionCode: string, instanceNo: string, format: 'json' | 'xml', method: 'POST' | 'GET', timeout: string }} FormValues
 */
/**
 * The flush the confirmation dialog is about: the form's values (the secret key read again from
 * its input when the flush is signed), the base URL, the timeout, the target and the words that
 * confirm it.
 * @typedef {Omit<FormValues, 'secretKey'> & { secretKey?: string, base: string, timeoutMs: number, target: Target | null, words: string[] }} Pending
 */
/**
 * The last listing of a platform: the instances, or the error.
 * @typedef {{ error?: undefined, base: string, region: string | undefined, instances: InstanceView[], total: number, pages: number,
 *   method: string, url: string, at: number, body: string, status: number | null }} Listing
 * @typedef {{ error: ShownError, ctx: HintContext, body: string, status: number | null, base: string, region: string | undefined }} FailedListing
 */
/** An answer as send() gives it: its text, its status and the clock offset its Date says. @typedef {{ body: string, status: number | null, offset: number | null }} Answer */

/** The package's functions (./pkg/index.browser.js). @typedef {typeof import('./pkg/index.browser.js')} Package */
/** @type {Package | null} */
let lib = null; // the package: signRequest, buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse
let busy = false;
/** @type {Pending | null} */
let pending = null; // the inputs the confirmation dialog is about
/** @typedef {'timeout' | 'cancel' | null} AbortReason */
/** @type {AbortReason} */
let abortReason = null;
/** @type {AbortController | null} */
let controller = null;
/** @type {AbortController | null} */
let listController = null;
/** @type {AbortReason} */
let listAbortReason = null;
/**
 * The last listing of each platform: { base, region, instances, total, method, url, at, body, status } or { error, … }.
 * @type {Record<PlatformName, Listing | FailedListing | null>}
 */
const listings = { classic: null, vpc: null, cache: null };
/** @type {string | null} */
let pickedNumber = null; // the number the last pick filled in
/**
 * The session's flushes, newest first.
 * @type {{ time: number, platform: PlatformName, number: string, name: string | undefined, endpoint: EndpointChoice, base: string, error: ShownError | null }[]}
 */
const history = [];

/** The value of the checked radio named `name` (the page checks one of each). @param {string} name */
const radio = (name) => /** @type {HTMLInputElement} */ (ui.form.querySelector(`input[name="${name}"]:checked`)).value;

/** The form's values, as typed. @returns {FormValues} */
function values() {
  return {
    endpoint: /** @type {EndpointChoice} */ (radio('endpoint')), customUrl: ui.customUrl.value, accessKey: ui.accessKey.value,
    secretKey: ui.secretKey.value, platform: /** @type {PlatformName} */ (radio('platform')), regionCode: ui.regionCode.value,
    instanceNo: ui.instanceNo.value, format: /** @type {'json' | 'xml'} */ (radio('format')), method: /** @type {'POST' | 'GET'} */ (radio('method')),
    timeout: ui.timeout.value,
  };
}

/**
 * Every field's check, by input id; the endpoint's (under `custom-url`) has the resolved `base`.
 * @typedef {{ 'custom-url': { valid: boolean, base: string, message: string }, 'access-key': Check, 'secret-key': Check,
 *   'region-code'?: Check, 'instance-no': Check, timeout: Check }} Checks
 * @typedef {keyof Checks} FieldId
 */

/** Every field's check, by input id, in the page's order; the endpoint's (under `custom-url`) has the resolved `base`. @param {FormValues} v @returns {Checks} */
function checks(v) {
  return {
    'custom-url': resolveEndpoint(v.endpoint, v.customUrl, location.origin),
    'access-key': validateKey(v.accessKey, 'access key'),
    'secret-key': validateKey(v.secretKey, 'secret key'),
    ...(v.platform !== 'classic' && { 'region-code': validateRegionCode(v.regionCode) }),
    'instance-no': validateInstanceNo(v.instanceNo, v.platform),
    timeout: validateTimeout(v.timeout),
  };
}

/** @param {{ platform: PlatformName, regionCode: string }} v */
const regionOf = (v) => (v.platform === 'classic' ? undefined : v.regionCode);

/** Shows (or, with '', hides) the message under field `id`. @param {string} id @param {string} message */
function showError(id, message) {
  const input = $(id);
  const text = $(`${id}-error`);
  text.textContent = message;
  text.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Shows the check of one field (as the user types). @param {FieldId} id */
function showCheck(id) {
  showError(id, checks(values())[id]?.message ?? '');
}

/**
 * Shows the checks of `ids` and focuses the first field at fault; true when all pass.
 * @param {Checks} c @param {FieldId[]} ids  fields that `c` checks
 */
function showChecks(c, ids) {
  /** @type {HTMLElement | null} */
  let first = null;
  for (const id of ids) {
    const check = /** @type {{ valid: boolean, message: string }} */ (c[id]);
    showError(id, check.message);
    if (!check.valid && !first) first = $(id);
  }
  first?.focus();
  return first === null;
}

// ---- connection panel -------------------------------------------------------------------------

function updateEndpoint() {
  const choice = /** @type {EndpointChoice} */ (radio('endpoint'));
  ui.customUrl.disabled = choice !== 'custom';
  if (choice !== 'custom') showError('custom-url', '');
  else if (ui.customUrl.value) showCheck('custom-url');
  ui.note.textContent = endpointNote(choice, location.origin);
}

/** Runs `action` with the page's localStorage, unless storage is disabled. @param {(storage: Storage) => void} action */
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

// ---- platform, listing, picking -----------------------------------------------------------------

/** @type {Record<PlatformName, string>} */
const FLUSH_ACTIONS = {
  classic: 'flushCloudDBInstance, by the instance number',
  vpc: 'flushAllCloudRedisServerInstance, by the master server’s number',
  cache: 'flushAllCloudCacheServerInstance, by the master server’s number',
};

function updatePlatform() {
  const platform = /** @type {PlatformName} */ (radio('platform'));
  const info = PLATFORMS[platform];
  ui.regionField.hidden = !info.byServer;
  if (!info.byServer) showError('region-code', '');
  ui.platformNote.textContent = `${info.product}: ${FLUSH_ACTIONS[platform]}.`;
  ui.instanceLabel.textContent = info.numberLabel;
  ui.instanceNo.placeholder = info.byServer ? '' : '882689';
  ui.instanceNote.textContent = info.byServer
    ? 'The master server’s number, not the instance’s: List instances and pick one, or type it. Digits only.'
    : 'Cloud DB for Redis console → instance details. Digits only.';
  // A number picked on another platform names nothing here.
  if (pickedNumber !== null && ui.instanceNo.value === pickedNumber) {
    ui.instanceNo.value = '';
    showError('instance-no', '');
  } else if (ui.instanceNo.value) {
    showCheck('instance-no');
  }
  pickedNumber = null;
  if (!listController) ui.listStatus.textContent = ''; // it spoke of another platform's listing
  renderListing();
}

/** The platform's last listing if it still answers the form (same endpoint, same region), else null. @returns {Listing | null} */
function freshListing(v = values()) {
  const l = listings[v.platform];
  if (!l || l.error) return null;
  const endpoint = resolveEndpoint(v.endpoint, v.customUrl, location.origin);
  if (!endpoint.valid || endpoint.base !== l.base) return null;
  if (PLATFORMS[v.platform].byServer && l.region !== v.regionCode) return null;
  return l;
}

/** What the number field names in the last listing: { instance, server } or null. */
function currentTarget(v = values()) {
  return findTarget(v.platform, freshListing(v)?.instances, v.instanceNo);
}

/** The sentence under the number field, and the list's checked instance, from the number. */
function renderTarget() {
  const v = values();
  const target = currentTarget(v);
  const about = describeTarget(target);
  ui.targetNote.hidden = !about;
  ui.targetNote.textContent = about?.text ?? '';
  ui.targetNote.className = `target-note ${about?.tone ?? ''}`;
  ui.instanceNo.setAttribute('aria-describedby', `instance-no-error instance-no-note${about ? ' target-note' : ''}`);
  const chosen = target && flushNumberOf(target.instance) === v.instanceNo ? target.instance.no : null;
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (ui.instances.querySelectorAll('input[name="pick"]'))) input.checked = input.value === chosen;
}

/** Fills in the number a pick of instance `instanceNo` names. @param {string} instanceNo */
function pick(instanceNo) {
  const instance = freshListing()?.instances.find((i) => i.no === instanceNo);
  const number = instance && flushNumberOf(instance);
  if (!number) return;
  ui.instanceNo.value = number;
  pickedNumber = number;
  showCheck('instance-no');
}

/** @param {number} n @param {string} one @param {string} [many] */
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * An instance of the listing, to pick; disabled when the listing is not `fresh` or the instance has no number to flush.
 * @param {InstanceView} instance @param {PlatformName} platform @param {boolean} fresh
 */
function renderPick(instance, platform, fresh) {
  const number = flushNumberOf(instance);
  const byServer = PLATFORMS[platform].byServer;
  const id = `pick-${instance.no}`;
  const tone = statusTone(instance.status);
  return h('label', { class: 'pick', dataset: { instance: instance.no ?? '' } },
    h('input', {
      type: 'radio', name: 'pick', value: instance.no ?? '', disabled: !fresh || !number,
      'aria-label': `${instance.name ?? '(no name)'}, instance ${instance.no ?? '?'}`, 'aria-describedby': `${id}-facts ${id}-servers`,
    }),
    h('span', { class: 'pick-body' },
      h('span', { class: 'pick-head' },
        h('strong', { class: 'pick-name' }, instance.name ?? '(no name)'),
        h('span', { class: 'mono pick-no' }, instance.no ?? '?'),
        h('span', { class: `badge small ${tone} pick-status` }, instance.status ?? 'unknown')),
      h('span', { class: 'pick-facts', id: `${id}-facts` },
        h('span', { class: 'pick-engine' }, instance.engine ?? 'engine unknown'), ' · ',
        h('span', { class: 'pick-ha' }, instance.isHa ? 'HA' : instance.isHa === false ? 'no HA' : 'HA unknown'), ' · ',
        h('span', { class: 'pick-count' }, plural(instance.servers.length, 'server'))),
      h('span', { class: 'pick-servers', id: `${id}-servers` },
        instance.servers.map((s, i) => h('span', { class: 'pick-server', dataset: { no: s.no ?? '', role: s.role?.code ?? '' } },
          h('span', {}, s.name ?? '(no name)'), ' ', h('span', { class: 'mono' }, s.no ?? '?'), ' ',
          h('span', { class: 'muted' }, s.role?.codeName ?? s.role?.code ?? ''),
          byServer && s.no === number && instance.servers.length > 1 ? [' ', h('span', { class: 'tag' }, 'the flush names this one')] : null,
          // Read aloud between the servers (the lines are grid items: no text may stand between them).
          i < instance.servers.length - 1 ? h('span', { class: 'visually-hidden' }, ', ') : null))),
      byServer && !number ? h('span', { class: 'error-text' }, 'No master server listed: this instance cannot be picked.') : null));
}

/** The platform's listing under the List button: its error, or the instances to pick from. */
function renderListing() {
  const v = values();
  const l = listings[v.platform];
  if (!l) {
    setChildren(ui.instances, );
    return;
  }
  if (l.error) {
    setChildren(ui.instances, ...renderError(l.error, l.ctx, l.body, l.status, { heading: 'h3', action: 'list' }));
    return;
  }
  const fresh = freshListing(v) === l;
  const where = l.region ? ` in ${l.region}` : '';
  const count = l.total > l.instances.length ? `${l.instances.length} of ${l.total}` : String(l.instances.length);
  setChildren(ui.instances, 
    fresh ? null : h('p', { class: 'note warn stale' }, `Listed${where} at ${l.base}; the form now names another `
      + `${PLATFORMS[v.platform].byServer && l.region !== v.regionCode ? 'region' : 'endpoint'}: List instances again to pick.`),
    l.instances.length === 0
      ? h('p', { class: 'placeholder' }, `No ${PLATFORMS[v.platform].label} instance${where}.`)
      : h('fieldset', { class: 'picks' },
        h('legend', {}, `${PLATFORMS[v.platform].label} instances${where} (${count})`),
        h('div', { class: 'pick-list' }, l.instances.map((i) => renderPick(i, v.platform, fresh)))),
    l.total > l.instances.length
      ? h('p', { class: 'note warn' }, `The API announced ${l.total} (totalRows) but its ${plural(l.pages, 'page')} held ${l.instances.length}.`)
      : null,
    h('p', { class: 'note list-meta' }, `Listed at ${clockTime(l.at)} · ${l.pages > 1 ? `${l.pages} pages of ${LIST_PAGE_SIZE}, the last ` : ''}`,
      h('code', {}, `${l.method} ${l.url}`)),
    rawBody(l.body, l.status),
  );
  renderTarget();
}

/**
 * Sends a signed request; the fetch's failures become errors of kind network, timeout or
 * cancelled. At most MAX_ANSWER_BYTES of the answer are read (readAnswer): a longer one is
 * refused, unparsed, with the domain's error (kind http, ERR_BODY_TOO_LARGE).
 * @param {FlushHttpRequest} request @param {AbortSignal} signal
 * @param {() => AbortReason} reason  why the signal aborted, if it did
 * @param {number} timeoutMs
 * @returns {Promise<{ body: string, status: number, offset: number | null }>}
 */
async function send(request, signal, reason, timeoutMs) {
  const sentAt = Date.now();
  try {
    const response = await fetch(request.url, {
      method: request.method, headers: request.headers, body: request.body, signal,
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'error',
    });
    const body = await readAnswer(response);
    return { body, status: response.status, offset: clockOffset(response.headers.get('date'), sentAt, Date.now()) };
  } catch (caught) {
    const e = /** @type {ShownError} */ (caught);
    if (e?.code === 'ERR_BODY_TOO_LARGE') throw e;
    if (reason() === 'timeout') throw Object.assign(new Error(`No answer within ${formatDuration(timeoutMs)}.`), { kind: 'timeout', code: 'TIMEOUT' });
    if (reason() === 'cancel') throw Object.assign(new Error('You cancelled the request before an answer came.'), { kind: 'cancelled', code: 'CANCELLED' });
    throw Object.assign(new Error(`fetch failed: ${e.message}`), { kind: 'network', code: 'FETCH_FAILED' });
  }
}

async function listInstances() {
  if (!lib || listController) return;
  const v = values();
  const c = checks(v);
  if (!showChecks(c, /** @type {FieldId[]} */ (['custom-url', 'access-key', 'secret-key', 'region-code', 'timeout']).filter((id) => id in c))) {
    ui.listStatus.textContent = 'Correct the fields marked above to list instances.';
    return;
  }
  const { platform } = v;
  const base = c['custom-url'].base;
  const region = regionOf(v);
  const timeoutMs = /** @type {number} */ (c.timeout.ms); // the check passed: it has ms
  const aborter = new AbortController();
  listController = aborter;
  listAbortReason = null;
  const api = lib;
  const timer = setTimeout(() => {
    listAbortReason = 'timeout';
    aborter.abort();
  }, timeoutMs);
  // aria-disabled, not disabled: a disabled button loses the keyboard's focus.
  ui.list.setAttribute('aria-disabled', 'true');
  ui.listCancel.hidden = false;
  ui.listStatus.textContent = `Listing ${PLATFORMS[platform].label} instances${region ? ` in ${region}` : ''}…`;
  /** @type {FlushHttpRequest | null} */
  let request = null;
  /** @type {Answer} */
  let answer = { body: '', status: null, offset: null };
  /** @type {ShownError | null} */
  let error = null;
  // Every page, as the CLI reads them (the domain's pager): LIST_PAGE_SIZE instances a page until
  // totalRows are read (an instance that moves across a page boundary while paging is kept once).
  /** @type {InstanceView[]} */
  let instances = [];
  let pages = 0;
  let total = 0; // the last page's totalRows
  try {
    const listing = await listAllPages({
      platform,
      pageSize: LIST_PAGE_SIZE,
      fetchPage: async (pageNo) => {
        if (pageNo > 1) ui.listStatus.textContent = `Listing ${PLATFORMS[platform].label} instances${region ? ` in ${region}` : ''}: page ${pageNo}…`;
        const signed = api.buildListRequest({
          ...listParams(platform, region), pageNo, pageSize: LIST_PAGE_SIZE, responseFormatType: v.format, method: v.method,
          endpoint: base, timestamp: Date.now(), accessKey: v.accessKey, secretKey: ui.secretKey.value,
        });
        request = signed;
        const sent = await send(signed, aborter.signal, () => listAbortReason, timeoutMs);
        answer = sent;
        return /** @type {Record<string, any> & { totalRows: number }} */ (api.parseListResponse(sent.body, { status: sent.status, platform }));
      },
    });
    instances = listing.instances.map((raw) => instanceView(platform, raw));
    pages = listing.pages;
    total = listing.totalRows;
  } catch (e) {
    error = /** @type {ShownError} */ (e);
  } finally {
    clearTimeout(timer);
    listController = null;
    ui.list.removeAttribute('aria-disabled');
    ui.listCancel.hidden = true;
  }
  /** @type {HintContext} */
  const ctx = {
    action: 'list', platform, path: PLATFORMS[platform].listPath, base, endpoint: v.endpoint, pageOrigin: location.origin,
    regionCode: region, timeoutMs, clockOffsetMs: answer.offset,
  };
  if (error) {
    listings[platform] = { error, ctx, body: answer.body, status: answer.status, base, region };
    ui.listStatus.textContent = `Listing failed: ${errorTitle(error, 'list')}.`;
  } else {
    // A listing that ended without an error read at least one page: `request` is its last.
    const last = /** @type {FlushHttpRequest} */ (/** @type {FlushHttpRequest | null} */ (request));
    listings[platform] = {
      base, region, instances, total, pages, method: last.method, url: last.url,
      at: Date.now(), body: answer.body, status: answer.status,
    };
    ui.listStatus.textContent = `${plural(instances.length, `${PLATFORMS[platform].label} instance`)}${region ? ` in ${region}` : ''}`
      + `${instances.length ? ': pick one to fill in the number.' : '.'}`;
  }
  renderListing();
  renderTarget();
  renderPreview();
}

function cancelList() {
  if (!listController) return;
  listAbortReason = 'cancel';
  listController.abort();
}

// ---- preview ------------------------------------------------------------------------------------

/**
 * The package, once loaded: what renderPreview and a flush call, which run only then (they
 * return early while `lib` is null).
 * @returns {Package}
 */
const loaded = () => /** @type {Package} */ (lib);

/**
 * A signed flush request for the form's values at `timestamp`, or throws the library's error.
 * @param {Pick<FormValues, 'platform' | 'instanceNo' | 'regionCode' | 'format' | 'method' | 'accessKey' | 'secretKey'>} v
 * @param {string} base @param {number} timestamp
 */
function build(v, base, timestamp) {
  return loaded().buildFlushRequest(/** @type {FlushRequestOptions} */ ({
    ...flushParams(v.platform, v.instanceNo, regionOf(v)), responseFormatType: v.format, method: v.method,
    endpoint: base, timestamp, accessKey: v.accessKey, secretKey: v.secretKey,
  }));
}

/** The text of field `id`'s label (every field of the form has one). @param {string} id */
const labelOf = (id) => String(/** @type {NodeListOf<HTMLLabelElement>} */ (inputEl(id).labels)[0].textContent);

/** @param {number} ms */
const clockTime = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function renderPreview() {
  if (!lib) return;
  const v = values();
  const c = checks(v);
  const missing = Object.entries(c).filter(([, r]) => !r.valid).map(([id]) => labelOf(id).toLowerCase());
  ui.resign.disabled = missing.length > 0;
  if (missing.length) {
    setChildren(ui.preview, h('p', { class: 'placeholder' }, `Complete the form to see the exact request: ${missing.join(', ')}.`));
    return;
  }
  const timestamp = Date.now();
  let request;
  let signed;
  try {
    request = build(v, c['custom-url'].base, timestamp);
    signed = lib.signRequest({ method: request.method, url: request.url, timestamp, accessKey: v.accessKey, secretKey: v.secretKey });
  } catch (e) {
    setChildren(ui.preview, h('p', { class: 'error-text' }, `Cannot sign: ${/** @type {Error} */ (e).message}`));
    return;
  }
  const curl = curlCommand(request);
  const copyStatus = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const pre = h('pre', { class: 'code', id: 'curl-text', tabindex: '0', 'aria-label': 'curl command' }, curl);
  const copy = h('button', { type: 'button', class: 'secondary small', id: 'copy' }, 'Copy');
  copy.addEventListener('click', () => copyText(curl, pre, copyStatus));
  setChildren(ui.preview, 
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

/**
 * Copies `text` to the clipboard; without one, selects it in `pre` for Ctrl+C. `status` says which.
 * @param {string} text @param {HTMLElement} pre @param {HTMLElement} status
 */
async function copyText(text, pre, status) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    pre.focus();
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
  }
}

// ---- confirmation -------------------------------------------------------------------------------

/**
 * `orders (server 11034561)`, `instance 882689` …: what a flush names, for progress and announcements.
 * @param {Pending} v
 */
function targetLabel(v) {
  const unit = PLATFORMS[v.platform].byServer ? 'server' : 'instance';
  const name = v.target?.instance.name;
  return name ? `${name} (${unit} ${v.instanceNo})` : `${unit} ${v.instanceNo}`;
}

/** @param {SubmitEvent} event */
function openConfirm(event) {
  event.preventDefault();
  if (!lib || busy) return;
  const v = values();
  const c = checks(v);
  if (!showChecks(c, /** @type {FieldId[]} */ (Object.keys(c)))) return;
  const target = currentTarget(v);
  /** @type {Pending} */
  const p = { ...v, base: c['custom-url'].base, timeoutMs: /** @type {number} */ (c.timeout.ms), target, words: confirmWords(target, v.instanceNo) };
  delete p.secretKey; // read again from its input when the flush is signed
  pending = p;
  fillConfirm(p);
  ui.confirmInput.value = '';
  ui.confirmFlush.disabled = true;
  ui.confirmMismatch.hidden = true;
  ui.confirmInput.removeAttribute('aria-invalid');
  ui.dialog.showModal();
  ui.confirmInput.focus();
}

/** The dialog's title, what is deleted where, the HA warning, and what to type. @param {Pending} p */
function fillConfirm(p) {
  const byServer = PLATFORMS[p.platform].byServer;
  const instance = p.target?.instance;
  const server = p.target?.server;
  const { upstream } = ENDPOINTS[p.endpoint];
  const base = h('span', { id: 'confirm-base' }, upstream ? `${p.base}, forwarded to ${upstream} if the gateway runs with that --upstream` : p.base);
  const flushall = ['is deleted (', h('code', {}, 'FLUSHALL'), ') at ', base];
  if (instance) {
    ui.confirmTitle.textContent = `Flush ${instance.name ?? `instance ${instance.no}`}?`;
    setChildren(ui.confirmWhat, 'Every key in every database of ', h('strong', {}, instance.name ?? `instance ${instance.no}`),
      instance.name ? ` (instance ${instance.no}) ` : ' ', ...flushall,
      server ? [`, through ${isMaster(server) ? 'its master server' : 'its server'} `, h('strong', {}, serverText(server))] : null,
      '. This cannot be undone.',
      server && !isMaster(server) ? ` ${server.no} is not a master: the API will refuse it.` : null);
  } else {
    ui.confirmTitle.textContent = `Flush ${byServer ? 'server' : 'instance'} ${p.instanceNo}?`;
    setChildren(ui.confirmWhat, 
      byServer ? 'Every key in every database of the instance whose master server is ' : 'Every key in every database of instance ',
      h('strong', {}, p.instanceNo), ' ', ...flushall, '. This cannot be undone. ',
      'The console has not listed it: if it is highly available (HA), its replicas are cleared too.');
  }
  const warning = haWarning(instance);
  ui.confirmHa.textContent = warning;
  ui.confirmHa.hidden = !warning;
  const words = p.words.map((w) => h('strong', {}, w));
  setChildren(ui.confirmLabel, 'Type ', words[0], words.length > 1 ? [' or ', words[1]] : null, ' to confirm');
  if (p.words.every((w) => /^\d+$/.test(w))) ui.confirmInput.setAttribute('inputmode', 'numeric');
  else ui.confirmInput.removeAttribute('inputmode');
  ui.confirmMismatch.textContent = instance?.name ? 'This is neither the service name nor the instance number.'
    : instance || !byServer ? 'This is not the instance number.' : 'This is not the server number.';
}

function updateConfirm() {
  if (!pending) return;
  const typed = ui.confirmInput.value;
  const match = pending.words.includes(typed);
  ui.confirmFlush.disabled = !match;
  const wrong = typed !== '' && !match && !pending.words.some((w) => w.startsWith(typed));
  ui.confirmMismatch.hidden = !wrong;
  if (wrong) ui.confirmInput.setAttribute('aria-invalid', 'true');
  else ui.confirmInput.removeAttribute('aria-invalid');
}

/** @param {SubmitEvent} event */
function confirmed(event) {
  event.preventDefault();
  if (!pending || !pending.words.includes(ui.confirmInput.value)) return;
  const target = pending;
  pending = null;
  ui.dialog.close('flush');
  flush(target);
}

// ---- flush --------------------------------------------------------------------------------------

/** Signs and sends the flush `v` names, and shows its outcome. @param {Pending} v */
async function flush(v) {
  busy = true;
  ui.flush.disabled = true;
  abortReason = null;
  const aborter = new AbortController();
  controller = aborter;
  const timer = setTimeout(() => {
    abortReason = 'timeout';
    aborter.abort();
  }, v.timeoutMs);
  const started = Date.now();
  ui.progressText.textContent = `Flushing ${targetLabel(v)} at ${v.base}…`;
  const tick = () => { ui.elapsed.textContent = `${formatDuration(Date.now() - started)} of ${formatDuration(v.timeoutMs)}`; };
  tick();
  const ticker = setInterval(tick, 500);
  ui.progress.hidden = false;
  ui.cancel.focus();

  /** @type {ShownError | null} */
  let error = null;
  /** @type {Record<string, any> | null} */
  let result = null;
  /** @type {Answer} */
  let answer = { body: '', status: null, offset: null };
  try {
    const request = build({ ...v, secretKey: ui.secretKey.value }, v.base, Date.now());
    const sent = await send(request, aborter.signal, () => abortReason, v.timeoutMs);
    answer = sent;
    result = loaded().parseFlushResponse(sent.body, { status: sent.status, platform: v.platform });
  } catch (e) {
    error = /** @type {ShownError} */ (e);
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    controller = null;
    ui.progress.hidden = true;
    busy = false;
    ui.flush.disabled = false;
  }

  const master = v.target?.instance.servers.find(isMaster)?.no;
  /** @type {HintContext} */
  const ctx = {
    action: 'flush', platform: v.platform, path: PLATFORMS[v.platform].flushPath, base: v.base, endpoint: v.endpoint,
    pageOrigin: location.origin, instanceNo: v.instanceNo, regionCode: regionOf(v), master,
    timeoutMs: v.timeoutMs, clockOffsetMs: answer.offset,
  };
  addHistory({
    time: started, platform: v.platform, number: v.instanceNo, name: v.target?.instance.name,
    endpoint: v.endpoint, base: v.base, error,
  });
  let announcement;
  if (error) {
    setChildren(ui.outcome, ...renderError(error, ctx, answer.body, answer.status));
    announcement = `Flush of ${targetLabel(v)} failed: ${errorTitle(error)}.`;
  } else {
    const shown = renderResult(v, /** @type {Record<string, any>} */ (result), answer.body); // no error: parsed
    setChildren(ui.outcome, ...shown.nodes);
    announcement = shown.announcement;
  }
  ui.outcome.hidden = false;
  ui.announcer.textContent = announcement;
  const heading = /** @type {HTMLElement} */ (ui.outcome.querySelector('h2')); // both panels have one
  heading.focus();
  renderPreview();
}

function cancel() {
  if (!controller) return;
  abortReason = 'cancel';
  controller.abort();
}

// ---- result -------------------------------------------------------------------------------------

/** The answer as received, one click away. @param {string} body @param {number | null} [status] */
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

const SERVER_COLUMNS = {
  classic: ['Name', 'Role', 'Status', 'DNS', 'Uptime'],
  family: ['Name', 'Number', 'Role', 'Status', 'Private domain', 'Uptime'],
};
/** @param {string} label @param {Child} value */
const fact = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value ?? '—'));

/**
 * An instance (instanceView) as a card; `named`: the server number the flush named, marked in the table.
 * @param {InstanceView} instance @param {number} now @param {string} [named]
 */
function renderInstance(instance, now, named) {
  const classic = instance.platform === 'classic';
  const tone = statusTone(instance.status);
  const { servers, groups, configs } = instance;
  const columns = classic ? SERVER_COLUMNS.classic : SERVER_COLUMNS.family;
  const subtitle = classic
    ? `Instance ${instance.no ?? '?'}${instance.kind ? ` · ${instance.kind}` : ''}`
    : `Instance ${instance.no ?? '?'} · ${PLATFORMS[instance.platform].label}`;
  const backup = instance.isBackup === false ? 'Off' : backupText(instance);
  return h('article', { class: 'panel card instance', dataset: { instance: instance.no ?? '', platform: instance.platform } },
    h('div', { class: 'card-head' },
      h('div', {},
        h('h3', { class: 'service-name' }, instance.name ?? '(no name)'),
        h('p', { class: 'muted' }, subtitle)),
      h('span', { class: `badge ${tone}`, 'aria-label': `Status: ${instance.status ?? 'unknown'}` }, instance.status ?? 'unknown')),
    h('dl', { class: 'facts' },
      fact('Engine', instance.engine),
      fact('Memory', instance.memorySize === undefined ? undefined : formatBytes(instance.memorySize)),
      fact('CPU', instance.cpuCount === undefined ? undefined : `${instance.cpuCount} vCPU`),
      fact('High availability', yesNo(instance.isHa)),
      classic ? null : fact('Mode', instance.mode),
      fact('Zone', instance.zone),
      fact('Region', instance.region),
      fact('Port', instance.port === undefined ? undefined : String(instance.port)),
      fact('Backup', backup),
      instance.configGroup ? fact('Config group', instance.configGroup) : null,
      fact('Created', instance.createDate ? formatApiDate(instance.createDate) : undefined)),
    h('h4', {}, `Servers (${servers.length})`),
    servers.length === 0 ? h('p', { class: 'placeholder' }, 'The answer lists no server.') : h('div', { class: 'table-scroll', role: 'region', 'aria-label': 'Servers', tabindex: '0' },
      // Explicit roles: on a phone the rows are laid out as cards (CSS), and some browsers drop a
      // table's semantics when its display changes.
      h('table', { class: 'grid servers', role: 'table' },
        h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, columns.map((t) => h('th', { scope: 'col', role: 'columnheader' }, t)))),
        h('tbody', { role: 'rowgroup' }, servers.map((s) => {
          const since = parseApiDate(s.uptime);
          const isNamed = !classic && named !== undefined && s.no === named;
          const cells = [
            s.name ?? '—',
            classic ? null : h('span', { class: 'server-no' }, h('span', { class: 'mono' }, s.no ?? '—'), isNamed ? h('span', { class: 'badge small named' }, 'in the request') : null),
            roleText(s.role),
            s.status ? h('span', { class: `badge small ${statusTone(s.status)}` }, s.status) : '—',
            h('span', { class: 'mono' }, s.dns || '—'),
            since === null ? (s.uptime ?? '—') : h('span', {}, formatDuration(now - since), h('small', { class: 'muted since' }, `since ${formatApiDate(s.uptime)}`)),
          ].filter((c) => c !== null);
          return h('tr', { role: 'row', class: isNamed ? 'named' : null, dataset: { server: s.no ?? '' } },
            cells.map((c, i) => h('td', { role: 'cell', dataset: { label: columns[i] } }, c)));
        })))),
    h('h4', {}, `Access control groups (${groups.length})`),
    groups.length === 0 ? h('p', { class: 'placeholder' }, 'None listed.') : h('ul', { class: 'acgs' }, groups.map((g) => h('li', {},
      g.name === undefined && !classic ? null : h('strong', {}, g.name ?? '(no name)'),
      g.name === undefined && !classic ? null : ' ',
      h('span', { class: g.name === undefined && !classic ? 'mono' : 'muted' }, `#${g.no ?? '?'}`),
      g.isDefault ? h('span', { class: 'badge small neutral' }, 'default') : null,
      g.description ? h('div', { class: 'muted' }, g.description) : null))),
    groups.length && !classic ? h('p', { class: 'note' }, 'The API gives the groups’ numbers; their names and rules are in the NAVER Cloud console.') : null,
    configs.length === 0 ? null : h('details', {}, h('summary', {}, `Configuration (${configs.length})`),
      h('dl', { class: 'facts' }, configs.map((c) => fact(c.configName ?? '?', c.configValue)))),
  );
}

/**
 * The success banner and the instance cards; `announcement` for the live region.
 * @param {Pending} v @param {Record<string, any>} result  the parsed answer @param {string} body
 */
function renderResult(v, result, body) {
  const instances = instancesOf(v.platform, result);
  const first = instances[0];
  const name = first?.name;
  const byServer = PLATFORMS[v.platform].byServer;
  const now = Date.now();
  const message = result.returnMessage && result.returnMessage !== 'success' ? ` ${result.returnMessage}.` : '';
  const server = first?.servers.find((s) => s.no === v.instanceNo);
  const title = !byServer
    ? `Instance ${v.instanceNo}${name ? ` (${name})` : ''} flushed`
    : first ? `Instance ${first.no}${name ? ` (${name})` : ''} flushed` : `Server ${v.instanceNo} flushed`;
  const through = byServer ? `, through ${server && isMaster(server) ? 'its master server' : 'server'} ${server ? serverText(server) : v.instanceNo}` : '';
  const banner = h('div', { class: 'panel alert success' },
    h('h2', { tabindex: '-1' }, title),
    h('p', {}, `Every key in every database is deleted${through}.${first?.isHa ? ' The instance is HA: its replicas are cleared too.' : ''}`
      + `${message} Answered at ${clockTime(now)}`,
    result.requestId ? [' · request ', h('code', {}, result.requestId)] : null));
  const cards = instances.map((i) => renderInstance(i, now, v.instanceNo));
  if (!cards.length) banner.append(h('p', { class: 'placeholder' }, 'The answer lists no instance.'));
  (cards.at(-1) ?? banner).append(rawBody(body));
  const announcement = byServer ? `${title}${through}.` : `Instance ${v.instanceNo} flushed.`;
  return { nodes: [banner, ...cards], announcement };
}

/**
 * An error panel: kind, code, status, message, hint, clock, raw answer. `heading`: h2 (the outcome) or h3 (a listing).
 * @param {ShownError} error @param {HintContext} ctx @param {string} body @param {number | null} status
 * @param {{ heading?: 'h2' | 'h3', action?: 'flush' | 'list' }} [options]
 */
function renderError(error, ctx, body, status, { heading = 'h2', action = 'flush' } = {}) {
  const facts = [fact('Kind', h('code', {}, error.kind ?? 'unknown')), fact('Code', h('code', {}, error.code ?? '—'))];
  if (error.httpStatus ?? status) facts.push(fact('HTTP status', String(error.httpStatus ?? status)));
  if (error.requestId) facts.push(fact('Request id', h('code', {}, error.requestId)));
  const showClock = status !== null && status !== undefined;
  return [h('div', { class: 'panel alert failure', role: 'alert', 'aria-live': 'assertive', dataset: { kind: error.kind ?? '', code: error.code ?? '' } },
    h(heading, { tabindex: '-1', class: 'alert-title' }, errorTitle(error, action)),
    h('dl', { class: 'error-facts' }, facts),
    h('p', { class: 'message' }, error.message),
    error.details && !error.message.includes(error.details) ? h('p', { class: 'details' }, h('span', { class: 'muted' }, 'Details: '), error.details) : null,
    h('p', { class: 'hint' }, h('strong', {}, 'What to do: '), hintFor(error, ctx)),
    showClock ? h('p', { class: 'clock' }, h('strong', {}, 'Clock: '), describeClockOffset(ctx.clockOffsetMs)) : null,
    body ? rawBody(body, status) : null)];
}

// ---- history ------------------------------------------------------------------------------------

/** Adds a flush to the session's history, and shows it. @param {typeof history[number]} entry */
function addHistory(entry) {
  history.unshift(entry);
  ui.historyEmpty.hidden = true;
  /** @type {HTMLElement} */ (ui.history.closest('.table-scroll')).hidden = false;
  setChildren(ui.history.tBodies[0], ...history.map((e) => {
    const about = [e.platform === 'classic' ? null : PLATFORMS[e.platform].label, e.name].filter(Boolean).join(' · ');
    return h('tr', {},
      h('td', {}, clockTime(e.time)),
      h('td', {}, h('span', { class: 'mono' }, e.number), about ? [h('br'), h('small', { class: 'muted' }, about)] : null),
      h('td', {}, `${ENDPOINTS[e.endpoint].label}`, h('br'), h('small', { class: 'muted' }, e.base)),
      h('td', {}, h('span', { class: `badge small ${e.error ? 'bad' : 'ok'}` }, outcomeText(e.error))));
  }));
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
updatePlatform();
ui.flush.disabled = true;
ui.list.disabled = true;

/** @type {string[]} */
const FIELDS = ['custom-url', 'access-key', 'secret-key', 'region-code', 'instance-no', 'timeout'];

// Every edit (radios and checkboxes included) fires `input`: the preview is signed anew then, and
// not on `change`, which a text field also fires when it loses focus.
ui.form.addEventListener('input', (e) => {
  // Every control of the form is an <input>.
  const field = /** @type {HTMLInputElement} */ (e.target);
  const { id, name } = field;
  if (FIELDS.includes(id)) showCheck(/** @type {FieldId} */ (id));
  if (id === 'secret-key' && ui.secretKey.value === '') forgetKeys();
  if (id === 'access-key' && ui.remember.checked) remember();
  if (id === 'instance-no' && ui.instanceNo.value !== pickedNumber) pickedNumber = null;
  if (name === 'endpoint') updateEndpoint();
  if (name === 'platform') updatePlatform();
  else if (name === 'endpoint' || id === 'custom-url' || id === 'region-code') renderListing();
  if (name === 'pick') pick(field.value);
  renderTarget();
  renderPreview();
});
// The signing module keeps the prepared state of the key in use (never the key itself): it is
// wiped when the secret is cleared, and when the page is hidden (another tab, a locked screen,
// the page left); the next signature prepares the key again.
function forgetKeys() {
  lib?.forgetSigningKeys();
}
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') forgetKeys();
});
window.addEventListener('pagehide', forgetKeys);
ui.remember.addEventListener('change', remember);
ui.reveal.addEventListener('click', () => {
  const show = ui.secretKey.type === 'password';
  ui.secretKey.type = show ? 'text' : 'password';
  ui.reveal.setAttribute('aria-pressed', String(show));
  ui.reveal.textContent = show ? 'Hide' : 'Show';
});
ui.form.addEventListener('submit', openConfirm);
ui.list.addEventListener('click', listInstances);
ui.listCancel.addEventListener('click', cancelList);
ui.resign.addEventListener('click', renderPreview);
ui.confirmInput.addEventListener('input', updateConfirm);
ui.confirmForm.addEventListener('submit', confirmed);
ui.confirmCancel.addEventListener('click', () => ui.dialog.close('cancel'));
ui.cancel.addEventListener('click', cancel);

try {
  lib = await import('./pkg/index.browser.js');
  ui.loader.hidden = true;
  ui.flush.disabled = false;
  ui.list.disabled = false;
  renderPreview();
} catch (e) {
  ui.loader.classList.add('failure');
  ui.loader.textContent = `The signing module did not load from ${new URL('pkg/index.browser.js', document.baseURI)}: ${/** @type {Error} */ (e).message}. `
    + 'Serve the package’s pkg/ folder next to this page (ncloud-gateway does, with pkg_dir).';
}
