// SPDX-License-Identifier: MIT
/*
 * t-emit.c - the SQL of plans on catalogs built in memory
 * (catalog-builder.h: diff, order, emit), for a representative set of
 * kinds: table, column added / altered / dropped, index, constraint, view,
 * materialized view, function, enum, sequence, grants, comments.  Each
 * scenario pins the whole migration text, upgrade and downgrade.
 */
#include <string.h>

#include "catalog-scenarios.h"
#include "tap.h"

static void both(struct pair p, const char *up, const char *down, const char *name)
{
	is_str(b_plan(p.a, p.b), up, "%s: upgrade", name);
	is_str(b_plan(p.b, p.a), down, "%s: downgrade", name);
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
	both(sc_columns(),
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
	both(sc_index_constraint(),
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_check CHECK ((note <> ''::text));\n"
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_key UNIQUE (note);\n"
	     "CREATE INDEX orders_note_idx ON public.orders USING btree (note);\n",
	     "DROP INDEX public.orders_note_idx;\n"
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_check;\n"
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_key;\n",
	     "an index, a check and a unique constraint");

	both(sc_check_changed(),
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_check;\n"
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_check CHECK ((length(note) > 1));\n",
	     "ALTER TABLE public.orders DROP CONSTRAINT orders_note_check;\n"
	     "ALTER TABLE public.orders ADD CONSTRAINT orders_note_check CHECK ((note <> ''::text));\n",
	     "a check whose condition changes");
}

static void test_view_function(void)
{
	both(sc_view_function(),
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

	both(sc_function_matview(),
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
	struct pair p;

	both(sc_enum_sequence(),
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
	both(sc_grants_comments(),
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
