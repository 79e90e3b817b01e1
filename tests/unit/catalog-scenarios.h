/* SPDX-License-Identifier: MIT */
/*
 * catalog-scenarios.h - the pairs of catalogs t-diff.c and t-emit.c (and
 * t-order.c's pairs) start from: each function builds one scenario's `a`
 * and `b` (catalog-builder.h); t-diff pins the changes between them, t-emit
 * the SQL of the plan, both ways.
 */
#ifndef SG_CATALOG_SCENARIOS_H
#define SG_CATALOG_SCENARIOS_H

#include "catalog-builder.h"

struct pair {
	struct sg_catalog *a, *b;
};

static inline struct pair fresh(void)
{
	struct pair p = { b_catalog(), b_catalog() };

	return p;
}

/* orders(id bigint not null, note text) with its primary key */
static inline struct sg_table *orders(struct sg_catalog *c)
{
	struct sg_table *t = b_table(c, "public", "orders");

	b_col(c, t, "id", "bigint", true, NULL);
	b_col(c, t, "note", "text", false, NULL);
	b_con(c, t, "orders_pkey", 'p', "PRIMARY KEY (id)", 1, "id");
	return t;
}

/* orders: column gone dropped, total added, note's type, NOT NULL, default */
static inline struct pair sc_columns(void)
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
	return p;
}

/* orders: an index, a check and a unique constraint in b only */
static inline struct pair sc_index_constraint(void)
{
	struct pair p = fresh();
	struct sg_table *b;

	orders(p.a);
	b = orders(p.b);
	b_index(p.b, b, "orders_note_idx", false, "note");
	b_con(p.b, b, "orders_note_check", 'c', "CHECK ((note <> ''::text))", 1, "note");
	b_con(p.b, b, "orders_note_key", 'u', "UNIQUE (note)", 1, "note");
	return p;
}

/* orders: a check whose condition changes */
static inline struct pair sc_check_changed(void)
{
	struct pair p = fresh();
	struct sg_table *a = orders(p.a), *b = orders(p.b);

	b_con(p.a, a, "orders_note_check", 'c', "CHECK ((note <> ''::text))", 1, "note");
	b_con(p.b, b, "orders_note_check", 'c', "CHECK ((length(note) > 1))", 1, "note");
	return p;
}

/* a view's query and a function's body changed */
static inline struct pair sc_view_function(void)
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
	return p;
}

/* a function and a materialized view in b only */
static inline struct pair sc_function_matview(void)
{
	struct pair p = fresh();

	b_add_fn(p.b, "select a + b");
	b_view(p.b, "public", "one", 'm', " SELECT 1 AS x");
	return p;
}

/* an enum value added; a sequence's increment and cache */
static inline struct pair sc_enum_sequence(void)
{
	struct pair p = fresh();
	struct sg_sequence *s;

	b_enum(p.a, "public", "mood", 2, "sad", "ok");
	b_enum(p.b, "public", "mood", 3, "sad", "ok", "happy");
	b_seq(p.a, "public", "counter", "bigint");
	s = b_seq(p.b, "public", "counter", "bigint");
	s->opts.increment = 10;
	s->opts.cache = 20;
	return p;
}

/* orders: grants to reader and writer (with a grant option), comments */
static inline struct pair sc_grants_comments(void)
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
	return p;
}

#endif
