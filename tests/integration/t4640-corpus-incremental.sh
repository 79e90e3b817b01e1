#!/bin/sh
# SPDX-License-Identifier: MIT
# t4640-corpus-incremental: the model database's incremental path against
# the full one over the whole shared pg-schema-diff corpus (issue 12).
#
# The corpus: $SG_CORPUS_DIR, else $SG_SOURCE_ROOT/../shared/corpus/
# pg-schema-diff; without it the test is skipped (TAP skip, saying where it
# looked).  Nothing of it is copied into the repository.  For each case
# old.sql and new.sql (expected_db.sql when there is one) are loaded into
# two databases (one psql for both) and dumped to models; then, in the
# worker's project, three runs of `schemagen check` without a database
# (no target is read; the empty migrations' replay is cached):
#   1. the old models, materialised whole (the model database made again:
#      the previous case's cache file removed): its model cache file, the
#      catalog read back, is kept;
#   2. forward: the new models, brought in incrementally, with
#      SCHEMAGEN_INCREMENTAL_CHECK: schemagen materialises them whole in a
#      database of its own too and fails when the two catalogs differ;
#   3. back: the old models again, brought in incrementally from 2's, and
#      the model cache file compared with 1's (build/tools/sg-cache-cmp,
#      oids aside).
# Each direction is `same` (incremental, identical catalogs), `rebuilt`
# (the incremental path declined and rebuilt; -v's reason is in the log),
# or DIFFERS (then back is not run: `unchecked`).  The test fails when a
# direction differs, or when a case whose SQL loads does not run (its
# models do not dump or materialise).
# A case whose SQL does not load on this server is listed as skipped.
# Cases run two at a time.  SG_CORPUS_FILTER=STRING runs the cases whose
# name contains it; SG_CORPUS_LOG=DIR keeps each case's log there.
. "$(dirname "$0")/lib.sh"

corpus=${SG_CORPUS_DIR:-$SG_SOURCE_ROOT/../shared/corpus/pg-schema-diff}
[ -d "$corpus" ] || skip_all "no corpus at $corpus (set SG_CORPUS_DIR)"
corpus=$(cd "$corpus" && pwd)
CMP=${SG_CACHE_CMP:-$SG_BUILD_ROOT/tools/sg-cache-cmp}
[ -x "$CMP" ] || BAIL_OUT "$CMP not built"
: "${SCHEMAGEN_DEV_URL:?needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh sets it)}"

logs=${SG_CORPUS_LOG:-$T/logs}
mkdir -p "$T/claim" "$T/res" "$logs"
t0=$(date +%s)

psql_q() { # DB: SQL on stdin, quietly
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null 2>&1
}
# CREATE DATABASE copying the files (PostgreSQL 15's default writes the
# template through the WAL: five times slower here, without fsync)
strategy=""
[ "$(psql -X -At -d postgres -c 'SHOW server_version_num')" -ge 150000 ] &&
	strategy=" STRATEGY FILE_COPY"

# the cases' roles: the JSON strings of "roles": [...] in meta.json, which
# are SQL names; those of every case made first (those that do not exist
# yet), dropped at the end
sed -n '/"roles": \[/,/\]/p' "$corpus"/*/meta.json |
	sed -n 's/^ *"\(.*\)",\{0,1\}$/\1/p' | sed 's/\\"/"/g; s/\\\\/\\/g' |
	sort -u >"$T/roles.all"
: >"$T/roles.made"
while IFS= read -r r; do
	psql -X -q -d postgres -c "CREATE ROLE $r" >/dev/null 2>&1 &&
		printf '%s\n' "$r" >>"$T/roles.made"
done <"$T/roles.all"

# the databases of a worker, and the model databases of projects under $T
drop_sql() { # PATTERN: DROP DATABASE for each database whose name or comment is like it
	printf '%s\n' "SELECT format('DROP DATABASE %I WITH (FORCE)', datname)
	FROM pg_catalog.pg_database WHERE datname LIKE '$1'
	OR pg_catalog.shobj_description(oid, 'pg_database') LIKE '$1' \\gexec"
}
cleanup() { # (lib.sh's _cleanup drops $T/.dbs and removes $T)
	{ drop_sql "$(uniq_name w)%"; drop_sql "% $T/%"; } | psql_q postgres
	while IFS= read -r r; do
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
	done <"$T/roles.made"
}
_cleanup_hook=cleanup

# one case, in worker $w's databases and project: its result line in
# $T/res/NAME.  `check` without a database compares the models with the
# migrations (none: its replay is cached after the first case), so no
# target database is read.
run_case() { # DIR
	dir=$1
	name=$(basename "$dir")
	log=$logs/$name.log
	old=$(uniq_name "w${w}_old")
	new=$(uniq_name "w${w}_new")
	newsql=$dir/new.sql
	[ -f "$dir/expected_db.sql" ] && newsql=$dir/expected_db.sql
	proj=$T/w$w
	# both loaded by one psql (printf: dash's echo takes \c as "stop here")
	if ! { printf 'DROP DATABASE IF EXISTS %s WITH (FORCE);\n' "$old" "$new"
	       printf 'CREATE DATABASE %s%s;\n' "$old" "$strategy" "$new" "$strategy"
	       printf '\\c %s\n\\i %s\n' "$old" "'$dir/old.sql'" "$new" "'$newsql'"
	   } | psql_q postgres; then
		echo "$name skip skip" >"$T/res/$name"
		return
	fi
	(
		cd "$proj" || exit 1
		export SCHEMAGEN_HOME="$proj/home"
		norun() { echo "$name norun norun" >"$T/res/$name"; echo "== $1" >>"$log"; exit 0; }
		checks() { # the models, by `check` without a database: exit 0 or 1
			env -u PGHOST -u PGHOSTADDR -u PGPORT -u PGDATABASE -u PGUSER \
				"$SCHEMAGEN" -v check >/dev/null 2>"$1"
			[ $? -le 1 ] && ! grep -q "^schemagen: database:" "$1"
		}
		# (folders made first: the models of an empty database are none)
		rm -rf old new models && mkdir old new || exit 1
		"$SCHEMAGEN" dump --url "$(conninfo "$old")" -o old >>"$log" 2>&1 || norun "old.sql's models do not dump"
		"$SCHEMAGEN" dump --url "$(conninfo "$new")" -o new >>"$log" 2>&1 || norun "new.sql's models do not dump"
		echo "== 1. the old models, whole" >>"$log"
		# (the previous case's catalog forgotten: the model database is made again)
		rm -f home/models/*.cache home/models/*.warm
		mv old models || exit 1
		checks full.err || { cat full.err >>"$log"; norun "the old models do not materialise"; }
		grep -q "materialising every model" full.err || norun "the model database was not made again"
		cp home/models/*.cache full-old.cache
		echo "== 2. forward: the new models, incrementally (checked)" >>"$log"
		mv models old && mv new models || exit 1
		SCHEMAGEN_INCREMENTAL_CHECK=1 checks fwd.err
		rc=$?
		grep "model database\|incremental check" fwd.err >>"$log"
		if [ $rc != 0 ]; then
			cat fwd.err >>"$log"
			grep -q "incremental check:" fwd.err || norun "the new models do not materialise"
			fwd=DIFFERS
		elif grep -q "materialising every model" fwd.err; then
			fwd=rebuilt
		else
			fwd=same
		fi
		# (a failed check leaves the model database as it was: nothing to go back from)
		[ $fwd = DIFFERS ] && { echo "$name $fwd unchecked" >"$T/res/$name"; exit 0; }
		echo "== 3. back: the old models, incrementally" >>"$log"
		mv models new && mv old models || exit 1
		if ! checks back.err; then
			cat back.err >>"$log"
			back=DIFFERS
		else
			grep "model database" back.err >>"$log"
			if ! "$CMP" home/models/*.cache full-old.cache >>"$log" 2>&1; then
				back=DIFFERS
			elif grep -q "materialising every model" back.err; then
				back=rebuilt
			else
				back=same
			fi
		fi
		echo "$name $fwd $back" >"$T/res/$name"
	)
}

# two workers, each taking the next case not taken (mkdir is atomic)
worker() {
	mkdir -p "$T/w$w/home" "$T/w$w/migrations" && chmod 700 "$T/w$w/home"
	printf 'schema_dir: models\nmigrations_dir: migrations\n' >"$T/w$w/schemagen.yaml"
	for dir in "$corpus"/*/; do
		dir=${dir%/}
		[ -f "$dir/meta.json" ] || continue
		case $(basename "$dir") in *"${SG_CORPUS_FILTER:-}"*) ;; *) continue ;; esac
		mkdir "$T/claim/$(basename "$dir")" 2>/dev/null || continue
		run_case "$dir"
	done
	{ drop_sql "$(uniq_name "w${w}")%"; drop_sql "% $T/w$w"; } | psql_q postgres
}
w=1 worker &
pid=$!
w=2 worker
wait $pid

# the results, in the corpus's order
ncase=0
for f in "$T"/res/*; do
	[ -f "$f" ] || continue
	read -r name fwd back <"$f"
	ncase=$((ncase + 1))
	case "$fwd $back" in
	"skip skip")
		skip 1 "$name: its SQL does not load" ;;
	norun*)
		not_ok "$name: its SQL loads but it does not run"
		diag "$(tail -n 20 "$logs/$name.log")" ;;
	*DIFFERS*)
		not_ok "$name: forward $fwd, back $back"
		diag "$(tail -n 30 "$logs/$name.log")" ;;
	*)
		ok "$name: forward $fwd, back $back" ;;
	esac
done
want=$(ls "$T/claim" | wc -l)
[ "$want" -gt 0 ] || BAIL_OUT "no case in $corpus${SG_CORPUS_FILTER:+ matches $SG_CORPUS_FILTER}"
is "$ncase" "$want" "every case taken has a result"
cat "$T"/res/* | awk -v secs=$(($(date +%s) - t0)) '
	{ n[$2]++; n[$3]++; all += 2 }
	END { printf "corpus both ways: %d directions: %d same, %d rebuilt, %d differ, %d unchecked, %d did not run, %d skipped (%d s)\n",
		all, n["same"], n["rebuilt"], n["DIFFERS"], n["unchecked"], n["norun"], n["skip"], secs }' >"$T/summary"
diag "$(cat "$T/summary")" "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -h "materialising every model" "$logs"/*.log 2>/dev/null |
	sed 's/^.*model database [^:]*: //; s/; materialising every model//' |
	sort | uniq -c | sort -rn | while IFS= read -r l; do diag "rebuilt: $l"; done
done_testing
