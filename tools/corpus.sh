#!/bin/sh
# corpus.sh CORPUS_DIR [FILTER] - runs schemagen over the shared
# pg-schema-diff corpus (before/after schema pairs) and prints pass counts
# per category.  Skips, successfully, when CORPUS_DIR does not exist.
#
# A case passes when:
#  1. a database built from old.sql, migrated by the revision that
#     `schemagen revision --autogenerate` writes against models made with
#     `schemagen dump` from a database built from new.sql (expected_db.sql
#     when the case has one), has the same catalog as that database
#     (sg-catalog-diff: objects compared, not column order or owners);
#  2. `schemagen check` then reports no drift; and
#  3. `schemagen downgrade -1` restores old.sql's catalog (with
#     --force-irreversible when the revision says its downgrade is
#     irreversible, after the refusal).
# Apart from that, each case checks that adopting a database is a fixed
# point: `schemagen diff` of new.sql's database against the models just
# dumped from it finds nothing (reported as "adoption" per case and in all).
# Cases whose upstream expects a planning error pass when schemagen refuses
# them with a clear error (exit 2) or handles them fully.  A case whose SQL
# does not load on this server is skipped.
#
# Logs: $SG_CORPUS_OUT (default build/corpus/), one file per case, and
# summary.txt.  Needs a server: run under tools/with-postgres.sh, or it
# starts one itself when PGHOST is unset.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
	echo "usage: tools/corpus.sh CORPUS_DIR [FILTER]" >&2
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
corpus=$(cd "$corpus" && pwd)
SG=${SCHEMAGEN:-$root/build/schemagen}
CD=${SG_CATALOG_DIFF:-$root/build/tools/sg-catalog-diff}
out=${SG_CORPUS_OUT:-$root/build/corpus}
rm -rf "$out"
mkdir -p "$out"
conn() { echo "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$1"; }
load() { # db file
	dropdb --if-exists -f "$1" >/dev/null 2>&1
	createdb "$1" && psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null 2>&1
}

# pg_dump --schema-only, normalised: no comments, settings or owners, and
# the columns of each CREATE TABLE sorted (column order is not compared);
# schemagen's own tables left out.  The independent oracle: it sees every
# kind of object, including those schemagen does not model yet.
schema_dump() { # db
	pg_dump --schema-only --no-owner -d "$1" \
		-T public.schemagen_version -T public.schemagen_history -T public.schemagen_history_steps 2>&1 |
	awk '
	/^--/ || /^$/ || /^SET / || /^SELECT pg_catalog.set_config/ || /^\\(un)?restrict / { next }
	/^CREATE (UNLOGGED )?TABLE .*\($/ { print; intable = 1; n = 0; next }
	intable && /^\)/ {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (cols[j] < cols[i]) { t = cols[i]; cols[i] = cols[j]; cols[j] = t }
		for (i = 1; i <= n; i++) print cols[i]
		print; intable = 0; next }
	intable { sub(/,$/, ""); cols[++n] = $0; next }
	{ print }'
}

# pg_dump refuses a server newer than itself (Debian has 15's client only):
# then the pg_dump oracle is off, said once; the catalogs are still compared.
srv_major=$(($(psql -X -At -d postgres -c "SHOW server_version_num") / 10000))
dump_major=$(pg_dump --version | awk '{ print $3 }' | cut -d. -f1)
dump_ok=1
if [ "$dump_major" -lt "$srv_major" ]; then
	dump_ok=0
	echo "corpus: pg_dump $dump_major cannot dump PostgreSQL $srv_major: pg_dump comparison off, catalogs compared"
fi

same_schema() { # db_a db_b label
	[ $dump_ok = 1 ] || return 0
	schema_dump "$1" >"$proj/$1.dump"
	schema_dump "$2" >"$proj/$2.dump"
	if ! diff -u "$proj/$2.dump" "$proj/$1.dump" >"$proj/dump.diff"; then
		echo "-- pg_dump differs ($3):" >>"$log"
		cat "$proj/dump.diff" >>"$log"
		return 1
	fi
}

# roles of a case: the JSON strings of "roles": [...], which are SQL names
roles() {
	sed -n '/"roles": \[/,/\]/p' "$1" | sed -n 's/^ *"\(.*\)",\{0,1\}$/\1/p' |
		sed 's/\\"/"/g; s/\\\\/\\/g'
}

run_case() { # dir -> prints result; details in $log
	dir=$1
	new=$dir/new.sql
	[ -f "$dir/expected_db.sql" ] && new=$dir/expected_db.sql
	expect_error=no
	grep -q '"expectedPlanError' "$dir/meta.json" && expect_error=yes
	roles "$dir/meta.json" | while IFS= read -r r; do
		psql -X -q -d postgres -c "CREATE ROLE $r" >/dev/null 2>&1
	done
	load sgc_old "$dir/old.sql" || { echo "skip old.sql does not load"; return; }
	load sgc_ref "$dir/old.sql" || { echo "skip old.sql does not load"; return; }
	load sgc_new "$new" || { echo "skip $(basename "$new") does not load"; return; }
	proj=$(mktemp -d)
	(
		cd "$proj" || exit 1
		export DATABASE_URL="$(conn sgc_old)"
		mkdir schema migrations
		echo "== dump" >>"$log"
		"$SG" dump --url "$(conn sgc_new)" -o schema >>"$log" 2>&1 ||
			{ echo "fail dump"; exit 0; }
		cat schema/*.yaml >>"$log" 2>/dev/null
		echo "== adoption: diff against the database just dumped" >>"$log"
		"$SG" diff --url "$(conn sgc_new)" >"$proj/adopt.out" 2>&1
		cat "$proj/adopt.out" >>"$log"
		if [ "$(cat "$proj/adopt.out")" = "No changes in schema detected." ]; then
			echo "$name fixed-point" >>"$adopt"
		else
			echo "$name differs" >>"$adopt"
		fi
		echo "== autogenerate" >>"$log"
		if ! "$SG" revision --autogenerate --allow-empty -m corpus >>"$log" 2>&1; then
			if [ $expect_error = yes ]; then echo "pass expected error"; else echo "fail autogenerate"; fi
			exit 0
		fi
		cat migrations/*.sql >>"$log"
		echo "== upgrade" >>"$log"
		"$SG" upgrade head >>"$log" 2>&1 || { echo "fail upgrade"; exit 0; }
		echo "== compare with new" >>"$log"
		"$CD" "$(conn sgc_old)" "$(conn sgc_new)" >>"$log" 2>&1 ||
			{ echo "fail upgraded catalog differs"; exit 0; }
		same_schema sgc_old sgc_new upgrade ||
			{ echo "fail upgraded pg_dump differs"; exit 0; }
		echo "== check" >>"$log"
		"$SG" check >>"$log" 2>&1 || { echo "fail check reports drift"; exit 0; }
		echo "== downgrade" >>"$log"
		# a downgrade the revision says is irreversible (enum values
		# added, a column widened, ...) is refused unless forced: it
		# must still restore the old catalog with the corpus's data
		"$SG" downgrade -1 >>"$log" 2>&1 ||
			{ grep -q "cannot restore this step" "$log" &&
			  "$SG" downgrade -1 --force-irreversible >>"$log" 2>&1; } ||
			{ echo "fail downgrade"; exit 0; }
		echo "== compare with old" >>"$log"
		"$CD" "$(conn sgc_old)" "$(conn sgc_ref)" >>"$log" 2>&1 ||
			{ echo "fail downgraded catalog differs"; exit 0; }
		same_schema sgc_old sgc_ref downgrade ||
			{ echo "fail downgraded pg_dump differs"; exit 0; }
		echo "pass"
	)
	rm -rf "$proj"
}

summary=$out/summary.txt
adopt=$out/adoption.txt
: >"$summary"
: >"$adopt"
for dir in "$corpus"/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	[ -f "$dir/meta.json" ] || continue
	case "$name" in *"$filter"*) ;; *) continue ;; esac
	log=$out/$name.log
	: >"$log"
	result=$(run_case "$dir")
	echo "${name%%__*} $name $result" >>"$summary"
	[ "${SG_CORPUS_VERBOSE:-}" ] && echo "$name: $result"
done

awk '
{ cat = $1; res = $3; total[cat]++; all++
  if (res == "pass") { pass[cat]++; p++ } else if (res == "skip") { skip[cat]++; s++ } else { fail[cat]++; f++ } }
END {
  n = 0; for (c in total) names[++n] = c
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (names[j] < names[i]) { t = names[i]; names[i] = names[j]; names[j] = t }
  for (i = 1; i <= n; i++) { c = names[i]
    printf "%-26s %3d/%-3d passed", c, pass[c], total[c] - skip[c]
    if (skip[c]) printf "  (%d skipped)", skip[c]
    printf "\n" }
  printf "corpus: %d passed, %d failed, %d skipped (%d cases)\n", p, f, s, all
}' "$summary"
echo "adoption (dump, then diff against the same database finds nothing):" \
	"$(grep -c ' fixed-point$' "$adopt") of $(wc -l <"$adopt") cases"
grep ' differs$' "$adopt" | sed 's/^/  adoption differs: /'
grep -v " pass" "$summary" | sed 's/^/  /' | { [ "${SG_CORPUS_LIST:-1}" = 1 ] && cat || cat >/dev/null; }
