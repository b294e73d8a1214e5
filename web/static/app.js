// telemonitor: draws the pages' charts from their JSON data blocks (loading
// ECharts only when a chart scrolls into view), finds a municipality by
// name or code, and pages, searches and sorts the municipality table.
// Pages work without it: the forms are plain HTML, the table shows its
// first rows, and the printable report has the whole list.
(function () {
  'use strict';

  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim();
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function jsonOf(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
  window.tmGraficos = {};

  function mapTooltip(details, kind) {
    return function (p) {
      var d = details[p.name];
      if (!d) { return esc(p.name); }
      var s = '<strong>' + esc(d.nome) + '</strong><br>' + esc(d.macro);
      if (d.nucleo) { s += '<br>Núcleo: ' + esc(d.nucleo); }
      if (d.uso) { s += '<br>Uso: ' + esc(d.uso); }
      if (kind === 'mapa-situacao' || d.faltam) {
        s += '<br>Situação: ' + esc(d.situacao);
        if (d.faltam && d.faltam.length) { s += '<br>Falta: ' + esc(d.faltam.join(', ')); }
      }
      if (coarse) { s += '<br><em>Toque de novo para abrir a ficha</em>'; }
      return s;
    };
  }

  function drawChart(el) {
    var blob = document.getElementById(el.id + '-dados');
    if (!blob || !window.echarts || window.tmGraficos[el.id]) { return; }
    var spec = JSON.parse(blob.textContent);
    var opt = spec.opcoes;
    var kind = el.getAttribute('data-grafico');
    el.setAttribute('data-desenhado', '');
    var hint = document.getElementById(el.id + '-mostrar');
    if (hint) { hint.parentNode.removeChild(hint); }
    var chart = echarts.init(el);
    opt.textStyle = { color: '#1f2933' };
    opt.animation = false;
    if (kind.indexOf('mapa') === 0) {
      var details = spec.detalhes || {};
      var s = opt.series[0];
      s.showLegendSymbol = false;
      s.label = { show: false };
      s.itemStyle = { borderColor: '#ffffff', borderWidth: 0.4 };
      s.emphasis = { label: { show: false }, itemStyle: { areaColor: '#ffd400', borderColor: '#000', borderWidth: 1 } };
      s.select = { disabled: true };
      s.scaleLimit = { min: 1, max: 20 };
      s.layoutCenter = ['50%', '50%'];
      s.layoutSize = '98%';
      if (coarse) { s.roam = 'scale'; } // a finger dragging over the map scrolls the page
      if (spec.vista) { s.center = spec.vista.center; s.zoom = spec.vista.zoom; }
      opt.tooltip = { trigger: 'item', confine: true, formatter: mapTooltip(details, kind) };
      // On a touch screen the first tap shows what was hit (a small
      // municipality is easy to miss); a second tap on it opens its page.
      var last = null;
      chart.on('click', function (p) {
        var d = details[p.name];
        if (!d) { return; }
        if (coarse && last !== p.name) { last = p.name; return; }
        window.location.href = '/municipios/' + d.ibge;
      });
    }
    chart.setOption(opt);
    window.tmGraficos[el.id] = chart;
  }

  // loadScripts loads ECharts and the map (named by the page's
  // <meta name="tm-script"> tags) once, in order, then calls done.
  var scriptsState = 0, waiting = [];
  function loadScripts(done) {
    if (scriptsState === 2) { done(); return; }
    waiting.push(done);
    if (scriptsState === 1) { return; }
    scriptsState = 1;
    var urls = Array.prototype.map.call(document.querySelectorAll('meta[name="tm-script"]'), function (m) { return m.getAttribute('content'); });
    (function next(i) {
      if (i === urls.length) {
        scriptsState = 2;
        waiting.splice(0).forEach(function (fn) { fn(); });
        return;
      }
      var sc = document.createElement('script');
      sc.src = urls[i];
      sc.onload = function () { next(i + 1); };
      document.head.appendChild(sc);
    })(0);
  }

  function setupCharts() {
    var els = document.querySelectorAll('[data-grafico]');
    if (!els.length) { return; }
    // Printing (and the browser tests) need every chart drawn.
    window.tmDesenharTodos = function () { loadScripts(function () { each(els, drawChart); }); };
    window.addEventListener('beforeprint', window.tmDesenharTodos);
    var now = document.querySelector('meta[name="tm-script"][data-imediato]') || !('IntersectionObserver' in window);
    if (now) {
      window.tmDesenharTodos();
      return;
    }
    // On a phone a map is drawn on request: ECharts and the map cost
    // about 1 MB of mobile data and seconds of a slow processor, and the
    // search and the table answer a focal point's question first.
    var phone = window.matchMedia && window.matchMedia('(max-width: 600px)').matches;
    each(els, function (el) {
      if (!phone || el.getAttribute('data-grafico').indexOf('mapa') !== 0) { return; }
      var b = document.createElement('button');
      b.type = 'button';
      b.id = el.id + '-mostrar';
      b.className = 'botao secundario mostrar-mapa';
      b.textContent = 'Mostrar o mapa';
      b.addEventListener('click', function () {
        b.disabled = true;
        b.textContent = 'Carregando o mapa…';
        loadScripts(function () { drawChart(el); });
      });
      el.parentNode.insertBefore(b, el);
    });
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) { return; }
        io.unobserve(e.target);
        loadScripts(function () { drawChart(e.target); });
      });
    }, { rootMargin: '150px 0px' });
    each(els, function (el) {
      if (!document.getElementById(el.id + '-mostrar')) { io.observe(el); }
    });
    window.addEventListener('resize', function () {
      Object.keys(window.tmGraficos).forEach(function (k) { window.tmGraficos[k].resize(); });
    });
  }

  // "Encontre seu município": every MG municipality by name (accents,
  // case and hyphens ignored, any part of the name) or IBGE code.
  function setupFinder() {
    var input = document.getElementById('encontre');
    var data = jsonOf('encontre-dados');
    if (!input || !data) { return; }
    var list = document.getElementById('encontre-lista');
    var status = document.getElementById('encontre-status');
    data.forEach(function (m) { m.push(fold(m[1])); });
    function find(q) {
      q = fold(q);
      if (q === '') { return []; }
      var digits = /^\d+$/.test(q);
      var out = data.filter(function (m) { return digits ? m[0].indexOf(q) === 0 : m[4].indexOf(q) >= 0; });
      out.sort(function (a, b) {
        var x = a[4].indexOf(q) === 0 ? 0 : 1, y = b[4].indexOf(q) === 0 ? 0 : 1;
        return x - y || a[4].localeCompare(b[4]);
      });
      return out;
    }
    function show() {
      var found = find(input.value);
      list.innerHTML = found.slice(0, 8).map(function (m) {
        return '<li><a href="/municipios/' + esc(m[0]) + '">' + esc(m[1]) + '</a> <span class="sit c' + esc(m[2]) + '">' + esc(m[3]) + '</span></li>';
      }).join('');
      list.hidden = found.length === 0;
      if (fold(input.value) === '') { status.textContent = ''; return; }
      status.textContent = found.length === 0 ? 'Nenhum município de Minas Gerais com esse nome ou código.' :
        found.length === 1 ? '1 município encontrado.' :
        found.length + ' municípios encontrados' + (found.length > 8 ? '; os 8 primeiros abaixo. Continue digitando para refinar.' : '.');
    }
    input.addEventListener('input', show);
    input.form.addEventListener('submit', function (ev) {
      var found = find(input.value);
      var exact = found.filter(function (m) { return m[4] === fold(input.value) || m[0] === input.value.trim(); });
      if (exact.length === 1 || found.length === 1) {
        ev.preventDefault();
        window.location.href = '/municipios/' + (exact[0] || found[0])[0];
      } else if (found.length > 1) {
        ev.preventDefault();
        show();
        list.querySelector('a').focus();
      }
    });
    if (input.value) { show(); }
  }

  // The municipality table: all rows come from its JSON block, shown a
  // page at a time; the search and the column buttons work on all rows.
  function setupTable() {
    var table = document.getElementById('tabela-municipios');
    var rows = jsonOf('tabela-dados');
    if (!table || !rows) { return; }
    var body = table.tBodies[0];
    var input = document.getElementById('busca-municipio');
    var count = document.getElementById('busca-contagem');
    var more = document.getElementById('tabela-mais');
    var step = 50, limit = body.rows.length;
    rows.forEach(function (r) { r.push(fold(r[1])); });
    var shown = rows;

    function cell(tr, text) {
      var td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
      return td;
    }
    function render() {
      var frag = document.createDocumentFragment();
      shown.slice(0, limit).forEach(function (r) {
        var tr = document.createElement('tr');
        var a = document.createElement('a');
        a.href = '/municipios/' + r[0];
        a.textContent = r[1];
        cell(tr, '').appendChild(a);
        cell(tr, r[2]); cell(tr, r[3]); cell(tr, r[4]);
        var sit = document.createElement('span');
        sit.className = 'sit c' + r[6];
        sit.textContent = r[5];
        cell(tr, '').appendChild(sit);
        cell(tr, r[7]);
        frag.appendChild(tr);
      });
      body.textContent = '';
      body.appendChild(frag);
      var n = Math.min(limit, shown.length);
      var q = input ? fold(input.value) : '';
      var what = q === '' ? '' : (shown.length === 1 ? '1 município encontrado' : shown.length + ' municípios encontrados');
      if (shown.length > n) {
        count.textContent = (what ? what + '; m' : 'M') + 'ostrando ' + n + ' de ' + shown.length + '.';
      } else {
        count.textContent = what ? what + '.' : '';
      }
      more.hidden = shown.length <= n;
      more.textContent = 'Mostrar mais ' + Math.min(step, shown.length - n);
    }
    if (input) {
      input.addEventListener('input', function () {
        var q = fold(input.value);
        shown = q === '' ? rows : rows.filter(function (r) { return r[8].indexOf(q) >= 0; });
        render();
      });
    }
    more.addEventListener('click', function () {
      var first = limit;
      limit += step;
      render();
      var next = body.rows[first];
      if (next) { next.querySelector('a').focus(); }
    });
    var heads = table.tHead.rows[0].cells;
    each(table.querySelectorAll('thead button'), function (btn) {
      btn.addEventListener('click', function () {
        var col = +btn.getAttribute('data-col');
        var num = btn.hasAttribute('data-num');
        var th = btn.parentNode;
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        each(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var by = function (a, b) {
          var c = num ? a[col] - b[col] : String(a[col]).localeCompare(String(b[col]), 'pt-BR');
          return (c || a[1].localeCompare(b[1], 'pt-BR')) * dir;
        };
        rows.sort(by);
        shown.sort(by);
        render();
      });
    });
    render();
  }

  // Filters apply as soon as a select changes (the button stays for
  // keyboard and no-script use). Choosing a macro clears a micro or URS
  // outside it, so the result is never empty by accident.
  function setupFilters() {
    var form = document.querySelector('form.filtros[data-auto]');
    if (!form) { return; }
    var selects = form.querySelectorAll('select');
    each(selects, function (sel) {
      sel.addEventListener('change', function () {
        if (sel.name === 'macro' && sel.value !== '') {
          each(selects, function (s) {
            var o = s.options[s.selectedIndex];
            var macros = o && o.getAttribute('data-macros');
            if (macros && macros.split('|').indexOf(sel.value) < 0) { s.value = ''; }
          });
        }
        each(selects, function (s) { s.disabled = s.value === ''; });
        form.submit();
      });
    });
  }

  // A table box that scrolls sideways (a wide table on a narrow screen)
  // takes the keyboard focus, so it can be scrolled without a mouse.
  function setupScrollBoxes() {
    var used = {};
    each(document.querySelectorAll('.rolagem'), function (box) {
      if (box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1) { return; }
      // Named after the table's caption or the heading just before it.
      var caption = box.querySelector('caption');
      var heading = caption;
      for (var e = box.previousElementSibling; !heading && e; e = e.previousElementSibling) {
        if (/^H[1-4]$/.test(e.tagName)) { heading = e; }
      }
      var section = box.closest('section, article');
      heading = heading || (section && section.querySelector('h1, h2, h3'));
      var label = (heading ? heading.textContent.trim() + ': ' : '') + 'tabela com rolagem';
      used[label] = (used[label] || 0) + 1;
      if (used[label] > 1) { label += ' ' + used[label]; }
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', label);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupCharts();
    setupFinder();
    setupTable();
    setupFilters();
    setupScrollBoxes();
    each(document.querySelectorAll('[data-imprimir]'), function (b) {
      b.addEventListener('click', function () { window.print(); });
    });
  });
})();
