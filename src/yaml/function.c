// SPDX-License-Identifier: MIT
/*
 * function.c - functions and procedures of a model file (`functions:`,
 * `procedures:`).
 *
 * A function is a mapping under its name; overloads share the name, so
 * the value may instead be a list of mappings, one per overload.  The
 * argument declarations, the result and the body are SQL fragments, each
 * checked with PostgreSQL's parser at its place in the file:
 *   arguments  a list of declarations ("a integer", "OUT total numeric",
 *              "VARIADIC xs text[]", "n int DEFAULT 0"), or one string
 *              with all of them, separated by commas;
 *   returns    what follows RETURNS: a type, SETOF type, TABLE (...);
 *   body       for LANGUAGE sql either statements (the string body) or a
 *              SQL-standard body, BEGIN ATOMIC ... END or RETURN expr,
 *              told apart by its first words; for other languages the
 *              source as the language wants it, not parsed here.
 * The server checks the rest when the models are materialised, with
 * check_function_bodies on once everything exists (emit/function.c).
 *
 * The identity of a model function is "name(input types)" like the
 * introspected one's; the types are spelled as format_type() would spell
 * them where that can be known without a server (SQL's aliases: int is
 * integer, varchar is character varying, ...).  It finds duplicates, names
 * the function in COMMENT ON and GRANT when the models are materialised,
 * and carries the model's locations onto the materialised function.  A
 * user type left unqualified stays so (the search path finds it then), so
 * such a function's location is not carried over: format_type() qualifies
 * it.

 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/scan.h"
#include "yaml-priv.h"

/* A positive number (COST, ROWS); 0 after a diagnostic. */
static double positive(struct loader *l, const struct ynode *v, const char *key)
{
	char *end;
	double x;

	if (v->type == YN_SCALAR && v->plain && v->len > 0) {
		x = strtod(v->str, &end);
		if (*end == '\0' && x > 0 && x < 1e300)
			return x;
	}
	sg_diag_error(l->d, v->loc, "\"%s\" must be a positive number, found %s", key,
		      ynode_found(l->t, v));
	return 0;
}

/* Where item text + offset is in the file: exact when the scalar was. */
static struct sg_loc piece_loc(struct sg_loc loc, const char *text, size_t offset)
{
	struct sg_loc r = sg_loc_at(loc, text, offset);

	if (loc.style == 0 || loc.style == 'l') {
		r.style = loc.style;
		r.indent = loc.indent;
	}
	return r;
}

/* ---- the identity: input types as format_type() spells them ---- */

static const struct {
	const char *internal, *sql;
} type_names[] = {
	{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" },
	{ "float4", "real" }, { "float8", "double precision" },
	{ "bool", "boolean" }, { "varchar", "character varying" },
	{ "bpchar", "character" }, { "varbit", "bit varying" },
	{ "timestamptz", "timestamp with time zone" },
	{ "timestamp", "timestamp without time zone" },
	{ "timetz", "time with time zone" },
	{ "time", "time without time zone" },
	{ "decimal", "numeric" },
};

/* pg_catalog types whose names format_type() prints as they are. */
static const char *const builtin_types[] = {
	"aclitem", "any", "anyarray", "anycompatible", "anycompatiblearray",
	"anycompatiblemultirange", "anycompatiblenonarray", "anycompatiblerange",
	"anyelement", "anyenum", "anymultirange", "anynonarray", "anyrange",
	"bit", "box", "bytea", "char", "cid", "cidr", "circle", "cstring", "date",
	"datemultirange", "daterange", "event_trigger", "gtsvector", "inet",
	"int4multirange", "int4range", "int8multirange", "int8range", "internal",
	"interval", "json", "jsonb", "jsonpath", "language_handler", "line",
	"lseg", "macaddr", "macaddr8", "money", "name", "numeric",
	"nummultirange", "numrange", "oid", "path", "pg_lsn", "pg_snapshot",
	"point", "polygon", "record", "refcursor", "regclass", "regcollation",
	"regconfig", "regdictionary", "regnamespace", "regoper", "regoperator",
	"regproc", "regprocedure", "regrole", "regtype", "text", "tid",
	"trigger", "tsmultirange", "tsquery", "tsrange", "tstzmultirange",
	"tstzrange", "tsvector", "txid_snapshot", "uuid", "void", "xid",
	"xid8", "xml",
};

static const char *builtin_type(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++)
		if (strcmp(name, type_names[i].internal) == 0)
			return type_names[i].sql;
	for (size_t i = 0; i < ARRAY_SIZE(builtin_types); i++)
		if (strcmp(name, builtin_types[i]) == 0)
			return name;
	return NULL;
}

void routine_identity_type(struct sbuf *out, const struct sg_sql_arg *arg)
{
	const char *b = NULL;

	if (arg->pct_type) {
		sbuf_addf(out, "%s%%TYPE", arg->type_name);
		return;
	}
	if (!arg->type_schema || strcmp(arg->type_schema, "pg_catalog") == 0)
		b = builtin_type(arg->type_name);
	if (b && (strcmp(b, "char") == 0 || strcmp(b, "any") == 0))
		sbuf_addf(out, "\"%s\"", b);          /* format_type's quoting */
	else if (b)
		sbuf_adds(out, b);
	else if (arg->type_schema && strcmp(arg->type_schema, "pg_catalog") == 0)
		sg_quote_ident(out, arg->type_name);
	else
		/* an unqualified user type stays unqualified: COMMENT ON and
		 * GRANT name the function by this signature when the models are
		 * materialised, where the search path finds the type */
		sg_quote_qualified(out, arg->type_schema, arg->type_name);
	for (int i = 0; i < arg->ndims; i++)
		sbuf_adds(out, "[]");
}

/* ---- functions ---- */

static const char *const function_keys[] = {
	"arguments", "returns", "language", "body", "volatility", "strict",
	"security_definer", "leakproof", "parallel", "cost", "rows", "set",
	"window", "library", "comment", "grants", "renamed_from", "owner",
};
enum {
	FK_ARGUMENTS, FK_RETURNS, FK_LANGUAGE, FK_BODY, FK_VOLATILITY, FK_STRICT,
	FK_SECDEF, FK_LEAKPROOF, FK_PARALLEL, FK_COST, FK_ROWS, FK_SET, FK_WINDOW,
	FK_LIBRARY, FK_COMMENT, FK_GRANTS, FK_RENAMED_FROM, FK_OWNER, FK__COUNT
};
_Static_assert(ARRAY_SIZE(function_keys) == FK__COUNT, "function_keys");

/* The keys a procedure accepts (the others are function-only). */
static bool procedure_key(int k)
{
	return k == FK_ARGUMENTS || k == FK_LANGUAGE || k == FK_BODY ||
	       k == FK_SECDEF || k == FK_SET || k == FK_LIBRARY || k == FK_COMMENT ||
	       k == FK_GRANTS || k == FK_RENAMED_FROM || k == FK_OWNER;
}

struct argsrc {
	const char *text;
	struct sg_loc loc;
};

struct argvec {
	struct argsrc *v;
	size_t n, cap;
};

static void load_arguments(struct loader *l, const struct ynode *v,
			   struct argvec *out, const char *ctx)
{
	const char *s;

	if (ynode_is_null(v))
		return;
	if (v->type == YN_SCALAR) {
		/* one string: the whole list, as pg_get_function_arguments()
		 * prints it */
		const char **items;
		size_t *offsets, n;

		if (!yget_str(l->d, l->t, v, "arguments", &s) || !s)
			return;
		n = sg_sql_split_list(l->t, s, &items, &offsets);
		for (size_t i = 0; i < n; i++) {
			struct argsrc a = { items[i], piece_loc(v->vloc, s, offsets[i]) };

			SG_VEC_PUSH(l->t, out, a);
		}
		return;
	}
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of argument declarations");
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		struct argsrc a;

		if (!yget_str(l->d, l->t, v->kids[i], "arguments", &s))
			continue;
		if (!s) {
			sg_diag_error(l->d, v->kids[i]->loc, "an argument of %s is empty",
				      ctx);
			continue;
		}
		a.text = s;
		a.loc = v->kids[i]->vloc;
		SG_VEC_PUSH(l->t, out, a);
	}
}

/* "search_path", "my.setting": what SET accepts as a name. */
static bool guc_name_ok(const char *s)
{
	bool start = true;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '.' && !start) {
			start = true;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      *s == '_' || (!start && ((*s >= '0' && *s <= '9') || *s == '$'))))
			return false;
		start = false;
	}
	return !start;
}

static void load_set(struct loader *l, struct sg_function *f, const struct ynode *v)
{
	SG_VEC(const char *) cfg = { 0 };

	if (ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of settings to values");
		return;
	}
	f->config_loc = v->loc;
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *val = v->kids[i + 1];
		struct sbuf sb = SBUF_INIT;
		char *name;

		if (!ykey_ok(l->d, l->t, k))
			continue;
		if (!guc_name_ok(k->str) || strlen(k->str) != k->len) {
			sg_diag_error(l->d, k->loc, "%s is not a setting name",
				      yq(l->t, k->str));
			continue;
		}
		name = sg_strdup(l->t, k->str);
		for (char *p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		sbuf_addf(&sb, "%s=", name);
		if (val->type == YN_SEQ) {
			/* a list of names: as proconfig keeps it */
			for (size_t j = 0; j < val->nkids; j++) {
				const char *s;

				if (!yget_str(l->d, l->t, val->kids[j], name, &s) || !s)
					continue;
				if (j)
					sbuf_adds(&sb, ", ");
				sg_quote_ident(&sb, s);
			}
		} else {
			const char *s;

			if (!yget_str(l->d, l->t, val, name, &s))
				continue;
			if (!s) {
				sg_diag_error(l->d, val->loc, "setting %s has no value",
					      yq(l->t, name));
				sbuf_release(&sb);
				continue;
			}
			sbuf_adds(&sb, s);
		}
		SG_VEC_PUSH(l->a, &cfg, sbuf_to_arena(&sb, l->a));
		sbuf_release(&sb);
	}
	f->config = cfg.v;
	f->nconfig = cfg.n;
}

/* Does a LANGUAGE sql body start with BEGIN ATOMIC or RETURN? */
static bool standard_body(const char *s)
{
	const char *p = s;
	size_t n;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			continue;
		}
		break;
	}
	if (strncasecmp(p, "return", 6) == 0 && !(p[6] == '_' ||
	    (p[6] >= 'a' && p[6] <= 'z') || (p[6] >= 'A' && p[6] <= 'Z') ||
	    (p[6] >= '0' && p[6] <= '9')))
		return true;
	if (strncasecmp(p, "begin", 5) != 0)
		return false;
	p += 5;
	n = strspn(p, " \t\r\n");
	return n > 0 && strncasecmp(p + n, "atomic", 6) == 0;
}

static void load_function(struct loader *l, const struct ynode *key,
			  const struct ynode *val, bool proc, const char *ctx)
{
	const struct ynode *v[FK__COUNT];
	struct argvec args = { 0 };
	struct sbuf ident = SBUF_INIT, joined = SBUF_INIT;
	struct sg_function *f;
	bool has_out = false, bad_args = false;
	const char *s;

	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, function_keys, FK__COUNT, v, ctx);
	for (int k = 0; proc && k < FK__COUNT; k++)
		if (v[k] && !procedure_key(k)) {
			struct sg_diag *dg = sg_diag_error(
				l->d, val->kids[0]->loc, "a procedure has no \"%s\"",
				function_keys[k]);

			/* point at the key itself */
			for (size_t i = 0; i + 1 < val->nkids; i += 2)
				if (val->kids[i + 1] == v[k])
					dg->loc = val->kids[i]->loc;
			sg_diag_hint(dg, l->d, "only functions have %s; a procedure "
				     "returns nothing and is called with CALL",
				     function_keys[k]);
			v[k] = NULL;
		}

	/* the arguments first: they make the identity */
	load_arguments(l, v[FK_ARGUMENTS], &args, ctx);
	sbuf_addf(&ident, "%s(", key->str);
	for (size_t i = 0; i < args.n; i++) {
		struct sg_sql_arg a;
		const char *what = sg_printf(l->t, "argument %zu of %s", i + 1, ctx);

		const char *text = sg_sql_fragment(l->a, SG_FRAG_ARGUMENT, args.v[i].text,
						   args.v[i].loc, what, l->d);

		if (!text || sg_sql_argument(l->t, text, &a) < 0) {
			bad_args = true;
			continue;
		}
		args.v[i].text = text;
		if (a.mode == 'o' || a.mode == 'b')
			has_out = true;
		if (a.mode == 'o')
			continue;
		if (ident.buf[ident.len - 1] != '(')
			sbuf_adds(&ident, ", ");
		routine_identity_type(&ident, &a);
	}
	sbuf_addch(&ident, ')');
	f = SG_NEW(l->cat, sg_function, SG_KIND_FUNCTION, l->schema, ident.buf, NULL);
	sbuf_release(&ident);
	f->obj.loc = key->loc;
	f->proname = sg_strdup(l->a, key->str);
	f->prokind = proc ? 'p' : 'f';
	if (!bad_args && args.n) {
		f->arglist = sg_alloc_array(l->a, args.n, sizeof(*f->arglist));
		f->arglocs = sg_alloc_array(l->a, args.n, sizeof(*f->arglocs));
		for (size_t i = 0; i < args.n; i++) {
			f->arglist[i] = sg_strdup(l->a, args.v[i].text);
			f->arglocs[i] = args.v[i].loc;
			sbuf_addf(&joined, "%s%s", i ? ", " : "", args.v[i].text);
		}
		f->nargs = args.n;
		f->arguments = sbuf_to_arena(&joined, l->a);
	}
	sbuf_release(&joined);

	if (!proc) {
		if (v[FK_RETURNS] && !ynode_is_null(v[FK_RETURNS]))
			f->result = yget_sql(l, v[FK_RETURNS], "returns", SG_FRAG_RESULT,
					    sg_printf(l->t, "result of %s", ctx),
					    &f->result_loc);
		else if (!has_out && !bad_args)
			sg_diag_error(l->d, key->loc, "missing key \"returns\" in %s", ctx);
	}
	f->language = "sql";
	if (v[FK_LANGUAGE] && yget_str(l->d, l->t, v[FK_LANGUAGE], "language", &s) && s) {
		if (!yname_ok(l->d, l->t, v[FK_LANGUAGE], "language name"))
			s = "sql";
		f->language = sg_strdup(l->a, s);
		for (char *p = (char *)f->language; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		f->language_loc = v[FK_LANGUAGE]->vloc;
	}
	if (!v[FK_BODY] || ynode_is_null(v[FK_BODY])) {
		sg_diag_error(l->d, key->loc, "missing key \"body\" in %s", ctx);
	} else if (yget_str(l->d, l->t, v[FK_BODY], "body", &s) && s) {
		const char *what = sg_printf(l->t, "body of %s", ctx);

		f->body_loc = v[FK_BODY]->vloc;
		if (strcmp(f->language, "sql") == 0 && standard_body(s)) {
			f->sql_body = true;
			f->body = sg_sql_fragment(l->a, SG_FRAG_ROUTINE_BODY, s,
						  f->body_loc, what, l->d);
		} else if (strcmp(f->language, "sql") == 0) {
			if (sg_sql_check(SG_FRAG_SCRIPT, s, f->body_loc, what, l->d) == 0)
				f->body = sg_strdup(l->a, s);
		} else {
			f->body = sg_strdup(l->a, s);
		}
	}
	if (v[FK_VOLATILITY]) {
		static const char *const words[] = { "volatile", "stable", "immutable" };
		int w = yone_of(l, v[FK_VOLATILITY], "volatility", words, 3);

		if (w >= 0)
			f->volatility = "vsi"[w];
	}
	if (v[FK_PARALLEL]) {
		static const char *const words[] = { "unsafe", "restricted", "safe" };
		int w = yone_of(l, v[FK_PARALLEL], "parallel", words, 3);

		if (w >= 0)
			f->parallel = "urs"[w];
	}
	if (v[FK_STRICT])
		yget_bool(l->d, l->t, v[FK_STRICT], "strict", &f->strict);
	if (v[FK_SECDEF])
		yget_bool(l->d, l->t, v[FK_SECDEF], "security_definer", &f->security_definer);
	if (v[FK_LEAKPROOF])
		yget_bool(l->d, l->t, v[FK_LEAKPROOF], "leakproof", &f->leakproof);
	if (v[FK_WINDOW])
		yget_bool(l->d, l->t, v[FK_WINDOW], "window", &f->window);
	if (v[FK_COST])
		f->cost = positive(l, v[FK_COST], "cost");
	if (v[FK_ROWS])
		f->rows = positive(l, v[FK_ROWS], "rows");
	if (v[FK_SET])
		load_set(l, f, v[FK_SET]);
	if (v[FK_LIBRARY] && yget_str(l->d, l->t, v[FK_LIBRARY], "library", &s) && s) {
		if (strcmp(f->language, "c") != 0)
			sg_diag_error(l->d, v[FK_LIBRARY]->loc, "\"library\" is for functions "
				      "in language c");
		f->library = sg_strdup(l->a, s);
	}
	if (v[FK_COMMENT] && yget_str(l->d, l->t, v[FK_COMMENT], "comment", &s) && s && *s)
		f->obj.comment = sg_strdup(l->a, s);
	load_grants(l, &f->obj, v[FK_GRANTS]);
	load_owner(l, &f->obj, v[FK_OWNER]);
	load_renamed_from(l, &f->obj, v[FK_RENAMED_FROM], proc ? "procedure" : "function",
			  key->str);
}

/* name: {...} or name: [{...}, {...}] (overloads) */
static void load_one(struct loader *l, const struct ynode *key,
		     const struct ynode *val, bool proc)
{
	const char *what = proc ? "procedure" : "function";
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, sg_printf(l->t, "%s name", what)))
		return;
	ctx = sg_printf(l->t, "%s %s", what, yq(l->t, key->str));
	if (ynode_is_null(val)) {
		sg_diag_error(l->d, key->loc, "%s has no definition", ctx);
		return;
	}
	if (val->type != YN_SEQ) {
		load_function(l, key, val, proc, ctx);
		return;
	}
	if (val->nkids == 0) {
		sg_diag_error(l->d, val->loc, "%s has no definition", ctx);
		return;
	}
	for (size_t i = 0; i < val->nkids; i++) {
		/* each overload is located at its own item */
		struct ynode k = *key;

		if (val->nkids > 1)
			k.loc = val->kids[i]->loc;
		load_function(l, &k, val->kids[i], proc, ctx);
	}
}

void load_functions(struct loader *l, const struct ynode *val, bool procedures)
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping of %s names to "
						   "definitions", procedures
						   ? "procedure" : "function"));
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2)
		if (ykey_ok(l->d, l->t, val->kids[i]))
			load_one(l, val->kids[i], val->kids[i + 1], procedures);
}
