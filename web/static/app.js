// telemonitor: draws the pages' charts from their JSON data blocks, and
// makes the municipality table searchable and sortable. Pages work
// without it (the table and the forms are plain HTML).
(function () {
  'use strict';

  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  window.tmGraficos = {};

  function mapTooltip(details, kind) {
    return function (p) {
      var d = details[p.name];
      if (!d) { return esc(p.name); }
      var s = '<strong>' + esc(d.nome) + '</strong><br>' + esc(d.macro);
      if (d.nucleo) { s += '<br>Núcleo: ' + esc(d.nucleo); }
      if (kind === 'mapa-situacao' || d.faltam) {
        s += '<br>Situação: ' + esc(d.situacao);
        if (d.faltam && d.faltam.length) { s += '<br>Falta: ' + esc(d.faltam.join(', ')); }
      }
      return s;
    };
  }

  function drawChart(el) {
    var blob = document.getElementById(el.id + '-dados');
    if (!blob || !window.echarts) { return; }
    var spec = JSON.parse(blob.textContent);
    var opt = spec.opcoes;
    var kind = el.getAttribute('data-grafico');
    el.style.height = el.getAttribute('data-altura');
    if (kind.indexOf('mapa') === 0) {
      // The state is wider than tall: no need for 560px on a phone.
      el.style.height = Math.min(parseInt(el.getAttribute('data-altura'), 10), Math.round(el.clientWidth * 0.95)) + 'px';
    }
    var chart = echarts.init(el);
    opt.textStyle = { color: '#1f2933' };
    opt.animation = false;
    if (kind === 'barras') {
      // First category on top, as in a table.
      (Array.isArray(opt.yAxis) ? opt.yAxis : [opt.yAxis]).forEach(function (a) { a.inverse = true; });
      opt.series.forEach(function (s) { s.barMaxWidth = 28; });
      if (el.clientWidth < 600 && opt.series.length > 2) {
        // The legend wraps on a phone: leave it room under the bars.
        (Array.isArray(opt.grid) ? opt.grid : [opt.grid]).forEach(function (g) { g.bottom = 120; });
        el.style.height = (parseInt(el.style.height, 10) + 60) + 'px';
      }
    }
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
      if (spec.vista) { s.center = spec.vista.center; s.zoom = spec.vista.zoom; }
      opt.tooltip = { trigger: 'item', confine: true, formatter: mapTooltip(details, kind) };
      chart.on('click', function (p) {
        var d = details[p.name];
        if (d) { window.location.href = '/municipios/' + d.ibge; }
      });
    }
    chart.setOption(opt);
    window.tmGraficos[el.id] = chart;
  }

  function setupTable() {
    var table = document.getElementById('tabela-municipios');
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r) { r.setAttribute('data-busca', fold(r.cells[0].textContent)); });
    var input = document.getElementById('busca-municipio');
    var count = document.getElementById('busca-contagem');
    if (input) {
      input.addEventListener('input', function () {
        var q = fold(input.value), shown = 0;
        rows.forEach(function (r) {
          var ok = q === '' || r.getAttribute('data-busca').indexOf(q) >= 0;
          r.hidden = !ok;
          if (ok) { shown++; }
        });
        count.textContent = q === '' ? '' : shown + (shown === 1 ? ' município encontrado' : ' municípios encontrados');
      });
    }
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(table.querySelectorAll('thead button'), function (btn) {
      btn.addEventListener('click', function () {
        var col = +btn.getAttribute('data-col');
        var num = btn.hasAttribute('data-num');
        var th = btn.parentNode;
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col], c;
          if (num) { c = (+x.getAttribute('data-valor')) - (+y.getAttribute('data-valor')); } else { c = x.textContent.localeCompare(y.textContent, 'pt-BR'); }
          if (c === 0) { c = a.cells[0].textContent.localeCompare(b.cells[0].textContent, 'pt-BR'); }
          return c * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  // Filters apply as soon as a select changes (the button stays for
  // keyboard and no-script use).
  function setupFilters() {
    var form = document.querySelector('form.filtros[data-auto]');
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll('select'), function (sel) {
      sel.addEventListener('change', function () {
        Array.prototype.forEach.call(form.querySelectorAll('select'), function (s) { s.disabled = s.value === ''; });
        form.submit();
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-grafico]'), drawChart);
    window.addEventListener('resize', function () {
      Object.keys(window.tmGraficos).forEach(function (k) { window.tmGraficos[k].resize(); });
    });
    setupTable();
    setupFilters();
    Array.prototype.forEach.call(document.querySelectorAll('[data-imprimir]'), function (b) {
      b.addEventListener('click', function () { window.print(); });
    });
  });
})();
