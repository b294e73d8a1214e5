#!/usr/bin/env bash
# Times the whole job both ways, in turns (hyperfine): telemonitor importing
# every file of a folder into a new database and printing `status`, as
# processes, against scripts/anchor_pandas.py reading the same files; first
# it checks that both print the identical status CSV. Outside CI; needs
# hyperfine and Debian's python3-pandas and python3-openpyxl.
#
#   bash scripts/anchor_compare.sh [PASTA] [EXECUÇÕES]
#
# PASTA defaults to data/samples; a `telemonitor demo --scale K --out PASTA`
# folder works too. Numbers and machine go in docs/desempenho.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-data/samples}")
runs=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go build -o "$work/telemonitor" ./cmd/telemonitor
# Every input file, without the expected results and the README.
find "$dir" -path '*/expected' -prune -o -type f \( -name '*.xlsx' -o -name '*.csv' \) -print | sort > "$work/files"
echo "$(wc -l < "$work/files") arquivos em $dir"

cat > "$work/go.sh" <<EOF
rm -f "$work/t.db" "$work/t.db-wal" "$work/t.db-shm"
xargs -d '\n' "$work/telemonitor" import --db "$work/t.db" < "$work/files" > /dev/null
"$work/telemonitor" status --db "$work/t.db" > "$work/go.csv"
EOF
cat > "$work/pandas.sh" <<EOF
/usr/bin/python3 "$PWD/scripts/anchor_pandas.py" "$dir" > "$work/pandas.csv"
EOF

bash "$work/go.sh"
bash "$work/pandas.sh"
if ! cmp "$work/go.csv" "$work/pandas.csv"; then
	diff "$work/go.csv" "$work/pandas.csv" | head -20
	exit 1
fi
echo "status idêntico: $(($(wc -l < "$work/go.csv") - 1)) municípios"

hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/hyperfine.md" \
	-n telemonitor "bash $work/go.sh" -n pandas "bash $work/pandas.sh"
cat "$work/hyperfine.md"
