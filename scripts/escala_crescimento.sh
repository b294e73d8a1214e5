#!/usr/bin/env bash
# Growth from one scale to another: for each scale K, `telemonitor import`
# of the whole `demo --scale K` folder into a new database and then
# `status`, as processes, RUNS times; prints the median wall-clock and CPU
# (user + system) of import + status, the peak RSS of each, and each scale's
# ratio to the first one divided by the ratio of the data (1 = linear).
# Outside CI; numbers go in docs/desempenho.md.
#
#   bash scripts/escala_crescimento.sh [EXECUÇÕES] [ESCALA ...]   (padrão: 3 5 20 50 100)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
scales=("${@:-5 20 50 100}")
read -r -a scales <<< "${scales[*]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go build -o "$work/telemonitor" ./cmd/telemonitor

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
printf '%-7s %10s %10s %12s %12s %14s %14s\n' escala "tempo (s)" "CPU (s)" "RSS imp (MB)" "RSS stat (MB)" "tempo/linear" "CPU/linear"
base_wall="" base_cpu="" base_k=""
for k in "${scales[@]}"; do
	dir="$work/escala$k"
	"$work/telemonitor" demo --scale "$k" --out "$dir" > /dev/null
	: > "$work/wall" && : > "$work/cpu" && : > "$work/rssi" && : > "$work/rsss"
	for _ in $(seq "$runs"); do
		rm -f "$work"/t.db*
		/usr/bin/time -f '%e %U %S %M' -o "$work/ti" "$work/telemonitor" import --db "$work/t.db" "$dir" > /dev/null || true
		/usr/bin/time -f '%e %U %S %M' -o "$work/ts" "$work/telemonitor" status --db "$work/t.db" > /dev/null
		read -r we ue se mi < <(tail -1 "$work/ti")
		read -r ws us ss ms < <(tail -1 "$work/ts")
		echo "$we + $ws" | bc -l >> "$work/wall"
		echo "$ue + $se + $us + $ss" | bc -l >> "$work/cpu"
		echo $((mi / 1024)) >> "$work/rssi"
		echo $((ms / 1024)) >> "$work/rsss"
	done
	wall=$(median < "$work/wall") cpu=$(median < "$work/cpu")
	if [ -z "$base_k" ]; then base_wall=$wall base_cpu=$cpu base_k=$k; fi
	lw=$(echo "($wall / $base_wall) / ($k / $base_k)" | bc -l)
	lc=$(echo "($cpu / $base_cpu) / ($k / $base_k)" | bc -l)
	printf '%-7s %10.2f %10.2f %12s %12s %14.2f %14.2f\n' "$k" "$wall" "$cpu" "$(median < "$work/rssi")" \
		"$(median < "$work/rsss")" "$lw" "$lc"
	rm -rf "$dir"
done
