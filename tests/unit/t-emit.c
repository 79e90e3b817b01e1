// SPDX-License-Identifier: MIT
/*
 * t-emit.c - the SQL of plans on catalogs built in memory
 * (catalog-builder.h: diff, order, emit), for a representative set of
 * kinds: table, column added / altered / dropped, index, constraint, view,
 * materialized view, function, enum, sequence, grants, comments.  Each
 * scenario pins the whole migration text, upgrade and downgrade.
 */
#include <string.h>

#include "catalog-builder.h"
#include "tap.h"

struct pair {
	struct sg_catalog *a, *b;
};

static struct pair fresh(void)
{
	struct pair p = { b_catalog(), b_catalog() };

	return p;
}

static void both(struct pair p, const char *up, const char *down, const char *name)
{
	is_str(b_plan(p.a, p.b), up, "%s: upgrade", name);
	is_str(b_plan(p.b, p.a), down, "%s: downgrade", name);
}

/* orders(id bigint not null, note text) with its primary key */
static struct sg_table *orders(struct sg_catalog *c)
{
	struct sg_table *t = b_table(c, "public", "orders");

	b_col(c, t, "id", "bigint", true, NULL);
	b_col(c, t, "note", "text", false, NULL);
	b_con(c, t, "orders_pkey", 'p', "PRIMARY KEY (id)", 1, "id");
	return t;
}

static void test_table(void)
{
	struct pair p = fresh();
	struct sg_table *t;

	orders(p.b);
	t = b_table(p.b, "public", "My \"T\"");
	b_col(p.b, t, "select", "text", false, "'it''s'::text");
	both(p,
	     "CREATE TABLE public.\"My \"\"T\"\"\" (\n"
	     "    \"select\" text DEFAULT 'it''s'::text\n"
	     ");\n"
	     "CREATE TABLE public.orders (\n"
	     "    id bigint NOT NULL,\n"
	     "    note text,\n"
	     "    CONSTRAINT orders_pkey PRIMARY KEY (id)\n"
	     ");\n",
	     "-- WARNING: drops table public.\"My \"\"T\"\"\" and the data in it\n"
	     "DROP TABLE public.\"My \"\"T\"\"\";\n"
	     "-- WARNING: drops table public.orders and the data in it\n"
	     "DROP TABLE public.orders;\n",
	     "tables created and dropped; names quoted where they must be");
}

static void test_columns(void)
{
	struct pair p = fresh();
	struct sg_table *a = orders(p.a), *b = orders(p.b);
	struct sg_column *c;

	b_col(p.a, a, "gone", "integer", false, NULL);
	b_col(p.b, b, "total", "numeric(10,2)", true, "0");
	c = sg_table_column(b, "note");
	c->type = "character varying(200)";
	c->not_null = true;
	c->default_expr = "''::character varying";
	both(p,
	     "-- WARNING: drops column public.orders.gone and the data in it\n"
	     "ALTER TABLE public.orders DROP COLUMN gone;\n"
	     "-- WARNING: changes the type of column public.orders.note from text to character varying(200): values may be rounded or truncated, or fail to convert\n"
	     "ALTER TABLE public.orders\n"
	     "    ALTER COLUMN note TYPE character varying(200),\n"
	     "    ALTER COLUMN note SET NOT NULL,\n"
	     "    ALTER COLUMN note SET DEFAULT ''::character varying;\n"
	     "ALTER TABLE public.orders ADD COLUMN total numeric(10,2) DEFAULT 0 NOT NULL;\n",
	     "-- WARNING: drops column public.orders.total and the data in it\n"
	     "ALTER TABLE public.orders DROP COLUMN total;\n"
	     "ALTER TABLE public.orders\n"
	     "    ALTER COLUMN note DROP DEFAULT,\n"
	     "    ALTER COLUMN note DROP NOT NULL,\n"
	     "    ALTER COLUMN note TYPE text;\n"
	     "ALTER TABLE public.orders ADD COLUMN gone integer;\n",
	     "columns added, altered (type, NOT NULL, default), dropped");
}

static void test_index_constraint(void)
{
	struct pair p = fresh();
	struct sg_table *a, *b;

	orders(p.a);
	b = orders(p.b);
	b_index(p.b, b, "orders_note_idx", false, "note");
	b_con(p.b, b, "orders_note_check", 'c', "CHECK ((note <> ''::text))", 1, "note");
	b_con(p.b, b, "orders_note_key", 'u', "UNIQUE (note)", 1, "note");
	both(p,
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_check CHECK ((note <> ''::text));\n"
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_key UNIQUE (note);\n"
	     "CREATE INDEX orders_note_idx ON public.orders USING btree (note);\n",
	     "DROP INDEX public.orders_note_idx;\n"
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_check;\n"
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_key;\n",
	     "an index, a check and a unique constraint");

	p = fresh();
	a = orders(p.a);
	b = orders(p.b);
	b_con(p.a, a, "orders_note_check", 'c', "CHECK ((note <> ''::text))", 1, "note");
	b_con(p.b, b, "orders_note_check", 'c', "CHECK ((length(note) > 1))", 1, "note");
	both(p,
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_check;\n"
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_check CHECK ((length(note) > 1));\n",
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_check;\n"
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_check CHECK ((note <> ''::text));\n",
	     "a check whose condition changes");
}

static void test_view_function(void)
{
	struct pair p = fresh();
	struct sg_table *a = orders(p.a), *b = orders(p.b);
	struct sg_view *va, *vb;

	va = b_view(p.a, "public", "v", 'v', " SELECT orders.id\n   FROM orders");
	b_col(p.a, &va->rel, "id", "bigint", false, NULL);
	b_uses(p.a, va, &sg_table_column(a, "id")->obj);
	vb = b_view(p.b, "public", "v", 'v', " SELECT orders.id\n   FROM orders\n  WHERE (orders.id > 0)");
	b_col(p.b, &vb->rel, "id", "bigint", false, NULL);
	b_uses(p.b, vb, &sg_table_column(b, "id")->obj);
	b_add_fn(p.a, "select a + b");
	b_add_fn(p.b, "select a + b + 0");
	both(p,
	     "SET check_function_bodies = off;\n"
	     "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n"
	     " RETURNS integer\n"
	     " LANGUAGE sql\n"
	     " IMMUTABLE\n"
	     "AS $function$select a + b + 0$function$;\n"
	     "CREATE OR REPLACE VIEW public.v AS\n"
	     "  SELECT orders.id\n"
	     "   FROM orders\n"
	     "  WHERE (orders.id > 0);\n",
	     "SET check_function_bodies = off;\n"
	     "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n"
	     " RETURNS integer\n"
	     " LANGUAGE sql\n"
	     " IMMUTABLE\n"
	     "AS $function$select a + b$function$;\n"
	     "CREATE OR REPLACE VIEW public.v AS\n"
	     "  SELECT orders.id\n"
	     "   FROM orders;\n",
	     "a view's query and a function's body: replaced in place");

	p = fresh();
	b_add_fn(p.b, "select a + b");
	b_view(p.b, "public", "one", 'm', " SELECT 1 AS x");
	both(p,
	     "SET check_function_bodies = off;\n"
	     "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n"
	     " RETURNS integer\n"
	     " LANGUAGE sql\n"
	     " IMMUTABLE\n"
	     "AS $function$select a + b$function$;\n"
	     "CREATE MATERIALIZED VIEW public.one AS\n"
	     "  SELECT 1 AS x;\n",
	     "DROP MATERIALIZED VIEW public.one;\n"
	     "DROP FUNCTION public.add(integer, integer);\n",
	     "a function and a materialized view");
}

static void test_enum_sequence(void)
{
	struct pair p = fresh();
	struct sg_sequence *s;

	b_enum(p.a, "public", "mood", 2, "sad", "ok");
	b_enum(p.b, "public", "mood", 3, "sad", "ok", "happy");
	b_seq(p.a, "public", "counter", "bigint");
	s = b_seq(p.b, "public", "counter", "bigint");
	s->opts.increment = 10;
	s->opts.cache = 20;
	both(p,
	     "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'happy' AFTER 'ok';\n"
	     "ALTER SEQUENCE public.counter INCREMENT BY 10 CACHE 20;\n",
	     "-- WARNING: rebuilds enum public.mood with its values changed (it had 'sad', 'ok', 'happy'); rows holding a value that no longer exists make the migration fail\n"
	     "ALTER TYPE public.mood RENAME TO mood__sg_old;\n"
	     "DROP TYPE public.mood__sg_old;\n"
	     "ALTER SEQUENCE public.counter INCREMENT BY 1 CACHE 1;\n"
	     "CREATE TYPE public.mood AS ENUM ('sad', 'ok');\n",
	     "an enum value; sequence options");

	p = fresh();
	b_enum(p.b, "public", "mood", 2, "sad", "it's ok");
	b_seq(p.b, "public", "counter", "integer");
	both(p,
	     "CREATE TYPE public.mood AS ENUM ('sad', 'it''s ok');\n"
	     "CREATE SEQUENCE public.counter AS integer;\n",
	     "-- WARNING: drops sequence public.counter and its current value\n"
	     "DROP SEQUENCE public.counter;\n"
	     "DROP TYPE public.mood;\n",
	     "an enum and a sequence created and dropped");
}

static void test_grants_comments(void)
{
	struct pair p = fresh();
	struct sg_table *a = orders(p.a), *b = orders(p.b);
	static struct sg_grant g[] = {
		{ .grantee = "reader", .privs = "r", .grantable = "" },
		{ .grantee = "writer", .privs = "arw", .grantable = "r" },
	};

	a->obj.has_acl = b->obj.has_acl = true;
	b->obj.grants = g;
	b->obj.ngrants = 2;
	b->obj.comment = "what's ordered";
	sg_table_column(b, "note")->obj.comment = "free text";
	both(p,
	     "COMMENT ON TABLE public.orders IS 'what''s ordered';\n"
	     "GRANT SELECT ON TABLE public.orders TO reader;\n"
	     "GRANT INSERT, UPDATE ON TABLE public.orders TO writer;\n"
	     "GRANT SELECT ON TABLE public.orders TO writer WITH GRANT OPTION;\n"
	     "COMMENT ON COLUMN public.orders.note IS 'free text';\n",
	     "COMMENT ON TABLE public.orders IS NULL;\n"
	     "REVOKE SELECT ON TABLE public.orders FROM reader;\n"
	     "REVOKE INSERT, SELECT, UPDATE ON TABLE public.orders FROM writer;\n"
	     "COMMENT ON COLUMN public.orders.note IS NULL;\n",
	     "grants and comments");
}

int main(void)
{
	B = sg_arena_new();
	test_table();
	test_columns();
	test_index_constraint();
	test_view_function();
	test_enum_sequence();
	test_grants_comments();
	sg_arena_free(B);
	return tap_done();
}
