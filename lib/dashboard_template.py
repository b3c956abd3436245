# ruff: noqa: E501  (markup and CSS read better unwrapped than split at 110 columns)
"""The dashboard's jinja2 template, style sheet and one optional script, kept as Python constants so
they ship inside the package with no package-data entry."""

from __future__ import annotations

STYLE = """\
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff;margin:0 auto;\
max-width:1080px;padding:16px 24px}
h1{font-size:24px;margin:8px 0 2px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;\
padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.sub,.note,figcaption{color:#57606a}.note{font-size:13px}
.grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:8px 0;flex:1 1 520px}svg{max-width:100%;height:auto}
svg text{font-size:12px;fill:#1f2328}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid \
#eaeef2;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#f6f8fa;position:sticky;top:0}th[aria-sort]{cursor:pointer}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
.headline td.n{font-size:18px;font-weight:600}.passed{color:#1a7f37}.failed{color:#cf222e}.error{color:#9a6700}
.est{background:#fff8c5}.warn{background:#fff1e5;padding:6px 10px;border-left:3px solid #bc4c00}
code,#runs td:last-child{font:12px ui-monospace,monospace}.nums td+td,#runs td:nth-child(n+4):nth-child(-n+6),#runs td:nth-child(8){text-align:right;font-variant-numeric:tabular-nums}
@media print{thead th{position:static}}"""

SCRIPT = """\
(function () {
  function key(cell) {
    var text = cell.textContent.trim();
    return /^-?[0-9.]+%?$/.test(text) ? parseFloat(text) : text.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var body = table.tBodies[0], column = th.cellIndex;
        var up = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        heads.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  });
})();"""

TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ policy }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ title|show }}</title>
<style>{{ style|safe }}</style>
</head>
<body>
{% macro svg(c) %}
<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{{ c.width }}" height="{{ c.height }}" \
viewBox="0 0 {{ c.width }} {{ c.height }}" aria-label="{{ c.title|show }}" font-family="sans-serif" font-size="12">
<title>{{ c.title|show }}</title>
{% for k in c.marks %}<{{ k.tag }}{% for n, v in k.attrs %} {{ n }}="{{ v }}"{% endfor %} \
aria-label="{{ k.label|show }}"><title>{{ k.label|show }}</title>{% for tag, attrs in k.shapes %}<{{ tag }}\
{% for n, v in attrs %} {{ n }}="{{ v }}"{% endfor %}/>{% endfor %}</{{ k.tag }}>
{% endfor %}
{% for t in c.texts %}<text x="{{ t.x }}" y="{{ t.y }}"{% if t.anchor != "start" %} \
text-anchor="{{ t.anchor }}"{% endif %}>{{ t.text|show }}</text>
{% endfor %}
</svg>
{% endmacro %}
{% macro figure(name, caption) %}
<figure>{{ svg(charts[name]) }}<figcaption>{{ caption }}</figcaption></figure>
{% endmacro %}
{% set h = m.headline %}{% set ts = m.time_saved %}{% set p = m.problems %}
<header>
<h1>{{ title|show }}</h1>
{% if h.runs %}
<p class="sub">{{ h.runs }} runs from {{ h.first[:10] }} to {{ h.last[:10] }} (UTC)\
{% if generated %}; generated {{ generated|show }}{% endif %}.</p>
{% endif %}
</header>
<main>
{% if not h.runs %}
<section id="no-data">
<h2>No data yet</h2>
<p>No usable records were found. Every hookwright run writes one under
<code>.git/hookwright/records/</code>: run <code>hookwright verify</code> (or commit with the hook installed),
then build this report again with <code>hookwright dashboard</code>.</p>
</section>
{% else %}
<section id="summary">
<h2>Summary</h2>
<table class="headline">
<tbody>
<tr><th scope="row">Runs</th><td class="n" data-m="runs">{{ h.runs }}</td><td></td></tr>
<tr><th scope="row">Success rate</th><td class="n" data-m="success">{{ h.success|pct }}</td>
<td>95% interval <span data-m="success_ci">{{ h.success|interval }}</span></td></tr>
<tr><th scope="row">Duration p50 / p95 (s)</th><td class="n"><span data-m="p50">{{ h.p50_s|seconds }}</span> /
<span data-m="p95">{{ h.p95_s|seconds }}</span></td><td>wall time of a run</td></tr>
<tr><th scope="row">Cache hit rate</th><td class="n" data-m="cache_hits">{{ h.cache_hits|pct }}</td>
<td>{{ h.cache_hits.successes }} of {{ h.cache_hits.total }} check results; 95% interval {{ h.cache_hits|interval }}</td></tr>
<tr><th scope="row">Time saved by parallelism</th><td class="n" data-m="parallel_s">{{ ts.parallel_s|seconds }}</td>
<td>seconds, measured ({{ ts.parallel_s|hours }} h)</td></tr>
<tr><th scope="row">Time saved by the cache</th><td class="n" data-m="cache_s">{{ ts.cache_s|seconds }}</td>
<td>seconds, measured ({{ ts.cache_s|hours }} h)</td></tr>
<tr class="est"><th scope="row">Time saved by self_heal</th><td class="n" data-m="estimate_s">\
{{ ts.self_heal_estimate_s|seconds }}</td><td>seconds, an ESTIMATE ({{ ts.fixes }} fixes, see below)</td></tr>
<tr><th scope="row">Records not counted</th><td class="n" data-m="excluded">{{ h.excluded }}</td>
<td><a href="#problems">why</a></td></tr>
</tbody>
</table>
<div class="grid">{{ figure("outcomes", "Every run, by outcome.") }}{{ figure("success_line",
"Share of runs that passed, per day; hover a point for its 95% interval.") }}</div>
</section>

<section id="time-saved">
<h2>Time saved</h2>
<p class="note">Three different things, never added up: <b>parallelism</b> is the sum of the checks' own
durations minus the run's wall time (measured); <b>cache</b> is how long the runs that cached results replay took
(measured); <b>self_heal</b> is fixes applied times minutes per fix by hand (an <b>estimate</b>, set with
<code>--fix-minutes</code>).</p>
<div class="grid">{{ figure("saved_patterns", "Time saved by pattern, each part apart.") }}\
{{ figure("saved_days", "Time saved per day, each part apart.") }}</div>
<table class="sortable">
<caption>Time saved by pattern (seconds)</caption>
<thead><tr><th>Pattern</th><th class="n">Parallelism (measured)</th><th class="n">Cache (measured)</th>
<th class="n">self_heal (ESTIMATE)</th></tr></thead>
<tbody>
{% for r in m.patterns %}<tr><td>{{ r.pattern }}</td><td class="n" data-m="{{ r.pattern }}:parallel_s">\
{{ r.parallel_s|seconds }}</td><td class="n" data-m="{{ r.pattern }}:cache_s">{{ r.cache_s|seconds }}</td>\
<td class="n est">{{ r.estimate_s|seconds }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="patterns">
<h2>Top patterns</h2>
<div class="grid">{{ figure("top_runs", "By runs.") }}{{ figure("top_failures", "By failed runs.") }}</div>
<table class="sortable">
<caption>Patterns</caption>
<thead><tr><th>Pattern</th><th class="n">Runs</th><th class="n">Passed</th><th class="n">Failed</th>
<th class="n">Error</th><th class="n">Success</th><th>95% interval</th><th class="n">p50 s</th><th class="n">p95 s</th>
<th class="n">Findings</th></tr></thead>
<tbody>
{% for r in m.patterns %}<tr><td>{{ r.pattern }}</td><td class="n" data-m="{{ r.pattern }}:runs">{{ r.runs }}</td>\
<td class="n">{{ r.passed }}</td><td class="n" data-m="{{ r.pattern }}:failed">{{ r.failed }}</td>\
<td class="n">{{ r.error }}</td><td class="n" data-m="{{ r.pattern }}:success">{{ r.success|pct }}</td>\
<td data-m="{{ r.pattern }}:ci">{{ r.success|interval }}</td><td class="n" data-m="{{ r.pattern }}:p50">\
{{ r.p50_s|seconds }}</td><td class="n" data-m="{{ r.pattern }}:p95">{{ r.p95_s|seconds }}</td>\
<td class="n">{{ r.findings }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="checks">
<h2>Checks</h2>
<div class="grid">{{ figure("check_success", "Success rate per check with its 95% interval (skips not counted).") }}\
{{ figure("slowest", "Slowest checks by p95 of the runs that were not cached.") }}\
{{ figure("failing_checks", "Checks that failed or errored most.") }}</div>
<table class="sortable">
<caption>Every check (durations: runs not served from the cache)</caption>
<thead><tr><th>Check</th><th class="n">Runs</th><th class="n">Failures</th><th class="n">Skipped</th>
<th class="n">Cached</th><th class="n">Success</th><th>95% interval</th><th class="n">p50 s</th><th class="n">p95 s</th>
<th class="n">Cache saved s</th><th class="n">Findings</th></tr></thead>
<tbody>
{% for r in m.checks %}{% set k = r.pattern ~ ":" ~ r.check %}<tr><td>{{ label(r)|show(60) }}</td>\
<td class="n" data-m="check:{{ k }}:runs">{{ r.runs }}</td><td class="n" data-m="check:{{ k }}:failures">\
{{ r.failures }}</td><td class="n">{{ r.skipped }}</td><td class="n">{{ r.cached }}</td>\
<td class="n" data-m="check:{{ k }}:success">{{ r.success|pct }}</td><td>{{ r.success|interval }}</td>\
<td class="n">{{ r.p50_s|seconds }}</td><td class="n" data-m="check:{{ k }}:p95">{{ r.p95_s|seconds }}</td>\
<td class="n">{{ r.cache_s|seconds }}</td><td class="n">{{ r.findings }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="findings">
<h2>Findings</h2>
{{ figure("codes", "The ten most frequent finding codes.") }}
<table class="sortable">
<caption>Findings by code</caption>
<thead><tr><th>Code</th><th class="n">Count</th></tr></thead>
<tbody>
{% for r in m.codes[:50] %}<tr><td><code>{{ r.code|show(60) }}</code></td>\
<td class="n" data-m="code:{{ r.code|show(60) }}">{{ r.count }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if m.codes|length > 50 %}<p class="note">{{ m.codes|length - 50 }} rarer codes not listed.</p>{% endif %}
<table class="sortable">
<caption>Most frequent findings</caption>
<thead><tr><th class="n">Count</th><th>Check</th><th>Code</th><th>Message</th></tr></thead>
<tbody>
{% for r in m.findings %}<tr><td class="n">{{ r.count }}</td><td>{{ r.step|show(60) }}</td>\
<td><code>{{ r.code|show(60) }}</code></td><td>{{ r.message|show }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="self-heal">
<h2>self_heal fixes by family</h2>
{{ figure("fixes", "Fixes applied and kept, by family.") }}
<table>
<caption>Fixes and the time they are ESTIMATED to save</caption>
<thead><tr><th>Family</th><th class="n">Fixes</th><th class="n">Minutes each (set)</th>
<th class="n">Estimate s</th></tr></thead>
<tbody>
{% for r in m.fixes %}<tr><td>{{ r.family }}</td><td class="n" data-m="fixes:{{ r.family }}">{{ r.fixes }}</td>\
<td class="n">{{ r.minutes_each }}</td><td class="n est">{{ r.estimate_s|seconds }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="trends">
<h2>Trends per day</h2>
{{ figure("runs_days", "Runs per day.") }}
{% if days_hidden %}<p class="note">The latest {{ days|length }} days with runs are shown; {{ days_hidden }}
earlier days are in the totals (<code>--full</code> shows every day).</p>{% endif %}
<table class="sortable nums">
<caption>Per day (UTC)</caption>
<thead><tr><th>Day</th><th class="n">Runs</th><th class="n">Not passed</th><th class="n">Success</th>
<th class="n">Parallelism s</th><th class="n">Cache s</th><th class="n">Fixes</th></tr></thead>
<tbody>
{% for d in days|reverse %}<tr><td>{{ d.date }}</td><td data-m="day:{{ d.date }}:runs">{{ d.runs }}</td><td>{{ d.failures }}</td><td>{{ d.success|pct }}</td><td>{{ d.parallel_s|seconds }}</td><td>{{ d.cache_s|seconds }}</td><td>{{ d.fixes }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="runs">
<h2>{% if m.runs|length < h.runs %}Latest {{ m.runs|length }} of {{ h.runs }} runs{% else %}All {{ h.runs }} runs{% endif %}</h2>
<table class="sortable">
<thead><tr><th>Started (UTC)</th><th>Pattern</th><th>Outcome</th><th>Seconds</th><th>Steps</th><th>Cached</th><th>Failed steps</th><th>Findings</th><th>Schema</th><th>Record</th></tr></thead>
<tbody>
{% for r in m.runs %}<tr><td>{{ r.started_at }}</td><td>{{ r.pattern }}</td><td class="{{ r.outcome }}">{{ r.outcome }}</td><td>{{ r.duration_s|seconds }}</td><td>{{ r.steps }}</td><td>{{ r.cached }}</td><td>{{ r.failed_steps|join(", ")|show(80) }}</td><td>{{ r.findings }}</td><td>{% if r.schema != "ok" %}{{ r.schema|show(80) }}{% endif %}</td><td>{{ r.record_id|show(60) }}</td></tr>
{% endfor %}
</tbody>
</table>
<p class="note">Schema: empty when the record matches its full schema. <code>hookwright records show RECORD</code> prints one.</p>
</section>
{% endif %}

<section id="problems">
<h2>Records not counted</h2>
<p><span data-m="truncated">{{ p.truncated }}</span> truncated, <span data-m="invalid">{{ p.invalid }}</span>
invalid, <span data-m="newer">{{ p.newer }}</span> written by a newer hookwright. Every record is checked on the
fields these figures use; {{ p.validated }} were also checked against their full schema
(<code>--validate all</code> checks every one){% if p.schema_warnings %}, and
<span data-m="schema_warnings">{{ p.schema_warnings }}</span> break it in fields not used here (still counted)\
{% endif %}.</p>
{% if p.list or p.warnings_list %}
<table>
<thead><tr><th>Record file</th><th>Problem</th><th>Detail</th></tr></thead>
<tbody>
{% for r in (p.list + p.warnings_list)[:100] %}<tr><td><code>{{ r.name|show(80) }}</code></td><td>{{ r.kind }}</td>\
<td>{{ r.message|show }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</section>
</main>
<footer><p class="note">hookwright dashboard: one file, no network. Sorting tables needs JavaScript; nothing
else does.</p></footer>
<script>{{ script|safe }}</script>
</body>
</html>
"""
