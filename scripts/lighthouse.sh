#!/usr/bin/env bash
# Lighthouse (mobile preset) and axe-core on the demo server, with Debian's
# Chromium. Installs lighthouse, axe-core and puppeteer-core from npm into
# a temporary folder outside the repository (nothing is added to the
# project), builds telemonitor, serves the demo data on a free port and
# prints a table of scores. Results and reports go to $OUT (default
# tmp/lighthouse). Not run in CI: CI runs axe through the Go browser tests
# (internal/server/axe_test.go).
#
#   bash scripts/lighthouse.sh [URL-PATH ...]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
OUT=${OUT:-tmp/lighthouse}
TOOLS=${TOOLS:-${TMPDIR:-/tmp}/telemonitor-lighthouse}
PORT=${PORT:-18181}
PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || PAGES=(/ /municipios/3131703 /abrangencia /ajuda /profissional /relatorios/imprimir?urs=Itabira)
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"

mkdir -p "$OUT" "$TOOLS"
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  (cd "$TOOLS" && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12 axe-core@4.14 puppeteer-core@24 >/dev/null)
fi
go build -o "$TOOLS/telemonitor" ./cmd/telemonitor
rm -f "$TOOLS"/demo.db*
TELEMONITOR_DEMO_DB="$TOOLS/demo.db" "$TOOLS/telemonitor" serve --demo --addr "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done

printf '| página | desempenho | acessibilidade | boas práticas | SEO | TBT | CLS | LCP | elementos no DOM |\n|---|---|---|---|---|---|---|---|---|\n'
for p in "${PAGES[@]}"; do
  name=$(echo "$p" | tr '/?=&' '____' | sed 's/^_*//'); name=${name:-inicio}
  CHROME_PATH="$CHROMIUM" "$TOOLS/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$p" --quiet \
    --only-categories=performance,accessibility,best-practices,seo --chrome-flags="$FLAGS" \
    --output=json --output=html --output-path="$OUT/$name" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = k => Math.round(r.categories[k].score * 100);
    const a = k => r.audits[k].displayValue || "";
    console.log(`| \`${process.argv[2]}\` | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} | ${s("seo")} | ${a("total-blocking-time")} | ${a("cumulative-layout-shift")} | ${a("largest-contentful-paint")} | ${r.audits["dom-size"].numericValue} |`);
  ' "$(pwd)/$OUT/$name.report.json" "$p"
done

# axe-core, WCAG 2.2 A/AA and best practices, at 390 and 1366 px.
cat >"$TOOLS/axe-run.js" <<'JS'
const puppeteer = require('puppeteer-core');
const fs = require('fs');
const [chromium, base, flags, ...pages] = process.argv.slice(2);
(async () => {
  const browser = await puppeteer.launch({ executablePath: chromium, args: flags.split(' ') });
  const page = await browser.newPage();
  const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  let total = 0;
  console.log('\n| página | largura | violações do axe |\n|---|---|---|');
  for (const width of [390, 1366]) {
    await page.setViewport({ width, height: width < 500 ? 844 : 900, isMobile: width < 500 });
    for (const p of pages) {
      await page.goto(base + p, { waitUntil: 'networkidle0' });
      await page.evaluate(() => window.tmDesenharTodos && window.tmDesenharTodos());
      await page.evaluate(axe);
      const v = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }).then(r => r.violations.map(x => x.id)));
      total += v.length;
      console.log(`| \`${p}\` | ${width} | ${v.length}${v.length ? ' (' + v.join(', ') + ')' : ''} |`);
    }
  }
  console.log(`\naxe-core ${require('axe-core/package.json').version}: ${total} violações no total`);
  await browser.close();
})();
JS
(cd "$TOOLS" && node axe-run.js "$CHROMIUM" "http://127.0.0.1:$PORT" "$FLAGS" "${PAGES[@]}")
echo
echo "Lighthouse $("$TOOLS/node_modules/.bin/lighthouse" --version), $("$CHROMIUM" --version 2>/dev/null | head -1); relatórios em $OUT/"
