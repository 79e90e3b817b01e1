// SPDX-License-Identifier: MIT
/*
 * function.c - SQL for functions and procedures.
 *
 * An introspected function is created (and replaced in place) with the
 * server's own pg_get_functiondef() text, a CREATE OR REPLACE statement; a
 * function from the models is spelled out from its fields, each fragment
 * recorded with its model location (PostgreSQL reports an error inside a
 * LANGUAGE sql body at its position in the CREATE statement, so it maps
 * back into the YAML file).  Drops name the function by its input types.
 *
 * check_function_bodies.  PostgreSQL checks a LANGUAGE sql body (and
 * plpgsql's syntax) when the function is created, against the tables that
 * exist then and with the search_path of the session.  A migration turns it
 * off, the way pg_dump does, with a plain `SET check_function_bodies =
 * off` before its first function: the bodies come from a database where
 * they were valid, a body may name tables created later in the migration or
 * a table whose default calls the function (a loop no order can satisfy),
 * and unqualified names in it resolve at run time with the caller's
 * search_path, which is not the session's of the migration.  A plain SET
 * (not SET LOCAL) works both in the runner's transaction and when psql runs
 * the file without one; it lasts until the session ends (and is undone with
 * a failing revision's ROLLBACK).  Materialising the models is different:
 * there the bodies are what the user wrote, so they are checked, but only
 * once everything exists -- the functions are created with checks off,
 * then at the end of the script the checks are turned on and every
 * function of the models is created again (CREATE OR REPLACE with the same
 * text), and an error in a body is reported at its place in the YAML file.
 * SQL-standard bodies are then settled into the server's own words (see
 * emit_functions_recheck()).

 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

/* ---- functions ---- */

static bool is_procedure(const struct sg_function *f)
{
	return f->prokind == 'p';
}

/* GUCs whose value is a list of names (GUC_LIST_QUOTE in guc.c). */
static bool list_guc(const char *name)
{
	static const char *const names[] = {
		"search_path", "temp_tablespaces", "session_preload_libraries",
		"shared_preload_libraries", "local_preload_libraries",
		"unix_socket_directories",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

/*
 * The value of a list GUC as proconfig keeps it ("public, \"My s\"") as
 * SQL: each element a literal of its unquoted name, as pg_get_functiondef
 * writes it ('public', 'My s'); the server quotes them again when it
 * stores them, so the value round-trips.
 */
static void list_value(struct sbuf *out, const char *v)
{
	struct sbuf el = SBUF_INIT;
	const char *p = v;
	int n = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		sbuf_reset(&el);
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				sbuf_addch(&el, *p);
			}
			if (*p == '"')
				p++;
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',')
				sbuf_addch(&el, *p++);
			sbuf_rtrim(&el);
		}
		if (n++)
			sbuf_adds(out, ", ");
		sg_quote_literal(out, el.buf);
		if (*p != ',')
			break;
		p++;
	}
	sbuf_release(&el);
}

/* SET name TO value, from a proconfig entry "name=value". */
static void set_clause(struct emitter *e, const char *entry)
{
	const char *eq = strchr(entry, '=');
	char *name;

	if (!eq)
		SG_BUG("bad proconfig entry %s", entry);
	name = sg_strndup(e->a, entry, (size_t)(eq - entry));
	sbuf_adds(&e->sql, "\n SET ");
	/* a custom setting is prefix.name: each part is an identifier */
	for (char *part = name, *dot;; part = dot + 1) {
		dot = strchr(part, '.');
		if (dot)
			*dot = '\0';
		sg_quote_ident(&e->sql, part);
		if (!dot)
			break;
		sbuf_addch(&e->sql, '.');
	}
	sbuf_adds(&e->sql, " TO ");
	if (list_guc(name))
		list_value(&e->sql, eq + 1);
	else
		sg_quote_literal(&e->sql, eq + 1);
}

/* The body as a dollar-quoted string, recorded as a fragment. */
static void dollar_body(struct emitter *e, const struct sg_function *f)
{
	struct sbuf q = SBUF_INIT;
	size_t blen = strlen(f->body), tag;
	struct sg_srcfrag fr;

	sg_quote_dollar(&q, f->body);
	tag = (q.len - blen) / 2;
	fr.offset = e->sql.len + tag;
	fr.len = blen;
	fr.loc = f->body_loc;
	sbuf_adds(&e->sql, q.buf);
	if (fr.loc.line)
		SG_VEC_PUSH(e->a, &e->frags, fr);
	sbuf_release(&q);
}

static void number(struct sbuf *out, const char *word, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.9g", v);   /* float4: 9 digits round-trip */
	sbuf_addf(out, " %s %s", word, buf);
}

/* CREATE OR REPLACE FUNCTION from the fields of a model function. */
static void function_from_fields(struct emitter *e, const struct sg_function *f)
{
	bool proc = is_procedure(f);

	sbuf_addf(&e->sql, "CREATE OR REPLACE %s ", proc ? "PROCEDURE" : "FUNCTION");
	sg_quote_qualified(&e->sql, f->obj.schema, f->proname);
	sbuf_addch(&e->sql, '(');
	if (f->arglist) {
		for (size_t i = 0; i < f->nargs; i++) {
			if (i)
				sbuf_adds(&e->sql, ", ");
			emit_frag_text(e, f->arglist[i], f->arglocs[i]);
		}
	} else if (f->arguments) {
		sbuf_adds(&e->sql, f->arguments);
	}
	sbuf_addch(&e->sql, ')');
	if (!proc && f->result) {
		sbuf_adds(&e->sql, "\n RETURNS ");
		emit_frag_text(e, f->result, f->result_loc);
	}
	sbuf_adds(&e->sql, "\n LANGUAGE ");
	{
		struct sg_srcfrag fr = { .offset = e->sql.len, .loc = f->language_loc };

		sg_quote_ident(&e->sql, f->language ? f->language : "sql");
		fr.len = e->sql.len - fr.offset;
		fr.loc.style = 'x';
		if (fr.loc.line)
			SG_VEC_PUSH(e->a, &e->frags, fr);
	}
	if (f->window)
		sbuf_adds(&e->sql, " WINDOW");
	if (f->volatility == 'i')
		sbuf_adds(&e->sql, " IMMUTABLE");
	else if (f->volatility == 's')
		sbuf_adds(&e->sql, " STABLE");
	if (f->strict)
		sbuf_adds(&e->sql, " STRICT");
	if (f->security_definer)
		sbuf_adds(&e->sql, " SECURITY DEFINER");
	if (f->leakproof)
		sbuf_adds(&e->sql, " LEAKPROOF");
	if (f->parallel == 's')
		sbuf_adds(&e->sql, " PARALLEL SAFE");
	else if (f->parallel == 'r')
		sbuf_adds(&e->sql, " PARALLEL RESTRICTED");
	if (f->cost > 0)
		number(&e->sql, "COST", f->cost);
	if (f->rows > 0)
		number(&e->sql, "ROWS", f->rows);
	for (size_t i = 0; i < f->nconfig; i++)
		set_clause(e, f->config[i]);
	sbuf_adds(&e->sql, "\n");
	if (f->sql_body) {
		emit_frag_text(e, f->body, f->body_loc);
	} else if (f->library) {
		/* AS 'library', 'link symbol' */
		sbuf_adds(&e->sql, "AS ");
		sg_quote_literal(&e->sql, f->library);
		sbuf_adds(&e->sql, ", ");
		sg_quote_literal(&e->sql, f->body);
	} else {
		sbuf_adds(&e->sql, "AS ");
		dollar_body(e, f);
	}
}

/* The statement that creates (or replaces) f, without the ';'. */
static void function_definition(struct emitter *e, const struct sg_function *f)
{
	if (f->definition) {
		sbuf_adds(&e->sql, f->definition);
		sbuf_rtrim(&e->sql);
	} else {
		function_from_fields(e, f);
	}
}

static void bodies_unchecked(struct emitter *e)
{
	if (e->bodies_unchecked)
		return;
	sbuf_adds(&e->sql, "SET check_function_bodies = off");
	emit_finish(e, NULL, NULL);
	e->bodies_unchecked = true;
}

static void create_function(struct emitter *e, const struct sg_function *f)
{
	bodies_unchecked(e);
	function_definition(e, f);
	emit_finish(e, &f->obj, NULL);
	if (!f->definition)
		SG_VEC_PUSH(e->a, &e->recheck, f);
}

void emit_function(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_function *f = (const struct sg_function *)c->from;
	const struct sg_function *t = (const struct sg_function *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		create_function(e, t);
		emit_comment_after_create(e, &t->obj);
		break;
	case SG_OP_DROP:
		sbuf_addf(&e->sql, "DROP %s ", is_procedure(f) ? "PROCEDURE" : "FUNCTION");
		sg_object_qualified(&e->sql, &f->obj);
		emit_finish(e, &f->obj, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_DEFINITION)
			create_function(e, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_RENAME:
		/* a declared rename: same oid, so triggers, defaults and
		 * grants that use it stay */
		sbuf_addf(&e->sql, "ALTER %s ", is_procedure(f) ? "PROCEDURE" : "FUNCTION");
		sg_object_qualified(&e->sql, &f->obj);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, t->proname));
		emit_finish(e, &t->obj, NULL);
		break;
	}
}

/*
 * The server keeps a SQL-standard body as a parse tree and prints it back
 * (pg_get_function_sqlbody) in its own words, which are not always a
 * fixpoint: `SELECT 'x'` becomes `SELECT 'x'::text`, which when parsed
 * again names its column and prints as `SELECT 'x'::text AS text`.  A
 * migration creates the live function from the materialised text, so the
 * materialised function must already be in the words its own text gives
 * back, or `check` would find the two different forever.  Re-creating each
 * such function from its own definition once, at the end of the models'
 * script, gets there (the second printing is stable).
 */
static const char settle_sql[] =
	"DO $settle$\n"
	"DECLARE f pg_catalog.oid;\n"
	"BEGIN\n"
	"  FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p WHERE p.prosqlbody IS NOT NULL\n"
	"    AND p.pronamespace <> 'pg_catalog'::pg_catalog.regnamespace ORDER BY p.oid LOOP\n"
	"    EXECUTE pg_catalog.pg_get_functiondef(f);\n"
	"  END LOOP;\n"
	"END\n"
	"$settle$";

void emit_functions_recheck(struct emitter *e)
{
	bool standard = false;

	if (e->recheck.n == 0)
		return;
	sbuf_adds(&e->sql, "SET check_function_bodies = on");
	emit_finish(e, NULL, NULL);
	for (size_t i = 0; i < e->recheck.n; i++) {
		function_definition(e, e->recheck.v[i]);
		emit_finish(e, &e->recheck.v[i]->obj, NULL);
		standard = standard || e->recheck.v[i]->sql_body;
	}
	if (standard) {
		sbuf_adds(&e->sql, settle_sql);
		emit_finish(e, NULL, NULL);
	}
}
