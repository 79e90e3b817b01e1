#!/bin/sh
# SPDX-License-Identifier: MIT
# t3960-every-kind.sh - tools/corpus.sh over two cases written here, in the
# corpus's shape (old.sql, new.sql, meta.json, made in a temporary folder):
# a schema using every kind of issue 10 is created (its downgrade drops
# them all) and altered in a property of each; `check` is clean, the
# downgrade restores it, and pg_dump --schema-only (the oracle that sees
# every kind) finds the databases equal; dump then diff is a fixed point.
# With the default embedded scratch server, as a user runs it.
. "$(dirname "$0")/lib.sh"

cases=$T/cases
mkdir -p "$cases/every_kind__create_all" "$cases/every_kind__alter_all"
cat >"$T/base.sql" <<'EOF'
CREATE SCHEMA app;
CREATE TABLE app.t (id int PRIMARY KEY, a int, b int, body text);
CREATE TABLE app.log (id int, note text);
CREATE TYPE app.mood AS ENUM ('a', 'b');
EOF
cat >"$T/kinds.sql" <<'EOF'
-- global default privileges, first: they apply to what is made after them
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- a procedural language
CREATE TRUSTED LANGUAGE plx HANDLER plpgsql_call_handler INLINE plpgsql_inline_handler VALIDATOR plpgsql_validator;
-- an operator, an aggregate, an operator family and class
CREATE FUNCTION app.int_eq3(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.int_eq3, COMMUTATOR = OPERATOR(app.===));
CREATE FUNCTION app.add2(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
CREATE AGGREGATE app.mysum(int) (SFUNC = app.add2, STYPE = int, INITCOND = '0');
CREATE OPERATOR FAMILY app.fam USING btree;
CREATE OPERATOR CLASS app.cls FOR TYPE int USING btree FAMILY app.fam AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 btint4cmp(int, int);
-- a loose member of the family
ALTER OPERATOR FAMILY app.fam USING btree ADD OPERATOR 1 < (int, bigint), FUNCTION 1 (int, bigint) btint48cmp(int, bigint);
-- a cast
CREATE FUNCTION app.mood_of(int) RETURNS app.mood LANGUAGE sql IMMUTABLE
  AS $$SELECT CASE WHEN $1 > 0 THEN 'a'::app.mood ELSE 'b'::app.mood END$$;
CREATE CAST (int AS app.mood) WITH FUNCTION app.mood_of(int) AS ASSIGNMENT;
-- a rule and extended statistics
CREATE RULE log_neg AS ON INSERT TO app.log WHERE new.id < 0 DO INSTEAD NOTHING;
CREATE STATISTICS app.t_ab (dependencies) ON a, b FROM app.t;
CREATE MATERIALIZED VIEW app.mv AS SELECT a, b FROM app.t;
CREATE STATISTICS app.mv_ab (mcv) ON a, b FROM app.mv;
CREATE SCHEMA app2;
CREATE STATISTICS app2.t_id_a ON id, a FROM app.t;
-- text search
CREATE TEXT SEARCH PARSER app.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH TEMPLATE app.tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH DICTIONARY app.simple_d (TEMPLATE = app.tmpl, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION app.cfg (PARSER = app.prs);
ALTER TEXT SEARCH CONFIGURATION app.cfg ADD MAPPING FOR word, asciiword WITH app.simple_d;
-- an event trigger
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER sg_noop ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION app.on_ddl();
-- a publication
CREATE PUBLICATION pub FOR TABLE app.t WITH (publish = 'insert, update');
-- foreign data
CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'example');
CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'u');
CREATE FOREIGN TABLE app.ft (id int OPTIONS (column_name 'i') NOT NULL, note text CHECK (note <> ''))
  SERVER s OPTIONS (table_name 'remote');
CREATE VIEW app.ft_ids AS SELECT id FROM app.ft;
-- a foreign partition, a trigger and statistics of a foreign table
CREATE TABLE app.ev (id int NOT NULL, body text) PARTITION BY RANGE (id);
CREATE FOREIGN TABLE app.ev_old PARTITION OF app.ev FOR VALUES FROM (0) TO (100) SERVER s OPTIONS (table_name 'ev_old');
CREATE FUNCTION app.ft_trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER ft_audit BEFORE INSERT ON app.ft FOR EACH ROW EXECUTE FUNCTION app.ft_trg();
CREATE STATISTICS app.ft_st (ndistinct) ON id, note FROM app.ft;
EOF
# every kind changed in a property: what PostgreSQL alters in place and
# what it must make again
sed -e "s/INITCOND = '0'/INITCOND = '10'/" -e 's/AS ASSIGNMENT/AS IMPLICIT/' \
	-e 's/(dependencies)/(ndistinct, dependencies)/' -e 's/WITH app.simple_d;/WITH app.simple_d, simple;/' \
	-e "s/'CREATE TABLE')/'CREATE TABLE', 'DROP TABLE')/" -e "s/publish = 'insert, update'/publish = 'insert'/" \
	-e "s/WRAPPER w;/WRAPPER w OPTIONS (debug 'true');/" \
	-e "s/SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'example')/SERVER s VERSION '2' FOREIGN DATA WRAPPER w OPTIONS (host 'example2', port '5433')/" \
	-e "s/(user 'u')/(user 'v')/" -e 's/, HEADLINE = prsd_headline//' \
	-e 's/app.mv_ab (mcv)/app.mv_ab (ndistinct)/' \
	-e "s/OPTIONS (column_name 'i') NOT NULL, note text/OPTIONS (column_name 'j'), note varchar(10), added date/" \
	-e 's/REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC/REVOKE USAGE ON TYPES FROM PUBLIC/' \
	-e 's/FROM (0) TO (100) SERVER s/FROM (0) TO (50) SERVER s/' -e 's/BEFORE INSERT ON app.ft/BEFORE INSERT OR UPDATE ON app.ft/' \
	-e 's/app.ft_st (ndistinct)/app.ft_st (dependencies)/' \
	"$T/kinds.sql" >"$T/kinds2.sql"
is "$(diff "$T/kinds.sql" "$T/kinds2.sql" | grep -c '^>')" 16 "the altered schema changes sixteen statements"
cp "$T/base.sql" "$cases/every_kind__create_all/old.sql"
cat "$T/base.sql" "$T/kinds.sql" >"$cases/every_kind__create_all/new.sql"
cp "$cases/every_kind__create_all/new.sql" "$cases/every_kind__alter_all/old.sql"
cat "$T/base.sql" "$T/kinds2.sql" >"$cases/every_kind__alter_all/new.sql"
for c in create_all alter_all; do
	printf '{"category": "every_kind", "name": "%s", "dir": "every_kind__%s"}\n' $c $c \
		>"$cases/every_kind__$c/meta.json"
done
out=$T/corpus
SCHEMAGEN=$SCHEMAGEN SG_CATALOG_DIFF=$SG_BUILD_ROOT/tools/sg-catalog-diff \
	SG_CORPUS_OUT=$out "$SG_SOURCE_ROOT/tools/corpus.sh" "$cases" >"$T/summary" 2>&1
n=2
is "$(grep '^corpus:' "$T/summary")" "corpus: $n passed, 0 failed, 0 skipped ($n cases)" "every case passes" ||
	diag "$(cat "$T/summary")" "$(cat "$out"/*.log | tail -60)"
is "$(grep '^adoption' "$T/summary" | sed 's/.*: //')" "$n of $n cases" "adoption is a fixed point"
unlike "$(cat "$T/summary")" "pg_dump comparison off" "pg_dump, which sees every kind, compared the databases"
for k in 'CREATE TRUSTED LANGUAGE' 'CREATE CAST' 'CREATE AGGREGATE' 'CREATE OPERATOR app' \
	'CREATE OPERATOR FAMILY' 'CREATE OPERATOR CLASS' 'ALTER OPERATOR FAMILY app.fam USING btree ADD' 'CREATE RULE' 'CREATE STATISTICS' \
	'CREATE TEXT SEARCH PARSER' 'CREATE TEXT SEARCH TEMPLATE' \
	'CREATE TEXT SEARCH DICTIONARY' 'CREATE TEXT SEARCH CONFIGURATION' 'CREATE EVENT TRIGGER' \
	'CREATE PUBLICATION' 'CREATE FOREIGN DATA WRAPPER' 'CREATE SERVER' 'CREATE USER MAPPING' \
	'CREATE FOREIGN TABLE' 'CREATE FOREIGN TABLE app.ev_old PARTITION OF app.ev' \
	'CREATE TRIGGER ft_audit' 'CREATE STATISTICS app.ft_st' \
	'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC'; do
	grep -q "^$k" "$out/every_kind__create_all.log"
	is $? 0 "the migration creates: $k"
done
done_testing
