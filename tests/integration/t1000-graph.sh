#!/bin/sh
# SPDX-License-Identifier: MIT
# t1000-graph.sh - the runner as production uses it: the full revision
# graph (branches, labels, depends-on, several bases, merges; heads,
# branches, history ranges, show), every target form and its errors,
# revision --head/--splice/--branch-label and merge, stamp and stamp
# --purge; integrity (an applied file edited, removed, a database at a
# revision the directory does not know, and the ways out); a runner
# killed with SIGKILL in the middle of a revision; ten runners at once;
# waiting for the lock and giving up; lock and statement timeouts; one
# transaction for the whole run; a revision outside a transaction failing
# part-way; and offline SQL of ranges applied with psql against the
# runner's own result.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run init >/dev/null

# mkrev ID PARENTS MESSAGE EXTRA-HEADER-LINES UPGRADE-SQL DOWNGRADE-SQL
mkrev() {
	{
		printf -- '-- schemagen revision: %s\n-- parents:%s\n-- message: %s\n' \
			"$1" "${2:+ $2}" "$3"
		printf -- '-- created: 2026-01-01T00:00:00Z\n'
		[ -n "$4" ] && printf '%s\n' "$4"
		printf '\n-- +upgrade\n'
		[ -n "$5" ] && printf '%s\n' "$5"
		printf '\n-- +downgrade\n'
		[ -n "$6" ] && printf '%s\n' "$6"
	} >"migrations/$1_$(printf '%s' "$3" | tr -c 'a-z0-9' '_').sql"
}
file_of() {
	ls migrations/"$1"_*.sql
}
versions() {
	q "SELECT coalesce(string_agg(version_num, ' ' ORDER BY version_num), 'base') FROM schemagen_version"
}
# step ARGS...: runs schemagen; $STEP is "exit code|version table|stderr"
step() {
	run "$@"
	STEP="$RC|$(versions 2>/dev/null || echo none)|$ERR"
}
no_time() {
	sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g'
}
ME_ROLE=$(q "SELECT current_user")

# ---- the graph ----
#
#   a1 -- a2 ------ m1            two bases: a1 and x1 (label extras);
#     \            /              a branch point at a1, the billing branch
#      b1 (billing)               (b1) merged back by m1; x2 depends on a2
#   x1 (extras) -- x2 ..depends-on.. a2

mkrev a1 "" "create a" "" "CREATE TABLE public.t_a (id int);" "DROP TABLE public.t_a;"
mkrev a2 a1 "a column" "" "ALTER TABLE public.t_a ADD COLUMN n int;" "ALTER TABLE public.t_a DROP COLUMN n;"
mkrev b1 a1 "create b" "-- branch-labels: billing" \
	"CREATE TABLE public.t_b (id int);" "DROP TABLE public.t_b;"
mkrev m1 "a2, b1" "merge a and b" "" "" ""
mkrev x1 "" "create x" "-- branch-labels: extras" \
	"CREATE TABLE public.t_x (id int);" "DROP TABLE public.t_x;"
mkrev x2 x1 "x needs a2" "-- depends-on: a2" \
	"ALTER TABLE public.t_x ADD COLUMN a_n int;" "ALTER TABLE public.t_x DROP COLUMN a_n;"

run_ok "heads" heads
is "$OUT" "m1 (head)
x2 (head)" "heads: both"
run_ok "branches" branches
is "$OUT" "base (2 bases)
    -> a1 (branchpoint), create a
    -> x1 (extras), create x
a1 (branchpoint), create a
    -> a2, a column
    -> b1 (billing), create b" "branches: the two bases and the branch point"
run_ok "history" history
is "$OUT" "x1 -> x2 (head), x needs a2
<base> -> x1 (extras), create x
(a2, b1) -> m1 (head) (mergepoint), merge a and b
a1 -> b1 (billing), create b
a1 -> a2, a column
<base> -> a1 (branchpoint), create a" "history: newest first"
run_ok "history -r billing:" history -r billing:
is "$OUT" "(a2, b1) -> m1 (head) (mergepoint), merge a and b
a1 -> b1 (billing), create b" "history -r LABEL: the branch and what follows it"
run_ok "history -r :a2" history -r :a2
is "$OUT" "a1 -> a2, a column
<base> -> a1 (branchpoint), create a" "history -r :REV: REV and below"
run_ok "history -r a2:m" history -r a2:m
is "$OUT" "(a2, b1) -> m1 (head) (mergepoint), merge a and b
a1 -> a2, a column" "history -r REV:PREFIX, both ends included"
run_ok "history -r extras@head:heads" history -r extras@head:heads
is "$OUT" "x1 -> x2 (head), x needs a2" "history -r branch@head:heads"
run_ok "history -r base:x1" history -r base:x1
is "$OUT" "<base> -> x1 (extras), create x" "history -r base:REV"
run history -r a:
is "$RC:$ERR" "2:schemagen: error: revision prefix 'a' is ambiguous: a1, a2" "history: an ambiguous end"
run history -r head:
is "$RC:$ERR" "2:schemagen: error: 'head' is ambiguous: the migrations have 2 heads (m1, x2)
  hint: use \`heads\` for all of them, \`<branch>@head\` or a revision for one, or join them: schemagen merge -m MESSAGE m1 x2" \
	"history: head with two heads"
run history -r a1
is "$RC" 2 "history -r without a colon is a usage error"
run_ok "history -v" history -v -r x2:x2
is "$OUT" "Rev: x2 (head)
Parent: x1
Also depends on: a2
Path: migrations/x2_x_needs_a2.sql
Created: 2026-01-01T00:00:00Z
Applied: no

    x needs a2" "history -v: the header and, with a database, whether it is applied"
run_ok "show billing" show billing
like "$OUT" "^Rev: b1 \(billing\)$" "show LABEL: the revision with its label"
like "$OUT" "^-- branch-labels: billing$" "show: and its file"
run_ok "show heads" show heads
is "$(printf '%s\n' "$OUT" | grep '^Rev:')" "Rev: m1 (head)
Rev: x2 (head)" "show heads: both"

run check
is "$RC|$(printf '%s\n' "$OUT" | sed -n '1,2p')" "1|migrations have 2 heads: m1 x2
  fix: schemagen merge -m \"merge heads\" m1 x2" "check fails with two heads, giving the command that joins them"

# ---- every target form, and its errors ----

step upgrade head; is "$STEP" "2|none|schemagen: error: 'head' is ambiguous: the migrations have 2 heads (m1, x2)
  hint: use \`heads\` for all of them, \`<branch>@head\` or a revision for one, or join them: schemagen merge -m MESSAGE m1 x2" \
	"upgrade head with two heads: refused, naming them"
is "$(q "SELECT to_regclass('public.schemagen_version') IS NULL")" t \
	"a refused target leaves the database untouched"
step upgrade a1; is "$STEP" "0|a1|" "upgrade REV"
step upgrade +1; is "$STEP" "2|a1|schemagen: error: cannot go up from a1: it has several children (a2, b1)
  hint: name the target revision" "upgrade +1 at a branch point"
step upgrade a; is "$STEP" "2|a1|schemagen: error: revision prefix 'a' is ambiguous: a1, a2" \
	"upgrade to an ambiguous prefix"
step upgrade nope; is "$STEP" "2|a1|schemagen: error: no revision matches 'nope'" "upgrade to an unknown revision"
step upgrade billing; is "$STEP" "0|b1|" "upgrade LABEL"
step upgrade a2; is "$STEP" "0|a2 b1|" "upgrade REV on the other branch: two heads applied"
step upgrade +1; is "$STEP" "2|a2 b1|schemagen: error: the database has several heads (a2, b1): '+1' needs one
  hint: name the target revision, or use \`heads\`" "upgrade +1 with two applied heads"
step upgrade m; is "$STEP" "0|m1|" "upgrade PREFIX through the merge"
step upgrade -1; is "$STEP" "2|m1|schemagen: error: '-1' is not an upgrade target
  hint: to revert revisions, use \`downgrade -1\`" "upgrade -1"
step upgrade base; is "$STEP" "2|m1|schemagen: error: base is not an upgrade target
  hint: to revert every revision, use \`downgrade base\`" "upgrade base"
step upgrade a1; is "$STEP" "2|m1|schemagen: error: revision a1 is not ahead of the current revision m1
  hint: to go back to it, use \`downgrade a1\`" "upgrade to a revision below"
step upgrade extras@head; is "$STEP" "0|m1 x2|" "upgrade branch@head"
step upgrade heads; is "$STEP" "0|m1 x2|" "upgrade heads at the heads"
is "$OUT" "nothing to do: the database is already at m1, x2" "upgrade heads: nothing to do"
step downgrade -1; is "$STEP" "2|m1 x2|schemagen: error: the database has several heads (m1, x2): '-1' needs one
  hint: name the target revision" "downgrade -1 with two heads"
step downgrade head; is "$STEP" "2|m1 x2|schemagen: error: 'head' is not a downgrade target
  hint: downgrade to -N, a revision, or base" "downgrade head"
step downgrade +1; is "$STEP" "2|m1 x2|schemagen: error: '+1' is not a downgrade target
  hint: to apply revisions, use \`upgrade +1\`" "downgrade +1"
step downgrade m1-1; is "$STEP" "2|m1 x2|schemagen: error: cannot go down from merge revision m1: it has several parents (a2, b1)
  hint: name the target revision" "downgrade REV-N through a merge"
step downgrade x2-1; is "$STEP" "0|m1 x1|" "downgrade REV-N: that branch only"
step downgrade b1; is "$STEP" "0|a2 b1 x1|" "downgrade to one side of a merge: the merge goes, the rest stays"
step downgrade a2; is "$STEP" "0|a2 b1 x1|" "downgrade to where a branch is: nothing to do"
step upgrade heads; is "$STEP" "0|m1 x2|" "upgrade heads"
step downgrade x2-1; is "$STEP" "0|m1 x1|" "downgrade REV-N again"
step upgrade x2+1; is "$STEP" "2|m1 x1|schemagen: error: cannot go up from x2: it is a head, there is nothing above it" \
	"upgrade REV+N at a head"
step upgrade x1+1; is "$STEP" "0|m1 x2|" "upgrade REV+N"
step downgrade x2-2; is "$STEP" "0|m1|" "downgrade REV-N to below its line's first revision: that line only"
step upgrade heads; is "$STEP" "0|m1 x2|" "back at the heads"
step downgrade base; is "$STEP" "0|base|" "downgrade base"
step downgrade -1; is "$STEP" "2|base|schemagen: error: nothing to downgrade: the database is at base" \
	"downgrade -1 at base"
step upgrade +1; is "$STEP" "2|base|schemagen: error: cannot go up from base: there are several base revisions (a1, x1)
  hint: name the target revision" "upgrade +1 with two bases"
step upgrade x2; is "$STEP" "0|x2|" "upgrade REV pulls in its depends-on (the version table holds the maximal revisions)"
is "$(q "SELECT string_agg(revision, ' ' ORDER BY id) FROM schemagen_history WHERE id > (SELECT max(id) FROM schemagen_history WHERE revision = 'base' OR direction = 'downgrade' AND revision = 'a1')")" \
	"a1 a2 x1 x2" "the depends-on applied before its dependant"
step downgrade a1; is "$STEP" "0|a1 x1|" "downgrade to a dependency reverts what depends on what goes, and no more"
step downgrade base; is "$STEP" "0|base|" "back to base"

# ---- revision --head, --splice, --branch-label, --depends-on; merge ----

run revision -m "on two heads"
is "$RC:$ERR" "2:schemagen: error: the migrations have 2 heads: m1 x2
  hint: join them first: schemagen merge -m \"merge heads\" m1 x2; or say which to build on: --head REV" \
	"revision with two heads: refused, with both ways on"
run revision -m "on a1" --head a1
is "$RC:$ERR" "2:schemagen: error: --head a1: revision a1 is not a head; a revision on it would start a new branch
  hint: add --splice to start a branch there, or build on a head (\`schemagen heads\`)" \
	"revision --head on a non-head without --splice"
run revision -m "x" --splice
is "$RC" 2 "--splice without --head is a usage error"
run revision -m "on both" --head heads
is "$RC:$ERR" "2:schemagen: error: --head heads names 2 revisions (m1, x2): name one" "--head heads"
run revision -m "taken" --branch-label billing
is "$RC:$ERR" "2:schemagen: error: --branch-label 'billing' is already the label of revision b1 (migrations/b1_create_b.sql)" \
	"a branch label that is taken"
run revision -m "bad" --head m1 --branch-label no-dash
is "$RC:$ERR" "2:schemagen: error: --branch-label 'no-dash': labels are 1 to 32 letters, digits or underscores, and not head, heads or base" \
	"an invalid branch label"
ok "nothing written by the refused revisions" test "$(ls migrations | wc -l)" = 6

run_ok "revision --head REV --splice --branch-label" revision -m "splice at a1" --head a1 --splice --branch-label spliced
SP=$(rev_of "$(ls migrations/*_splice_at_a1.sql)")
name_rev "$SP" SP
is "$(norm_rev <"$(file_of "$SP")")" "-- schemagen revision: SP
-- parents: a1
-- message: splice at a1
-- created: <created>
-- branch-labels: spliced

-- +upgrade

-- +downgrade" "the spliced revision's header"
run_ok "revision --head branch@head --depends-on LABEL" revision -m "more extras" --head extras@head --depends-on billing
EX=$(rev_of "$(ls migrations/*_more_extras.sql)")
name_rev "$EX" EX
is "$(norm_rev <"$(file_of "$EX")" | head -5)" "-- schemagen revision: EX
-- parents: x2
-- message: more extras
-- created: <created>
-- depends-on: b1" "--head branch@head and --depends-on (the label resolved to its revision)"
run_ok "revision --head base --branch-label: a new base" revision -m "reports" --head base --branch-label reports
RP=$(rev_of "$(ls migrations/*_reports.sql)")
name_rev "$RP" RP
is "$(norm_rev <"$(file_of "$RP")" | head -5)" "-- schemagen revision: RP
-- parents:
-- message: reports
-- created: <created>
-- branch-labels: reports" "a new base with its label"
run_ok "heads" heads
is "$(printf '%s\n' "$OUT" | norm_rev | sort)" "EX (head)
RP (reports) (head)
SP (spliced) (head)
m1 (head)" "four heads now"
run_ok "branches" branches
is "$(printf '%s\n' "$OUT" | norm_rev | sed -n '/^a1/,$p' | sort)" "    -> SP (spliced) (head), splice at a1
    -> a2, a column
    -> b1 (billing), create b
a1 (branchpoint), create a" "branches: a1 has three children now"
run merge -m "only one" m1
is "$RC" 2 "merge needs two revisions"
run_ok "merge -m MSG REV REV... --branch-label" merge -m "join all" --branch-label main m1 spliced "$EX" reports
J=$(rev_of "$(ls migrations/*_join_all.sql)")
name_rev "$J" J
is "$(norm_rev <"$(file_of "$J")")" "-- schemagen revision: J
-- parents: m1, SP, EX, RP
-- message: join all
-- created: <created>
-- branch-labels: main

-- +upgrade

-- +downgrade" "the merge revision"
run_ok "heads after the merge" heads
is "$(printf '%s\n' "$OUT" | norm_rev)" "J (main) (head)" "one head"
step upgrade head; is "$STEP" "0|$J|" "upgrade head through the merges"
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms | sort)" "upgrade EX (more extras): 0 statements, N ms
upgrade J (join all): 0 statements, N ms
upgrade RP (reports): 0 statements, N ms
upgrade SP (splice at a1): 0 statements, N ms
upgrade a1 (create a): 1 statement, N ms
upgrade a2 (a column): 1 statement, N ms
upgrade b1 (create b): 1 statement, N ms
upgrade m1 (merge a and b): 0 statements, N ms
upgrade x1 (create x): 1 statement, N ms
upgrade x2 (x needs a2): 1 statement, N ms" "every revision applied once"
# the order: parents before children, depends-on before dependants
ORDER=" $(printf '%s\n' "$OUT" | norm_rev | sed 's/^upgrade //; s/ .*/ /' | tr '\n' ' ')"
before() {
	case "$ORDER" in *" $1 "*" $2 "*) return 0;; esac
	return 1
}
ok "a1 before a2" before a1 a2
ok "a2 before the merge m1" before a2 m1
ok "b1 before the merge m1" before b1 m1
ok "x2 after a2, its depends-on" before a2 x2
ok "EX after b1, its depends-on" before b1 EX
is "${ORDER##* J}" "  " "the merge J last"
run_ok "current" current
is "$(printf '%s\n' "$OUT" | norm_rev)" "J (main) (head)" "current: the merge, with its label"
step downgrade main@head; is "$STEP" "2|$J|schemagen: error: 'main@head' is not a downgrade target
  hint: downgrade to -N, a revision, or base" "downgrade branch@head"
step downgrade -1; is "$RC|$(versions | tr ' ' '\n' | norm_rev | sort | tr '\n' ' ')" "0|EX RP SP m1 " \
	"downgrade -1 from a merge: its parents become the heads"

# ---- stamp ----

step stamp a2; is "$RC|$(versions | tr ' ' '\n' | norm_rev | sort | tr '\n' ' ')" "0|RP SP a2 " \
	"stamp REV: the heads on its lines (m1, and EX through x2's depends-on) give way, the others stay"
step stamp --purge a2; is "$STEP" "0|a2|" "stamp --purge REV: only REV"
step stamp billing; is "$STEP" "0|a2 b1|" "stamp LABEL of another branch: the other head stays"
step stamp x1; is "$STEP" "0|a2 b1 x1|" "stamp a third branch"
q "INSERT INTO schemagen_version VALUES ('zzzz')"
step stamp a1; is "$STEP" "2|a2 b1 x1 zzzz|schemagen: error: the version table holds revision zzzz, which is not in migrations
  hint: \`schemagen stamp --purge a1\` empties the version table first, whatever it holds" \
	"stamp over an unknown revision: refused"
step stamp --purge a1; is "$STEP" "0|a1|" "stamp --purge empties the table first"
is "$OUT" "stamped the database at a1 (it was at a2, b1, x1, zzzz)" "stamp --purge: what it was"
step stamp base; is "$STEP" "0|base|" "stamp base"
is "$(q "SELECT revision || ' ' || direction FROM schemagen_history ORDER BY id DESC LIMIT 2")" "base stamp
a1 stamp" "stamp history rows"
run_ok "stamp --sql" stamp --sql x1
is "$(printf '%s\n' "$OUT" | sed -E 's/lock\((-?[0-9]+)\)/lock(KEY)/; s/'"'"'[0-9a-f]{64}'"'"'/SUM/')" "-- schemagen stamp x1: the version table from scratch
-- run with: psql -v ON_ERROR_STOP=1 -f FILE

-- the migration lock (schemagen runners wait for it)
SELECT pg_catalog.pg_advisory_lock(KEY);
CREATE TABLE IF NOT EXISTS public.schemagen_version (
    version_num varchar(32) PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS public.schemagen_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision varchar(32) NOT NULL,
    direction text NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'stamp', 'accept')),
    checksum text,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user,
    duration_ms bigint
);

BEGIN;
DELETE FROM public.schemagen_version;
INSERT INTO public.schemagen_version (version_num) VALUES ('x1');
INSERT INTO public.schemagen_history (revision, direction, checksum) VALUES ('x1', 'stamp', SUM);
COMMIT;

SELECT pg_catalog.pg_advisory_unlock(KEY);" "stamp --sql: the lock, the tables, the stamp"

# ---- integrity: an applied file edited ----

DB2=$(new_db integrity)
export DATABASE_URL="$(conninfo "$DB2")"
DB=$DB2
P2=$T/integrity
mkdir -p "$P2" && cd "$P2" || BAIL_OUT "no $P2"
run init >/dev/null
mkrev i1 "" "first" "" "CREATE TABLE public.i (id int);" "DROP TABLE public.i;"
mkrev i2 i1 "second" "" "ALTER TABLE public.i ADD COLUMN n int;" "ALTER TABLE public.i DROP COLUMN n;"
run_ok "setup: upgrade i2" upgrade i2
mkrev i3 i2 "third" "" "CREATE TABLE public.i3 (id int);" "DROP TABLE public.i3;"
cp migrations/i1_first.sql "$T/i1.good"
printf '%s\n' "-- reviewed" >>migrations/i1_first.sql
snap_db >"$T/i.before"

step upgrade head
is "$RC|$(printf '%s\n' "$ERR" | no_time)" "2|schemagen: error: migrations/i1_first.sql: revision i1 was changed after it was applied (applied TIME by $ME_ROLE): its checksum is not the recorded one
  hint: restore the file as applied (git checkout); or, if the database already has what the file says now, accept it: schemagen upgrade head --accept-changed i1" \
	"upgrade refuses over an edited applied file, saying how to go on"
step downgrade -1
is "$RC|$(printf '%s\n' "$ERR" | no_time | tail -1)" "2|  hint: restore the file as applied (git checkout); or, if the database already has what the file says now, accept it: schemagen downgrade -1 --accept-changed i1" \
	"downgrade refuses too"
snap_db >"$T/i.after"
is_file "$T/i.after" "$T/i.before" "nothing ran"
run current
is "$RC|$OUT|$(printf '%s\n' "$ERR" | no_time)" "1|i2|schemagen: error: migrations/i1_first.sql: revision i1 was changed after it was applied (applied TIME by $ME_ROLE): its checksum is not the recorded one
  hint: restore the file as applied (git checkout); or, if the database already has what the file says now, accept it: schemagen upgrade i2 --accept-changed i1" \
	"current prints where the database is, reports the edit, exits 1"
run check
is "$RC" 1 "check: exit 1"
is "$(printf '%s\n' "$OUT" | no_time | sed -n '/^revision i1/,/fix:/p')" "revision i1 (migrations/i1_first.sql) was changed after it was applied (upgrade TIME by $ME_ROLE)
  fix: restore the file as applied, or accept it: schemagen upgrade i2 --accept-changed i1" \
	"check lists the edited file with the fix"

# way out 1: restore the file
cp "$T/i1.good" migrations/i1_first.sql
step upgrade head; is "$STEP" "0|i3|" "restored: the upgrade runs"

# way out 2: accept the change
printf '%s\n' "-- a comment, no change" >>migrations/i2_second.sql
printf '%s\n' "-- also edited" >>migrations/i3_third.sql
run current
is "$RC|$OUT" "1|i3 (head) (changed since it was applied)" "current marks an edited head"
step upgrade head --accept-changed i2
is "$RC|$(printf '%s\n' "$ERR" | no_time)" "2|schemagen: error: migrations/i3_third.sql: revision i3 was changed after it was applied (applied TIME by $ME_ROLE): its checksum is not the recorded one
  hint: restore the file as applied (git checkout); or, if the database already has what the file says now, accept it: schemagen upgrade head --accept-changed i3" \
	"accepting one of two edits is not enough"
step upgrade head --accept-changed i2,i3 --accept-changed i1
is "$STEP" "0|i3|schemagen: warning: --accept-changed i1: the file of revision i1 is the one the database recorded (or it is not applied); nothing to accept" \
	"accepted (an unchanged one is a warning)"
is "$OUT" "accepted the changed file of revision i2 (migrations/i2_second.sql): its new checksum is recorded
accepted the changed file of revision i3 (migrations/i3_third.sql): its new checksum is recorded
nothing to do: the database is already at i3" "both acceptances reported"
is "$(q "SELECT revision || ' ' || direction || ' ' || (duration_ms IS NULL) FROM schemagen_history WHERE direction = 'accept' ORDER BY id")" \
	"i2 accept true
i3 accept true" "accept rows in the history (no duration)"
run current
is "$RC|$OUT|$ERR" "0|i3 (head)|" "current is clean again"
run_ok "current -v" current -v
is "$(printf '%s\n' "$OUT" | no_time | sed -E 's/sha256:[0-9a-f]{64}/sha256:SUM/; s/^(Current revision\(s\) for ).*/\1DB:/')" "Current revision(s) for DB:
Rev: i3 (head)
Parent: i2
Head: yes
Path: migrations/i3_third.sql
Applied: TIME by $ME_ROLE (accept)
Checksum: sha256:SUM (as applied)

    third" "current -v: parents, head or not, file, when and by whom, checksum"
run_ok "history -v" history -v -r i2:i2
is "$(printf '%s\n' "$OUT" | no_time)" "Rev: i2
Parent: i1
Path: migrations/i2_second.sql
Created: TIME
Applied: TIME by $ME_ROLE (accept)

    second" "history -v: applied when, by whom"
run_ok "show current" show current
like "$OUT" "^Rev: i3 \(head\)$" "show current: the database's revision"
run_ok "history -v -r current:" history -v -r current:
like "$OUT" "^Rev: i3 \(head\) \(current\)$" "history -r current: marks the current revision"

# ---- integrity: an applied file removed, a database at an unknown revision ----

mv migrations/i3_third.sql "$T/i3.sql"
step upgrade head
is "$RC|$(printf '%s\n' "$ERR" | no_time)" "2|schemagen: error: the database is at revision i3, which is not in migrations: its file has gone since it was recorded (accept TIME by $ME_ROLE)
  hint: restore its file (check out the code that has it); or, if the database really is at another revision, record that with \`schemagen stamp --purge REV\`" \
	"upgrade: the applied head's file is gone"
step downgrade -1
is "$RC|$(printf '%s\n' "$ERR" | no_time | head -1)" "2|schemagen: error: the database is at revision i3, which is not in migrations: its file has gone since it was recorded (accept TIME by $ME_ROLE)" \
	"downgrade says so too"
run current
is "$RC|$OUT" "1|i3 (not in migrations)" "current: exit 1, the revision marked"
run check
is "$RC|$(printf '%s\n' "$OUT" | no_time | sed -n '/^database is at/,/fix:/p')" "1|database is at revision i3, which is not in migrations (accept TIME by $ME_ROLE)
  fix: restore its file, or record where the database really is: schemagen stamp --purge REV" \
	"check lists it with the fix"
mv "$T/i3.sql" migrations/i3_third.sql
step upgrade head; is "$STEP" "0|i3|" "file restored: fine again"
rm migrations/i2_second.sql
run upgrade head
is "$RC|$ERR" "2|migrations/i3_third.sql:2:13: error: unknown parent revision \`i2\`
  hint: did you mean \`i1\`? if not, no file in migrations has it: restore the file of revision i2 (the revisions that build on it need it)" \
	"an applied revision below the head removed: the directory itself is refused"
git_restore_i2() {
	mkrev i2 i1 "second" "" "ALTER TABLE public.i ADD COLUMN n int;" "ALTER TABLE public.i DROP COLUMN n;"
	printf '%s\n' "-- a comment, no change" >>migrations/i2_second.sql
}
git_restore_i2
step upgrade head; is "$STEP" "0|i3|" "restored"

q "UPDATE schemagen_version SET version_num = 'cafe00000000'"
step upgrade head
is "$RC|$ERR" "2|schemagen: error: the database is at revision cafe00000000, which is not in migrations
  hint: restore its file (check out the code that has it); or, if the database really is at another revision, record that with \`schemagen stamp --purge REV\`" \
	"a database at a revision the directory never had"
step stamp i3
is "$RC|$ERR" "2|schemagen: error: the version table holds revision cafe00000000, which is not in migrations
  hint: \`schemagen stamp --purge i3\` empties the version table first, whatever it holds" \
	"a plain stamp refuses to drop it"
step stamp --purge i3; is "$STEP" "0|i3|" "stamp --purge: the way out"
step upgrade head; is "$STEP" "0|i3|" "and upgrade runs again"

# autogenerate on a new base with a label, then merge every head
cat >schema/public.yaml <<'EOF2'
tables:
  i:
    columns:
      id: {type: int}
      n: {type: int}
  i3:
    columns:
      id: {type: int}
  extra:
    columns:
      id: {type: int}
EOF2
run_ok "revision --autogenerate --head base --branch-label" revision --autogenerate -m "extra" --head base --branch-label extra
XR=$(rev_of "$(ls migrations/*_extra.sql)")
name_rev "$XR" XR
is "$(norm_rev <"$(file_of "$XR")")" "-- schemagen revision: XR
-- parents:
-- message: extra
-- created: <created>
-- branch-labels: extra

-- +upgrade
CREATE TABLE public.extra (
    id integer
);

-- +downgrade
-- WARNING: drops table public.extra and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.extra: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.extra and the data in it
DROP TABLE public.extra;" "the generated revision stands on no parent and carries its label"
run_ok "merge -m MSG heads" merge -m "join" heads
run_ok "heads" heads
is "$(printf '%s\n' "$OUT" | wc -l)" 1 "one head after merging heads"
step upgrade head; is "${STEP%%|*}" 0 "upgrade through the new base and the merge"
run_ok "check: models, migrations and database agree" check

# ---- a runner killed with SIGKILL in the middle of a revision ----

DB=$(new_db kill)
export DATABASE_URL="$(conninfo "$DB")"
mkdir -p "$T/kill" && cd "$T/kill" || BAIL_OUT "no $T/kill"
run init >/dev/null
mkrev k1 "" "table k" "" "CREATE TABLE public.k (id int);" "DROP TABLE public.k;"
# sleeps only in the runner that is going to be killed
mkrev k2 k1 "slow" "" "INSERT INTO public.k VALUES (1);
SELECT pg_sleep(CASE WHEN current_setting('application_name') = 'killme' THEN 60 ELSE 0 END);
CREATE TABLE public.k2 (id int);" "DROP TABLE public.k2;
DELETE FROM public.k;"
step upgrade k1; is "$STEP" "0|k1|" "setup: at k1"
# the binary itself, not the sg function: $! must be the process to kill
PGAPPNAME=killme "$SCHEMAGEN" upgrade head >"$T/kill.out" 2>&1 &
KPID=$!
n=0
for _ in $(seq 200); do
	n=$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'killme' AND query LIKE 'SELECT pg_sleep%' AND state = 'active'")
	[ "$n" = 1 ] && break
	sleep 0.05
done
is "$n" 1 "the runner is in the middle of revision k2 (its first statement ran)"
kill -9 "$KPID"
wait "$KPID" 2>/dev/null
t0=$(date +%s)
for _ in $(seq 200); do
	n=$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'killme'")
	[ "$n" = 0 ] && break
	sleep 0.05
done
is "$n" 0 "the server ended the killed runner's session"
ok "at once (client_connection_check_interval), not after the 60 s statement" \
	test $(($(date +%s) - t0)) -lt 10
is "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" 0 "the lock went with the session"
is "$(versions)" k1 "the database is at the previous revision"
is "$(q "SELECT count(*) FROM k")|$(q "SELECT to_regclass('public.k2') IS NULL")" "0|t" \
	"the revision's first statement was rolled back, the last never ran"
is "$(q "SELECT count(*) FROM schemagen_history WHERE revision = 'k2'")" 0 "no history row for it"
step upgrade head; is "$STEP" "0|k2|" "the next upgrade head completes"
is "$(q "SELECT count(*) FROM k")" 1 "k2 applied once"

# ---- ten runners at once ----

DB=$(new_db ten)
export DATABASE_URL="$(conninfo "$DB")"
mkdir -p "$T/ten" && cd "$T/ten" || BAIL_OUT "no $T/ten"
run init >/dev/null
mkrev c1 "" "counter" "" "CREATE TABLE public.counter (n int);
SELECT pg_sleep(0.5);
INSERT INTO public.counter VALUES (1);" "DROP TABLE public.counter;"
mkrev c2 c1 "two" "" "INSERT INTO public.counter VALUES (2);" "DELETE FROM public.counter WHERE n = 2;"
mkrev c3 c2 "three" "" "INSERT INTO public.counter VALUES (3);" "DELETE FROM public.counter WHERE n = 3;"
pids=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	sg upgrade head >"$T/ten$i.out" 2>"$T/ten$i.err" &
	pids="$pids $!"
done
rcs=""
for p in $pids; do
	wait "$p"
	rcs="$rcs $?"
done
is "$rcs" " 0 0 0 0 0 0 0 0 0 0" "ten runners started at once all succeed"
is "$(q "SELECT revision || ':' || count(*) FROM schemagen_history WHERE direction = 'upgrade' GROUP BY revision ORDER BY revision")" \
	"c1:1
c2:1
c3:1" "each revision applied exactly once (history)"
is "$(q "SELECT string_agg(n::text, ',' ORDER BY n) FROM counter")" "1,2,3" "each revision's statements ran once"
is "$(versions)" c3 "at the head"
is "$(cat "$T"/ten*.out | norm_ms | sort | uniq -c | sed 's/^ *//')" "9 nothing to do: the database is already at c3
1 upgrade c1 (counter): 3 statements, N ms
1 upgrade c2 (two): 1 statement, N ms
1 upgrade c3 (three): 1 statement, N ms" "one runner applied all three, nine found nothing to do"
# (how many waited depends on timing: on a loaded machine a late runner
# may find the lock free, or the holder let go in between; those that
# waited said so, and nothing else)
WAITED=$(cat "$T"/ten*.err | grep -v "^target: " | sed -E 's/held by pid [0-9]+ \(schemagen, user [^,]+, local socket, connected since [0-9TZ:-]+\)$/held by pid N (...)/')
is "$(printf '%s\n' "$WAITED" | grep -cvxE 'schemagen: waiting for the migration lock on public\.schemagen_version(, held by pid N \(\.\.\.\))?')" 0 \
	"the runners that waited said so, and nothing else"
like "$WAITED" "^schemagen: waiting for the migration lock on public\.schemagen_version, held by pid N \(\.\.\.\)$" \
	"a waiter says who held the lock"

# ---- offline SQL of a range, applied with psql, against the runner ----

DBA=$(new_db psql)
DBB=$(new_db runner)
mkdir -p "$T/offline" && cd "$T/offline" || BAIL_OUT "no $T/offline"
run init >/dev/null
mkrev o1 "" "table o" "" "CREATE TYPE public.mood AS ENUM ('sad');
CREATE TABLE public.o (id int PRIMARY KEY, s text);" "DROP TABLE public.o;
DROP TYPE public.mood;"
mkrev o2 o1 "happy" "-- lock-timeout: 3s
-- statement-timeout: 1min" "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'happy';
ALTER TABLE public.o ADD COLUMN m public.mood DEFAULT 'happy';" "ALTER TABLE public.o DROP COLUMN m;"
mkrev o3 o2 "index o" "" "CREATE INDEX CONCURRENTLY o_s ON public.o (s);" "DROP INDEX CONCURRENTLY public.o_s;"
mkrev o4 o3 "table o4" "" "CREATE TABLE public.o4 (x int, y int);" "DROP TABLE public.o4;"
run_ok "setup: psql's database at o1" --url "$(conninfo "$DBA")" upgrade o1
run_ok "setup: the runner's database at o1" --url "$(conninfo "$DBB")" upgrade o1
run_ok "upgrade FROM:TO --sql" upgrade o1:head --sql --lock-timeout 10s
printf '%s\n' "$OUT" >"$T/up.sql"
KEY=$(sed -n 's/^SELECT pg_catalog.pg_advisory_lock(\(.*\));$/\1/p' "$T/up.sql")
is "$(sed -e "s/$KEY/KEY/" -e "s/'[0-9a-f]\{64\}'/SUM/" -e '/^CREATE TABLE IF NOT EXISTS/,/^);$/d' "$T/up.sql")" \
"-- schemagen upgrade o1:head: from o1, 3 revisions
-- run with: psql -v ON_ERROR_STOP=1 -f FILE

-- the migration lock (schemagen runners wait for it)
SELECT pg_catalog.pg_advisory_lock(KEY);

-- upgrade o2 (happy)
BEGIN;
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '1min';
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'happy';
-- new enum values must be committed before they are used
COMMIT;
BEGIN;
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE public.o ADD COLUMN m public.mood DEFAULT 'happy';
UPDATE public.schemagen_version SET version_num = 'o2' WHERE version_num = 'o1';
INSERT INTO public.schemagen_history (revision, direction, checksum) VALUES ('o2', 'upgrade', SUM);
COMMIT;

-- upgrade o3 (index o)
-- runs outside a transaction
SET lock_timeout = '10s';
CREATE INDEX CONCURRENTLY o_s ON public.o (s);
RESET lock_timeout;
BEGIN;
UPDATE public.schemagen_version SET version_num = 'o3' WHERE version_num = 'o2';
INSERT INTO public.schemagen_history (revision, direction, checksum) VALUES ('o3', 'upgrade', SUM);
COMMIT;

-- upgrade o4 (table o4)
BEGIN;
SET LOCAL lock_timeout = '10s';
CREATE TABLE public.o4 (x int, y int);
UPDATE public.schemagen_version SET version_num = 'o4' WHERE version_num = 'o3';
INSERT INTO public.schemagen_history (revision, direction, checksum) VALUES ('o4', 'upgrade', SUM);
COMMIT;

SELECT pg_catalog.pg_advisory_unlock(KEY);" \
	"the SQL: lock, per revision BEGIN, timeouts (the header's over the run's), the enum commit, the no-transaction section with SET and RESET, bookkeeping, COMMIT"
ok "psql runs it" psql_file "$DBA" "$T/up.sql" -o /dev/null
run_ok "the runner does the same" --url "$(conninfo "$DBB")" upgrade head --lock-timeout 10s
same_schema "psql and the runner: same schema after the upgrade" "$DBA" "$DBB"
is "$(qdb "$DBA" "SELECT string_agg(version_num, ' ') FROM schemagen_version")" \
	"$(qdb "$DBB" "SELECT string_agg(version_num, ' ') FROM schemagen_version")" "same version table"
is "$(qdb "$DBA" "SELECT string_agg(revision || ' ' || direction || ' ' || checksum, ', ' ORDER BY id) FROM schemagen_history")" \
	"$(qdb "$DBB" "SELECT string_agg(revision || ' ' || direction || ' ' || checksum, ', ' ORDER BY id) FROM schemagen_history")" \
	"same history (revisions, directions, checksums)"
run_ok "downgrade FROM:TO --sql" downgrade head:o1 --sql
printf '%s\n' "$OUT" >"$T/down.sql"
like "$OUT" "^-- schemagen downgrade head:o1: from o4, 3 revisions$" "the downgrade SQL's header"
ok "psql runs the downgrade" psql_file "$DBA" "$T/down.sql" -o /dev/null
run_ok "the runner downgrades" --url "$(conninfo "$DBB")" downgrade o1
same_schema "psql and the runner: same schema after the downgrade" "$DBA" "$DBB"
is "$(qdb "$DBA" "SELECT string_agg(version_num, ' ') FROM schemagen_version")|$(qdb "$DBB" "SELECT string_agg(version_num, ' ') FROM schemagen_version")" \
	"o1|o1" "both at o1"
run --url "$(conninfo "$DBB")" upgrade o1:head --sql
sed 1d "$T/out" >"$T/o1.sql"
run --url "$(conninfo "$DBB")" upgrade current:head --sql
is "$RC|$(head -n 1 "$T/out" | sed 's/, [0-9]* revisions$//')" "0|-- schemagen upgrade current:head: from o1" \
	"--sql from current: the database's revision (issue 13)"
sed 1d "$T/out" >"$T/cur.sql"
is_file "$T/cur.sql" "$T/o1.sql" "--sql current:head is --sql o1:head"
run upgrade current:head --sql
is "$RC|$(printf '%s\n' "$ERR" | sed -E 's/upgrade [0-9T:-]+Z by/upgrade TIME by/')" "2|schemagen: error: the database is at revision c3, which is not in migrations: its file has gone since it was recorded (upgrade TIME by ${PGUSER:-postgres})
  hint: restore its file (check out the code that has it); or, if the database really is at another revision, record that with \`schemagen stamp --purge REV\`" \
	"--sql from current: the integrity refusals of a run"

# ---- a revision outside a transaction failing part-way ----

export DATABASE_URL="$(conninfo "$DBB")"
DB=$DBB
run_ok "setup: the runner's database at o4" upgrade head
mkrev o5 o4 "two indexes" "-- lock-timeout: 2s" "CREATE INDEX CONCURRENTLY o4_x ON public.o4 (x);
CREATE INDEX CONCURRENTLY o4_y
    ON public.o4 (no_such_column);
CREATE TABLE public.never (x int);" "DROP INDEX CONCURRENTLY public.o4_x;"
step upgrade head
is "$STEP" "2|o4|migrations/o5_two_indexes.sql:9:1: error: column \"no_such_column\" does not exist
  SQLSTATE: 42703
  statement: CREATE INDEX CONCURRENTLY o4_y
                 ON public.o4 (no_such_column);
revision o5 (two indexes) runs outside a transaction: statement 1 of 3 ran and stays applied, statement 2 failed; the version table still says o4
  hint: the statements that ran are recorded: fix the cause and run the command again, it resumes at statement 2" \
	"a no-transaction revision failing at its second statement: exactly what ran"
is "$(q "SELECT to_regclass('public.o4_x') IS NOT NULL")|$(q "SELECT to_regclass('public.o4_y') IS NULL")|$(q "SELECT to_regclass('public.never') IS NULL")" \
	"t|t|t" "statement 1 stayed, 2 failed, 3 never ran"
is "$(q "SELECT count(*) FROM schemagen_history WHERE revision = 'o5'")" 0 "no history row"
sed -i 's/(no_such_column)/(y)/' migrations/o5_two_indexes.sql
step upgrade head; is "$STEP" "0|o5|" "fixed, run again: resumed and applied"

# ---- waiting for the lock, and giving up ----

norm_holder() {
	sed -E 's/pid [0-9]+ \(holder, user [^,]+, local socket, connected since [0-9TZ:-]+\)/pid N (holder, ...)/g'
}
# (ended below by pg_terminate_backend: runs under valgrind are slow)
PGAPPNAME=holder psql -X -q -d "$DB" -c "SELECT pg_advisory_lock($KEY)" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
HPID=$!
n=0
for _ in $(seq 200); do
	n=$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'holder'")
	[ "$n" = 1 ] && break
	sleep 0.05
done
is "$n" 1 "setup: another session holds the migration lock"
t0=$(date +%s%N)
run upgrade head --lock-wait 1
t1=$(date +%s%N)
is "$RC|$(printf '%s\n' "$ERR" | norm_holder)" "2|schemagen: waiting up to 1 s for the migration lock on public.schemagen_version, held by pid N (holder, ...)
schemagen: error: gave up waiting for the migration lock on public.schemagen_version after 1 s: it is still held by pid N (holder, ...)
  hint: another runner is migrating this database: wait for it to finish, or wait longer (--lock-wait SECONDS)" \
	"--lock-wait: gives up, saying who holds the lock"
ok "after about a second" test $(((t1 - t0) / 1000000)) -ge 900 -a $(((t1 - t0) / 1000000)) -lt 30000
run upgrade head --lock-wait 0
is "$RC|$(printf '%s\n' "$ERR" | norm_holder)" "2|schemagen: error: the migration lock on public.schemagen_version is held by pid N (holder, ...)
  hint: another runner is migrating this database: try again when it is done, or let this one wait (--lock-wait SECONDS)" \
	"--lock-wait 0: not at all"
cp schemagen.yaml "$T/offline.yaml"
echo "lock_wait: 300ms" >>schemagen.yaml
run upgrade head
is "$RC|$(printf '%s\n' "$ERR" | norm_holder | head -2)" "2|schemagen: waiting up to 0.3 s for the migration lock on public.schemagen_version, held by pid N (holder, ...)
schemagen: error: gave up waiting for the migration lock on public.schemagen_version after 0.3 s: it is still held by pid N (holder, ...)" \
	"lock_wait in schemagen.yaml"
run upgrade head --lock-wait 0 --lock-wait soon
is "$RC|$(printf '%s\n' "$ERR" | head -1)" "2|schemagen: error: upgrade: --lock-wait: 'soon' is not a number of seconds (or a duration: 500ms, 2min)" \
	"a bad --lock-wait"
cp "$T/offline.yaml" schemagen.yaml
echo "lock_wait: soon" >>schemagen.yaml
run upgrade head
is "$RC|$ERR" "2|schemagen.yaml:$(wc -l <schemagen.yaml):12: error: \"lock_wait\": \"soon\" is not a duration
  hint: write a whole number with a unit: 500ms, 5s, 2min, 1h (a bare number is seconds)" \
	"a bad lock_wait in schemagen.yaml, at its place"
cp "$T/offline.yaml" schemagen.yaml
# end the holder once the runner waits for the lock: it says so on stderr
# ($T/err, written by `run`; it polls pg_try_advisory_lock(), so no
# waiting lock shows in pg_locks)
rm -f "$T/err"
(for _ in $(seq 1200); do
	grep -q '^schemagen: waiting for the migration lock' "$T/err" 2>/dev/null && break
	sleep 0.05
done
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'holder'" >/dev/null) &
run upgrade head
is "$RC|$OUT|$(printf '%s\n' "$ERR" | norm_holder)" "0|nothing to do: the database is already at o5|schemagen: waiting for the migration lock on public.schemagen_version, held by pid N (holder, ...)" \
	"without a limit it waits until the lock is free"
wait "$HPID"

# ---- one transaction for the whole run ----

DB=$(new_db single)
export DATABASE_URL="$(conninfo "$DB")"
mkdir -p "$T/single" && cd "$T/single" || BAIL_OUT "no $T/single"
run init >/dev/null
mkrev s1 "" "one" "" "CREATE TABLE public.s1 (x int);" "DROP TABLE public.s1;"
mkrev s2 s1 "two" "" "CREATE TABLE public.s2 (x int);" "DROP TABLE public.s2;"
mkrev s3 s2 "boom" "" "INSERT INTO public.s1 VALUES (1);
INSERT INTO public.s2 VALUES (1 / 0);" "DELETE FROM public.s2;
DELETE FROM public.s1;"
step upgrade head --single-transaction
is "$STEP" "2|base|migrations/s3_boom.sql:8:1: error: division by zero
  SQLSTATE: 22012
  statement: INSERT INTO public.s2 VALUES (1 / 0);
revision s3 (boom) failed, so the whole run was rolled back (one transaction); the database is still at base" \
	"--single-transaction: a failure in the third revision"
is "$(q "SELECT to_regclass('public.s1') IS NULL AND to_regclass('public.s2') IS NULL")|$(q "SELECT count(*) FROM schemagen_history")" \
	"t|0" "everything rolled back: no table, no history"
sed -i 's|(1 / 0)|(2)|' migrations/s3_boom.sql
step upgrade head --single-transaction; is "$STEP" "0|s3|" "fixed: the run commits"
is "$(printf '%s\n' "$OUT" | norm_ms)" "upgrade s1 (one): 1 statement, N ms
upgrade s2 (two): 1 statement, N ms
upgrade s3 (boom): 2 statements, N ms
committed 3 revisions in one transaction" "one line per revision, then the commit"
run_ok "--sql --single-transaction" upgrade s1:s3 --sql --single-transaction
like "$OUT" "^-- schemagen upgrade s1:s3: from s1, 2 revisions, in one transaction$" "--sql says so"
is "$(printf '%s\n' "$OUT" | grep -c -e '^BEGIN;$' -e '^COMMIT;$')" 2 "one BEGIN and one COMMIT"
mkrev s4 s3 "concurrently" "" "CREATE INDEX CONCURRENTLY s1_x ON public.s1 (x);" "DROP INDEX CONCURRENTLY public.s1_x;"
echo "single_transaction: true" >>schemagen.yaml
step upgrade head
is "$STEP" "2|s3|schemagen: error: cannot run in a single transaction: revision s4 (concurrently) must run outside one: its statement at migrations/s4_concurrently.sql:7:1 cannot run in a transaction block
  hint: run without --single-transaction (and without \`single_transaction: true\` in schemagen.yaml): each revision then runs in a transaction of its own, and this one outside any" \
	"single_transaction in schemagen.yaml, and a revision that cannot run in a transaction: refused before anything runs"
run upgrade head --sql
is "$RC|$ERR" "2|schemagen: error: cannot run in a single transaction: revision s4 (concurrently) must run outside one: its statement at migrations/s4_concurrently.sql:7:1 cannot run in a transaction block
  hint: run without --single-transaction (and without \`single_transaction: true\` in schemagen.yaml): each revision then runs in a transaction of its own, and this one outside any" \
	"--sql refuses it too"
step upgrade head --no-single-transaction; is "$STEP" "0|s4|" "--no-single-transaction overrides the config"

# ---- lock and statement timeouts ----

mkrev s5 s4 "wait for a lock" "-- lock-timeout: 200ms" "ALTER TABLE public.s1 ADD COLUMN z int;" "ALTER TABLE public.s1 DROP COLUMN z;"
PGAPPNAME=tableholder psql -X -q -d "$DB" -c "BEGIN; LOCK TABLE public.s1 IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
HPID=$!
for _ in $(seq 200); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'public.s1'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && break
	sleep 0.05
done
step upgrade head --no-single-transaction --lock-timeout 1min
is "$STEP" "2|s4|migrations/s5_wait_for_a_lock.sql:8:1: error: canceling statement due to lock timeout
  SQLSTATE: 55P03
  statement: ALTER TABLE public.s1 ADD COLUMN z int;
  note: lock_timeout was 200ms (from the revision's \`-- lock-timeout:\`)
revision s5 (wait for a lock) was rolled back; the database is still at s4" \
	"the revision's lock-timeout (over --lock-timeout) stops a statement that waits for a lock"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tableholder'" >/dev/null
wait "$HPID"
step upgrade head --no-single-transaction --lock-timeout 1min; is "$STEP" "0|s5|" "the lock gone, it applies"
mkrev s6 s5 "slow" "" "SELECT pg_sleep(0.5);" ""
step upgrade head --no-single-transaction --statement-timeout 100ms
is "$STEP" "2|s5|migrations/s6_slow.sql:7:1: error: canceling statement due to statement timeout
  SQLSTATE: 57014
  statement: SELECT pg_sleep(0.5);
  note: statement_timeout was 100ms (from --statement-timeout or statement_timeout in schemagen.yaml)
revision s6 (slow) was rolled back; the database is still at s5" "--statement-timeout"
echo "statement_timeout: 100ms" >>schemagen.yaml
step upgrade head --no-single-transaction; is "${STEP%%|*}" 2 "statement_timeout in schemagen.yaml"
step upgrade head --no-single-transaction --statement-timeout 5s; is "$STEP" "0|s6|" "the flag over the config"
mkrev s7 s6 "slow but allowed" "-- statement-timeout: 0" "SELECT pg_sleep(0.5);" ""
step upgrade head --no-single-transaction; is "$STEP" "0|s7|" "a revision's own statement-timeout over the config's"

done_testing
