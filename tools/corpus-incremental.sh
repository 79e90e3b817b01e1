#!/bin/sh
# corpus-incremental.sh CORPUS_DIR [FILTER] - the model database's
# incremental path against the full one over the shared pg-schema-diff
# corpus (issue 12).  For each case, both ways (old -> new, new -> old):
# the models dumped from the first database are materialised (a full
# build, kept as the model database), the models are replaced by those
# dumped from the second, and `schemagen diff` brings the model database
# to them incrementally; then `schemagen diff --no-cache` materialises them
# from scratch.  The two runs' model cache files (the key, then the
# serialised catalog read back) must be the same, oids aside
# (build/tools/sg-cache-cmp).
#
# Each direction is one of: same (incremental, identical catalogs),
# rebuilt (the incremental path declined and rebuilt: -v's reason is
# logged; correct by construction), DIFFERS (a failure: the catalogs
# differ), skip (the SQL does not load, or the models do not dump or
# materialise).  Exit 1 when any differs.  Logs: $SG_CORPUS_OUT (default
# build/corpus-incremental/), one file per case, and summary.txt.  Needs a
# server (runs itself under tools/with-postgres.sh when PGHOST is unset);
# the model databases go to SCHEMAGEN_DEV_URL (with-postgres sets it).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
	echo "usage: tools/corpus-incremental.sh CORPUS_DIR [FILTER]" >&2
	exit 2
fi
corpus=$1
filter=${2:-}
if [ ! -d "$corpus" ]; then
	echo "corpus: $corpus not found; skipped"
	exit 0
fi
if [ -z "${PGHOST:-}" ]; then
	exec "$root/tools/with-postgres.sh" "$0" "$@"
fi
: "${SCHEMAGEN_DEV_URL:?needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh sets it)}"
corpus=$(cd "$corpus" && pwd)
SG=${SCHEMAGEN:-$root/build/schemagen}
CMP=${SG_CACHE_CMP:-$root/build/tools/sg-cache-cmp}
out=${SG_CORPUS_OUT:-$root/build/corpus-incremental}
rm -rf "$out"
mkdir -p "$out"
unset DATABASE_URL
conn() { echo "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$1"; }
load() { # db file
	dropdb --if-exists -f "$1" >/dev/null 2>&1
	createdb "$1" && psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null 2>&1
}
roles() {
	sed -n '/"roles": \[/,/\]/p' "$1" | sed -n 's/^ *"\(.*\)",\{0,1\}$/\1/p' |
		sed 's/\\"/"/g; s/\\\\/\\/g'
}
dropdb --if-exists -f sgi_empty >/dev/null 2>&1
createdb sgi_empty
target=$(conn sgi_empty)

# one direction: models of $1 materialised, then those of $2 brought in
direction() { # from_db to_db
	proj=$(mktemp -d)
	(
		cd "$proj" || exit 1
		export SCHEMAGEN_HOME="$proj/home"
		mkdir -m 700 home
		printf 'schema_dir: schema\nmigrations_dir: migrations\n' >schemagen.yaml
		mkdir schema migrations
		"$SG" dump --url "$(conn "$1")" -o schema >>"$log" 2>&1 || { echo "skip dump"; exit 0; }
		echo "== full build of $1's models" >>"$log"
		"$SG" diff --url "$target" >/dev/null 2>>"$log" || { echo "skip materialise"; exit 0; }
		rm -rf schema && mkdir schema
		"$SG" dump --url "$(conn "$2")" -o schema >>"$log" 2>&1 || { echo "skip dump"; exit 0; }
		echo "== incremental to $2's models" >>"$log"
		"$SG" -v diff --url "$target" >/dev/null 2>"$proj/inc.err" || {
			cat "$proj/inc.err" >>"$log"; echo "skip materialise"; exit 0; }
		grep "model database" "$proj/inc.err" >>"$log"
		cp home/models/*.cache "$proj/inc.cache"
		echo "== full build of $2's models" >>"$log"
		"$SG" diff --no-cache --url "$target" >/dev/null 2>>"$log" || { echo "DIFFERS full build fails"; exit 0; }
		if ! "$CMP" home/models/*.cache "$proj/inc.cache" >>"$log" 2>&1; then
			echo "DIFFERS"
		elif grep -q "materialising every model" "$proj/inc.err"; then
			echo "rebuilt"
		else
			echo "same"
		fi
	)
	rm -rf "$proj"
}

summary=$out/summary.txt
: >"$summary"
for dir in "$corpus"/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	[ -f "$dir/meta.json" ] || continue
	case "$name" in *"$filter"*) ;; *) continue ;; esac
	log=$out/$name.log
	: >"$log"
	new=$dir/new.sql
	[ -f "$dir/expected_db.sql" ] && new=$dir/expected_db.sql
	roles "$dir/meta.json" | while IFS= read -r r; do
		psql -X -q -d postgres -c "CREATE ROLE $r" >/dev/null 2>&1
	done
	if ! load sgi_old "$dir/old.sql" || ! load sgi_new "$new"; then
		echo "$name forward skip" >>"$summary"
		echo "$name back skip" >>"$summary"
		continue
	fi
	echo "$name forward $(direction sgi_old sgi_new)" >>"$summary"
	echo "$name back $(direction sgi_new sgi_old)" >>"$summary"
	[ "${SG_CORPUS_VERBOSE:-}" ] && grep "^$name " "$summary"
done
awk '{ n[$3]++; all++ }
END { printf "corpus incremental: %d directions: %d same, %d rebuilt, %d DIFFERS, %d skipped\n",
	all, n["same"], n["rebuilt"], n["DIFFERS"], n["skip"] }' "$summary"
grep " DIFFERS" "$summary" | sed 's/^/  /'
! grep -q " DIFFERS" "$summary"
