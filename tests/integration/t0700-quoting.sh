#!/bin/sh
# SPDX-License-Identifier: MIT
# t0700-quoting.sh - names that need quoting everywhere (mixed case, spaces,
# double and single quotes, keywords, unicode, leading digits, dots) for
# schemas, tables, columns, enums and their values, sequences, constraints,
# indexes, the version tables, plus comments and a revision message with
# quotes and backslashes, through the whole loop: models, autogenerate,
# upgrade, check, a rename round, dump, the dump loaded again and
# materialised elsewhere, downgrade to base.  (d-quote.c checks the quoting
# functions against the server for every keyword.)
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
DB2=$(new_db copy)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
mkdir schema migrations
cat >schemagen.yaml <<'EOF'
version_schema: meta data
version_table: 'ver"sion'
history_table: "hist'ory"
EOF
cat >schema/mixed.yaml <<'EOF'
schema: Mixed Schema
comment: "It's \"weird\" \\ here"
enums:
  "Order Status": ['new', "it's", 'say "hi"', 'back\slash', café, 日本, 'a,b', ' lead', 'select']
sequences:
  "seq.with.dots":
    comment: 'seq''s comment'
    owned_by: {table: "a.b", column: "1st"}
  "select":
    start: 5
tables:
  user:
    comment: "a table named user, \\ and 'quotes'\nsecond line"
    columns:
      "Id": {type: bigint, identity: always}
      "select": {type: text, nullable: false, comment: "col \"select\""}
      "with space": {type: '"Order Status"', default: "'it''s'"}
      "1st": {type: int, default: "nextval('\"select\"')"}
      "a.b": {type: text}
      café: {type: text}
      日本: {type: int}
      'it''s': text
      'say "hi"': text
      order: {type: int}
    primary_key: {name: "User PK", columns: ["Id"], comment: "pk's"}
    unique:
      - {name: "Select", columns: ["select"], comment: "unique \"order\""}
      - {name: "日本_key", columns: [日本, café]}
    checks:
      - {name: "check 'it'", expression: '"1st" > 0 AND "it''s" <> ''x''', comment: 'a \ b'}
    indexes:
      - {name: "Idx.Dots", columns: ["a.b", {column: café, order: desc}], where: '"日本" IS NOT NULL', comment: "idx \\ comment"}
      - {name: "lower(select)", expressions: ['lower("select")'], unique: true}
  order:
    columns:
      "user id": {type: bigint, nullable: false}
      "Group": {type: int}
    foreign_keys:
      - {name: "FK \"user\"", columns: ["user id"], references: {table: user, columns: ["Id"]}, on_delete: cascade}
  "a.b":
    columns:
      "1st": {type: int, nullable: false}
    primary_key: ["1st"]
EOF
cat >schema/select.yaml <<'EOF'
schema: select
tables:
  "Table":
    columns:
      "user": {type: int, nullable: false}
      "Ref": int
    primary_key: ["user"]
    foreign_keys:
      - {name: "to mixed", columns: ["Ref"], references: {schema: Mixed Schema, table: "a.b"}}
EOF

MSG='it'"'"'s "quoted" \ message'
run revision --autogenerate -m "$MSG"
is_rc 0 "autogenerate with quoted names"
REV1_FILE=$(ls migrations/*.sql)
REV1=$(rev_of "$REV1_FILE")
name_rev "$REV1" REV1
is "$OUT" "migrations/${REV1}_it_s_quoted_message.sql" "the slug keeps letters only"
cat >"$T/rev1.expected" <<'EOF'
-- schemagen revision: REV1
-- parents:
-- message: it's "quoted" \ message
-- created: <created>

-- +upgrade
CREATE SCHEMA "Mixed Schema";
COMMENT ON SCHEMA "Mixed Schema" IS E'It''s "weird" \\ here';
CREATE SCHEMA "select";
CREATE TYPE "Mixed Schema"."Order Status" AS ENUM ('new', 'it''s', 'say "hi"', E'back\\slash', 'café', '日本', 'a,b', ' lead', 'select');
CREATE SEQUENCE "Mixed Schema"."select" START WITH 5;
CREATE SEQUENCE "Mixed Schema"."seq.with.dots";
COMMENT ON SEQUENCE "Mixed Schema"."seq.with.dots" IS 'seq''s comment';
CREATE TABLE "Mixed Schema"."a.b" (
    "1st" integer NOT NULL,
    CONSTRAINT "a.b_pkey" PRIMARY KEY ("1st")
);
ALTER SEQUENCE "Mixed Schema"."seq.with.dots" OWNED BY "Mixed Schema"."a.b"."1st";
CREATE TABLE "Mixed Schema"."order" (
    "user id" bigint NOT NULL,
    "Group" integer
);
CREATE TABLE "Mixed Schema"."user" (
    "Id" bigint GENERATED ALWAYS AS IDENTITY,
    "select" text NOT NULL,
    "with space" "Mixed Schema"."Order Status" DEFAULT 'it''s'::"Mixed Schema"."Order Status",
    "1st" integer DEFAULT nextval('"Mixed Schema"."select"'::regclass),
    "a.b" text,
    "café" text,
    "日本" integer,
    "it's" text,
    "say ""hi""" text,
    "order" integer,
    CONSTRAINT "User PK" PRIMARY KEY ("Id"),
    CONSTRAINT "Select" UNIQUE ("select"),
    CONSTRAINT "日本_key" UNIQUE ("日本", "café"),
    CONSTRAINT "check 'it'" CHECK ((("1st" > 0) AND ("it's" <> 'x'::text)))
);
COMMENT ON TABLE "Mixed Schema"."user" IS E'a table named user, \\ and ''quotes''
second line';
COMMENT ON COLUMN "Mixed Schema"."user"."select" IS 'col "select"';
COMMENT ON CONSTRAINT "Select" ON "Mixed Schema"."user" IS 'unique "order"';
COMMENT ON CONSTRAINT "User PK" ON "Mixed Schema"."user" IS 'pk''s';
COMMENT ON CONSTRAINT "check 'it'" ON "Mixed Schema"."user" IS E'a \\ b';
ALTER TABLE "Mixed Schema"."order" ADD CONSTRAINT "FK ""user""" FOREIGN KEY ("user id") REFERENCES "Mixed Schema"."user"("Id") ON DELETE CASCADE;
CREATE INDEX "Idx.Dots" ON "Mixed Schema"."user" USING btree ("a.b", "café" DESC) WHERE ("日本" IS NOT NULL);
COMMENT ON INDEX "Mixed Schema"."Idx.Dots" IS E'idx \\ comment';
CREATE UNIQUE INDEX "lower(select)" ON "Mixed Schema"."user" USING btree (lower("select"));
CREATE TABLE "select"."Table" (
    "user" integer NOT NULL,
    "Ref" integer,
    CONSTRAINT "Table_pkey" PRIMARY KEY ("user")
);
ALTER TABLE "select"."Table" ADD CONSTRAINT "to mixed" FOREIGN KEY ("Ref") REFERENCES "Mixed Schema"."a.b"("1st");

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."order": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."order" DROP CONSTRAINT "FK ""user""";
-- WARNING: drops table "Mixed Schema"."order" and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."order": its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table "Mixed Schema"."order" and the data in it
DROP TABLE "Mixed Schema"."order";
-- WARNING: drops table "Mixed Schema"."user" and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."user": its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table "Mixed Schema"."user" and the data in it
DROP TABLE "Mixed Schema"."user";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "select"."Table": its reads and writes wait until the transaction ends
ALTER TABLE "select"."Table" DROP CONSTRAINT "to mixed";
-- WARNING: drops table "Mixed Schema"."a.b" and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."a.b": its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table "Mixed Schema"."a.b" and the data in it
DROP TABLE "Mixed Schema"."a.b";
-- WARNING: drops table "select"."Table" and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "select"."Table": its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table "select"."Table" and the data in it
DROP TABLE "select"."Table";
-- WARNING: drops sequence "Mixed Schema"."select" and its current value
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."select": its reads and writes wait until the transaction ends
-- hazard: data-loss: drops sequence "Mixed Schema"."select" and its current value
DROP SEQUENCE "Mixed Schema"."select";
DROP TYPE "Mixed Schema"."Order Status";
DROP SCHEMA "Mixed Schema";
DROP SCHEMA "select";
EOF
norm_rev <"$REV1_FILE" >"$T/rev1.got"
is_file "$T/rev1.got" "$T/rev1.expected" "the migration quotes every name and literal"

run upgrade head
is_rc 0 "upgrade"
is "$(printf '%s\n' "$OUT" | norm_ms)" "upgrade $REV1 (it's \"quoted\" \\ message): 22 statements, N ms" \
	"upgrade prints the message as written"
is "$(q 'SELECT version_num FROM "meta data"."ver""sion"')" "$REV1" "the quoted version table holds the revision"
is "$(q "SELECT revision, direction FROM \"meta data\".\"hist'ory\"")" "$REV1|upgrade" \
	"the quoted history table has its row"
is "$(q "SELECT string_agg(enumlabel, '|' ORDER BY enumsortorder) FROM pg_enum
	WHERE enumtypid = '\"Mixed Schema\".\"Order Status\"'::regtype")" \
	"new|it's|say \"hi\"|back\\slash|café|日本|a,b| lead|select" "enum values exactly as written"
is "$(q "SELECT string_agg(attname, '|' ORDER BY attnum) FROM pg_attribute
	WHERE attrelid = '\"Mixed Schema\".\"user\"'::regclass AND attnum > 0")" \
	"Id|select|with space|1st|a.b|café|日本|it's|say \"hi\"|order" "column names exactly as written"
is "$(q "SELECT obj_description('\"Mixed Schema\".\"user\"'::regclass, 'pg_class')")" \
	"a table named user, \\ and 'quotes'
second line" "a comment with quotes, a backslash and a newline"
is "$(q "SELECT string_agg(conname, '|' ORDER BY conname) FROM pg_constraint
	WHERE connamespace IN ('\"Mixed Schema\"'::regnamespace, '\"select\"'::regnamespace)")" \
	"FK \"user\"|Select|Table_pkey|User PK|a.b_pkey|check 'it'|to mixed|日本_key" "constraint names"
q "INSERT INTO \"Mixed Schema\".\"user\" (\"select\", \"1st\") VALUES ('s', DEFAULT)" >/dev/null
is "$(q "SELECT \"with space\", \"1st\" FROM \"Mixed Schema\".\"user\"")" "it's|5" \
	"defaults work: an enum value with a quote, a keyword-named sequence"

run check
is_rc 0 "check is clean"
is "$OUT" "No differences: the database is at the head and matches the models." "check says so"
run current
is "$OUT" "$REV1 (head)" "current reads the quoted version table"
run history
is "$OUT" "<base> -> $REV1 (head), $MSG" "history shows the message"

# ---- a second round: renames and a new enum value, all quoted ----

sed -i -e "s/^      'say \"hi\"': text$/      \"say 'bye'\": {type: text, renamed_from: 'say \"hi\"'}/" \
	-e "s/'a,b', ' lead'/'a,b', \"it's new\", ' lead'/" \
	-e 's/^  "a.b":$/  "b.c":\n    renamed_from: a.b/' \
	-e 's/table: "a.b"/table: "b.c"/' schema/mixed.yaml
sed -i 's/table: "a.b"/table: "b.c"/' schema/select.yaml
run revision --autogenerate -m "renames"
is_rc 0 "autogenerate the renames"
REV2_FILE=$(ls migrations/*_renames.sql)
cat >"$T/rev2.expected" <<'EOF'
-- +upgrade
ALTER TYPE "Mixed Schema"."Order Status" ADD VALUE IF NOT EXISTS 'it''s new' AFTER 'a,b';
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."a.b": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."a.b" RENAME TO "b.c";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."b.c": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."b.c" RENAME CONSTRAINT "a.b_pkey" TO "b.c_pkey";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."user": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."user" RENAME COLUMN "say ""hi""" TO "say 'bye'";

-- +downgrade
-- WARNING: rebuilds enum "Mixed Schema"."Order Status" with its values changed (it had 'new', 'it''s', 'say "hi"', E'back\\slash', 'café', '日本', 'a,b', 'it''s new', ' lead', 'select'); rows holding a value that no longer exists make the migration fail
-- hazard: data-loss: rebuilds enum "Mixed Schema"."Order Status" with its values changed (it had 'new', 'it''s', 'say "hi"', E'back\\slash', 'café', '日本', 'a,b', 'it''s new', ' lead', 'select'); rows holding a value that no longer exists make the migration fail
ALTER TYPE "Mixed Schema"."Order Status" RENAME TO "Order Status__sg_old";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."b.c": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."b.c" RENAME TO "a.b";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."a.b": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."a.b" RENAME CONSTRAINT "b.c_pkey" TO "a.b_pkey";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."user": its reads and writes wait until the transaction ends
ALTER TABLE "Mixed Schema"."user" RENAME COLUMN "say 'bye'" TO "say ""hi""";
-- irreversible: PostgreSQL cannot remove values from an enum: type "Mixed Schema"."Order Status" is made again without 'it''s new', which rows written since the upgrade may hold
CREATE TYPE "Mixed Schema"."Order Status" AS ENUM ('new', 'it''s', 'say "hi"', E'back\\slash', 'café', '日本', 'a,b', ' lead', 'select');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on "Mixed Schema"."user": its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites "Mixed Schema"."user" and its indexes to change the type of "with space" (unless the old type converts without change)
-- hazard: may-fail: fails if a value of "with space" does not convert to the new type
ALTER TABLE "Mixed Schema"."user"
    ALTER COLUMN "with space" DROP DEFAULT,
    ALTER COLUMN "with space" TYPE "Mixed Schema"."Order Status" USING "with space"::text::"Mixed Schema"."Order Status",
    ALTER COLUMN "with space" SET DEFAULT 'it''s'::"Mixed Schema"."Order Status";
DROP TYPE "Mixed Schema"."Order Status__sg_old";
EOF
sed -n '/^-- +upgrade$/,$p' "$REV2_FILE" >"$T/rev2.got"
is_file "$T/rev2.got" "$T/rev2.expected" "the renames, quoted"
run upgrade head
is_rc 0 "upgrade the renames"
run check
is_rc 0 "check clean after the renames"
is "$(q "SELECT \"say 'bye'\" IS NULL, \"with space\" FROM \"Mixed Schema\".\"user\"")" "t|it's" \
	"the renamed column is there, the data too"
run downgrade -1 --force-irreversible
is_rc 0 "downgrade the renames"
is "$(q "SELECT string_agg(enumlabel, '|' ORDER BY enumsortorder) FROM pg_enum
	WHERE enumtypid = '\"Mixed Schema\".\"Order Status\"'::regtype")" \
	"new|it's|say \"hi\"|back\\slash|café|日本|a,b| lead|select" "the enum rebuilt with its old values"
is "$(q "SELECT to_regclass('\"Mixed Schema\".\"a.b\"') IS NOT NULL")" "t" "the table has its old name"
run upgrade head
is_rc 0 "and up again"

# ---- dump, and the dump loads and round-trips ----

run dump -o "$T/dump"
is_rc 0 "dump"
# public is empty here and has its default comment: no file for it
is "$(cd "$T/dump" && ls)" "Mixed Schema.yaml
select.yaml" "dump files named after the schemas"
echo "$MODEL_SCHEMA_LINE" >"$T/select.expected"
cat >>"$T/select.expected" <<'EOF'
schema: select

tables:
  Table:
    columns:
      user: {type: integer, nullable: false}
      Ref: integer
    primary_key: [user]
    foreign_keys:
      - name: to mixed
        columns: [Ref]
        references: {schema: Mixed Schema, table: b.c, columns: ['1st']}
EOF
is_file "$T/dump/select.yaml" "$T/select.expected" "a dumped file, exactly"
like "$(cat "$T/dump/Mixed Schema.yaml")" "^  Order Status: \\[new, it's, say \"hi\", back.slash, café, 日本, 'a,b', it's new, ' lead', select\\]$" \
	"enum values quoted for YAML only where needed"

P2=$T/project2
mkdir -p "$P2/migrations"
cp schemagen.yaml "$P2/"
cp -r "$T/dump" "$P2/schema"
cd "$P2" || BAIL_OUT "no $P2"
run diff
is_rc 0 "the dump loads"
is "$OUT" "No changes in schema detected." "the dumped models describe the database exactly"
run revision --autogenerate -m "from the dump" --url "$(conninfo "$DB2")"
is_rc 0 "the dumped models, autogenerated for an empty database"
run upgrade head --url "$(conninfo "$DB2")"
is_rc 0 "and applied"
same_schema "the copy equals the original" "$DB2" "$DB"
run check --url "$(conninfo "$DB2")"
is_rc 0 "check on the copy"
run downgrade base --force-irreversible --url "$(conninfo "$DB2")"
is_rc 0 "the copy goes back to base"

cd "$P" || BAIL_OUT "no $P"
run downgrade base --force-irreversible
is_rc 0 "downgrade base"
for d in "$DB" "$DB2"; do
	is "$(qdb "$d" "SELECT string_agg(nspname, '|' ORDER BY nspname) FROM pg_namespace
		WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'")" "meta data|public" \
		"base: only public and the version schema are left ($d)"
	is "$(qdb "$d" "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" "0" \
		"base: public is empty ($d)"
done
is "$(q 'SELECT count(*) FROM "meta data"."ver""sion"')" "0" "the version table is empty"
is "$(q "SELECT string_agg(direction, ',' ORDER BY id) FROM \"meta data\".\"hist'ory\"")" \
	"upgrade,upgrade,downgrade,upgrade,downgrade,downgrade" "the history has every step"

done_testing
