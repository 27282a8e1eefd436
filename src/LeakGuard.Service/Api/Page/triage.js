(function () {
  'use strict';
  var csrf = null;
  var lastId = null;
  var current = null;
  var $ = function (id) { return document.getElementById(id); };

  // Every text from the service goes in through textContent: a path or a title cannot become markup.
  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function api(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['X-LeakGuard-CSRF'] = csrf;
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (response.status === 401 && path !== '/api/session') { showSignIn('Your session ended; sign in again.'); throw new Error('signed out'); }
        if (response.status === 204) return { status: 204, body: null };
        return response.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          return { status: response.status, body: json };
        });
      });
  }

  function showSignIn(message) {
    csrf = null;
    $('app').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    $('signin-error').textContent = message || '';
    $('key').focus();
  }

  function showApp(session) {
    csrf = session.csrf;
    $('signin').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    $('who').textContent = session.actor;
    load(false);
  }

  function query() {
    var parts = [];
    [['severity', 'f-severity'], ['status', 'f-status'], ['target', 'f-target'], ['rule', 'f-rule'], ['confidence', 'f-confidence']].forEach(function (f) {
      var value = $(f[1]).value.trim();
      if (value !== '') parts.push(f[0] + '=' + encodeURIComponent(value));
    });
    parts.push('limit=100');
    return parts;
  }

  function load(more) {
    var parts = query();
    if (more && lastId !== null) parts.push('after=' + lastId);
    api('GET', '/api/findings?' + parts.join('&')).then(function (r) {
      var tbody = $('findings').tBodies[0];
      if (!more) { tbody.textContent = ''; lastId = null; }
      if (r.status !== 200) { $('list-error').textContent = (r.body && r.body.error) || ('the service answered ' + r.status); return; }
      $('list-error').textContent = '';
      r.body.findings.forEach(function (f) { tbody.appendChild(row(f)); lastId = f.id; });
      $('shown').textContent = String(tbody.rows.length);
      $('more').hidden = r.body.findings.length < 100;
    }).catch(function () {});
  }

  function where(location) {
    return location.path + (location.line ? ':' + location.line : '');
  }

  function row(f) {
    var tr = el('tr');
    tr.dataset.id = String(f.id);
    tr.dataset.severity = f.severity;
    tr.dataset.status = f.status;
    tr.appendChild(el('td', f.id, 'n'));
    var sev = el('td'); sev.appendChild(el('span', f.severity, 'sev ' + f.severity)); tr.appendChild(sev);
    tr.appendChild(el('td', f.status, 'status'));
    var rule = el('td'); rule.appendChild(el('code', f.ruleId)); tr.appendChild(rule);
    tr.appendChild(el('td', f.target));
    var loc = el('td'); loc.appendChild(el('code', where(f.location))); tr.appendChild(loc);
    tr.tabIndex = 0;
    tr.addEventListener('click', function () { open(f.id); });
    tr.addEventListener('keydown', function (e) { if (e.key === 'Enter') open(f.id); });
    return tr;
  }

  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', name));
    dl.appendChild(el('dd', value));
  }

  function open(id) {
    api('GET', '/api/findings/' + id).then(function (r) {
      if (r.status !== 200) { $('d-message').textContent = (r.body && r.body.error) || ('the service answered ' + r.status); return; }
      show(r.body);
    }).catch(function () {});
  }

  function show(f) {
    current = f;
    $('detail').hidden = false;
    $('d-message').textContent = '';
    $('d-title').textContent = f.title;
    $('d-status').textContent = f.status;
    var dl = $('d-fields'); dl.textContent = '';
    field(dl, 'id', f.id);
    field(dl, 'rule', f.ruleId);
    field(dl, 'kind', f.kind);
    field(dl, 'severity', f.severity);
    field(dl, 'confidence', f.confidence);
    field(dl, 'target', f.target);
    field(dl, 'where', where(f.location) + (f.location.column ? ' column ' + f.location.column : ''));
    field(dl, 'package', f.location.package ? f.location.package + '@' + f.location.version : null);
    field(dl, 'commit', f.location.commit);
    field(dl, 'author', f.location.author);
    field(dl, 'date', f.location.date);
    field(dl, 'secret (redacted)', f.secret);
    field(dl, 'validation', f.validation ? f.validation.status : null);
    field(dl, 'first seen', f.firstSeen);
    field(dl, 'last seen', f.lastSeen);
    var context = $('d-context'); context.textContent = '';
    context.hidden = !f.context;
    if (f.context) {
      f.context.lines.forEach(function (line, i) {
        context.appendChild(i === f.context.secretLine ? el('mark', line) : document.createTextNode(line));
        context.appendChild(document.createTextNode('\n'));
      });
    }
    var details = f.details && Object.keys(f.details).length > 0;
    $('d-details-box').hidden = !details;
    $('d-details').textContent = details ? JSON.stringify(f.details, null, 2) : '';
    var history = $('d-history'); history.textContent = '';
    (f.history || []).forEach(function (h) {
      var text = h.event === 'found' ? 'found'
        : h.event === 'validation' ? 'provider says ' + h.validation
        : 'status set to ' + h.status + (h.actor ? ' by ' + h.actor : '');
      var li = el('li');
      li.appendChild(el('time', h.at));
      li.appendChild(document.createTextNode(' ' + text));
      history.appendChild(li);
    });
    document.querySelectorAll('#d-actions button').forEach(function (b) { b.disabled = b.dataset.status === f.status; });
  }

  function setStatus(status) {
    if (!current) return;
    var id = current.id;
    api('PATCH', '/api/findings/' + id, { status: status }).then(function (r) {
      if (r.status !== 204) { $('d-message').textContent = (r.body && r.body.error) || ('the service answered ' + r.status); return; }
      open(id);
      var tr = document.querySelector('#findings tr[data-id="' + id + '"]');
      if (tr) { tr.dataset.status = status; tr.querySelector('.status').textContent = status; }
    }).catch(function () {});
  }

  $('signin-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var key = $('key').value;
    $('key').value = '';
    api('POST', '/api/session', { key: key }).then(function (r) {
      if (r.status === 200 && r.body && r.body.csrf) showApp(r.body);
      else $('signin-error').textContent = (r.body && r.body.error) || ('the service answered ' + r.status);
    }).catch(function () { $('signin-error').textContent = 'the service did not answer'; });
  });
  $('signout').addEventListener('click', function () {
    api('DELETE', '/api/session').then(function () { showSignIn('Signed out.'); }).catch(function () {});
  });
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); load(false); });
  ['f-severity', 'f-status', 'f-confidence'].forEach(function (id) { $(id).addEventListener('change', function () { load(false); }); });
  $('more').addEventListener('click', function () { load(true); });
  document.querySelectorAll('#d-actions button').forEach(function (b) {
    b.addEventListener('click', function () { setStatus(b.dataset.status); });
  });
  $('d-close').addEventListener('click', function () { $('detail').hidden = true; current = null; });

  // A reloaded page keeps its session: the cookie is sent, and the CSRF token comes back with it.
  api('GET', '/api/session').then(function (r) {
    if (r.status === 200 && r.body && r.body.csrf) showApp(r.body); else showSignIn('');
  }).catch(function () { showSignIn('the service did not answer'); });
})();
