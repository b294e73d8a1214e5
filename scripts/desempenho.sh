#!/usr/bin/env bash
# Reproduces the load figures of docs/desempenho.md on this machine:
# telemonitor (serve --demo) and nginx serving saved copies of the same
# responses, each under `wrk -t2 -c64 -d30s`, in one run, plus the
# server's peak RSS during its load. Needs wrk and nginx (Debian:
# apt-get install -y wrk nginx-light hyperfine). Not part of CI.
# Usage: scripts/desempenho.sh [duration, default 30s]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-30s}
WORK=$(mktemp -d /tmp/telemonitor-carga.XXXXXX)
TM_PORT=18089
NG_PORT=18090
trap 'kill $TM_PID 2>/dev/null || true; nginx -s stop -c "$WORK/nginx.conf" 2>/dev/null || true; rm -rf "$WORK"' EXIT

go build -o "$WORK/telemonitor" ./cmd/telemonitor
TELEMONITOR_DEMO_DB="$WORK/demo.db" "$WORK/telemonitor" serve --demo --addr 127.0.0.1:$TM_PORT > "$WORK/serve.log" 2>&1 &
TM_PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$TM_PORT/healthz > /dev/null && break; sleep 0.2; done

# The three URLs, and saved copies of their bodies for nginx.
PATHS=("/" "/api/v1/municipios" "/municipios/3131703")
mkdir -p "$WORK/www/api/v1" "$WORK/www/municipios"
curl -sf http://127.0.0.1:$TM_PORT/ -o "$WORK/www/index.html"
curl -sf http://127.0.0.1:$TM_PORT/api/v1/municipios -o "$WORK/www/api/v1/municipios"
curl -sf http://127.0.0.1:$TM_PORT/municipios/3131703 -o "$WORK/www/municipios/3131703"
# nginx serves the same bytes precompressed (gzip_static), as browsers ask.
find "$WORK/www" -type f -exec gzip -9 -k {} \;
chmod -R a+rX "$WORK" # nginx's workers run as another user
cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;        # as in Debian's default nginx.conf
  tcp_nopush on;
  default_type text/html;
  gzip_static on;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NG_PORT;
    root $WORK/www;
    location = /api/v1/municipios { default_type application/json; }
  }
}
CONF
nginx -c "$WORK/nginx.conf"

# Peak RSS of the server while wrk runs against it.
peak_rss() {
  local peak=0 rss
  while [ -e "$WORK/measuring" ]; do
    rss=$(awk '/VmRSS/ {print $2}' /proc/"$TM_PID"/status)
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.2
  done
  echo "$peak"
}

echo "| URL | Accept-Encoding | servidor | req/s | p50 | p99 | erros |"
echo "|---|---|---|---|---|---|---|"
for enc in identity gzip; do
for p in "${PATHS[@]}"; do
  for target in telemonitor nginx; do
    port=$TM_PORT; [ $target = nginx ] && port=$NG_PORT
    touch "$WORK/measuring"
    peak_rss > "$WORK/rss-$target" &
    RSS_PID=$!
    out=$(wrk -t2 -c64 -d"$DUR" --latency -H "Accept-Encoding: $enc" "http://127.0.0.1:$port$p")
    rm -f "$WORK/measuring"; wait $RSS_PID
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    echo "| \`$p\` | $enc | $target | $rps | $p50 | $p99 | ${errs:-0} |"
    [ $target = telemonitor ] && echo "$p $enc $(cat "$WORK/rss-$target")" >> "$WORK/rss.txt"
  done
done
done
echo
echo "RSS máximo do telemonitor durante cada carga (KB):"
cat "$WORK/rss.txt"

# Readers during a 100k-row import: wrk on / while `telemonitor import`
# (another process, same database) commits the scale-20 Moodle file.
"$WORK/telemonitor" demo --scale 20 --out "$WORK/escala" > /dev/null
# The scale's coverage list replaces the demo's: confirmed, as the guard asks.
"$WORK/telemonitor" import --db "$WORK/demo.db" --confirmar-remocao "$WORK/escala/1_abrangencia.xlsx" "$WORK/escala/2_formalizacao.xlsx" \
  "$WORK/escala/3_ponto_focal.xlsx" "$WORK/escala/4_cadastro_consolidado.xlsx" > /dev/null
wrk -t2 -c64 -d20s --latency "http://127.0.0.1:$TM_PORT/" > "$WORK/wrk-import.txt" &
WRK_PID=$!
sleep 5
/usr/bin/time -f "%e s, RSS máximo %M KB" -o "$WORK/import-time.txt" \
  "$WORK/telemonitor" import --db "$WORK/demo.db" "$WORK/escala/"completion-*.csv > "$WORK/import-out.txt"
head -2 "$WORK/import-out.txt"
wait $WRK_PID
echo
echo "Durante a importação de 100 mil linhas do Moodle pela linha de comando ($(cat "$WORK/import-time.txt")), wrk em /:"
grep -E "Requests/sec|99%|50%|Non-2xx|Socket errors|requests in" "$WORK/wrk-import.txt"

# Command-line imports timed alone (hyperfine, 5 runs each, every run from
# a copy of the same database) and their peak RSS.
E="$WORK/escala"
"$WORK/telemonitor" import --db "$WORK/base3.db" "$E/1_abrangencia.xlsx" "$E/2_formalizacao.xlsx" "$E/3_ponto_focal.xlsx" > /dev/null
cp "$WORK/base3.db" "$WORK/base4.db"
"$WORK/telemonitor" import --db "$WORK/base4.db" "$E/4_cadastro_consolidado.xlsx" > /dev/null
echo
for pair in "base3.db:4_cadastro_consolidado.xlsx" "base4.db:$(basename "$E"/completion-*.csv)"; do
  base=${pair%%:*}; file=${pair#*:}
  prep="cp $WORK/$base $WORK/t.db && rm -f $WORK/t.db-wal $WORK/t.db-shm"
  hyperfine -r 5 --prepare "$prep" --export-markdown "$WORK/h.md" \
    "$WORK/telemonitor import --db $WORK/t.db $E/$file" > /dev/null
  sh -c "$prep"
  /usr/bin/time -f "%M" -o "$WORK/rss-import.txt" "$WORK/telemonitor" import --db "$WORK/t.db" "$E/$file" > /dev/null
  echo "Importação de $file pela linha de comando: $(tail -1 "$WORK/h.md" | cut -d'|' -f3) (hyperfine, 5 execuções), RSS máximo $(cat "$WORK/rss-import.txt") KB"
done
