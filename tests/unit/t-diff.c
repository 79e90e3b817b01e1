// SPDX-License-Identifier: MIT
/*
 * t-diff.c - the differ on catalogs built in memory (catalog-builder.h):
 * for a representative set of kinds (table, column added / altered /
 * dropped, index, constraint, view, function, enum, sequence, grants,
 * comments), the exact list of changes, both directions: the operation,
 * the kind, the parts an ALTER changes, and emit_describe()'s line.
 */
#include <stdio.h>
#include <string.h>

#include "catalog-scenarios.h"
#include "tap.h"

static const char *const opname[] = { "create", "drop", "alter", "rename" };

static const char *const bitname[SG_CHGB__COUNT] = {
	[SG_CHGB_COMMENT] = "comment", [SG_CHGB_TYPE] = "type",
	[SG_CHGB_NOT_NULL] = "not_null", [SG_CHGB_DEFAULT] = "default",
	[SG_CHGB_SEQ_OPTS] = "seq_opts", [SG_CHGB_ENUM_VALUES] = "enum_values",
	[SG_CHGB_REBUILD] = "rebuild", [SG_CHGB_RECAST] = "recast",
	[SG_CHGB_GRANTS] = "grants", [SG_CHGB_DEFINITION] = "definition",
};

/* The changes from -> to, one line each: "op kind what: describe". */
static const char *changes(struct sg_catalog *from, struct sg_catalog *to)
{
	struct sg_changes ch = { 0 };
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	if (!from->finished)
		sg_catalog_finish(from);
	if (!to->finished)
		sg_catalog_finish(to);
	sg_diags_init(&d, B);
	if (diff_catalogs(B, from, to, &ch, &d) < 0) {
		sbuf_adds(&sb, "ERROR: ");
		for (size_t i = 0; i < d.n; i++)
			sg_diag_format(&sb, &d.v[i]);
	}
	for (size_t i = 0; i < ch.n; i++) {
		const struct sg_change *c = ch.v[i];

		sbuf_addf(&sb, "%s %s", opname[c->op], sg_kind_name(c->kind));
		for (int b = 0; b < SG_CHGB__COUNT; b++)
			if (c->what & SG_CHG(b))
				sbuf_addf(&sb, " %s", bitname[b] ? bitname[b] : "?");
		sbuf_adds(&sb, ": ");
		emit_describe(&sb, c);
		sbuf_addch(&sb, '\n');
	}
	r = sbuf_to_arena(&sb, B);
	sbuf_release(&sb);
	return r;
}

static void both(struct pair p, const char *up, const char *down, const char *name)
{
	is_str(changes(p.a, p.b), up, "%s: a -> b", name);
	is_str(changes(p.b, p.a), down, "%s: b -> a", name);
}

static void test_identical(void)
{
	struct pair p = fresh();

	orders(p.a);
	orders(p.b);
	both(p, "", "", "identical catalogs");
}

static void test_table(void)
{
	struct pair p = fresh();

	orders(p.b);
	/* every child its own change: the orderer folds them into the
	 * table's CREATE and DROP */
	both(p, "create table: + table public.orders\n"
	     "create column: + column public.orders.id\n"
	     "create column: + column public.orders.note\n"
	     "create constraint: + constraint orders_pkey on public.orders\n",
	     "drop table: - table public.orders\n"
	     "drop constraint: - constraint orders_pkey on public.orders\n"
	     "drop column: - column public.orders.id\n"
	     "drop column: - column public.orders.note\n",
	     "a table with its columns and key");
}

static void test_columns(void)
{
	both(sc_columns(),
	     "drop column: - column public.orders.gone\n"
	     "alter column type not_null default: ~ column public.orders.note: "
	     "type text -> character varying(200), NOT NULL added, default none -> ''::character varying\n"
	     "create column: + column public.orders.total\n",
	     "drop column: - column public.orders.total\n"
	     "alter column type not_null default: ~ column public.orders.note: "
	     "type character varying(200) -> text, NOT NULL dropped, default ''::character varying -> none\n"
	     "create column: + column public.orders.gone\n",
	     "columns added, altered (type, NOT NULL, default), dropped");
}

static void test_index_constraint(void)
{
	both(sc_index_constraint(),
	     "create constraint: + constraint orders_note_check on public.orders\n"
	     "create constraint: + constraint orders_note_key on public.orders\n"
	     "create index: + index public.orders_note_idx\n",
	     "drop constraint: - constraint orders_note_check on public.orders\n"
	     "drop constraint: - constraint orders_note_key on public.orders\n"
	     "drop index: - index public.orders_note_idx\n",
	     "an index, a check and a unique constraint");

	both(sc_check_changed(),
	     "drop constraint: - constraint orders_note_check on public.orders\n"
	     "create constraint: + constraint orders_note_check on public.orders\n",
	     "drop constraint: - constraint orders_note_check on public.orders\n"
	     "create constraint: + constraint orders_note_check on public.orders\n",
	     "a check whose condition changes is dropped and added");
}

static void test_view_function(void)
{
	both(sc_view_function(),
	     "alter function definition: ~ function public.add(integer, integer): definition\n"
	     "alter view definition: ~ view public.v: definition\n",
	     "alter function definition: ~ function public.add(integer, integer): definition\n"
	     "alter view definition: ~ view public.v: definition\n",
	     "a view's query and a function's body: replaced in place");

	both(sc_function_matview(),
	     "create function: + function public.add(integer, integer)\n"
	     "create view: + materialized view public.one\n",
	     "drop function: - function public.add(integer, integer)\n"
	     "drop view: - materialized view public.one\n",
	     "a function and a materialized view created and dropped");
}

static void test_enum_sequence(void)
{
	both(sc_enum_sequence(),
	     "alter enum enum_values: ~ enum public.mood: value 'happy' added\n"
	     "alter sequence seq_opts: ~ sequence public.counter: options\n",
	     /* the pair is described once, on the DROP */
	     "drop enum rebuild: ~ enum public.mood: values removed or reordered (type rebuilt)\n"
	     "create enum rebuild: \n"
	     "alter sequence seq_opts: ~ sequence public.counter: options\n",
	     "an enum value added (removed: the type rebuilt); sequence options");
}

static void test_grants_comments(void)
{
	both(sc_grants_comments(),
	     "alter table comment grants: ~ table public.orders: grants to reader: none -> select, "
	     "grants to writer: none -> insert, select (grantable), update, comment\n"
	     "alter column comment: ~ column public.orders.note: comment\n",
	     "alter table comment grants: ~ table public.orders: grants to reader: select -> none, "
	     "grants to writer: insert, select (grantable), update -> none, comment\n"
	     "alter column comment: ~ column public.orders.note: comment\n",
	     "grants (one with a grant option) and comments");
}

/*
 * A renamed view (renamed_from), and a view that uses it: its text on the
 * old side, with the old name replaced, is compared with the new side's.
 * Names are replaced where they are names, never inside a string literal
 * or a comment, so a literal that spells the old name is no difference.
 */
static void test_rename_tokens(void)
{
	struct pair p = fresh();
	const char *lit = "'public.old_v' AS label, 'old_v.id' AS l2 /* old_v.id */";
	struct sg_view *v;

	v = b_view(p.a, "public", "old_v", 'v', " SELECT 1 AS id");
	b_col(p.a, &v->rel, "id", "integer", false, NULL);
	v = b_view(p.a, "public", "w", 'v', sg_printf(B, " SELECT old_v.id, %s\n   FROM public.old_v", lit));
	v = b_view(p.b, "public", "new_v", 'v', " SELECT 1 AS id");
	v->rel.obj.renamed_from = "old_v";
	b_col(p.b, &v->rel, "id", "integer", false, NULL);
	v = b_view(p.b, "public", "w", 'v', sg_printf(B, " SELECT new_v.id, %s\n   FROM public.new_v", lit));
	is_str(changes(p.a, p.b), "rename view: ~ view public.old_v renamed to new_v\n",
	       "a literal and a comment that spell a renamed view's name: no difference");
	v->definition = sg_printf(B, " SELECT new_v.id, %s\n   FROM public.new_v",
				  "'public.new_v' AS label, 'new_v.id' AS l2 /* old_v.id */");
	is_str(changes(p.a, p.b), "rename view: ~ view public.old_v renamed to new_v\n"
	       "alter view definition: ~ view public.w: definition\n",
	       "the literal changed with the name: a difference");
}

int main(void)
{
	B = sg_arena_new();
	test_identical();
	test_table();
	test_columns();
	test_index_constraint();
	test_view_function();
	test_enum_sequence();
	test_grants_comments();
	test_rename_tokens();
	sg_arena_free(B);
	return tap_done();
}
