// SPDX-License-Identifier: MIT
/*
 * t-order.c - plans for changes whose order matters: each scenario builds a
 * `from` and a `to` catalog and pins the whole migration text, upgrade and
 * downgrade, so both directions of every rule are checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog-scenarios.h"
#include "tap.h"

/* customers(id pk) in c */
static struct sg_table *customers(struct sg_catalog *c, struct sg_constraint **pk)
{
	struct sg_table *t = b_table(c, "public", "customers");

	b_col(c, t, "id", "bigint", true, NULL);
	*pk = b_con(c, t, "customers_pkey", 'p', "PRIMARY KEY (id)", 1, "id");
	return t;
}

static void check(struct pair p, const char *up, const char *down, const char *name)
{
	is_str(b_plan(p.a, p.b), up, "%s: upgrade", name);
	is_str(b_plan(p.b, p.a), down, "%s: downgrade", name);
}

static void test_identical(void)
{
	struct pair p = fresh();
	struct sg_constraint *pk;

	customers(p.a, &pk);
	customers(p.b, &pk);
	check(p, "", "", "identical catalogs");
}

static void test_new_table_with_fk_to_existing(void)
{
	struct pair p = fresh();
	struct sg_constraint *pk;
	struct sg_table *c, *o;

	customers(p.a, &pk);
	c = customers(p.b, &pk);
	o = b_table(p.b, "public", "orders");
	b_col(p.b, o, "id", "bigint", true, NULL);
	b_col(p.b, o, "customer_id", "bigint", true, NULL);
	b_con(p.b, o, "orders_pkey", 'p', "PRIMARY KEY (id)", 1, "id");
	b_fk(p.b, o, "orders_customer_id_fkey", "customer_id", c, pk, "id");
	b_index(p.b, o, "orders_customer_idx", false, "customer_id");
	check(p,
	      "CREATE TABLE public.orders (\n"
	      "    id bigint NOT NULL,\n"
	      "    customer_id bigint NOT NULL,\n"
	      "    CONSTRAINT orders_pkey PRIMARY KEY (id),\n"
	      "    CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id)\n"
	      ");\n"
	      "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id);\n",
	      "-- WARNING: drops table public.orders and the data in it\n"
	      "DROP TABLE public.orders;\n",
	      "new table with a foreign key to an existing one");
}

static void test_fk_loop(void)
{
	struct pair p = fresh();
	struct sg_table *a = b_table(p.b, "public", "a");
	struct sg_table *b = b_table(p.b, "public", "b");
	struct sg_constraint *apk, *bpk;

	b_col(p.b, a, "id", "integer", true, NULL);
	b_col(p.b, a, "b_id", "integer", false, NULL);
	b_col(p.b, b, "id", "integer", true, NULL);
	b_col(p.b, b, "a_id", "integer", false, NULL);
	apk = b_con(p.b, a, "a_pkey", 'p', "PRIMARY KEY (id)", 1, "id");
	bpk = b_con(p.b, b, "b_pkey", 'p', "PRIMARY KEY (id)", 1, "id");
	b_fk(p.b, a, "a_b_fk", "b_id", b, bpk, "id");
	b_fk(p.b, b, "b_a_fk", "a_id", a, apk, "id");
	check(p,
	      "CREATE TABLE public.a (\n"
	      "    id integer NOT NULL,\n"
	      "    b_id integer,\n"
	      "    CONSTRAINT a_pkey PRIMARY KEY (id)\n"
	      ");\n"
	      "CREATE TABLE public.b (\n"
	      "    id integer NOT NULL,\n"
	      "    a_id integer,\n"
	      "    CONSTRAINT b_pkey PRIMARY KEY (id)\n"
	      ");\n"
	      "ALTER TABLE public.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES public.b(id);\n"
	      "ALTER TABLE public.b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES public.a(id);\n",
	      "ALTER TABLE public.a DROP CONSTRAINT a_b_fk;\n"
	      "ALTER TABLE public.b DROP CONSTRAINT b_a_fk;\n"
	      "-- WARNING: drops table public.a and the data in it\n"
	      "DROP TABLE public.a;\n"
	      "-- WARNING: drops table public.b and the data in it\n"
	      "DROP TABLE public.b;\n",
	      "two tables referencing each other");
}

static void test_enum_column(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");
	struct sg_enum *e;
	struct sg_column *c;

	b_col(p.a, ta, "id", "integer", true, NULL);
	b_col(p.b, tb, "id", "integer", true, NULL);
	e = b_enum(p.b, "public", "mood", 2, "sad", "happy");
	c = b_col(p.b, tb, "mood", "public.mood", false, "'happy'::public.mood");
	sg_catalog_add_dep(p.b, &c->obj, &e->obj, 'n');
	check(p,
	      "CREATE TYPE public.mood AS ENUM ('sad', 'happy');\n"
	      "ALTER TABLE public.t ADD COLUMN mood public.mood DEFAULT 'happy'::public.mood;\n",
	      "-- WARNING: drops column public.t.mood and the data in it\n"
	      "ALTER TABLE public.t DROP COLUMN mood;\n"
	      "DROP TYPE public.mood;\n",
	      "enum created before the column that uses it, dropped after it");
}

static void test_enum_values(void)
{
	struct pair p = fresh();

	b_enum(p.a, "public", "s", 2, "b", "d");
	b_enum(p.b, "public", "s", 5, "a", "b", "c", "d", "e");
	is_str(b_plan(p.a, p.b),
	       "ALTER TYPE public.s ADD VALUE IF NOT EXISTS 'a' BEFORE 'b';\n"
	       "ALTER TYPE public.s ADD VALUE IF NOT EXISTS 'c' AFTER 'b';\n"
	       "ALTER TYPE public.s ADD VALUE IF NOT EXISTS 'e' AFTER 'd';\n",
	       "enum values added at the start, middle and end");
	is_str(b_plan(p.b, p.a),
	       "-- WARNING: rebuilds enum public.s with its values changed (it had 'a', 'b', 'c', 'd', 'e'); rows holding a value that no longer exists make the migration fail\n"
	       "ALTER TYPE public.s RENAME TO s__sg_old;\n"
	       "DROP TYPE public.s__sg_old;\n"
	       "CREATE TYPE public.s AS ENUM ('b', 'd');\n",
	       "removing enum values rebuilds the type");
}

static void test_enum_rebuild_with_users(void)
{
	struct pair p = fresh();
	struct sg_catalog *cats[2] = { p.a, p.b };

	for (int i = 0; i < 2; i++) {
		struct sg_catalog *c = cats[i];
		struct sg_enum *e = i ? b_enum(c, "public", "st", 2, "new", "done")
				      : b_enum(c, "public", "st", 3, "new", "old", "done");
		struct sg_table *t = b_table(c, "public", "t");
		struct sg_column *col = b_col(c, t, "s", "public.st", true,
					      "'new'::public.st");
		struct sg_column *arr = b_col(c, t, "hist", "public.st[]", false, NULL);
		struct sg_constraint *k = b_con(c, t, "t_s_check", 'c',
						"CHECK ((s <> 'done'::public.st))", 1, "s");
		struct sg_index *ix = b_index(c, t, "t_new_idx", false, "s");

		ix->where = "(s = 'new'::public.st)";
		ix->definition = "CREATE INDEX t_new_idx ON public.t USING btree (s) "
				 "WHERE (s = 'new'::public.st)";
		sg_catalog_add_dep(c, &col->obj, &e->obj, 'n');
		sg_catalog_add_dep(c, &arr->obj, &e->obj, 'n');
		sg_catalog_add_dep(c, &k->obj, &e->obj, 'n');
		sg_catalog_add_dep(c, &ix->obj, &e->obj, 'n');
	}
	is_str(b_plan(p.a, p.b),
	       "DROP INDEX public.t_new_idx;\n"
	       "ALTER TABLE public.t DROP CONSTRAINT t_s_check;\n"
	       "-- WARNING: rebuilds enum public.st with its values changed (it had 'new', 'old', 'done'); rows holding a value that no longer exists make the migration fail\n"
	       "ALTER TYPE public.st RENAME TO st__sg_old;\n"
	       "CREATE TYPE public.st AS ENUM ('new', 'done');\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN hist TYPE public.st[] USING hist::text[]::public.st[];\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN s DROP DEFAULT,\n"
	       "    ALTER COLUMN s TYPE public.st USING s::text::public.st,\n"
	       "    ALTER COLUMN s SET DEFAULT 'new'::public.st;\n"
	       "DROP TYPE public.st__sg_old;\n"
	       "ALTER TABLE public.t ADD CONSTRAINT t_s_check CHECK ((s <> 'done'::public.st));\n"
	       "CREATE INDEX t_new_idx ON public.t USING btree (s) WHERE (s = 'new'::public.st);\n",
	       "an enum rebuild recasts its columns and rebuilds the constraints and indexes that name it");
}

static void test_serial(void)
{
	struct pair p = fresh();
	struct sg_table *t = b_table(p.b, "public", "t");
	struct sg_sequence *s = b_seq(p.b, "public", "t_id_seq", "integer");
	struct sg_column *c = b_col(p.b, t, "id", "integer", true,
				    "nextval('public.t_id_seq'::regclass)");

	s->owned_table = "t";
	s->owned_column = "id";
	sg_catalog_add_dep(p.b, &c->obj, &s->obj, 'n');
	check(p,
	      "CREATE SEQUENCE public.t_id_seq AS integer;\n"
	      "CREATE TABLE public.t (\n"
	      "    id integer DEFAULT nextval('public.t_id_seq'::regclass) NOT NULL\n"
	      ");\n"
	      "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n",
	      "-- WARNING: drops table public.t and the data in it\n"
	      "DROP TABLE public.t;\n",
	      "serial column: sequence, table, ownership; the drop takes the sequence along");
}

static void test_disown_and_drop_owner(void)
{
	struct pair p = fresh();
	struct sg_table *t = b_table(p.a, "public", "t");
	struct sg_sequence *sa = b_seq(p.a, "public", "s", "bigint");
	struct sg_column *c = b_col(p.a, t, "id", "bigint", false,
				    "nextval('public.s'::regclass)");

	sa->owned_table = "t";
	sa->owned_column = "id";
	sg_catalog_add_dep(p.a, &c->obj, &sa->obj, 'n');
	b_seq(p.b, "public", "s", "integer");
	check(p,
	      "ALTER SEQUENCE public.s OWNED BY NONE;\n"
	      "-- WARNING: drops table public.t and the data in it\n"
	      "DROP TABLE public.t;\n"
	      "ALTER SEQUENCE public.s AS integer MAXVALUE 2147483647;\n",
	      "ALTER SEQUENCE public.s AS bigint MAXVALUE 9223372036854775807;\n"
	      "CREATE TABLE public.t (\n"
	      "    id bigint DEFAULT nextval('public.s'::regclass)\n"
	      ");\n"
	      "ALTER SEQUENCE public.s OWNED BY public.t.id;\n",
	      "a sequence changed, disowned and kept while its owner table goes");
}

static void test_replace_unique_under_fk(void)
{
	struct pair p = fresh();
	struct sg_table *ca, *cb, *oa, *ob;
	struct sg_constraint *ua, *ub;

	ca = b_table(p.a, "public", "c");
	b_col(p.a, ca, "code", "text", true, NULL);
	b_col(p.a, ca, "region", "text", true, NULL);
	ua = b_con(p.a, ca, "c_code_key", 'u', "UNIQUE (code)", 1, "code");
	oa = b_table(p.a, "public", "o");
	b_col(p.a, oa, "code", "text", false, NULL);
	b_fk(p.a, oa, "o_code_fkey", "code", ca, ua, "code");

	cb = b_table(p.b, "public", "c");
	b_col(p.b, cb, "code", "text", true, NULL);
	b_col(p.b, cb, "region", "text", true, NULL);
	ub = b_con(p.b, cb, "c_code_key", 'u', "UNIQUE (code) INCLUDE (region)", 1, "code");
	ob = b_table(p.b, "public", "o");
	b_col(p.b, ob, "code", "text", false, NULL);
	b_fk(p.b, ob, "o_code_fkey", "code", cb, ub, "code");
	check(p,
	      "ALTER TABLE public.o DROP CONSTRAINT o_code_fkey;\n"
	      "ALTER TABLE public.c DROP CONSTRAINT c_code_key;\n"
	      "ALTER TABLE public.c ADD CONSTRAINT c_code_key UNIQUE (code) INCLUDE (region);\n"
	      "ALTER TABLE public.o ADD CONSTRAINT o_code_fkey FOREIGN KEY (code) REFERENCES public.c(code);\n",
	      "ALTER TABLE public.o DROP CONSTRAINT o_code_fkey;\n"
	      "ALTER TABLE public.c DROP CONSTRAINT c_code_key;\n"
	      "ALTER TABLE public.c ADD CONSTRAINT c_code_key UNIQUE (code);\n"
	      "ALTER TABLE public.o ADD CONSTRAINT o_code_fkey FOREIGN KEY (code) REFERENCES public.c(code);\n",
	      "an unchanged foreign key is rebuilt around the unique constraint it uses");
}

static void test_rename_table(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "clients");
	struct sg_table *tb = b_table(p.b, "public", "customers");
	struct sg_column *c;

	b_col(p.a, ta, "id", "integer", true, NULL);
	b_col(p.a, ta, "mail", "text", false, NULL);
	b_index(p.a, ta, "clients_mail_idx", false, "mail");
	b_col(p.b, tb, "id", "integer", true, NULL);
	c = b_col(p.b, tb, "email", "text", false, NULL);
	c->obj.renamed_from = "mail";
	b_index(p.b, tb, "clients_mail_idx", false, "email");
	tb->obj.renamed_from = "clients";
	check(p,
	      "ALTER TABLE public.clients RENAME TO customers;\n"
	      "ALTER TABLE public.customers RENAME COLUMN mail TO email;\n",
	      "ALTER TABLE public.customers RENAME TO clients;\n"
	      "ALTER TABLE public.clients RENAME COLUMN email TO mail;\n",
	      "declared renames of a table and a column keep the index");
}

static void test_rename_keeps_dependents(void)
{
	struct pair p = fresh();
	struct sg_catalog *cats[2] = { p.a, p.b };

	for (int i = 0; i < 2; i++) {
		struct sg_catalog *c = cats[i];
		const char *tn = i ? "customers" : "clients";
		const char *col = i ? "email" : "mail";
		struct sg_table *t = b_table(c, "public", tn);
		struct sg_table *o = b_table(c, "public", "orders");
		struct sg_constraint *pk;
		struct sg_column *cc;

		b_col(c, t, "id", "integer", true, NULL);
		cc = b_col(c, t, col, "text", false, NULL);
		pk = b_con(c, t, i ? "customers_pkey" : "clients_pkey", 'p',
			   "PRIMARY KEY (id)", 1, "id");
		b_index(c, t, i ? "customers_email_idx" : "clients_mail_idx", false, col);
		b_col(c, o, "customer_id", "integer", false, NULL);
		b_fk(c, o, "orders_customer_id_fkey", "customer_id", t, pk, "id");
		if (i) {
			t->obj.renamed_from = "clients";
			cc->obj.renamed_from = "mail";
		}
	}
	check(p,
	      "ALTER TABLE public.clients RENAME TO customers;\n"
	      "ALTER TABLE public.customers RENAME COLUMN mail TO email;\n"
	      "ALTER TABLE public.customers RENAME CONSTRAINT clients_pkey TO customers_pkey;\n"
	      "ALTER INDEX public.clients_mail_idx RENAME TO customers_email_idx;\n",
	      "ALTER TABLE public.customers RENAME TO clients;\n"
	      "ALTER TABLE public.clients RENAME COLUMN email TO mail;\n"
	      "ALTER TABLE public.clients RENAME CONSTRAINT customers_pkey TO clients_pkey;\n"
	      "ALTER INDEX public.customers_email_idx RENAME TO clients_mail_idx;\n",
	      "a renamed table keeps its key, index and the foreign keys on it, renamed along");
}

static void test_column_changes(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");

	b_col(p.a, ta, "n", "text", false, "'1'::text");
	b_col(p.a, ta, "s", "character varying(10)", false, NULL);
	b_col(p.b, tb, "n", "integer", true, "0");
	b_col(p.b, tb, "s", "character varying(20)", false, NULL);
	check(p,
	      "-- WARNING: changes the type of column public.t.n from text to integer: values may be rounded or truncated, or fail to convert\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN n DROP DEFAULT,\n"
	      "    ALTER COLUMN n TYPE integer USING n::integer,\n"
	      "    ALTER COLUMN n SET NOT NULL,\n"
	      "    ALTER COLUMN n SET DEFAULT 0;\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN s TYPE character varying(20);\n",
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN n DROP DEFAULT,\n"
	      "    ALTER COLUMN n DROP NOT NULL,\n"
	      "    ALTER COLUMN n TYPE text USING n::text,\n"
	      "    ALTER COLUMN n SET DEFAULT '1'::text;\n"
	      "-- WARNING: changes the type of column public.t.s from character varying(20) to character varying(10): values may be rounded or truncated, or fail to convert\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN s TYPE character varying(10);\n",
	      "type, default and NOT NULL changes, USING only across type families, no warning when widening (to text too)");
}

static void test_identity(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");
	struct sg_column *c;

	b_col(p.a, ta, "id", "bigint", false, NULL);
	c = b_col(p.b, tb, "id", "bigint", true, NULL);
	c->identity = 'a';
	c->identity_opts = (struct sg_seqopts){
		.set = SG_SEQ_ALL, .type = "bigint", .start = 10, .increment = 5,
		.min = 1, .max = 9223372036854775807LL, .cache = 1, .cycle = false };
	check(p,
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN id SET NOT NULL,\n"
	      "    ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (INCREMENT BY 5 START WITH 10);\n",
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN id DROP IDENTITY,\n"
	      "    ALTER COLUMN id DROP NOT NULL;\n",
	      "identity added with options, and dropped");
}

static void test_schema_and_name_reuse(void)
{
	struct pair p = fresh();
	struct sg_table *ta, *tb;

	b_schema(p.b, "billing");
	tb = b_table(p.b, "billing", "invoices");
	b_col(p.b, tb, "id", "integer", false, NULL);
	/* an index name moves from one table to another */
	ta = b_table(p.a, "public", "x");
	b_col(p.a, ta, "a", "integer", false, NULL);
	b_index(p.a, ta, "shared_idx", false, "a");
	tb = b_table(p.b, "public", "x");
	b_col(p.b, tb, "a", "integer", false, NULL);
	tb = b_table(p.b, "public", "y");
	b_col(p.b, tb, "a", "integer", false, NULL);
	b_index(p.b, tb, "shared_idx", false, "a");
	check(p,
	      "DROP INDEX public.shared_idx;\n"
	      "CREATE SCHEMA billing;\n"
	      "CREATE TABLE billing.invoices (\n"
	      "    id integer\n"
	      ");\n"
	      "CREATE TABLE public.y (\n"
	      "    a integer\n"
	      ");\n"
	      "CREATE INDEX shared_idx ON public.y USING btree (a);\n",
	      "-- WARNING: drops table billing.invoices and the data in it\n"
	      "DROP TABLE billing.invoices;\n"
	      "-- WARNING: drops table public.y and the data in it\n"
	      "DROP TABLE public.y;\n"
	      "DROP SCHEMA billing;\n"
	      "CREATE INDEX shared_idx ON public.x USING btree (a);\n",
	      "schema created first and dropped last; a reused name is freed first");
}

/* ---- views ---- */

/* items(id, name) and, when with_views, v on items and w on v */
static struct sg_table *items_and_views(struct sg_catalog *c, const char *name_type,
					bool with_views, struct sg_view **vp)
{
	struct sg_table *t = b_table(c, "public", "items");
	struct sg_column *id = b_col(c, t, "id", "bigint", true, NULL);
	struct sg_column *name = b_col(c, t, "name", name_type, false, NULL);
	struct sg_view *v, *w;

	if (!with_views)
		return t;
	v = b_view(c, "public", "v", 'v', "SELECT items.id,\n    items.name\n   FROM public.items");
	b_col(c, &v->rel, "id", "bigint", false, NULL);
	b_col(c, &v->rel, "name", name_type, false, NULL);
	b_uses(c, v, &id->obj);
	b_uses(c, v, &name->obj);
	w = b_view(c, "public", "w", 'v', "SELECT v.name\n   FROM public.v");
	b_col(c, &w->rel, "name", name_type, false, NULL);
	b_uses(c, w, &v->rel.columns[1]->obj);
	if (vp)
		*vp = v;
	return t;
}

static void test_view_column_type(void)
{
	struct pair p = fresh();

	items_and_views(p.a, "text", true, NULL);
	items_and_views(p.b, "character varying(100)", true, NULL);
	check(p,
	      "DROP VIEW public.w;\n"
	      "DROP VIEW public.v;\n"
	      "-- WARNING: changes the type of column public.items.name from text to character varying(100): values may be rounded or truncated, or fail to convert\n"
	      "ALTER TABLE public.items\n"
	      "    ALTER COLUMN name TYPE character varying(100);\n"
	      "CREATE VIEW public.v AS\n"
	      " SELECT items.id,\n"
	      "    items.name\n"
	      "   FROM public.items;\n"
	      "CREATE VIEW public.w AS\n"
	      " SELECT v.name\n"
	      "   FROM public.v;\n",
	      "DROP VIEW public.w;\n"
	      "DROP VIEW public.v;\n"
	      "ALTER TABLE public.items\n"
	      "    ALTER COLUMN name TYPE text;\n"
	      "CREATE VIEW public.v AS\n"
	      " SELECT items.id,\n"
	      "    items.name\n"
	      "   FROM public.items;\n"
	      "CREATE VIEW public.w AS\n"
	      " SELECT v.name\n"
	      "   FROM public.v;\n",
	      "a column's type changes under a view and a view of a view");
}

/* The unchanged views are rebuilt even when only the column's collation
 * changes (SG_CHG_TYPE) and the views' own columns look the same. */
static void test_view_column_collation(void)
{
	struct pair p = fresh();
	struct sg_table *t;

	items_and_views(p.a, "text", true, NULL);
	t = items_and_views(p.b, "text", true, NULL);
	t->columns[1]->collation = "\"C\"";
	is_str(b_plan(p.a, p.b),
	       "DROP VIEW public.w;\n"
	       "DROP VIEW public.v;\n"
	       "ALTER TABLE public.items\n"
	       "    ALTER COLUMN name TYPE text COLLATE \"C\";\n"
	       "CREATE VIEW public.v AS\n"
	       " SELECT items.id,\n"
	       "    items.name\n"
	       "   FROM public.items;\n"
	       "CREATE VIEW public.w AS\n"
	       " SELECT v.name\n"
	       "   FROM public.v;\n",
	       "a column's collation changes under unchanged views");
}

static void test_table_becomes_view(void)
{
	struct pair p = fresh();
	struct sg_table *old, *items;
	struct sg_view *nv, *w;

	/* from: table t (a) and view w on it; to: view t, w unchanged */
	items_and_views(p.a, "text", false, NULL);
	old = b_table(p.a, "public", "t");
	b_col(p.a, old, "a", "text", false, NULL);
	w = b_view(p.a, "public", "w", 'v', "SELECT t.a\n   FROM public.t");
	b_col(p.a, &w->rel, "a", "text", false, NULL);
	b_uses(p.a, w, &old->columns[0]->obj);

	items = items_and_views(p.b, "text", false, NULL);
	nv = b_view(p.b, "public", "t", 'v', "SELECT items.name AS a\n   FROM public.items");
	b_col(p.b, &nv->rel, "a", "text", false, NULL);
	b_uses(p.b, nv, &items->columns[1]->obj);
	w = b_view(p.b, "public", "w", 'v', "SELECT t.a\n   FROM public.t");
	b_col(p.b, &w->rel, "a", "text", false, NULL);
	b_uses(p.b, w, &nv->rel.columns[0]->obj);
	check(p,
	      "DROP VIEW public.w;\n"
	      "-- WARNING: drops table public.t and the data in it\n"
	      "DROP TABLE public.t;\n"
	      "CREATE VIEW public.t AS\n"
	      " SELECT items.name AS a\n"
	      "   FROM public.items;\n"
	      "CREATE VIEW public.w AS\n"
	      " SELECT t.a\n"
	      "   FROM public.t;\n",
	      "DROP VIEW public.w;\n"
	      "DROP VIEW public.t;\n"
	      "CREATE TABLE public.t (\n"
	      "    a text\n"
	      ");\n"
	      "CREATE VIEW public.w AS\n"
	      " SELECT t.a\n"
	      "   FROM public.t;\n",
	      "a table replaced by a view, an unchanged view on it");
}

/* Replaced in place: the new definition no longer uses the dropped column,
 * so no rebuild; the replacement comes before the drop. */
static void test_view_replaced_before_drop(void)
{
	struct pair p = fresh();
	struct sg_table *ta, *tb;
	struct sg_view *va, *vb;

	ta = items_and_views(p.a, "text", false, NULL);
	va = b_view(p.a, "public", "v", 'v', "SELECT items.name AS n\n   FROM public.items");
	b_col(p.a, &va->rel, "n", "text", false, NULL);
	b_uses(p.a, va, &ta->columns[1]->obj);

	tb = b_table(p.b, "public", "items");
	b_col(p.b, tb, "id", "bigint", true, NULL);
	b_col(p.b, tb, "label", "text", false, NULL);
	vb = b_view(p.b, "public", "v", 'v', "SELECT items.label AS n\n   FROM public.items");
	b_col(p.b, &vb->rel, "n", "text", false, NULL);
	b_uses(p.b, vb, &tb->columns[1]->obj);
	is_str(b_plan(p.a, p.b),
	       "ALTER TABLE public.items ADD COLUMN label text;\n"
	       "CREATE OR REPLACE VIEW public.v AS\n"
	       " SELECT items.label AS n\n"
	       "   FROM public.items;\n"
	       "-- WARNING: drops column public.items.name and the data in it\n"
	       "ALTER TABLE public.items DROP COLUMN name;\n",
	       "a view replaced in place before the column it used is dropped");
}

/* A materialized view rebuilt under a column type change keeps its
 * indexes and comments; a view replaced in place on top of it is rebuilt
 * too, since it cannot outlive the materialized view's drop. */
static void test_matview_rebuild(void)
{
	struct pair p = fresh();

	for (int side = 0; side < 2; side++) {
		struct sg_catalog *c = side ? p.b : p.a;
		struct sg_table *t = items_and_views(c, side ? "bigint" : "integer", false, NULL);
		struct sg_view *m = b_view(c, "public", "m", 'm', "SELECT items.name\n   FROM public.items");
		struct sg_view *v = b_view(c, "public", "top", 'v',
			side ? "SELECT m.name\n   FROM public.m\n LIMIT 2"
			     : "SELECT m.name\n   FROM public.m\n LIMIT 1");
		struct sg_index *ix;

		m->rel.obj.comment = "names";
		m->reloptions = sg_alloc_array(B, 1, sizeof(char *));
		m->reloptions[0] = "fillfactor=70";
		m->nreloptions = 1;
		m->with_data = false;
		b_col(c, &m->rel, "name", side ? "bigint" : "integer", false, NULL)->obj.comment = "the name";
		b_uses(c, m, &t->columns[1]->obj);
		ix = b_index(c, &m->rel, "m_name_idx", true, "name");
		ix->obj.comment = "unique names";
		b_col(c, &v->rel, "name", side ? "bigint" : "integer", false, NULL);
		b_uses(c, v, &m->rel.columns[0]->obj);
	}
	is_str(b_plan(p.a, p.b),
	       "DROP VIEW public.top;\n"
	       "DROP MATERIALIZED VIEW public.m;\n"
	       "ALTER TABLE public.items\n"
	       "    ALTER COLUMN name TYPE bigint;\n"
	       "CREATE MATERIALIZED VIEW public.m WITH (fillfactor = '70') AS\n"
	       " SELECT items.name\n"
	       "   FROM public.items\n"
	       "  WITH NO DATA;\n"
	       "COMMENT ON MATERIALIZED VIEW public.m IS 'names';\n"
	       "COMMENT ON COLUMN public.m.name IS 'the name';\n"
	       "CREATE UNIQUE INDEX m_name_idx ON public.m USING btree (name);\n"
	       "COMMENT ON INDEX public.m_name_idx IS 'unique names';\n"
	       "CREATE VIEW public.top AS\n"
	       " SELECT m.name\n"
	       "   FROM public.m\n"
	       " LIMIT 2;\n",
	       "a materialized view rebuilt with its index and comments, a replaced view on it too");
}

/* ---- extensions, domains, composite types, collations, enum renames ---- */

static struct sg_extension *ext(struct sg_catalog *c, const char *schema,
				const char *name, const char *version)
{
	struct sg_extension *e = SG_NEW(c, sg_extension, SG_KIND_EXTENSION,
					schema, name, NULL);

	e->version = version;
	sg_catalog_add_dep(c, &e->obj, b_schema_of(c, schema), 'n');
	return e;
}

static struct sg_domain *domain(struct sg_catalog *c, const char *name,
				const char *base)
{
	struct sg_domain *d = SG_NEW(c, sg_domain, SG_KIND_DOMAIN, "public", name,
				     NULL);

	d->base_type = base;
	sg_catalog_add_dep(c, &d->obj, b_schema_of(c, "public"), 'n');
	return d;
}

/* n attributes "name type" follow */
static struct sg_composite *composite(struct sg_catalog *c, const char *name,
				      int n, ...)
{
	struct sg_composite *t = SG_NEW(c, sg_composite, SG_KIND_COMPOSITE,
					"public", name, NULL);
	va_list ap;

	t->attrs = sg_alloc_array(B, (size_t)n + 1, sizeof(*t->attrs));
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		t->attrs[i].name = va_arg(ap, const char *);
		t->attrs[i].type = va_arg(ap, const char *);
	}
	va_end(ap);
	t->nattrs = (size_t)n;
	sg_catalog_add_dep(c, &t->obj, b_schema_of(c, "public"), 'n');
	return t;
}

static void test_extension_users(void)
{
	struct pair p = fresh();
	struct sg_extension *x = ext(p.b, "public", "citext", "1.6");
	struct sg_table *t = b_table(p.b, "public", "users");
	struct sg_column *col = b_col(p.b, t, "email", "public.citext", false, NULL);
	struct sg_index *ix = b_index(p.b, t, "users_email", false, "email");

	ix->definition = "CREATE INDEX users_email ON public.users USING gin "
			 "(email public.gin_trgm_ops)";
	sg_catalog_add_dep(p.b, &col->obj, &x->obj, 'n');
	sg_catalog_add_dep(p.b, &ix->obj, &ext(p.b, "public", "pg_trgm", "1.6")->obj, 'n');
	check(p,
	      "CREATE EXTENSION citext WITH SCHEMA public VERSION '1.6';\n"
	      "CREATE EXTENSION pg_trgm WITH SCHEMA public VERSION '1.6';\n"
	      "CREATE TABLE public.users (\n"
	      "    email public.citext\n"
	      ");\n"
	      "CREATE INDEX users_email ON public.users USING gin (email public.gin_trgm_ops);\n",
	      "-- WARNING: drops table public.users and the data in it\n"
	      "DROP TABLE public.users;\n"
	      "-- WARNING: drops extension citext and every object it created, with their data\n"
	      "DROP EXTENSION citext;\n"
	      "-- WARNING: drops extension pg_trgm and every object it created, with their data\n"
	      "DROP EXTENSION pg_trgm;\n",
	      "extensions before what uses them, dropped after");
}

static void test_extension_move(void)
{
	struct pair p = fresh();
	struct sg_catalog *cats[2] = { p.a, p.b };

	b_schema(p.b, "ext");
	for (int i = 0; i < 2; i++) {
		struct sg_extension *x = ext(cats[i], i ? "ext" : "public", "citext",
					     i ? "1.6" : "1.5");
		struct sg_table *t = b_table(cats[i], "public", "users");
		struct sg_column *col = b_col(cats[i], t, "email",
					      i ? "ext.citext" : "public.citext",
					      false, NULL);

		x->update_targets_known = true;
		if (!i) {
			x->update_targets = sg_alloc_array(B, 1, sizeof(char *));
			x->update_targets[0] = "1.6";
			x->nupdate_targets = 1;
		}
		sg_catalog_add_dep(cats[i], &col->obj, &x->obj, 'n');
	}
	check(p,
	      "CREATE SCHEMA ext;\n"
	      "ALTER EXTENSION citext SET SCHEMA ext;\n"
	      "ALTER EXTENSION citext UPDATE TO '1.6';\n",
	      "ALTER EXTENSION citext SET SCHEMA public;\n"
	      "-- the server this was generated on has no update path from version 1.6 to 1.5: PostgreSQL will refuse this step\n"
	      "ALTER EXTENSION citext UPDATE TO '1.5';\n"
	      "DROP SCHEMA ext;\n",
	      "an extension moves (its column keeps its type) and changes version");
}

static void test_domain_rebuild_layers(void)
{
	struct pair p = fresh();
	struct sg_catalog *cats[2] = { p.a, p.b };

	for (int i = 0; i < 2; i++) {
		struct sg_catalog *c = cats[i];
		struct sg_domain *base = domain(c, "qty", i ? "bigint" : "integer");
		struct sg_domain *top = domain(c, "big_qty", "public.qty");
		struct sg_composite *pair = composite(c, "line", 2, "q", "public.qty",
						      "note", "text");
		struct sg_table *t = b_table(c, "public", "t");
		struct sg_column *a = b_col(c, t, "a", "public.big_qty", false, NULL);
		struct sg_column *l = b_col(c, t, "l", "public.line", false, NULL);

		sg_catalog_add_dep(c, &top->obj, &base->obj, 'n');
		sg_catalog_add_dep(c, &pair->obj, &base->obj, 'n');
		sg_catalog_add_dep(c, &a->obj, &top->obj, 'n');
		sg_catalog_add_dep(c, &l->obj, &pair->obj, 'n');
	}
	is_str(b_plan(p.a, p.b),
	       "-- WARNING: rebuilds domain public.big_qty: the columns that use it are cast to the new one through text, and a value that does not convert or fails a check makes the migration fail\n"
	       "ALTER DOMAIN public.big_qty RENAME TO big_qty__sg_old;\n"
	       "-- WARNING: rebuilds domain public.qty: the columns that use it are cast to the new one through text, and a value that does not convert or fails a check makes the migration fail\n"
	       "ALTER DOMAIN public.qty RENAME TO qty__sg_old;\n"
	       "-- WARNING: rebuilds type public.line: the columns that use it are converted attribute by attribute (by name; dropped attributes are lost, new ones are null), arrays of it through text; a value that does not convert makes the migration fail\n"
	       "ALTER TYPE public.line RENAME TO line__sg_old;\n"
	       "CREATE DOMAIN public.qty AS bigint;\n"
	       "CREATE DOMAIN public.big_qty AS public.qty;\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN a TYPE public.big_qty USING a::text::public.big_qty;\n"
	       "DROP DOMAIN public.big_qty__sg_old;\n"
	       "CREATE TYPE public.line AS (\n"
	       "    q public.qty,\n"
	       "    note text\n"
	       ");\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN l TYPE public.line USING CASE WHEN l IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW((l).q::public.qty, (l).note::text)::public.line END;\n"
	       "DROP TYPE public.line__sg_old;\n"
	       "DROP DOMAIN public.qty__sg_old;\n",
	       "a domain rebuilt: the domain and the type built on it follow, their columns recast");
}

static void test_composite_in_place_or_rebuilt(void)
{
	struct pair p = fresh();
	struct pair r = fresh();
	struct sg_composite *f, *t;
	struct sg_table *tb;

	/* no column uses it: attributes dropped, added at the end, retyped */
	composite(p.a, "addr", 2, "street", "text", "zip", "integer");
	composite(p.b, "addr", 3, "street", "text", "zip", "text", "city", "text");
	check(p,
	      "ALTER TYPE public.addr\n"
	      "    ALTER ATTRIBUTE zip TYPE text,\n"
	      "    ADD ATTRIBUTE city text;\n",
	      "-- WARNING: drops attribute city of type public.addr and their values wherever the type is stored\n"
	      "ALTER TYPE public.addr\n"
	      "    DROP ATTRIBUTE city,\n"
	      "    ALTER ATTRIBUTE zip TYPE integer;\n",
	      "a composite type altered in place");

	/* a column uses it: a retyped attribute rebuilds the type */
	f = composite(r.a, "addr", 1, "zip", "integer");
	t = composite(r.b, "addr", 1, "zip", "text");
	tb = b_table(r.a, "public", "t");
	sg_catalog_add_dep(r.a, &b_col(r.a, tb, "a", "public.addr", false, NULL)->obj,
			   &f->obj, 'n');
	tb = b_table(r.b, "public", "t");
	sg_catalog_add_dep(r.b, &b_col(r.b, tb, "a", "public.addr", false, NULL)->obj,
			   &t->obj, 'n');
	is_str(b_plan(r.a, r.b),
	       "-- WARNING: rebuilds type public.addr: the columns that use it are converted attribute by attribute (by name; dropped attributes are lost, new ones are null), arrays of it through text; a value that does not convert makes the migration fail\n"
	       "ALTER TYPE public.addr RENAME TO addr__sg_old;\n"
	       "CREATE TYPE public.addr AS (\n"
	       "    zip text\n"
	       ");\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN a TYPE public.addr USING CASE WHEN a IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW((a).zip::text)::public.addr END;\n"
	       "DROP TYPE public.addr__sg_old;\n",
	       "a composite type used by a column is rebuilt to retype an attribute");
}

static void test_collation_rebuild(void)
{
	struct pair p = fresh();
	struct sg_catalog *cats[2] = { p.a, p.b };

	for (int i = 0; i < 2; i++) {
		struct sg_catalog *c = cats[i];
		struct sg_collation *k = SG_NEW(c, sg_collation, SG_KIND_COLLATION,
						"public", "ci", NULL);
		struct sg_composite *ty;
		struct sg_table *t = b_table(c, "public", "t");
		struct sg_column *col = b_col(c, t, "name", "text", false, NULL);

		k->provider = 'i';
		k->locale = i ? "und-u-ks-level1" : "und-u-ks-level2";
		col->collation = "public.ci";
		sg_catalog_add_dep(c, &k->obj, b_schema_of(c, "public"), 'n');
		sg_catalog_add_dep(c, &col->obj, &k->obj, 'n');
		/* a composite type altered at the same time is rebuilt */
		ty = i ? composite(c, "pair", 2, "y", "text", "z", "integer")
		       : composite(c, "pair", 1, "y", "text");
		ty->attrs[0].collation = "public.ci";
		sg_catalog_add_dep(c, &ty->obj, &k->obj, 'n');
	}
	is_str(b_plan(p.a, p.b),
	       "-- WARNING: rebuilds collation public.ci: the columns that use it are altered to the new one, their indexes rebuilt\n"
	       "ALTER COLLATION public.ci RENAME TO ci__sg_old;\n"
	       "-- WARNING: rebuilds type public.pair: the columns that use it are converted attribute by attribute (by name; dropped attributes are lost, new ones are null), arrays of it through text; a value that does not convert makes the migration fail\n"
	       "ALTER TYPE public.pair RENAME TO pair__sg_old;\n"
	       "DROP TYPE public.pair__sg_old;\n"
	       "CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level1', deterministic = false);\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN name TYPE text COLLATE public.ci USING name::text::text;\n"
	       "DROP COLLATION public.ci__sg_old;\n"
	       "CREATE TYPE public.pair AS (\n"
	       "    y text COLLATE public.ci,\n"
	       "    z integer\n"
	       ");\n",
	       "a collation rebuilt: its columns altered, a type altered in place rebuilt instead");
}

static void test_enum_renames(void)
{
	struct pair p = fresh();
	struct pair r = fresh();
	struct sg_enum *e;
	static const char *renamed[] = { NULL, "m", "l", NULL };
	static const char *renamed2[] = { "b", NULL };

	b_enum(p.a, "public", "size", 3, "s", "m", "l");
	e = b_enum(p.b, "public", "size", 4, "s", "medium", "large", "xl");
	e->value_renamed_from = renamed;
	check(p,
	      "ALTER TYPE public.size ADD VALUE IF NOT EXISTS 'xl' AFTER 'l';\n"
	      "ALTER TYPE public.size RENAME VALUE 'm' TO 'medium';\n"
	      "ALTER TYPE public.size RENAME VALUE 'l' TO 'large';\n",
	      "ALTER TYPE public.size RENAME VALUE 'medium' TO 'm';\n"
	      "ALTER TYPE public.size RENAME VALUE 'large' TO 'l';\n"
	      "-- WARNING: rebuilds enum public.size with its values changed (it had 's', 'medium', 'large', 'xl'); rows holding a value that no longer exists make the migration fail\n"
	      "ALTER TYPE public.size RENAME TO size__sg_old;\n"
	      "DROP TYPE public.size__sg_old;\n"
	      "CREATE TYPE public.size AS ENUM ('s', 'm', 'l');\n",
	      "enum values renamed, both ways; renamed before a rebuild");

	/* renamed and reordered at once */
	b_enum(r.a, "public", "e", 2, "a", "b");
	e = b_enum(r.b, "public", "e", 2, "x", "a");
	e->value_renamed_from = renamed2;
	is_str(b_plan(r.a, r.b),
	       "ALTER TYPE public.e RENAME VALUE 'b' TO 'x';\n"
	       "-- WARNING: rebuilds enum public.e with its values changed (it had 'a', 'b'); rows holding a value that no longer exists make the migration fail\n"
	       "ALTER TYPE public.e RENAME TO e__sg_old;\n"
	       "DROP TYPE public.e__sg_old;\n"
	       "CREATE TYPE public.e AS ENUM ('x', 'a');\n",
	       "a value renamed and moved: renamed in the old type, then rebuilt");
}

/* ---- functions and triggers ---- */

/* A function as introspection reads it: definition, result, argsig. */
static struct sg_function *o_func(struct sg_catalog *c, const char *proname,
				  const char *args, const char *types,
				  const char *result, const char *body)
{
	struct sg_function *f = SG_NEW(c, sg_function, SG_KIND_FUNCTION, "public",
				       sg_printf(B, "%s(%s)", proname, types), NULL);

	f->proname = sg_strdup(B, proname);
	f->prokind = 'f';
	f->arguments = sg_strdup(B, args);
	f->result = sg_strdup(B, result);
	f->argsig = sg_printf(B, "i:x:%s", types);
	f->language = "sql";
	f->body = sg_strdup(B, body);
	f->definition = sg_printf(B, "CREATE OR REPLACE FUNCTION public.%s(%s)\n"
				  " RETURNS %s\n LANGUAGE sql\nAS $function$%s$function$\n",
				  proname, args, result, body);
	sg_catalog_add_dep(c, &f->obj, b_schema_of(c, "public"), 'n');
	return f;
}

static struct sg_trigger *o_trigger(struct sg_catalog *c, struct sg_table *t,
				    const char *name, const char *rest,
				    struct sg_function *fn, struct sg_function *when)
{
	struct sg_trigger *g = SG_NEW(c, sg_trigger, SG_KIND_TRIGGER, NULL, name, &t->obj);

	g->definition = sg_printf(B, "CREATE TRIGGER %s %s", name, rest);
	g->enabled = 'O';
	sg_catalog_add_dep(c, &g->obj, &t->obj, 'a');
	sg_catalog_add_dep(c, &g->obj, &fn->obj, 'n');
	if (when)
		sg_catalog_add_dep(c, &g->obj, &when->obj, 'n');
	return g;
}

/* t(a integer DEFAULT twice(1)), a trigger calling touch() when twice(new.a) > 0 */
static void o_items(struct sg_catalog *c, const char *result, const char *body,
		    const char *touch_body)
{
	struct sg_function *twice = o_func(c, "twice", "x integer", "integer", result, body);
	struct sg_function *touch = o_func(c, "touch", "", "", "trigger", touch_body);
	struct sg_table *t = b_table(c, "public", "t");
	struct sg_column *a = b_col(c, t, "a", "integer", false, "public.twice(1)");

	sg_catalog_add_dep(c, &a->obj, &twice->obj, 'n');
	o_trigger(c, t, "t_touch", "BEFORE INSERT ON public.t FOR EACH ROW "
		  "WHEN ((public.twice(new.a) > 0)) EXECUTE FUNCTION public.touch()",
		  touch, twice);
}

static void test_function_rebuilt_under_dependents(void)
{
	struct pair p = fresh();

	o_items(p.a, "integer", "SELECT x * 2", "BEGIN RETURN NEW; END");
	o_items(p.b, "bigint", "SELECT x * 2", "BEGIN RETURN NEW; END");
	check(p,
	      "DROP TRIGGER t_touch ON public.t;\n"
	      "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n"
	      "DROP FUNCTION public.twice(integer);\n"
	      "SET check_function_bodies = off;\n"
	      "CREATE OR REPLACE FUNCTION public.twice(x integer)\n"
	      " RETURNS bigint\n"
	      " LANGUAGE sql\n"
	      "AS $function$SELECT x * 2$function$;\n"
	      "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT public.twice(1);\n"
	      "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW WHEN "
	      "((public.twice(new.a) > 0)) EXECUTE FUNCTION public.touch();\n",
	      "DROP TRIGGER t_touch ON public.t;\n"
	      "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n"
	      "DROP FUNCTION public.twice(integer);\n"
	      "SET check_function_bodies = off;\n"
	      "CREATE OR REPLACE FUNCTION public.twice(x integer)\n"
	      " RETURNS integer\n"
	      " LANGUAGE sql\n"
	      "AS $function$SELECT x * 2$function$;\n"
	      "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT public.twice(1);\n"
	      "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW WHEN "
	      "((public.twice(new.a) > 0)) EXECUTE FUNCTION public.touch();\n",
	      "a new result type: trigger rebuilt, default set aside, around the function");

	p = fresh();
	o_items(p.a, "integer", "SELECT x * 2", "BEGIN RETURN NEW; END");
	o_items(p.b, "integer", "SELECT x + x", "BEGIN RETURN NULL; END");
	check(p,
	      "SET check_function_bodies = off;\n"
	      "CREATE OR REPLACE FUNCTION public.touch()\n"
	      " RETURNS trigger\n"
	      " LANGUAGE sql\n"
	      "AS $function$BEGIN RETURN NULL; END$function$;\n"
	      "CREATE OR REPLACE FUNCTION public.twice(x integer)\n"
	      " RETURNS integer\n"
	      " LANGUAGE sql\n"
	      "AS $function$SELECT x + x$function$;\n",
	      "SET check_function_bodies = off;\n"
	      "CREATE OR REPLACE FUNCTION public.touch()\n"
	      " RETURNS trigger\n"
	      " LANGUAGE sql\n"
	      "AS $function$BEGIN RETURN NEW; END$function$;\n"
	      "CREATE OR REPLACE FUNCTION public.twice(x integer)\n"
	      " RETURNS integer\n"
	      " LANGUAGE sql\n"
	      "AS $function$SELECT x * 2$function$;\n",
	      "new bodies: replaced in place, nothing else touched");
}

static void test_function_under_generated_column(void)
{
	struct pair p = fresh();
	struct sg_diags d;
	struct sg_changes ch = { 0 };
	struct sg_plan plan = { 0 };

	for (int side = 0; side < 2; side++) {
		struct sg_catalog *c = side ? p.b : p.a;
		struct sg_function *f = o_func(c, "f", "x integer", "integer",
					       side ? "bigint" : "integer", "SELECT x");
		struct sg_table *t = b_table(c, "public", "t");
		struct sg_column *g = b_col(c, t, "g", "integer", false, NULL);

		g->generated = "public.f(1)";
		sg_catalog_add_dep(c, &g->obj, &f->obj, 'n');
	}
	sg_catalog_finish(p.a);
	sg_catalog_finish(p.b);
	sg_diags_init(&d, B);
	ok(diff_catalogs(B, p.a, p.b, &ch, &d) == 0 &&
	   order_changes(B, p.a, p.b, &ch, &plan, &d) < 0,
	   "a generated column cannot step aside for its function");
	is_str(d.n ? d.v[0].msg : "",
	       "cannot drop function public.f(integer): column public.t.g depends on it",
	       "the message names both");
}

/*
 * A column's type changes under a trigger whose WHEN reads it and under a
 * function whose SQL-standard body reads it, itself used by a view: all
 * three are dropped before the change and created again after, in
 * dependency order (PostgreSQL refuses the ALTER while any of them exists).
 */
static void test_column_type_under_function_trigger_view(void)
{
	struct pair p = fresh();

	for (int side = 0; side < 2; side++) {
		struct sg_catalog *c = side ? p.b : p.a;
		const char *type = side ? "bigint" : "integer";
		struct sg_function *total = o_func(c, "total", "", "", "bigint",
						   "SELECT sum(t.a) FROM public.t");
		struct sg_function *touch = o_func(c, "touch", "", "", "trigger",
						   "SELECT NULL");
		struct sg_table *t = b_table(c, "public", "t");
		struct sg_column *a = b_col(c, t, "a", type, false, NULL);
		struct sg_trigger *g;
		struct sg_view *v;

		sg_catalog_add_dep(c, &total->obj, &a->obj, 'n');
		g = o_trigger(c, t, "t_touch", "BEFORE INSERT ON public.t FOR EACH ROW "
			      "WHEN ((new.a > 0)) EXECUTE FUNCTION public.touch()",
			      touch, NULL);
		sg_catalog_add_dep(c, &g->obj, &a->obj, 'a');
		v = b_view(c, "public", "v", 'v', "SELECT public.total() AS n");
		b_col(c, &v->rel, "n", "bigint", false, NULL);
		b_uses(c, v, &total->obj);
	}
	is_str(b_plan(p.a, p.b),
	       "DROP VIEW public.v;\n"
	       "DROP TRIGGER t_touch ON public.t;\n"
	       "DROP FUNCTION public.total();\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN a TYPE bigint;\n"
	       "SET check_function_bodies = off;\n"
	       "CREATE OR REPLACE FUNCTION public.total()\n"
	       " RETURNS bigint\n"
	       " LANGUAGE sql\n"
	       "AS $function$SELECT sum(t.a) FROM public.t$function$;\n"
	       "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW "
	       "WHEN ((new.a > 0)) EXECUTE FUNCTION public.touch();\n"
	       "CREATE VIEW public.v AS\n"
	       " SELECT public.total() AS n;\n",
	       "a column's type changes under a trigger, a function and a view on it");
}

/*
 * A view over a column of a domain built on a domain being rebuilt: the
 * outer domain is rebuilt too and the column recast, so the view goes
 * first and comes back last.
 */
static void test_view_over_rebuilt_domain(void)
{
	struct pair p = fresh();
	struct sg_catalog *cats[2] = { p.a, p.b };

	for (int i = 0; i < 2; i++) {
		struct sg_catalog *c = cats[i];
		struct sg_domain *base = domain(c, "qty", i ? "bigint" : "integer");
		struct sg_domain *top = domain(c, "big_qty", "public.qty");
		struct sg_table *t = b_table(c, "public", "t");
		struct sg_column *a = b_col(c, t, "a", "public.big_qty", false, NULL);
		struct sg_view *v = b_view(c, "public", "v", 'v', "SELECT t.a\n   FROM public.t");

		sg_catalog_add_dep(c, &top->obj, &base->obj, 'n');
		sg_catalog_add_dep(c, &a->obj, &top->obj, 'n');
		b_col(c, &v->rel, "a", "public.big_qty", false, NULL);
		b_uses(c, v, &a->obj);
	}
	is_str(b_plan(p.a, p.b),
	       "DROP VIEW public.v;\n"
	       "-- WARNING: rebuilds domain public.big_qty: the columns that use it are cast to the new one through text, and a value that does not convert or fails a check makes the migration fail\n"
	       "ALTER DOMAIN public.big_qty RENAME TO big_qty__sg_old;\n"
	       "-- WARNING: rebuilds domain public.qty: the columns that use it are cast to the new one through text, and a value that does not convert or fails a check makes the migration fail\n"
	       "ALTER DOMAIN public.qty RENAME TO qty__sg_old;\n"
	       "CREATE DOMAIN public.qty AS bigint;\n"
	       "CREATE DOMAIN public.big_qty AS public.qty;\n"
	       "ALTER TABLE public.t\n"
	       "    ALTER COLUMN a TYPE public.big_qty USING a::text::public.big_qty;\n"
	       "DROP DOMAIN public.big_qty__sg_old;\n"
	       "DROP DOMAIN public.qty__sg_old;\n"
	       "CREATE VIEW public.v AS\n"
	       " SELECT t.a\n"
	       "   FROM public.t;\n",
	       "a view over a column recast through a rebuilt domain");
}

/* ---- policies, privileges ---- */

/* A policy with a USING expression on the given columns of t. */
static struct sg_policy *policy(struct sg_catalog *c, struct sg_table *t,
				const char *name, const char *using, int n, ...)
{
	struct sg_policy *p = SG_NEW(c, sg_policy, SG_KIND_POLICY, NULL, name, &t->obj);
	va_list ap;

	p->permissive = true;
	p->command = '*';
	p->roles = sg_alloc_array(B, 1, sizeof(*p->roles));
	p->roles[0] = SG_ROLE_PUBLIC;
	p->nroles = 1;
	p->using_expr = sg_strdup(B, using);
	sg_catalog_add_dep(c, &p->obj, &t->obj, 'a');
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		sg_catalog_add_dep(c, &p->obj,
				   &sg_table_column(t, va_arg(ap, const char *))->obj, 'n');
	va_end(ap);
	return p;
}

static void test_policy_over_retyped_column(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");

	b_col(p.a, ta, "n", "integer", false, NULL);
	b_col(p.b, tb, "n", "bigint", false, NULL);
	policy(p.a, ta, "p", "(n > 0)", 1, "n");
	policy(p.b, tb, "p", "(n > 0)", 1, "n");
	check(p,
	      "DROP POLICY p ON public.t;\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN n TYPE bigint;\n"
	      "CREATE POLICY p ON public.t USING ((n > 0));\n",
	      "DROP POLICY p ON public.t;\n"
	      "-- WARNING: changes the type of column public.t.n from bigint to integer: "
	      "values may be rounded or truncated, or fail to convert\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN n TYPE integer;\n"
	      "CREATE POLICY p ON public.t USING ((n > 0));\n",
	      "an unchanged policy is rebuilt around its column's type change");
}

static void test_altered_policy_over_retyped_column(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");

	b_col(p.a, ta, "n", "integer", false, NULL);
	b_col(p.b, tb, "n", "bigint", false, NULL);
	policy(p.a, ta, "p", "(n > 0)", 1, "n");
	policy(p.b, tb, "p", "(n > 1)", 1, "n")->obj.comment = "one";
	check(p,
	      "DROP POLICY p ON public.t;\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN n TYPE bigint;\n"
	      "CREATE POLICY p ON public.t USING ((n > 1));\n"
	      "COMMENT ON POLICY p ON public.t IS 'one';\n",
	      "DROP POLICY p ON public.t;\n"
	      "-- WARNING: changes the type of column public.t.n from bigint to integer: "
	      "values may be rounded or truncated, or fail to convert\n"
	      "ALTER TABLE public.t\n"
	      "    ALTER COLUMN n TYPE integer;\n"
	      "CREATE POLICY p ON public.t USING ((n > 0));\n",
	      "an altered policy over a retyped column is re-created, not altered");
}

static void test_policy_over_dropped_column(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");

	b_col(p.a, ta, "a", "integer", false, NULL);
	b_col(p.b, tb, "b", "integer", false, NULL);
	policy(p.a, ta, "p", "(a > 0)", 1, "a");
	policy(p.b, tb, "p", "(b > 0)", 1, "b");
	check(p,
	      "ALTER TABLE public.t ADD COLUMN b integer;\n"
	      "ALTER POLICY p ON public.t USING ((b > 0));\n"
	      "-- WARNING: drops column public.t.a and the data in it\n"
	      "ALTER TABLE public.t DROP COLUMN a;\n",
	      "ALTER TABLE public.t ADD COLUMN a integer;\n"
	      "ALTER POLICY p ON public.t USING ((a > 0));\n"
	      "-- WARNING: drops column public.t.b and the data in it\n"
	      "ALTER TABLE public.t DROP COLUMN b;\n",
	      "a policy moves off a column before the column is dropped");
	/* the policy goes with the column */
	p = fresh();
	ta = b_table(p.a, "public", "t");
	tb = b_table(p.b, "public", "t");
	b_col(p.a, ta, "a", "integer", false, NULL);
	b_col(p.a, ta, "b", "integer", false, NULL);
	b_col(p.b, tb, "b", "integer", false, NULL);
	policy(p.a, ta, "p", "(a > 0)", 1, "a");
	check(p,
	      "DROP POLICY p ON public.t;\n"
	      "-- WARNING: drops column public.t.a and the data in it\n"
	      "ALTER TABLE public.t DROP COLUMN a;\n",
	      "ALTER TABLE public.t ADD COLUMN a integer;\n"
	      "CREATE POLICY p ON public.t USING ((a > 0));\n",
	      "a dropped policy goes before its column, comes back after it");
}

static struct sg_grant *grants(const char *spec)
{
	/* "role=privs/grantable;..." */
	SG_VEC(struct sg_grant) v = { 0 };
	char *s = sg_strdup(B, spec), *save = NULL;

	for (char *g = strtok_r(s, ";", &save); g; g = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(g, '='), *sl = strchr(g, '/');
		struct sg_grant gr = { 0 };

		*eq = '\0';
		if (sl)
			*sl = '\0';
		gr.grantee = g;
		gr.privs = eq + 1;
		gr.grantable = sl ? sl + 1 : "";
		SG_VEC_PUSH(B, &v, gr);
	}
	return v.v;
}

static void set_grants(struct sg_object *o, const char *spec, size_t n)
{
	o->has_acl = true;
	o->grants = n ? grants(spec) : NULL;
	o->ngrants = n;
}

static void test_grants(void)
{
	struct pair p = fresh();
	struct sg_table *ta = b_table(p.a, "public", "t");
	struct sg_table *tb = b_table(p.b, "public", "t");
	struct sg_column *ca = b_col(p.a, ta, "c", "text", false, NULL);
	struct sg_column *cb = b_col(p.b, tb, "c", "text", false, NULL);
	struct sg_column *nb;

	set_grants(&ta->obj, "a=ar/r;b=arwd;public=r", 3);
	set_grants(&tb->obj, "a=r;c=r/r", 2);
	set_grants(&ca->obj, "", 0);
	set_grants(&cb->obj, "b=r", 1);
	/* a new column comes with its grants */
	nb = b_col(p.b, tb, "n", "integer", false, NULL);
	set_grants(&nb->obj, "a=w", 1);
	ta->rls_enabled = true;
	tb->rls_forced = true;
	check(p,
	      "ALTER TABLE public.t DISABLE ROW LEVEL SECURITY;\n"
	      "ALTER TABLE public.t FORCE ROW LEVEL SECURITY;\n"
	      "REVOKE INSERT ON TABLE public.t FROM a;\n"
	      "REVOKE GRANT OPTION FOR SELECT ON TABLE public.t FROM a;\n"
	      "REVOKE INSERT, SELECT, UPDATE, DELETE ON TABLE public.t FROM b;\n"
	      "GRANT SELECT (c) ON TABLE public.t TO b;\n"
	      "GRANT SELECT ON TABLE public.t TO c WITH GRANT OPTION;\n"
	      "REVOKE SELECT ON TABLE public.t FROM PUBLIC;\n"
	      "GRANT SELECT (c) ON TABLE public.t TO b;\n"
	      "ALTER TABLE public.t ADD COLUMN n integer;\n"
	      "GRANT UPDATE (n) ON TABLE public.t TO a;\n",
	      "-- WARNING: drops column public.t.n and the data in it\n"
	      "ALTER TABLE public.t DROP COLUMN n;\n"
	      "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;\n"
	      "ALTER TABLE public.t NO FORCE ROW LEVEL SECURITY;\n"
	      "GRANT INSERT ON TABLE public.t TO a;\n"
	      "GRANT SELECT ON TABLE public.t TO a WITH GRANT OPTION;\n"
	      "GRANT INSERT, SELECT, UPDATE, DELETE ON TABLE public.t TO b;\n"
	      "REVOKE SELECT ON TABLE public.t FROM c;\n"
	      "GRANT SELECT ON TABLE public.t TO PUBLIC;\n"
	      "REVOKE SELECT (c) ON TABLE public.t FROM b;\n",
	      "grants, grant options, a table-level REVOKE and the column that keeps "
	      "its privilege, RLS switches");
}

/* ---- partitions ---- */

/* t(a int) PARTITION BY LIST (a) */
static struct sg_table *partitioned(struct sg_catalog *c)
{
	struct sg_table *t = b_table(c, "public", "t");

	t->relkind = 'p';
	t->partition_key = "LIST (a)";
	b_col(c, t, "a", "integer", false, NULL);
	return t;
}

static struct sg_table *partition(struct sg_catalog *c, struct sg_table *t,
				  const char *name, const char *bound)
{
	struct sg_table *p = b_table(c, "public", name);

	p->relkind = 'r';
	p->partition_of = "public.t";
	p->partition_bound = bound;
	p->partition_parent = t;
	b_col(c, p, "a", "integer", false, NULL)->inherited = true;
	sg_catalog_add_dep(c, &p->obj, &t->obj, 'a');
	return p;
}

static struct sg_index *clone(struct sg_catalog *c, struct sg_table *p,
			      const char *name, const char *parent)
{
	struct sg_index *ix = b_index(c, p, name, false, "a");

	ix->attached_to = parent;
	ix->default_name = sg_printf(B, "%s_a_idx", p->obj.name);
	return ix;
}

static void test_partitioned_index(void)
{
	struct pair p = fresh();
	struct sg_table *t, *t1, *t2;
	struct sg_index *ix;

	t = partitioned(p.a);
	partition(p.a, t, "t1", "FOR VALUES IN (1)");
	t = partitioned(p.b);
	t1 = partition(p.b, t, "t1", "FOR VALUES IN (1)");
	t2 = partition(p.b, t, "t2", "FOR VALUES IN (2)");
	ix = b_index(p.b, t, "t_a_idx", false, "a");
	ix->definition = "CREATE INDEX t_a_idx ON ONLY public.t USING btree (a)";
	clone(p.b, t1, "t1_own_name", "t_a_idx");
	clone(p.b, t2, "t2_a_idx", "t_a_idx");
	check(p,
	      "CREATE INDEX t1_own_name ON public.t1 USING btree (a);\n"
	      "CREATE INDEX t_a_idx ON public.t USING btree (a);\n"
	      "CREATE TABLE public.t2 PARTITION OF public.t FOR VALUES IN (2);\n",
	      "DROP INDEX public.t_a_idx;\n"
	      "-- WARNING: drops table public.t2 and the data in it\n"
	      "DROP TABLE public.t2;\n",
	      "partitioned index: clones come with it or are made to be adopted");
}

static void test_rebound(void)
{
	struct pair p = fresh();
	struct sg_table *t;

	t = partitioned(p.a);
	partition(p.a, t, "t1", "FOR VALUES IN (1)");
	t = partitioned(p.b);
	b_col(p.b, t, "b", "text", false, NULL);
	b_col(p.b, partition(p.b, t, "t1", "FOR VALUES IN (1, 2)"), "b", "text",
	      false, NULL)->inherited = true;
	check(p,
	      "ALTER TABLE public.t DETACH PARTITION public.t1;\n"
	      "ALTER TABLE public.t ADD COLUMN b text;\n"
	      "ALTER TABLE public.t1 ADD COLUMN b text;\n"
	      "ALTER TABLE public.t ATTACH PARTITION public.t1 FOR VALUES IN (1, 2);\n",
	      "ALTER TABLE public.t DETACH PARTITION public.t1;\n"
	      "-- WARNING: drops column public.t.b and the data in it\n"
	      "ALTER TABLE public.t DROP COLUMN b;\n"
	      "-- WARNING: drops column public.t1.b and the data in it\n"
	      "ALTER TABLE public.t1 DROP COLUMN b;\n"
	      "ALTER TABLE public.t ATTACH PARTITION public.t1 FOR VALUES IN (1);\n",
	      "new bounds: detached, given the parent's new column, attached");
}

int main(void)
{
	B = sg_arena_new();
	test_identical();
	test_new_table_with_fk_to_existing();
	test_fk_loop();
	test_enum_column();
	test_enum_values();
	test_enum_rebuild_with_users();
	test_serial();
	test_replace_unique_under_fk();
	test_disown_and_drop_owner();
	test_rename_table();
	test_rename_keeps_dependents();
	test_column_changes();
	test_identity();
	test_schema_and_name_reuse();
	test_extension_users();
	test_extension_move();
	test_domain_rebuild_layers();
	test_composite_in_place_or_rebuilt();
	test_collation_rebuild();
	test_enum_renames();
	test_view_column_type();
	test_view_column_collation();
	test_table_becomes_view();
	test_view_replaced_before_drop();
	test_matview_rebuild();
	test_column_type_under_function_trigger_view();
	test_view_over_rebuilt_domain();
	test_function_rebuilt_under_dependents();
	test_function_under_generated_column();
	test_policy_over_retyped_column();
	test_altered_policy_over_retyped_column();
	test_policy_over_dropped_column();
	test_grants();
	test_partitioned_index();
	test_rebound();
	sg_arena_free(B);
	return tap_done();
}
