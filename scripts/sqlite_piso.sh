#!/bin/bash
# What SQLite alone (the sqlite3 shell, in C, no Go) takes to store the
# requests of an imported database again, in file order, in a copy of the
# table: the floor under `telemonitor import` for teleconsultations
# (docs/desempenho.md, issue 18). Outside CI; needs Debian's sqlite3.
#
# Usage: bash scripts/sqlite_piso.sh DB   (a database `telemonitor import` wrote)
set -euo pipefail
db=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
cp "$db" "$work/p.db"
ddl=$(sqlite3 "$work/p.db" "SELECT sql FROM sqlite_schema WHERE name = 'teleconsultations'")
idx=$(sqlite3 "$work/p.db" "SELECT sql FROM sqlite_schema WHERE name = 'teleconsultations_ibge'")
table() { # NAME [nofk]: the table's definition under another name
	local d=${ddl/CREATE TABLE \"teleconsultations\"/CREATE TABLE $1}
	d=${d/CREATE TABLE teleconsultations/CREATE TABLE $1}
	if [ "${2:-}" = nofk ]; then
		d=$(sed 's/REFERENCES [a-z_]*([a-z]*) DEFERRABLE INITIALLY DEFERRED//g' <<< "$d")
	fi
	echo "$d;"
}
index() { echo "${idx//teleconsultations/$1};"; }
sqlite3 "$work/p.db" <<SQL
CREATE TABLE t AS SELECT * FROM teleconsultations ORDER BY batch_id, row_num;
$(table a) $(index a)
$(table b)
$(table c nofk)
SQL
echo "solicitações: $(sqlite3 "$work/p.db" "SELECT COUNT(*) FROM t")"
run() { # TITLE SQL: SQL in one transaction, timed
	echo "$1"
	/usr/bin/time -f "   %e s; CPU %U + %S s" sqlite3 "$work/p.db" \
		"PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; BEGIN; $2 COMMIT;"
}
run "1. chaves estrangeiras, índice mantido linha a linha (como antes de store.BulkLoad)" \
	"INSERT OR IGNORE INTO a SELECT * FROM t;"
run "2. chaves estrangeiras, índice construído depois (como store.BulkLoad)" \
	"INSERT OR IGNORE INTO b SELECT * FROM t; $(index b)"
run "3. só a árvore da chave primária: sem chaves estrangeiras, sem índice" \
	"INSERT INTO c SELECT * FROM t;"
