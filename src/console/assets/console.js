// LiveKit console: vanilla JS, no framework, no CDN. Everything shown is built with textContent (never
// innerHTML), the CSRF token lives in this script's memory only (no localStorage), and nothing secret goes
// into a URL.
(function () {
  'use strict';

  var CSRF_HEADER = 'X-LiveKit-Console-CSRF';
  var PAGES = ['rooms', 'webhooks', 'durable', 'tokens'];
  var EVENT_TYPES = [
    'room_started',
    'room_finished',
    'participant_joined',
    'participant_left',
    'participant_connection_aborted',
    'track_published',
    'track_unpublished',
    'egress_started',
    'egress_updated',
    'egress_ended',
    'ingress_started',
    'ingress_ended',
  ];
  var state = {
    csrf: null,
    mode: 'token',
    page: null,
    deliveries: new Map(),
    rooms: [],
    backing: '',
    events: null,
    timer: null,
    highlight: null,
  };

  function $(id) {
    return document.getElementById(id);
  }

  /** Builds an element: attributes (on* are listeners), then children (strings become text nodes). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key.slice(0, 2) === 'on') el.addEventListener(key.slice(2), value);
      else if (key === 'text') el.textContent = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child))
      child.forEach(function (c) {
        append(el, c);
      });
    else el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }
  function badge(text, kind) {
    return h('span', { class: 'badge' + (kind ? ' ' + kind : ''), text: text });
  }
  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '';
  }

  function note(text, bad) {
    var el = h('div', { class: 'note' + (bad ? ' bad' : ''), text: text });
    var status = $('status');
    while (status.children.length >= 3) status.removeChild(status.firstChild);
    status.appendChild(el);
    setTimeout(
      function () {
        el.remove();
      },
      bad ? 9000 : 5000,
    );
  }

  /** One API call: JSON both ways, the CSRF token on every action; a 401 sends back to the sign-in form. */
  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers[CSRF_HEADER] = state.csrf;
    return fetch('api/' + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch (e) {
          data = { errorMessage: text };
        }
        if (res.status === 401 && path !== 'session') signedOut();
        if (!res.ok) {
          var error = new Error((data && data.errorMessage) || 'HTTP ' + res.status);
          error.status = res.status;
          throw error;
        }
        return data;
      });
    });
  }

  // ---- sign-in ----------------------------------------------------------------------------------------

  function signedOut() {
    state.csrf = null;
    if (state.events) {
      state.events.close();
      state.events = null;
    }
    clearInterval(state.timer);
    $('nav').hidden = true;
    $('sign-out').hidden = true;
    showOnly('sign-in');
    $('token-field').hidden = state.mode !== 'token';
    $('sign-in-hint').textContent = state.mode === 'token' ? 'Enter the admin token of this server.' : 'Your application signs you in.';
    $('sign-in-button').textContent = state.mode === 'token' ? 'Sign in' : 'Continue';
    (state.mode === 'token' ? $('token') : $('sign-in-button')).focus();
  }

  function signedIn(session) {
    state.csrf = session.csrfToken;
    $('token').value = '';
    $('sign-in-error').textContent = '';
    $('nav').hidden = false;
    $('sign-out').hidden = false;
    connect();
    route();
  }

  $('sign-in-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var button = $('sign-in-button');
    button.disabled = true;
    $('sign-in-error').textContent = '';
    api('POST', 'session', state.mode === 'token' ? { token: $('token').value } : {})
      .then(signedIn, function (error) {
        $('sign-in-error').textContent = error.message;
        $('token').select();
      })
      .finally(function () {
        button.disabled = false;
      });
  });

  $('sign-out').addEventListener('click', function () {
    api('DELETE', 'session')
      .catch(function () {
        return null;
      })
      .then(function () {
        note('Signed out');
        signedOut();
      });
  });

  // ---- pages ------------------------------------------------------------------------------------------

  function showOnly(page) {
    ['sign-in'].concat(PAGES).forEach(function (name) {
      $('page-' + name).hidden = name !== page;
    });
    Array.prototype.forEach.call(document.querySelectorAll('#nav a'), function (a) {
      if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }

  function route() {
    if (!state.csrf) return;
    var page = (location.hash || '#rooms').slice(1);
    if (PAGES.indexOf(page) < 0) page = 'rooms';
    var previous = state.page;
    var changed = previous !== page;
    state.page = page;
    showOnly(page);
    document.title = page.charAt(0).toUpperCase() + page.slice(1) + ' · LiveKit console';
    clearInterval(state.timer);
    if (changed) clear($('status'));
    if (page === 'rooms') renderRooms();
    if (page === 'webhooks') loadDeliveries();
    if (page === 'durable') {
      loadQueue();
      state.timer = setInterval(loadQueue, 3000);
    }
    if (page === 'tokens') {
      loadTokens();
      state.timer = setInterval(loadTokens, 5000);
    }
    // Moving between pages puts the focus at the new page's start (not on the first load: Tab starts at the top).
    if (changed && previous !== null) $('main').focus();
  }
  window.addEventListener('hashchange', route);

  /** Live updates: one EventSource for deliveries and rooms; when it fails, the session is checked. */
  function connect() {
    if (state.events) state.events.close();
    var events = new EventSource('api/events');
    state.events = events;
    events.addEventListener('delivery', function (e) {
      var delivery = JSON.parse(e.data);
      if (!keepDelivery(delivery)) return;
      if (state.deliveries.size > 500) state.deliveries.delete(state.deliveries.keys().next().value);
      if (state.page === 'webhooks') renderDeliveries(delivery.seq);
    });
    events.addEventListener('rooms', function (e) {
      var data = JSON.parse(e.data);
      state.rooms = data.rooms;
      state.backing = data.backing;
      if (state.page === 'rooms') renderRooms();
    });
    events.onerror = function () {
      api('GET', 'session').catch(function (error) {
        if (error.status === 401) signedOut();
      });
    };
  }

  // ---- rooms ------------------------------------------------------------------------------------------

  function act(button, method, path, body, confirmText, done) {
    if (confirmText && !window.confirm(confirmText)) return;
    button.disabled = true;
    api(method, path, body)
      .then(
        function (answer) {
          note(done(answer));
        },
        function (error) {
          note('Refused: ' + error.message, true);
        },
      )
      .finally(function () {
        button.disabled = false;
      });
  }
  function enc(value) {
    return encodeURIComponent(value);
  }

  /** An element's identity across re-renders: its id, its accessible name, or its text within its room. */
  function keyOf(el) {
    if (!el || el === document.body) return null;
    var room = el.closest('[data-room]');
    return el.id || el.getAttribute('aria-label') || (room ? room.getAttribute('data-room') : '') + '|' + el.textContent;
  }

  /** Remembers the values of the inputs and the focused element inside `root`; the returned function restores them. */
  function keepFocusAndInput(root) {
    var values = {};
    Array.prototype.forEach.call(root.querySelectorAll('input[id]'), function (input) {
      values[input.id] = input.value;
    });
    var active = root.contains(document.activeElement) ? document.activeElement : null;
    var focused = keyOf(active);
    var caret = active && typeof active.selectionStart === 'number' ? active.selectionStart : null;
    return function () {
      Array.prototype.forEach.call(root.querySelectorAll('input[id]'), function (input) {
        if (values[input.id]) input.value = values[input.id];
      });
      if (focused === null) return;
      var match = Array.prototype.find.call(root.querySelectorAll('button, input, a, select'), function (el) {
        return keyOf(el) === focused;
      });
      if (!match) return;
      match.focus();
      if (caret !== null && typeof match.setSelectionRange === 'function') match.setSelectionRange(caret, caret);
    };
  }

  function renderRooms() {
    $('rooms-backing').textContent =
      state.backing === 'room-state' ? 'Live from the room state.' : 'Read from livekit-server every few seconds.';
    $('rooms-empty').hidden = state.rooms.length > 0;
    // A live update re-renders the list: what the operator is typing, and where the focus is, are kept.
    var kept = keepFocusAndInput($('rooms-list'));
    var list = clear($('rooms-list'));
    state.rooms.forEach(function (room) {
      var roomPath = 'rooms/' + enc(room.name);
      var rows = room.participants.map(function (p) {
        var who = roomPath + '/participants/' + enc(p.identity);
        return h(
          'tr',
          { 'data-identity': p.identity },
          h(
            'td',
            { 'data-label': 'Participant' },
            h('strong', { text: p.identity }),
            p.name && p.name !== p.identity ? h('div', { class: 'muted', text: p.name }) : null,
          ),
          h('td', { 'data-label': 'Kind' }, p.agent ? badge('agent', 'info') : badge(p.kind.toLowerCase())),
          h(
            'td',
            { 'data-label': 'State' },
            badge(p.state.toLowerCase(), p.state === 'ACTIVE' ? 'ok' : p.state === 'DISCONNECTED' ? 'bad' : 'warn'),
          ),
          h(
            'td',
            { 'data-label': 'Publishing' },
            p.publishing ? badge('publishing', 'ok') : badge(p.canPublish === false ? 'cannot publish' : 'not publishing'),
          ),
          h(
            'td',
            { 'data-label': 'Tracks' },
            p.tracks.length === 0
              ? h('span', { class: 'muted', text: 'none' })
              : h(
                  'ul',
                  { class: 'tracks' },
                  p.tracks.map(function (t) {
                    var label = (t.name || t.source || t.type) + ' (' + t.type.toLowerCase() + ')';
                    return h(
                      'li',
                      { 'data-track': t.sid },
                      h('span', { text: label }),
                      t.muted ? badge('muted', 'warn') : badge('live', 'ok'),
                      t.muted
                        ? null
                        : h(
                            'button',
                            {
                              type: 'button',
                              class: 'small secondary',
                              'aria-label': 'Mute ' + label + ' of ' + p.identity,
                              onclick: function (e) {
                                act(e.currentTarget, 'POST', who + '/tracks/' + enc(t.sid) + '/mute', { muted: true }, null, function (a) {
                                  return a.track.muted
                                    ? 'Muted ' + label + ' of ' + p.identity
                                    : 'livekit-server left ' + label + ' unmuted';
                                });
                              },
                            },
                            'Mute',
                          ),
                    );
                  }),
                ),
          ),
          h(
            'td',
            { 'data-label': 'Actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'small danger',
                'aria-label': 'Remove ' + p.identity + ' from ' + room.name,
                onclick: function (e) {
                  act(e.currentTarget, 'DELETE', who, undefined, 'Remove ' + p.identity + ' from ' + room.name + '?', function (a) {
                    return 'Removed ' + a.removed;
                  });
                },
              },
              'Remove',
            ),
          ),
        );
      });
      var dataId = 'data-' + room.sid;
      var form = h(
        'form',
        {
          class: 'data-form',
          onsubmit: function (e) {
            e.preventDefault();
            var input = form.querySelector('input');
            act(form.querySelector('button'), 'POST', roomPath + '/data', { data: input.value }, null, function (a) {
              input.value = '';
              var current = document.getElementById(dataId);
              if (current) current.value = '';
              return 'Sent ' + a.sent + ' bytes to ' + room.name;
            });
          },
        },
        h(
          'div',
          { class: 'field' },
          h('label', { for: dataId, text: 'Data message to everyone in ' + room.name }),
          h('input', { id: dataId, required: true, maxlength: 15000 }),
        ),
        h('button', { type: 'submit', class: 'secondary' }, 'Send data'),
      );
      list.appendChild(
        h(
          'article',
          { class: 'room card', 'data-room': room.name, 'aria-label': 'Room ' + room.name },
          h(
            'div',
            { class: 'room-head' },
            h('h2', { text: room.name }),
            badge(room.numParticipants + ' participant' + (room.numParticipants === 1 ? '' : 's')),
            room.createdAt ? h('span', { class: 'muted', text: 'since ' + time(room.createdAt) }) : null,
            h(
              'div',
              { class: 'actions' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': 'End room ' + room.name,
                  onclick: function (e) {
                    act(e.currentTarget, 'DELETE', roomPath, undefined, 'End room ' + room.name + ' for everyone?', function (a) {
                      return 'Ended ' + a.ended;
                    });
                  },
                },
                'End room',
              ),
            ),
          ),
          rows.length === 0
            ? h('p', { class: 'muted', text: 'Nobody in this room.' })
            : h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  { class: 'stack' },
                  h('caption', { class: 'visually-hidden', text: 'Participants of ' + room.name }),
                  h(
                    'thead',
                    null,
                    h(
                      'tr',
                      null,
                      ['Participant', 'Kind', 'State', 'Publishing', 'Tracks', 'Actions'].map(function (c) {
                        return h('th', { scope: 'col', text: c });
                      }),
                    ),
                  ),
                  h('tbody', null, rows),
                ),
              ),
          form,
        ),
      );
    });
    kept();
  }

  // ---- webhook deliveries -----------------------------------------------------------------------------

  EVENT_TYPES.forEach(function (type) {
    $('filter-event').appendChild(h('option', { value: type, text: type }));
  });
  $('filter-event').addEventListener('change', function () {
    renderDeliveries();
  });
  $('filter-outcome').addEventListener('change', function () {
    renderDeliveries();
  });

  function loadDeliveries() {
    api('GET', 'deliveries').then(
      function (data) {
        data.deliveries
          .slice()
          .reverse()
          .forEach(keepDelivery);
        renderDeliveries();
      },
      function (error) {
        note('Could not load the deliveries: ' + error.message, true);
      },
    );
  }

  /** Keeps a delivery unless a newer copy of it is already here: the list and a live update can cross. */
  function keepDelivery(delivery) {
    var known = state.deliveries.get(delivery.seq);
    if (known && known.revision >= delivery.revision) return false;
    state.deliveries.set(delivery.seq, delivery);
    return true;
  }

  var OUTCOME_KIND = { processed: 'ok', duplicate: 'info', queued: 'info', running: 'warn', failed: 'bad', refused: 'bad' };

  function renderDeliveries(freshSeq) {
    var event = $('filter-event').value;
    var outcome = $('filter-outcome').value;
    var all = Array.from(state.deliveries.values()).sort(function (a, b) {
      return b.seq - a.seq;
    });
    var shown = all.filter(function (d) {
      return (!event || d.event === event) && (!outcome || d.outcome === outcome);
    });
    var body = clear($('deliveries').querySelector('tbody'));
    $('deliveries').classList.add('stack');
    $('deliveries-empty').hidden = shown.length > 0;
    $('deliveries-empty').textContent = all.length === 0 ? 'No delivery yet.' : 'No delivery matches the filters.';
    shown.forEach(function (d) {
      body.appendChild(
        h(
          'tr',
          {
            'data-seq': d.seq,
            'data-id': d.id,
            'data-outcome': d.outcome,
            class: d.seq === freshSeq || d.id === state.highlight ? 'fresh' : null,
          },
          h('td', { 'data-label': 'Time' }, time(d.receivedAt)),
          h(
            'td',
            { 'data-label': 'Event' },
            d.event ? h('span', { class: 'mono', text: d.event }) : h('span', { class: 'muted', text: 'unknown' }),
            d.test ? [' ', badge('test', 'info')] : null,
            d.id ? h('div', { class: 'muted mono', text: d.id }) : null,
          ),
          h('td', { 'data-label': 'Room' }, d.room || '', d.participant ? h('div', { class: 'muted', text: d.participant }) : null),
          h(
            'td',
            { 'data-label': 'Verification' },
            d.verification === 'verified'
              ? badge('verified', 'ok')
              : [badge('refused ' + (d.status || ''), 'bad'), ' ', h('span', { class: 'mono', text: d.reason || '' })],
            d.detail && d.verification === 'refused' ? h('div', { class: 'muted', text: d.detail }) : null,
          ),
          h(
            'td',
            { 'data-label': 'Outcome' },
            badge(d.outcome, OUTCOME_KIND[d.outcome]),
            d.duplicate ? [' ', badge('duplicate', 'info')] : null,
            d.status && d.verification === 'verified' ? h('div', { class: 'muted', text: 'HTTP ' + d.status }) : null,
          ),
          h(
            'td',
            { 'data-label': 'Handlers' },
            d.handlers.length === 0
              ? h('span', { class: 'muted', text: d.verification === 'verified' ? 'none ran' : '–' })
              : h(
                  'ul',
                  { class: 'handlers' },
                  d.handlers.map(function (run) {
                    return h(
                      'li',
                      { 'data-handler': run.handler },
                      badge(run.ok ? 'ok' : 'failed', run.ok ? 'ok' : 'bad'),
                      ' ',
                      h('span', { class: 'mono', text: run.handler }),
                      ' ' + run.ms + ' ms',
                      run.error ? h('div', { class: 'error', text: run.error }) : null,
                    );
                  }),
                ),
          ),
        ),
      );
    });
  }

  $('test-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var button = $('send-test');
    button.disabled = true;
    $('test-result').textContent = 'Sending…';
    api('POST', 'deliveries/test', { event: $('test-event').value })
      .then(
        function (result) {
          state.highlight = result.id;
          var arrived = Array.from(state.deliveries.values()).some(function (d) {
            return d.id === result.id;
          });
          $('test-result').textContent =
            'Test event ' +
            result.id +
            ' posted to ' +
            result.url +
            ': answered HTTP ' +
            result.status +
            (arrived ? ', and it is in the list below.' : '.');
          renderDeliveries();
        },
        function (error) {
          $('test-result').textContent = 'Test event not sent: ' + error.message;
        },
      )
      .finally(function () {
        button.disabled = false;
      });
  });

  // ---- durable mode -----------------------------------------------------------------------------------

  $('durable-refresh').addEventListener('click', function () {
    loadQueue();
  });

  function loadQueue() {
    api('GET', 'queue').then(
      function (q) {
        $('durable-off').hidden = q.enabled;
        $('durable-on').hidden = !q.enabled;
        if (!q.enabled) return;
        $('queue-depth').textContent = q.depth;
        $('dead-letter-count').textContent = q.deadLetterCount;
        $('dead-letters').classList.add('stack');
        $('dead-letters-empty').hidden = q.deadLetters.length > 0;
        var body = clear($('dead-letters').querySelector('tbody'));
        q.deadLetters.forEach(function (letter) {
          var path = 'queue/dead-letters/' + enc(letter.eventId);
          body.appendChild(
            h(
              'tr',
              { 'data-event-id': letter.eventId },
              h(
                'td',
                { 'data-label': 'Event' },
                h('span', { class: 'mono', text: letter.event }),
                h('div', { class: 'muted mono', text: letter.eventId }),
              ),
              h(
                'td',
                { 'data-label': 'Error' },
                h('span', { class: 'error', text: letter.failedReason }),
                letter.handlersDone.length ? h('div', { class: 'muted', text: 'done: ' + letter.handlersDone.join(', ') }) : null,
              ),
              h('td', { 'data-label': 'Attempts' }, String(letter.attemptsMade)),
              h('td', { 'data-label': 'Failed at' }, time(letter.failedAt)),
              h(
                'td',
                { 'data-label': 'Actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'small',
                    'aria-label': 'Replay ' + letter.eventId,
                    onclick: function (e) {
                      act(e.currentTarget, 'POST', path + '/replay', undefined, null, function (a) {
                        setTimeout(loadQueue, 300);
                        return 'Replayed ' + a.replayed;
                      });
                    },
                  },
                  'Replay',
                ),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'small danger',
                    'aria-label': 'Discard ' + letter.eventId,
                    onclick: function (e) {
                      act(e.currentTarget, 'DELETE', path, undefined, 'Discard ' + letter.eventId + ' for good?', function (a) {
                        setTimeout(loadQueue, 100);
                        return 'Discarded ' + a.discarded;
                      });
                    },
                  },
                  'Discard',
                ),
              ),
            ),
          );
        });
      },
      function (error) {
        note('Could not read the queue: ' + error.message, true);
      },
    );
  }

  // ---- tokens -----------------------------------------------------------------------------------------

  function total(values) {
    return Object.keys(values).reduce(function (sum, key) {
      return sum + values[key];
    }, 0);
  }

  function loadTokens() {
    api('GET', 'tokens').then(
      function (t) {
        $('tokens-off').hidden = t.enabled;
        $('tokens-on').hidden = !t.enabled;
        $('tokens-window').textContent =
          'Last ' + Math.round(t.windowSeconds / 60) + ' minutes, sampled every ' + t.intervalSeconds + ' s.';
        if (!t.enabled) return;
        $('tokens-rate').textContent = t.totals.issuedPerMinute;
        $('tokens-issued').textContent = total(t.totals.issued);
        $('tokens-refused').textContent = total(t.totals.refused);
        var reasons = Object.keys(t.totals.refused).sort();
        var most = Math.max.apply(
          null,
          reasons
            .map(function (r) {
              return t.totals.refused[r];
            })
            .concat([1]),
        );
        var list = clear($('refusal-reasons'));
        reasons.forEach(function (reason) {
          var n = t.totals.refused[reason];
          list.appendChild(
            h(
              'li',
              { 'data-reason': reason },
              h('span', { class: 'mono', text: reason }),
              h('span', {
                class: 'bar bad',

                role: 'img',
                'aria-label': n + ' refused',
                'data-width': String(Math.round((n / most) * 100)),
              }),
              h('span', { text: String(n) }),
            ),
          );
        });
        var peak = Math.max.apply(
          null,
          t.intervals
            .map(function (i) {
              return total(i.issued) + total(i.refused);
            })
            .concat([1]),
        );
        var body = clear($('token-intervals').querySelector('tbody'));
        $('token-intervals').classList.add('stack');
        t.intervals
          .slice()
          .reverse()
          .slice(0, 30)
          .forEach(function (i) {
            var issued = total(i.issued);
            var refused = total(i.refused);
            body.appendChild(
              h(
                'tr',
                null,
                h('td', { 'data-label': 'Until' }, time(i.to)),
                h('td', { 'data-label': 'Issued' }, String(issued)),
                h('td', { 'data-label': 'Refused' }, String(refused)),
                h(
                  'td',
                  { 'data-label': 'Activity' },
                  h(
                    'span',
                    { class: 'bar-cell' },
                    h('span', { class: 'bar', 'data-width': String(Math.round((issued / peak) * 100)) }),
                    h('span', { class: 'bar bad', 'data-width': String(Math.round((refused / peak) * 100)) }),
                  ),
                ),
              ),
            );
          });
        // Widths set through the CSSOM: the page's CSP allows no inline style attribute.
        Array.prototype.forEach.call(document.querySelectorAll('#page-tokens [data-width]'), function (bar) {
          bar.style.width = bar.dataset.width + '%';
        });
      },
      function (error) {
        note('Could not read the token figures: ' + error.message, true);
      },
    );
  }

  // ---- start ------------------------------------------------------------------------------------------

  api('GET', 'sign-in')
    .then(
      function (info) {
        state.mode = info.mode;
      },
      function () {
        return null;
      },
    )
    .then(function () {
      return api('GET', 'session');
    })
    .then(signedIn, function () {
      signedOut();
    });
})();
