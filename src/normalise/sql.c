// SPDX-License-Identifier: MIT
/*
 * sql.c - PostgreSQL's parser, through libpg_query, for everything that
 * needs no server: syntax checks of model fragments, statement splitting,
 * references of expressions, statement classification.
 *
 * libpg_query's results are copied into the caller's arena and freed in the
 * same function; the parse tree is unpacked from protobuf and walked by
 * reflection over protobuf-c's descriptors, so no code depends on the full
 * list of node types.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"

#include "memo.h"

/* Byte offset of the n-th (0-based) character of s (UTF-8). */
static size_t char_to_byte(const char *s, size_t nchars)
{
	size_t i = 0;

	while (s[i] && nchars > 0) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		nchars--;
	}
	return i;
}

/*
 * pg_query_exit() crashes when the parser was never used in this process,
 * so cleanup only happens after a first use.
 */
/* per thread, as libpg_query's memory contexts are */
static _Thread_local bool parser_used;

static PgQuery__ParseResult *parse_tree(const char *sql, PgQueryError **errp,
					PgQueryProtobufParseResult *raw)
{
	parser_used = true;
	*raw = pg_query_parse_protobuf(sql);
	if (raw->error) {
		*errp = raw->error;
		return NULL;
	}
	*errp = NULL;
	return pg_query__parse_result__unpack(NULL, raw->parse_tree.len,
					      (const uint8_t *)raw->parse_tree.data);
}

/*
 * Each kind of fragment is parsed inside a statement that holds it:
 * prefix, the text, suffix.  The suffix starts on a new line, so that a
 * comment at the end of the text cannot swallow it.
 */
static const struct {
	const char *prefix, *suffix;
} wrappers[] = {
	[SG_FRAG_EXPR] = { "SELECT ", "" },
	[SG_FRAG_TYPE] = { "SELECT NULL::", "" },
	[SG_FRAG_QUERY] = { "", "" },
	[SG_FRAG_SCRIPT] = { "", "" },
	[SG_FRAG_ROUTINE_BODY] = { "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n", "" },
	[SG_FRAG_ARGUMENT] = { "CREATE FUNCTION f(", "\n) RETURNS int LANGUAGE sql AS ''" },
	[SG_FRAG_RESULT] = { "CREATE FUNCTION f() RETURNS ", "\nLANGUAGE sql AS ''" },
	/* an operator between two NULLs: =, &&, OPERATOR(schema.op) */
	[SG_FRAG_OPERATOR] = { "SELECT NULL ", "\n NULL" },
	[SG_FRAG_PARTITION_BY] = { "CREATE TABLE x () PARTITION BY ", "\n" },
	[SG_FRAG_PARTITION_BOUND] = { "CREATE TABLE x PARTITION OF y ", "\n" },
	/* the one action of a rule's list of actions */
	[SG_FRAG_RULE_ACTION] = { "CREATE RULE r AS ON INSERT TO x DO (", "\n)" },
	[SG_FRAG_SIGNATURE] = { "ALTER FUNCTION ", "\n STRICT" },
	[SG_FRAG_FUNCTION_NAME] = { "ALTER FUNCTION ", "\nOWNER TO x" },
	[SG_FRAG_OPCLASS_OPERATOR] = {
		"CREATE OPERATOR CLASS x FOR TYPE int USING btree AS OPERATOR 1 ", "\n" },
	[SG_FRAG_OPCLASS_FUNCTION] = {
		"CREATE OPERATOR CLASS x FOR TYPE int USING btree AS FUNCTION 1 ", "\n" },
	/* the name alone: the member's types follow it */
	[SG_FRAG_OPFAMILY_OPERATOR] = {
		"CREATE OPERATOR CLASS x FOR TYPE int USING btree AS OPERATOR 1 ", "\n (int, int)" },
	/* the function alone: the member's types precede it */
	[SG_FRAG_OPFAMILY_FUNCTION] = {
		"CREATE OPERATOR CLASS x FOR TYPE int USING btree AS FUNCTION 1 (int, int) ", "\n" },
};

static void wrap(struct sbuf *sql, enum sg_frag kind, const char *text)
{
	sbuf_adds(sql, wrappers[kind].prefix);
	sbuf_adds(sql, text);
	sbuf_adds(sql, wrappers[kind].suffix);
}

/* The CREATE FUNCTION of a function fragment's wrapper, or NULL. */
static const PgQuery__CreateFunctionStmt *wrapped_function(PgQuery__ParseResult *pr)
{
	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT)
		return NULL;
	return pr->stmts[0]->stmt->create_function_stmt;
}

/* Shapes of the function fragments: exactly what the wrapper holds. */
static const char *function_shape(enum sg_frag kind, PgQuery__ParseResult *pr)
{
	const PgQuery__CreateFunctionStmt *f = wrapped_function(pr);

	switch (kind) {
	case SG_FRAG_ROUTINE_BODY:
		if (!f || !f->sql_body || f->n_options != 1 || f->n_parameters)
			return "is not a SQL-standard body (BEGIN ATOMIC ... END or RETURN expression)";
		return NULL;
	case SG_FRAG_ARGUMENT:
		if (!f || f->n_parameters != 1 || f->n_options != 2 || f->sql_body ||
		    !f->return_type)
			return "is not one argument declaration";
		return NULL;
	case SG_FRAG_RESULT:
		if (!f || f->n_options != 2 || f->sql_body || !f->return_type)
			return "is not a result type";
		for (size_t i = 0; i < f->n_parameters; i++)
			if (f->parameters[i]->node_case != PG_QUERY__NODE__NODE_FUNCTION_PARAMETER ||
			    f->parameters[i]->function_parameter->mode !=
				    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE)
				return "is not a result type";
		return NULL;
	default:
		return NULL;
	}
}

static bool is_null_const(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_A_CONST && n->a_const->isnull;
}

/*
 * SELECT NULL text NULL must be one operator between the wrapper's two
 * NULLs, the left one before the text and the right one after it: then the
 * text is nothing but the operator (= or OPERATOR(schema.op)).
 */
static const char *operator_shape(PgQuery__ParseResult *pr, size_t text_start,
				  size_t text_end)
{
	const PgQuery__SelectStmt *sel;
	const PgQuery__Node *v;
	const PgQuery__AExpr *e;

	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return "is not an operator name (such as = or &&)";
	sel = pr->stmts[0]->stmt->select_stmt;
	if (sel->n_target_list != 1 || sel->n_from_clause || sel->where_clause ||
	    sel->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET ||
	    (sel->target_list[0]->res_target->name &&
	     sel->target_list[0]->res_target->name[0]))
		return "is not an operator name (such as = or &&)";
	v = sel->target_list[0]->res_target->val;
	if (!v || v->node_case != PG_QUERY__NODE__NODE_A_EXPR)
		return "is not an operator name (such as = or &&)";
	e = v->a_expr;
	if (e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || e->n_name < 1 ||
	    e->n_name > 2 || !is_null_const(e->lexpr) || !is_null_const(e->rexpr) ||
	    (size_t)e->lexpr->a_const->location >= text_start ||
	    (size_t)e->rexpr->a_const->location < text_end)
		return "is not an operator name (such as = or &&)";
	return NULL;
}

/* CREATE TABLE x () PARTITION BY text / CREATE TABLE x PARTITION OF y
 * text: the clause and nothing else (no TABLESPACE, WITH, USING ...). */
static const char *partition_shape(enum sg_frag kind, PgQuery__ParseResult *pr)
{
	const PgQuery__CreateStmt *c;
	const char *what = kind == SG_FRAG_PARTITION_BY
		? "is not a partition key (RANGE (...), LIST (...) or HASH (...))"
		: "is not a partition bound (FOR VALUES ... or DEFAULT)";

	if (pr->n_stmts != 1)
		return pr->n_stmts == 0 ? "is empty" : "contains more than one statement";
	if (!pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_CREATE_STMT)
		return what;
	c = pr->stmts[0]->stmt->create_stmt;
	if (c->n_table_elts || c->of_typename || c->n_constraints || c->n_options ||
	    (c->tablespacename && c->tablespacename[0]) ||
	    (c->access_method && c->access_method[0]) ||
	    (c->oncommit != PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_NOOP &&
	     c->oncommit != PG_QUERY__ON_COMMIT_ACTION__ON_COMMIT_ACTION_UNDEFINED))
		return what;
	if (kind == SG_FRAG_PARTITION_BY)
		return c->partspec && !c->partbound && !c->n_inh_relations ? NULL : what;
	return c->partbound && !c->partspec && c->n_inh_relations == 1 ? NULL : what;
}

/* The CREATE RULE of a rule action's wrapper, or NULL. */
static const PgQuery__RuleStmt *wrapped_rule(PgQuery__ParseResult *pr)
{
	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_RULE_STMT)
		return NULL;
	return pr->stmts[0]->stmt->rule_stmt;
}

/* ALTER FUNCTION text STRICT: the routine and its argument types, and the
 * wrapper's one action (nothing of the text's own). */
static const char *signature_shape(PgQuery__ParseResult *pr)
{
	const PgQuery__AlterFunctionStmt *f;
	static const char what[] =
		"is not a function with its argument types (such as f(integer))";

	if (pr->n_stmts != 1)
		return pr->n_stmts == 0 ? "is empty" : "contains more than one statement";
	if (!pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT)
		return what;
	f = pr->stmts[0]->stmt->alter_function_stmt;
	if (f->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION || !f->func ||
	    f->func->args_unspecified || f->n_actions != 1)
		return what;
	return NULL;
}
/* ALTER FUNCTION text OWNER TO x: one name, no argument list. */
static const char *function_name_shape(PgQuery__ParseResult *pr)
{
	const PgQuery__AlterOwnerStmt *st;
	const PgQuery__ObjectWithArgs *ow;

	if (pr->n_stmts != 1)
		return pr->n_stmts == 0 ? "is empty" : "contains more than one statement";
	if (!pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_ALTER_OWNER_STMT)
		return "is not a function name";
	st = pr->stmts[0]->stmt->alter_owner_stmt;
	if (st->object_type != PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION || !st->object ||
	    st->object->node_case != PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS)
		return "is not a function name";
	ow = st->object->object_with_args;
	if (!ow->args_unspecified || ow->n_objargs || ow->n_objname < 1 ||
	    ow->n_objname > 2)
		return "is not a function name (without its argument types)";
	return NULL;
}

/* CREATE OPERATOR CLASS ... AS OPERATOR|FUNCTION 1 text: one item. */
static const char *opclass_item_shape(enum sg_frag kind, PgQuery__ParseResult *pr)
{
	const PgQuery__CreateOpClassStmt *st;
	const PgQuery__CreateOpClassItem *it;
	bool op = kind == SG_FRAG_OPCLASS_OPERATOR || kind == SG_FRAG_OPFAMILY_OPERATOR;
	const char *what = kind == SG_FRAG_OPCLASS_OPERATOR
		? "is not an operator of an operator class (such as < or s.op (int, int))"
		: kind == SG_FRAG_OPCLASS_FUNCTION
		? "is not a function of an operator class (such as s.cmp(int, int))"
		: kind == SG_FRAG_OPFAMILY_OPERATOR
		? "is not an operator's name (such as < or s.===)"
		: "is not a function (such as s.cmp(int, int))";

	if (pr->n_stmts != 1)
		return pr->n_stmts == 0 ? "is empty" : "contains more than one statement";
	if (!pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_CREATE_OP_CLASS_STMT)
		return what;
	st = pr->stmts[0]->stmt->create_op_class_stmt;
	if (st->n_items != 1 ||
	    st->items[0]->node_case != PG_QUERY__NODE__NODE_CREATE_OP_CLASS_ITEM)
		return what;
	it = st->items[0]->create_op_class_item;
	if (it->itemtype != (op ? 1 : 2) || it->number != 1)
		return what;
	return NULL;
}

/* Checks that the parsed wrapper is exactly what we wrapped, nothing more. */
static const char *shape_problem(enum sg_frag kind, PgQuery__ParseResult *pr,
				 size_t text_start, size_t text_end)
{
	PgQuery__SelectStmt *sel;

	if (kind == SG_FRAG_OPERATOR)
		return pr->n_stmts == 0 ? "is empty"
		       : operator_shape(pr, text_start, text_end);
	if (kind == SG_FRAG_PARTITION_BY || kind == SG_FRAG_PARTITION_BOUND)
		return partition_shape(kind, pr);
	if (kind == SG_FRAG_SIGNATURE)
		return signature_shape(pr);
	if (kind == SG_FRAG_FUNCTION_NAME)
		return function_name_shape(pr);
	if (kind == SG_FRAG_OPCLASS_OPERATOR || kind == SG_FRAG_OPCLASS_FUNCTION ||
	    kind == SG_FRAG_OPFAMILY_OPERATOR || kind == SG_FRAG_OPFAMILY_FUNCTION)
		return opclass_item_shape(kind, pr);

	if (kind == SG_FRAG_SCRIPT)
		return pr->n_stmts == 0 ? "is empty" : NULL;
	if (kind == SG_FRAG_RULE_ACTION) {
		const PgQuery__RuleStmt *r = wrapped_rule(pr);

		if (pr->n_stmts > 1 || (r && r->n_actions > 1))
			return "contains more than one statement";
		if (!r || r->n_actions != 1 || r->where_clause)
			return "is not a rule action (INSERT, UPDATE, DELETE, SELECT or NOTIFY)";
		return NULL;
	}
	if (kind == SG_FRAG_ROUTINE_BODY || kind == SG_FRAG_ARGUMENT ||
	    kind == SG_FRAG_RESULT)
		return pr->n_stmts == 0 ? "is empty" : function_shape(kind, pr);
	if (pr->n_stmts != 1)
		return pr->n_stmts == 0 ? "is empty" : "contains more than one statement";
	if (!pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return kind == SG_FRAG_QUERY ? "is not a SELECT query" : "is not an expression";
	if (kind == SG_FRAG_QUERY)
		return NULL;
	sel = pr->stmts[0]->stmt->select_stmt;
	if (sel->n_target_list != 1 || sel->n_from_clause || sel->where_clause ||
	    sel->n_group_clause || sel->having_clause || sel->n_window_clause ||
	    sel->n_sort_clause || sel->limit_count || sel->limit_offset ||
	    sel->n_locking_clause || sel->with_clause || sel->n_distinct_clause ||
	    sel->into_clause || sel->larg || sel->n_values_lists)
		return kind == SG_FRAG_TYPE ? "is not a type name" : "is not a single expression";
	{
		PgQuery__Node *t = sel->target_list[0];

		if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
			return "is not a single expression";
		if (t->res_target->name && t->res_target->name[0]) {
			/* "id > 0 AND" parses as id > 0 labelled "and" */
			return kind == SG_FRAG_TYPE ? "is not a type name"
			       : "has a stray word after the expression "
				 "(an operator missing its right side?)";
		}
		if (kind == SG_FRAG_TYPE) {
			PgQuery__Node *v = t->res_target->val;

			if (!v || v->node_case != PG_QUERY__NODE__NODE_TYPE_CAST ||
			    !v->type_cast->arg ||
			    v->type_cast->arg->node_case != PG_QUERY__NODE__NODE_A_CONST ||
			    !v->type_cast->arg->a_const->isnull)
				return "is not a type name";
		}
	}
	return NULL;
}

/*
 * Blanks the line comments of the text part of the wrapped fragment
 * (bytes [wlen, wlen + len) of sql) in out, which holds the text.
 */
static int blank_line_comments(const char *sql, size_t wlen, size_t len, char *out)
{
	PgQueryScanResult r = pg_query_scan(sql);
	PgQuery__ScanResult *sr;
	int ret = 0;

	if (r.error) {
		pg_query_free_scan_result(r);
		return -1;
	}
	sr = pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
	if (!sr) {
		pg_query_free_scan_result(r);
		return -1;
	}
	for (size_t i = 0; i < sr->n_tokens; i++) {
		const PgQuery__ScanToken *t = sr->tokens[i];
		size_t start = (size_t)t->start, end = (size_t)t->end;

		if (t->token != PG_QUERY__TOKEN__SQL_COMMENT)
			continue;
		if (start < wlen || end > wlen + len) {
			ret = -1;   /* a comment across the wrapper: cannot be */
			break;
		}
		if (end == wlen + len) {
			/* at the very end: cut off, with the blanks before it */
			out[start - wlen] = '\0';
			for (char *p = out + (start - wlen); p > out &&
			     (p[-1] == ' ' || p[-1] == '\t'); p--)
				p[-1] = '\0';
		} else {
			memset(out + (start - wlen), ' ', end - start);
		}
	}
	pg_query__scan_result__free_unpacked(sr, NULL);
	pg_query_free_scan_result(r);
	return ret;
}

static int check(enum sg_frag kind, const char *text, struct sg_loc loc,
		 const char *what, struct sg_diags *d, struct sg_arena *a,
		 const char **out);

int sg_sql_check(enum sg_frag kind, const char *text, struct sg_loc loc,
		 const char *what, struct sg_diags *d)
{
	return check(kind, text, loc, what, d, NULL, NULL);
}

const char *sg_sql_fragment(struct sg_arena *a, enum sg_frag kind,
			    const char *text, struct sg_loc loc,
			    const char *what, struct sg_diags *d)
{
	const char *out = NULL;

	/* checked before (memo.c) */
	if (text && (out = sg_frag_memo_get(kind, text)) != NULL)
		return sg_strdup(a, out);
	if (check(kind, text, loc, what, d, a, &out) < 0)
		return NULL;
	sg_frag_memo_put(kind, text, out);
	return out;
}

/*
 * The parser's message, with an `at or near "..."` token that runs into
 * the wrapper's suffix (an unterminated comment or string) cut at the end
 * of the text: the message shows only what the user wrote.
 */
static const char *near_in_text(struct sbuf *buf, const char *msg,
				const char *text, size_t off)
{
	static const char near[] = " at or near \"";
	const char *p = strstr(msg, near);
	size_t rest = strlen(text) - off, tok;

	if (!p)
		return msg;
	p += sizeof(near) - 1;
	tok = strlen(p);
	if (tok == 0 || p[tok - 1] != '"' || tok - 1 <= rest)
		return msg;
	/* reuse the wrapped text's buffer: it is no longer needed */
	sbuf_reset(buf);
	sbuf_add(buf, msg, (size_t)(p - msg));
	sbuf_add(buf, text + off, rest);
	sbuf_addch(buf, '"');
	return buf->buf;
}

/* Does text parse as a fragment of kind, of the right shape? */
static bool parses_as(enum sg_frag kind, const char *text)
{
	struct sbuf sql = SBUF_INIT;
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr;
	size_t wlen = strlen(wrappers[kind].prefix);
	bool ok = false;

	wrap(&sql, kind, text);
	pr = parse_tree(sql.buf, &err, &raw);
	if (pr) {
		ok = !shape_problem(kind, pr, wlen, wlen + strlen(text));
		pg_query__parse_result__free_unpacked(pr, NULL);
	}
	pg_query_free_protobuf_parse_result(raw);
	sbuf_release(&sql);
	return ok;
}

/*
 * A loose operator family member written as an operator class's
 * (`< (int, bigint)`, `(int, bigint) f(int, bigint)`): the member's own
 * types: say so, with the form expected.  False when it is not that.
 */
static bool family_member_form(enum sg_frag kind, const char *text,
			       struct sg_loc loc, const char *what,
			       struct sg_diags *d)
{
	size_t len = strlen(text), i = 0, paren = 0;
	struct sg_diag *dg;

	if (kind == SG_FRAG_OPFAMILY_OPERATOR && parses_as(SG_FRAG_OPCLASS_OPERATOR, text)) {
		/* the first "(": where the types begin */
		while (i < len) {
			struct sg_token t;
			size_t next = sg_sql_token(text, len, i, &t);

			if (t.kind == SG_TOK_END)
				break;
			if (t.kind == SG_TOK_OTHER && text[i] == '(') {
				paren = i;
				break;
			}
			i = next;
		}
		/* the name, without the blanks before "(" */
		for (i = paren; i > 0 && strchr(" \t\r\n", text[i - 1]); i--)
			;
		dg = sg_diag_error(d, sg_loc_at(loc, text, paren), "%s: argument types "
				   "after the operator's name", what);
		sg_diag_hint(dg, d, "write the name alone (operator: \"%.*s\"): the "
			     "member's types: are its left and right argument types",
			     (int)i, text);
		return true;
	}
	if (kind == SG_FRAG_OPFAMILY_FUNCTION && parses_as(SG_FRAG_OPCLASS_FUNCTION, text)) {
		dg = sg_diag_error(d, loc, "%s: types before the function", what);
		sg_diag_hint(dg, d, "write the function alone (function: \"s.cmp(int, "
			     "bigint)\"): the member's types: are the types it is "
			     "registered for");
		return true;
	}
	return false;
}

static void memo_refs(enum sg_frag kind, const char *text,
		      PgQuery__ParseResult *pr);

static int check(enum sg_frag kind, const char *text, struct sg_loc loc,
		 const char *what, struct sg_diags *d, struct sg_arena *a,
		 const char **out)
{
	struct sbuf sql = SBUF_INIT;
	size_t wlen = strlen(wrappers[kind].prefix);
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr;
	int ret = 0;

	if (!text || !*text || strspn(text, " \t\r\n") == strlen(text)) {
		sg_diag_error(d, loc, "%s is empty", what);
		return -1;
	}
	wrap(&sql, kind, text);
	pr = parse_tree(sql.buf, &err, &raw);
	if (err) {
		size_t off = err->cursorpos > 0
			? char_to_byte(sql.buf, (size_t)err->cursorpos - 1) : wlen;

		off = off >= wlen ? off - wlen : 0;
		if (family_member_form(kind, text, loc, what, d)) {
			;
		} else if (off >= strlen(text) && kind != SG_FRAG_EXPR && kind != SG_FRAG_TYPE &&
		    strncmp(err->message, "syntax error", 12) == 0) {
			/* in the wrapper's suffix: the text ended too early (do
			 * not name the wrapper's token) */
			sg_diag_error(d, sg_loc_at(loc, text, strlen(text)),
				      "%s: syntax error at end of input", what);
		} else {
			if (off > strlen(text))
				off = strlen(text);
			sg_diag_error(d, sg_loc_at(loc, text, off), "%s: %s", what,
				      near_in_text(&sql, err->message, text, off));
		}
		ret = -1;
	} else if (pr) {
		const char *problem = shape_problem(kind, pr, wlen, wlen + strlen(text));

		if (problem) {
			sg_diag_error(d, loc, "%s %s", what, problem);
			ret = -1;
		}
		if (ret == 0 && out) {
			char *copy = sg_strdup(a, text);
			size_t len = strlen(copy);

			/* a line comment is two dashes: none, nothing to blank
			 * (and no scan) */
			if (kind != SG_FRAG_SCRIPT && strstr(sql.buf, "--") &&
			    blank_line_comments(sql.buf, wlen, len, copy) < 0) {
				sg_diag_error(d, loc, "%s: could not be scanned", what);
				ret = -1;
			}
			*out = copy;
			if (ret == 0 && strcmp(copy, text) == 0)
				memo_refs(kind, copy, pr);
		}
		pg_query__parse_result__free_unpacked(pr, NULL);
	} else {
		sg_diag_error(d, loc, "%s: could not be parsed", what);
		ret = -1;
	}
	pg_query_free_protobuf_parse_result(raw);
	sbuf_release(&sql);
	return ret;
}

/* Skips whitespace and comments; returns the offset of the next token. */
static size_t skip_space(const char *s, size_t i, size_t end)
{
	while (i < end) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
		    s[i] == '\f' || s[i] == '\v') {
			i++;
		} else if (s[i] == '-' && i + 1 < end && s[i + 1] == '-') {
			while (i < end && s[i] != '\n')
				i++;
		} else if (s[i] == '/' && i + 1 < end && s[i + 1] == '*') {
			int depth = 1;

			i += 2;
			while (i < end && depth > 0) {
				if (s[i] == '/' && i + 1 < end && s[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (s[i] == '*' && i + 1 < end && s[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					i++;
				}
			}
		} else {
			break;
		}
	}
	return i;
}

int sg_sql_split(struct sg_arena *a, const char *sql, struct sg_sql_span **out,
		 size_t *n, size_t *err_offset, const char **err_msg)
{
	PgQuerySplitResult r;
	size_t total = strlen(sql), k = 0;

	parser_used = true;
	r = pg_query_split_with_parser(sql);

	*out = NULL;
	*n = 0;
	if (r.error) {
		size_t off = r.error->cursorpos > 0
			? char_to_byte(sql, (size_t)r.error->cursorpos - 1) : 0;

		*err_offset = off;
		*err_msg = sg_strdup(a, r.error->message);
		pg_query_free_split_result(r);
		return -1;
	}
	*out = sg_alloc_array(a, r.n_stmts ? (size_t)r.n_stmts : 1, sizeof(**out));
	for (int i = 0; i < r.n_stmts; i++) {
		size_t start = (size_t)r.stmts[i]->stmt_location;
		size_t end = r.stmts[i]->stmt_len ? start + (size_t)r.stmts[i]->stmt_len
						 : total;

		if (end > total)
			end = total;
		start = skip_space(sql, start, end);
		/* trim trailing whitespace (comments inside stay) */
		while (end > start && (sql[end - 1] == ' ' || sql[end - 1] == '\t' ||
				       sql[end - 1] == '\n' || sql[end - 1] == '\r'))
			end--;
		/* a trailing comment after the last statement is not a statement */
		if (start >= end)
			continue;
		(*out)[k].offset = start;
		(*out)[k].len = end - start;
		k++;
	}
	*n = k;
	pg_query_free_split_result(r);
	return 0;
}

/* ---- reflective walk over the protobuf tree ---- */

typedef void (*visit_fn)(const ProtobufCMessage *m, void *ctx);

static void walk(const ProtobufCMessage *m, visit_fn visit, void *ctx)
{
	const ProtobufCMessageDescriptor *desc = m->descriptor;
	const char *base = (const char *)m;

	visit(m, ctx);
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &desc->fields[i];

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t cnt = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *arr =
				*(ProtobufCMessage *const *const *)(base + f->offset);

			for (size_t j = 0; j < cnt; j++)
				if (arr[j])
					walk(arr[j], visit, ctx);
		} else {
			const ProtobufCMessage *sub;

			if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
				uint32_t c = *(const uint32_t *)(base + f->quantifier_offset);

				if (c != f->id)
					continue;
			}
			sub = *(const ProtobufCMessage *const *)(base + f->offset);
			if (sub)
				walk(sub, visit, ctx);
		}
	}
}

/* ---- equivalence of two parse trees ---- */

static bool msg_same(const ProtobufCMessage *a, const ProtobufCMessage *b);

/* `(ARRAY[e, ...])::T[]`: the constructor and the element type, or NULL. */
static const PgQuery__AArrayExpr *array_cast(const PgQuery__Node *n,
					     const PgQuery__TypeName **tn)
{
	const PgQuery__TypeCast *tc;

	if (n->node_case != PG_QUERY__NODE__NODE_TYPE_CAST)
		return NULL;
	tc = n->type_cast;
	if (!tc->arg || tc->arg->node_case != PG_QUERY__NODE__NODE_A_ARRAY_EXPR ||
	    !tc->type_name || tc->type_name->n_array_bounds == 0)
		return NULL;
	*tn = tc->type_name;
	return tc->arg->a_array_expr;
}

/* Is `el` the element type of array type `arr` (PostgreSQL arrays do not
 * count dimensions: the element type of int[][] is int)? */
static bool element_type_same(const PgQuery__TypeName *arr, const PgQuery__TypeName *el)
{
	PgQuery__TypeName t = *arr;

	if (el->n_array_bounds != 0)
		return false;
	t.n_array_bounds = 0;
	t.array_bounds = NULL;
	return msg_same(&t.base, &el->base);
}

/* Is element `x` of `(ARRAY[...])::T[]` the same as `y` of a constructor
 * whose elements carry the cast?  Nested constructors take T[] again. */
static bool cast_element_same(const PgQuery__Node *x, const PgQuery__TypeName *tn,
			      const PgQuery__Node *y);

static bool array_cast_same(const PgQuery__AArrayExpr *ax, const PgQuery__TypeName *tn,
			    const PgQuery__AArrayExpr *ay)
{
	if (ax->n_elements != ay->n_elements)
		return false;
	for (size_t i = 0; i < ax->n_elements; i++)
		if (!cast_element_same(ax->elements[i], tn, ay->elements[i]))
			return false;
	return true;
}

static bool cast_element_same(const PgQuery__Node *x, const PgQuery__TypeName *tn,
			      const PgQuery__Node *y)
{
	const PgQuery__TypeCast *tc;

	if (x->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR)
		return y->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR &&
		       array_cast_same(x->a_array_expr, tn, y->a_array_expr);
	if (y->node_case != PG_QUERY__NODE__NODE_TYPE_CAST)
		return false;
	tc = y->type_cast;
	return tc->arg && tc->type_name && element_type_same(tn, tc->type_name) &&
	       msg_same(&x->base, &tc->arg->base);
}

static bool node_same(const PgQuery__Node *a, const PgQuery__Node *b)
{
	const PgQuery__AArrayExpr *ax;
	const PgQuery__TypeName *tn;

	if (a->node_case != b->node_case) {
		if ((ax = array_cast(a, &tn)) && b->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR)
			return array_cast_same(ax, tn, b->a_array_expr);
		if ((ax = array_cast(b, &tn)) && a->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR)
			return array_cast_same(ax, tn, a->a_array_expr);
		return false;
	}
	return msg_same(&a->base, &b->base);
}

static bool sub_same(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
	if (!a || !b)
		return a == b;
	if (a->descriptor != b->descriptor)
		return false;
	if (a->descriptor == &pg_query__node__descriptor)
		return node_same((const PgQuery__Node *)a, (const PgQuery__Node *)b);
	return msg_same(a, b);
}

/* Field by field through the descriptors; `location` fields aside. */
static bool msg_same(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
	const ProtobufCMessageDescriptor *desc = a->descriptor;
	const char *pa = (const char *)a, *pb = (const char *)b;

	if (b->descriptor != desc)
		return false;
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &desc->fields[i];
		size_t sz;

		if (strcmp(f->name, "location") == 0)
			continue;
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t ca = *(const uint32_t *)(pa + f->quantifier_offset);
			uint32_t cb = *(const uint32_t *)(pb + f->quantifier_offset);

			if (ca != cb)
				return false;
			if (ca != f->id)
				continue;
		}
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t na = *(const size_t *)(pa + f->quantifier_offset);
			size_t nb = *(const size_t *)(pb + f->quantifier_offset);
			const void *va = *(const void *const *)(pa + f->offset);
			const void *vb = *(const void *const *)(pb + f->offset);

			if (na != nb)
				return false;
			for (size_t j = 0; j < na; j++) {
				if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
					if (!sub_same(((const ProtobufCMessage *const *)va)[j],
						      ((const ProtobufCMessage *const *)vb)[j]))
						return false;
				} else if (f->type == PROTOBUF_C_TYPE_STRING) {
					if (!sg_streq(((const char *const *)va)[j],
						      ((const char *const *)vb)[j]))
						return false;
				} else {
					return false;   /* no repeated scalars in the tree */
				}
			}
			continue;
		}
		switch (f->type) {
		case PROTOBUF_C_TYPE_MESSAGE:
			if (!sub_same(*(const ProtobufCMessage *const *)(pa + f->offset),
				      *(const ProtobufCMessage *const *)(pb + f->offset)))
				return false;
			continue;
		case PROTOBUF_C_TYPE_STRING:
			if (!sg_streq(*(const char *const *)(pa + f->offset),
				      *(const char *const *)(pb + f->offset)))
				return false;
			continue;
		case PROTOBUF_C_TYPE_BYTES: {
			const ProtobufCBinaryData *x = (const void *)(pa + f->offset);
			const ProtobufCBinaryData *y = (const void *)(pb + f->offset);

			if (x->len != y->len || (x->len && memcmp(x->data, y->data, x->len)))
				return false;
			continue;
		}
		case PROTOBUF_C_TYPE_BOOL:
			sz = sizeof(protobuf_c_boolean);
			break;
		case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_UINT64:
		case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_FIXED64:
		case PROTOBUF_C_TYPE_SFIXED64: case PROTOBUF_C_TYPE_DOUBLE:
			sz = 8;
			break;
		default:   /* 32-bit integers, enums, float */
			sz = 4;
			break;
		}
		if (memcmp(pa + f->offset, pb + f->offset, sz) != 0)
			return false;
	}
	return true;
}

bool sg_sql_same(enum sg_frag kind, const char *a, const char *b)
{
	struct sbuf sa = SBUF_INIT, sb = SBUF_INIT;
	PgQueryProtobufParseResult ra, rb;
	PgQueryError *ea, *eb;
	PgQuery__ParseResult *ta, *tb;
	bool same;

	if (!a || !b)
		return a == b;
	if (strcmp(a, b) == 0)
		return true;
	wrap(&sa, kind, a);
	wrap(&sb, kind, b);
	ta = parse_tree(sa.buf, &ea, &ra);
	tb = parse_tree(sb.buf, &eb, &rb);
	same = ta && tb && msg_same(&ta->base, &tb->base);
	if (ta)
		pg_query__parse_result__free_unpacked(ta, NULL);
	if (tb)
		pg_query__parse_result__free_unpacked(tb, NULL);
	pg_query_free_protobuf_parse_result(ra);
	pg_query_free_protobuf_parse_result(rb);
	sbuf_release(&sa);
	sbuf_release(&sb);
	return same;
}

struct refs_ctx {
	struct sg_arena *a;
	SG_VEC(struct sg_sql_ref) refs;
};

static const char *node_string(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string)
		return n->string->sval;
	return NULL;
}

static void add_ref(struct refs_ctx *c, char kind, PgQuery__Node **names,
		    size_t n)
{
	struct sg_sql_ref r = { .kind = kind };
	const char *last = n ? node_string(names[n - 1]) : NULL;

	if (!last)
		return;
	r.name = sg_strdup(c->a, last);
	if (n >= 2)
		r.schema = sg_strdup(c->a, node_string(names[n - 2]));
	SG_VEC_PUSH(c->a, &c->refs, r);
}

/* Splits a dotted, possibly quoted name from a string literal (nextval). */
static void add_name_literal(struct refs_ctx *c, char kind, const char *s)
{
	struct sg_sql_ref r = { .kind = kind };
	char *parts[3];
	int np = 0;
	struct sbuf cur = SBUF_INIT;
	bool quoted = false;

	for (const char *p = s;; p++) {
		if (*p == '"') {
			if (quoted && p[1] == '"') {
				sbuf_addch(&cur, '"');
				p++;
			} else {
				quoted = !quoted;
			}
		} else if ((*p == '.' && !quoted) || *p == '\0') {
			if (np < 3)
				parts[np++] = sbuf_to_arena(&cur, c->a);
			sbuf_reset(&cur);
			if (*p == '\0')
				break;
		} else {
			sbuf_addch(&cur, quoted ? *p : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
		}
	}
	sbuf_release(&cur);
	if (np == 0)
		return;
	r.name = parts[np - 1];
	r.schema = np >= 2 ? parts[np - 2] : NULL;
	SG_VEC_PUSH(c->a, &c->refs, r);
}

static const char *const seq_funcs[] = { "nextval", "currval", "setval" };

static void visit_refs(const ProtobufCMessage *m, void *ctx)
{
	struct refs_ctx *c = ctx;

	if (m->descriptor == &pg_query__range_var__descriptor) {
		const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
		struct sg_sql_ref r = { .kind = 'r' };

		if (!rv->relname || !rv->relname[0])
			return;
		r.name = sg_strdup(c->a, rv->relname);
		if (rv->schemaname && rv->schemaname[0])
			r.schema = sg_strdup(c->a, rv->schemaname);
		SG_VEC_PUSH(c->a, &c->refs, r);
	} else if (m->descriptor == &pg_query__func_call__descriptor) {
		const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
		const char *fname = fc->n_funcname
			? node_string(fc->funcname[fc->n_funcname - 1]) : NULL;

		add_ref(c, 'f', fc->funcname, fc->n_funcname);
		if (!fname || fc->n_args < 1)
			return;
		for (size_t i = 0; i < ARRAY_SIZE(seq_funcs); i++) {
			const PgQuery__Node *arg = fc->args[0];

			if (strcmp(fname, seq_funcs[i]) != 0)
				continue;
			/* nextval('s') or nextval('s'::regclass) */
			if (arg->node_case == PG_QUERY__NODE__NODE_TYPE_CAST)
				arg = arg->type_cast->arg;
			if (arg && arg->node_case == PG_QUERY__NODE__NODE_A_CONST &&
			    arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
				add_name_literal(c, 's', arg->a_const->sval->sval);
		}
	} else if (m->descriptor == &pg_query__type_name__descriptor) {
		const PgQuery__TypeName *tn = (const PgQuery__TypeName *)m;

		/* pg_catalog types come back as pg_catalog.int4 and are dropped
		 * by the caller's lookup; user types are what matters */
		add_ref(c, 't', tn->names, tn->n_names);
	}
}

/*
 * Where the references of a fragment are: the whole tree, or for the
 * function fragments only the part that is the fragment (not the
 * wrapper's own "RETURNS int").
 */
static const ProtobufCMessage *frag_root(enum sg_frag kind, PgQuery__ParseResult *pr)
{
	const PgQuery__CreateFunctionStmt *f = wrapped_function(pr);
	const PgQuery__RuleStmt *r = wrapped_rule(pr);

	if (kind == SG_FRAG_RULE_ACTION)
		return r && r->n_actions == 1 ? &r->actions[0]->base : &pr->base;
	if (!f)
		return &pr->base;
	switch (kind) {
	case SG_FRAG_ROUTINE_BODY:
		return f->sql_body ? &f->sql_body->base : &pr->base;
	case SG_FRAG_ARGUMENT:
		return f->n_parameters == 1 ? &f->parameters[0]->base : &pr->base;
	case SG_FRAG_RESULT:
		/* TABLE (...) columns are parameters; a plain type is the
		 * return type; both are walked */
		return &pr->base;
	default:
		return &pr->base;
	}
}

static int ref_cmp(const void *pa, const void *pb)
{
	const struct sg_sql_ref *a = pa, *b = pb;
	int r;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	r = sg_strcmp_null(a->schema, b->schema);
	return r ? r : strcmp(a->name, b->name);
}

static int refs_parsed(struct sg_arena *a, enum sg_frag kind, const char *text,
		       struct sg_sql_ref **out, size_t *n);
static void refs_of_tree(struct sg_arena *a, enum sg_frag kind,
			 PgQuery__ParseResult *pr, struct sg_sql_ref **out,
			 size_t *n);

int sg_sql_refs(struct sg_arena *a, enum sg_frag kind, const char *text,
		struct sg_sql_ref **out, size_t *n)
{
	const struct sg_sql_ref *hit;

	/* found before (memo.c) */
	if (text && sg_refs_memo_get(kind, text, &hit, n)) {
		*out = sg_alloc_array(a, *n + 1, sizeof(**out));
		if (*n)
			memcpy(*out, hit, *n * sizeof(**out));
		return 0;
	}
	if (refs_parsed(a, kind, text, out, n) < 0)
		return -1;
	if (text)
		sg_refs_memo_put(kind, text, *out, *n);
	return 0;
}

static int refs_parsed(struct sg_arena *a, enum sg_frag kind, const char *text,
		       struct sg_sql_ref **out, size_t *n)
{
	struct sbuf sql = SBUF_INIT;
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr;

	wrap(&sql, kind, text);
	pr = parse_tree(sql.buf, &err, &raw);
	sbuf_release(&sql);
	if (!pr) {
		pg_query_free_protobuf_parse_result(raw);
		*out = NULL;
		*n = 0;
		return -1;
	}
	refs_of_tree(a, kind, pr, out, n);
	pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	return 0;
}

static void refs_of_tree(struct sg_arena *a, enum sg_frag kind,
			 PgQuery__ParseResult *pr, struct sg_sql_ref **out,
			 size_t *n)
{
	struct refs_ctx c = { .a = a };

	walk(frag_root(kind, pr), visit_refs, &c);
	if (c.refs.n > 1) {
		size_t w = 1;

		qsort(c.refs.v, c.refs.n, sizeof(*c.refs.v), ref_cmp);
		for (size_t r = 1; r < c.refs.n; r++)
			if (ref_cmp(&c.refs.v[w - 1], &c.refs.v[r]) != 0)
				c.refs.v[w++] = c.refs.v[r];
		c.refs.n = w;
	}
	*out = c.refs.v;
	*n = c.refs.n;
}

/*
 * The references of a fragment just checked, from the check's own parse,
 * into the memo: sg_sql_refs() of the same text (check.c asks for those
 * of every fragment of the models) is then not a second parse.
 */
static void memo_refs(enum sg_frag kind, const char *text,
		      PgQuery__ParseResult *pr)
{
	struct sg_arena *t = sg_arena_new();
	struct sg_sql_ref *refs;
	size_t n;

	refs_of_tree(t, kind, pr, &refs, &n);
	sg_refs_memo_put(kind, text, refs, n);
	sg_arena_free(t);
}

struct roles_ctx {
	struct sg_arena *a;
	SG_VEC(struct sg_sql_role) roles;
};

static void visit_roles(const ProtobufCMessage *m, void *ctx)
{
	struct roles_ctx *c = ctx;

	if (m->descriptor == &pg_query__role_spec__descriptor) {
		const PgQuery__RoleSpec *rs = (const PgQuery__RoleSpec *)m;

		if (rs->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING &&
		    rs->rolename && rs->rolename[0])
			SG_VEC_PUSH(c->a, &c->roles, ((struct sg_sql_role){
				.name = sg_strdup(c->a, rs->rolename),
				.offset = rs->location > 0 ? (size_t)rs->location : 0 }));
	} else if (m->descriptor == &pg_query__grant_role_stmt__descriptor) {
		const PgQuery__GrantRoleStmt *g = (const PgQuery__GrantRoleStmt *)m;

		/* the granted roles are AccessPriv nodes, without a location */
		for (size_t i = 0; i < g->n_granted_roles; i++) {
			const PgQuery__Node *n = g->granted_roles[i];

			if (n->node_case == PG_QUERY__NODE__NODE_ACCESS_PRIV &&
			    n->access_priv->priv_name && n->access_priv->priv_name[0])
				SG_VEC_PUSH(c->a, &c->roles, ((struct sg_sql_role){
					.name = sg_strdup(c->a, n->access_priv->priv_name) }));
		}
	}
}

int sg_sql_roles(struct sg_arena *a, const char *stmt, struct sg_sql_role **out,
		 size_t *n, const char **created)
{
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr = parse_tree(stmt, &err, &raw);
	struct roles_ctx c = { .a = a };

	*out = NULL;
	*n = 0;
	*created = NULL;
	if (!pr) {
		pg_query_free_protobuf_parse_result(raw);
		return -1;
	}
	for (size_t i = 0; i < pr->n_stmts; i++) {
		const PgQuery__Node *st = pr->stmts[i]->stmt;

		if (!st)
			continue;
		if (st->node_case == PG_QUERY__NODE__NODE_CREATE_ROLE_STMT &&
		    st->create_role_stmt->role)
			*created = sg_strdup(a, st->create_role_stmt->role);
		walk(&st->base, visit_roles, &c);
	}
	pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	*out = c.roles.v;
	*n = c.roles.n;
	return 0;
}

int sg_sql_argument(struct sg_arena *a, const char *text, struct sg_sql_arg *out)
{
	struct sbuf sql = SBUF_INIT;
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr;
	const PgQuery__CreateFunctionStmt *f;
	const PgQuery__FunctionParameter *p;
	const PgQuery__TypeName *tn;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	wrap(&sql, SG_FRAG_ARGUMENT, text);
	pr = parse_tree(sql.buf, &err, &raw);
	sbuf_release(&sql);
	if (!pr || function_shape(SG_FRAG_ARGUMENT, pr))
		goto out;
	f = wrapped_function(pr);
	if (f->parameters[0]->node_case != PG_QUERY__NODE__NODE_FUNCTION_PARAMETER)
		goto out;
	p = f->parameters[0]->function_parameter;
	switch (p->mode) {
	case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT:
		out->mode = 'o';
		break;
	case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT:
		out->mode = 'b';
		break;
	case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC:
		out->mode = 'v';
		break;
	default:
		out->mode = 'i';
		break;
	}
	if (p->name && p->name[0])
		out->name = sg_strdup(a, p->name);
	out->has_default = p->defexpr != NULL;
	tn = p->arg_type;
	if (tn && tn->n_names > 0) {
		const char *last = node_string(tn->names[tn->n_names - 1]);
		const char *prev = tn->n_names >= 2 ? node_string(tn->names[tn->n_names - 2])
						    : NULL;

		out->type_name = last ? sg_strdup(a, last) : NULL;
		out->type_schema = prev ? sg_strdup(a, prev) : NULL;
		out->ndims = (int)tn->n_array_bounds;
		out->pct_type = tn->pct_type;
		ret = out->type_name ? 0 : -1;
	}
out:
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	return ret;
}

static bool has_concurrently_option(PgQuery__Node **params, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (params[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcmp(params[i]->def_elem->defname, "concurrently") == 0)
			return true;
	return false;
}

static unsigned classify_node(const PgQuery__Node *n)
{
	unsigned flags = 0;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (n->index_stmt->concurrent)
			flags |= SG_SQL_NO_TRANSACTION;
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		if (n->drop_stmt->concurrent)
			flags |= SG_SQL_NO_TRANSACTION;
		break;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		if (has_concurrently_option(n->reindex_stmt->params,
					    n->reindex_stmt->n_params) ||
		    n->reindex_stmt->kind ==
			    PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM ||
		    n->reindex_stmt->kind ==
			    PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE)
			flags |= SG_SQL_NO_TRANSACTION;
		break;
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
		flags |= SG_SQL_NO_TRANSACTION;
		break;
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
		if (!n->cluster_stmt->relation)
			flags |= SG_SQL_NO_TRANSACTION;
		break;
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		flags |= SG_SQL_TRANSACTION_CONTROL;
		break;
	case PG_QUERY__NODE__NODE_CREATE_FDW_STMT:
	case PG_QUERY__NODE__NODE_ALTER_FDW_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FOREIGN_SERVER_STMT:
	case PG_QUERY__NODE__NODE_ALTER_FOREIGN_SERVER_STMT:
	case PG_QUERY__NODE__NODE_CREATE_USER_MAPPING_STMT:
	case PG_QUERY__NODE__NODE_ALTER_USER_MAPPING_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
		flags |= SG_SQL_FOREIGN_OPTIONS;
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		if (!n->alter_enum_stmt->old_val ||
		    !n->alter_enum_stmt->old_val[0])
			flags |= SG_SQL_ENUM_ADD_VALUE;
		break;
	default:
		break;
	}
	return flags;
}

unsigned sg_sql_classify(const char *stmt)
{
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr = parse_tree(stmt, &err, &raw);
	unsigned flags = 0;

	if (!pr) {
		pg_query_free_protobuf_parse_result(raw);
		return 0;
	}
	for (size_t i = 0; i < pr->n_stmts; i++)
		if (pr->stmts[i]->stmt)
			flags |= classify_node(pr->stmts[i]->stmt);
	pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	return flags;
}

int sg_sql_parser_version(void)
{
	return PG_VERSION_NUM;
}

const char *sg_sql_index_concurrently(struct sg_arena *a, const char *def)
{
	PgQueryScanResult r;
	PgQuery__ScanResult *sr;
	const char *ret = NULL;
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr = parse_tree(def, &err, &raw);
	bool ok = pr && pr->n_stmts == 1 && pr->stmts[0]->stmt &&
		  pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_INDEX_STMT &&
		  !pr->stmts[0]->stmt->index_stmt->concurrent;

	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	if (!ok)
		return NULL;
	r = pg_query_scan(def);
	if (r.error || !(sr = pg_query__scan_result__unpack(NULL, r.pbuf.len,
							    (const uint8_t *)r.pbuf.data))) {
		pg_query_free_scan_result(r);
		return NULL;
	}
	/* the first INDEX keyword: CREATE [UNIQUE] INDEX */
	for (size_t i = 0; i < sr->n_tokens && i < 3; i++) {
		const PgQuery__ScanToken *t = sr->tokens[i];

		if (t->token == PG_QUERY__TOKEN__INDEX) {
			ret = sg_printf(a, "%.*s CONCURRENTLY%s", (int)t->end, def,
					def + t->end);
			break;
		}
	}
	pg_query__scan_result__free_unpacked(sr, NULL);
	pg_query_free_scan_result(r);
	return ret;
}

/* text[from, to) trimmed of blanks, in a. */
static const char *trimmed(struct sg_arena *a, const char *text, size_t from,
			   size_t to)
{
	while (from < to && strchr(" \t\r\n", text[from]))
		from++;
	while (to > from && strchr(" \t\r\n", text[to - 1]))
		to--;
	return sg_strndup(a, text + from, to - from);
}

int sg_sql_rule_parts(struct sg_arena *a, const char *def, const char **where,
		      const char ***actions, size_t *nactions)
{
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr = parse_tree(def, &err, &raw);
	bool ok = pr && wrapped_rule(pr) != NULL;
	SG_VEC(const char *) acts = { 0 };
	PgQueryScanResult r;
	PgQuery__ScanResult *sr;
	size_t i, n, depth = 0, start = 0, where_at = 0;
	int ret = -1;

	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	*where = NULL;
	*actions = NULL;
	*nactions = 0;
	if (!ok)
		return -1;
	r = pg_query_scan(def);
	if (r.error || !(sr = pg_query__scan_result__unpack(NULL, r.pbuf.len,
							    (const uint8_t *)r.pbuf.data))) {
		pg_query_free_scan_result(r);
		return -1;
	}
	n = sr->n_tokens;
	/* WHERE ... DO at the top level (a condition has no DO of its own
	 * outside parentheses) */
	for (i = 0; i < n; i++) {
		int tok = sr->tokens[i]->token;

		if (tok == '(')
			depth++;
		else if (tok == ')' && depth)
			depth--;
		else if (depth == 0 && tok == PG_QUERY__TOKEN__WHERE && !where_at)
			where_at = (size_t)sr->tokens[i]->end;
		else if (depth == 0 && tok == PG_QUERY__TOKEN__DO)
			break;
	}
	if (i == n)
		goto out;
	if (where_at)
		*where = trimmed(a, def, where_at, (size_t)sr->tokens[i]->start);
	i++;
	if (i < n && (sr->tokens[i]->token == PG_QUERY__TOKEN__INSTEAD ||
		      sr->tokens[i]->token == PG_QUERY__TOKEN__ALSO))
		i++;
	if (i < n && sr->tokens[i]->token == PG_QUERY__TOKEN__NOTHING) {
		ret = 0;
		goto out;
	}
	if (i < n && sr->tokens[i]->token == '(') {
		/* (action; action; ...) */
		start = (size_t)sr->tokens[i]->end;
		for (i++, depth = 0; i < n; i++) {
			int tok = sr->tokens[i]->token;
			size_t at = (size_t)sr->tokens[i]->start;

			if (tok == '(') {
				depth++;
			} else if (tok == ')' && depth) {
				depth--;
			} else if (depth == 0 && (tok == ';' || tok == ')')) {
				const char *s = trimmed(a, def, start, at);

				if (*s)
					SG_VEC_PUSH(a, &acts, s);
				start = (size_t)sr->tokens[i]->end;
				if (tok == ')')
					break;
			}
		}
		if (i == n)
			goto out;
	} else if (i < n) {
		/* one action, up to the statement's semicolon */
		size_t end = strlen(def);
		const char *s;

		if (sr->tokens[n - 1]->token == ';')
			end = (size_t)sr->tokens[n - 1]->start;
		s = trimmed(a, def, (size_t)sr->tokens[i]->start, end);
		SG_VEC_PUSH(a, &acts, s);
	} else {
		goto out;
	}
	*actions = acts.v;
	*nactions = acts.n;
	ret = 0;
out:
	pg_query__scan_result__free_unpacked(sr, NULL);
	pg_query_free_scan_result(r);
	return ret;
}

int sg_sql_ts_options(struct sg_arena *a, const char *text, const char ***out,
		      size_t *n)
{
	struct sbuf sql = SBUF_INIT;
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr;
	SG_VEC(const char *) v = { 0 };
	int ret = -1;

	*out = NULL;
	*n = 0;
	sbuf_adds(&sql, "ALTER TEXT SEARCH DICTIONARY x (");
	sbuf_adds(&sql, text);
	sbuf_adds(&sql, "\n)");
	pr = parse_tree(sql.buf, &err, &raw);
	sbuf_release(&sql);
	if (pr && pr->n_stmts == 1 && pr->stmts[0]->stmt &&
	    pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_ALTER_TSDICTIONARY_STMT) {
		const PgQuery__AlterTSDictionaryStmt *st =
			pr->stmts[0]->stmt->alter_tsdictionary_stmt;

		ret = 0;
		for (size_t i = 0; i < st->n_options && ret == 0; i++) {
			const PgQuery__Node *o = st->options[i], *arg;
			const char *val = NULL;

			if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) {
				ret = -1;
				break;
			}
			arg = o->def_elem->arg;
			if (arg && arg->node_case == PG_QUERY__NODE__NODE_STRING)
				val = arg->string->sval;
			else if (arg && arg->node_case == PG_QUERY__NODE__NODE_INTEGER)
				val = sg_printf(a, "%d", (int)arg->integer->ival);
			else if (arg && arg->node_case == PG_QUERY__NODE__NODE_FLOAT)
				val = arg->float_->fval;
			else if (arg && arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
				val = arg->boolean->boolval ? "true" : "false";
			if (!val) {
				ret = -1;
				break;
			}
			SG_VEC_PUSH(a, &v, sg_printf(a, "%s=%s", o->def_elem->defname, val));
		}
	}
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	if (ret == 0) {
		*out = v.v;
		*n = v.n;
	}
	return ret;
}

static const char *node_str(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

int sg_sql_concurrent_index(struct sg_arena *a, const char *stmt,
			    struct sg_sql_cindex *out)
{
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr = parse_tree(stmt, &err, &raw);
	const PgQuery__Node *n;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!pr || pr->n_stmts != 1 || !(n = pr->stmts[0]->stmt))
		goto out;
	if (n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT) {
		const PgQuery__IndexStmt *ix = n->index_stmt;

		if (!ix->concurrent || !ix->idxname || !ix->idxname[0] || !ix->relation)
			goto out;
		out->create = true;
		out->name = sg_strdup(a, ix->idxname);
		if (ix->relation->schemaname && ix->relation->schemaname[0])
			out->schema = sg_strdup(a, ix->relation->schemaname);
		ret = 1;
	} else if (n->node_case == PG_QUERY__NODE__NODE_DROP_STMT) {
		const PgQuery__DropStmt *ds = n->drop_stmt;
		const PgQuery__Node *obj;
		const PgQuery__List *l;

		if (!ds->concurrent || ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ||
		    ds->n_objects != 1 || !(obj = ds->objects[0]) ||
		    obj->node_case != PG_QUERY__NODE__NODE_LIST)
			goto out;
		l = obj->list;
		if (l->n_items == 1 && node_str(l->items[0])) {
			out->name = sg_strdup(a, node_str(l->items[0]));
		} else if (l->n_items == 2 && node_str(l->items[0]) && node_str(l->items[1])) {
			out->schema = sg_strdup(a, node_str(l->items[0]));
			out->name = sg_strdup(a, node_str(l->items[1]));
		} else {
			goto out;
		}
		ret = 1;
	}
out:
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	return ret;
}

void sg_sql_cleanup(void)
{
	if (parser_used)
		pg_query_exit();
	parser_used = false;
}

/* ---- control characters in names and literals of generated SQL ---- */

/* A quoted name with a control (a newline too), or a literal with one
 * (but newline and tab). */
static bool token_has_control(const char *s, size_t len, bool ident)
{
	return sg_has_control(s, len, !ident) || (ident && memchr(s, '\n', len));
}

static void add_edit(struct sg_arena *a, struct sg_sql_edits *ed, size_t end,
		     long delta)
{
	struct sg_sql_edit e = { .end = end, .delta = delta };

	SG_VEC_PUSH(a, ed, e);
}

/* "a""b" -> a"b (the quotes' contents, undoubled) */
static char *undouble(const char *s, size_t len, char q)
{
	char *v = malloc(len + 1), *o = v;

	for (size_t i = 1; i + 1 < len; i++) {
		*o++ = s[i];
		if (s[i] == q && s[i + 1] == q)
			i++;
	}
	*o = '\0';
	return v;
}

const char *sg_sql_escape_controls(struct sg_arena *a, const char *sql,
				   struct sg_sql_edits *edits)
{
	PgQueryScanResult r;
	PgQuery__ScanResult *sr;
	struct sbuf out = SBUF_INIT;
	size_t len = strlen(sql), done = 0;
	const char *ret = sql;

	edits->n = 0;
	if (!token_has_control(sql, len, true))
		return sql;   /* the common case: no scan */
	r = pg_query_scan(sql);
	if (r.error || !(sr = pg_query__scan_result__unpack(NULL, r.pbuf.len,
							    (const uint8_t *)r.pbuf.data))) {
		pg_query_free_scan_result(r);
		return sql;
	}
	for (size_t i = 0; i < sr->n_tokens; i++) {
		const PgQuery__ScanToken *t = sr->tokens[i];
		size_t s = (size_t)t->start, e = (size_t)t->end;
		const char *p = sql + s;
		size_t n = e - s;
		bool ident = t->token == PG_QUERY__TOKEN__IDENT;

		if (e > len || n < 2 || s < done ||
		    !(ident || t->token == PG_QUERY__TOKEN__SCONST))
			continue;
		/* dollar quotes, U&"..." and U&'...': as written */
		if (!(p[0] == '"' || p[0] == '\'' ||
		      ((p[0] == 'E' || p[0] == 'e') && p[1] == '\'')) ||
		    !token_has_control(p, n, ident))
			continue;
		sbuf_add(&out, sql + done, s - done);
		if (ident && p[0] == '"' && p[n - 1] == '"') {
			char *v = undouble(p, n, '"');

			sg_quote_ident(&out, v);
			free(v);
		} else if (p[0] == '\'' && p[n - 1] == '\'') {
			char *v = undouble(p, n, '\'');

			sg_quote_literal(&out, v);
			free(v);
		} else if ((p[0] == 'E' || p[0] == 'e') && p[1] == '\'') {
			/* E'...': each raw control becomes its escape; one
			 * after a lone backslash meant itself already */
			for (size_t k = 0; k < n;) {
				size_t bs = 0, m, cl;
				unsigned c;

				while (k + bs < n && p[k + bs] == '\\')
					bs++;
				m = k + bs;
				cl = m < n ? sg_control_len(p + m, true, &c) : 0;
				if (cl) {
					sbuf_add(&out, p + k, bs & ~(size_t)1);
					sbuf_addf(&out, c < 0x80 ? "\\x%02x" : "\\u%04x", c);
					k = m + cl;
				} else {
					sbuf_add(&out, p + k, bs + (m < n));
					k = m + 1;
				}
			}
		} else {
			sbuf_add(&out, p, n);
		}
		done = e;
		add_edit(a, edits, e, (long)out.len - (long)e);
	}
	if (out.len) {
		sbuf_adds(&out, sql + done);
		ret = sbuf_to_arena(&out, a);
	}
	sbuf_release(&out);
	pg_query__scan_result__free_unpacked(sr, NULL);
	pg_query_free_scan_result(r);
	return ret;
}

/* ---- hazards: what a statement does to a live database ---- */

struct hz_ctx {
	struct sg_arena *a;
	struct sg_hz *v;
	size_t n, cap;
	const char *creates;
};

static void hz_add(struct hz_ctx *c, enum sg_hazard k, const char *rel,
		   bool uncertain, const char *fmt, ...) SG_PRINTF(5, 6);

static void hz_add(struct hz_ctx *c, enum sg_hazard k, const char *rel,
		   bool uncertain, const char *fmt, ...)
{
	struct sg_hz h = { .kind = k, .rel = rel, .uncertain = uncertain };
	va_list ap;

	for (size_t i = 0; i < c->n; i++) {
		struct sg_hz *o = &c->v[i];

		if (!sg_streq(o->rel, rel))
			continue;
		if (o->kind == k) {
			/* say what is sure */
			if (o->uncertain && !uncertain) {
				va_start(ap, fmt);
				o->what = sg_vprintf(c->a, fmt, ap);
				va_end(ap);
				o->uncertain = false;
			}
			return;
		}
		/* one lock per relation: the strongest (they are in order) */
		if (k <= SG_HZ_LOCK_SHARE && o->kind <= SG_HZ_LOCK_SHARE) {
			if (o->kind < k)
				return;
			c->v[i] = c->v[--c->n];
			i--;
		}
	}
	va_start(ap, fmt);
	h.what = sg_vprintf(c->a, fmt, ap);
	va_end(ap);
	SG_VEC_PUSH(c->a, c, h);
}

static const char *rv_name(struct sg_arena *a, const PgQuery__RangeVar *rv)
{
	if (!rv || !rv->relname || !rv->relname[0])
		return NULL;
	return sg_qq(a, rv->schemaname && rv->schemaname[0] ? rv->schemaname : NULL,
		     rv->relname);
}

/* A name list (DROP's objects): the first `n` names, qualified. */
static const char *list_name(struct sg_arena *a, const PgQuery__Node *obj,
			     size_t drop_last)
{
	PgQuery__Node **v;
	size_t n;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	if (!obj || obj->node_case != PG_QUERY__NODE__NODE_LIST)
		return node_string(obj) ? sg_qi(a, node_string(obj)) : NULL;
	v = obj->list->items;
	n = obj->list->n_items;
	if (n <= drop_last)
		return NULL;
	n -= drop_last;
	for (size_t i = 0; i < n; i++) {
		const char *s = node_string(v[i]);

		if (!s)
			break;
		if (i)
			sbuf_addch(&sb, '.');
		sg_quote_ident(&sb, s);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static void lock_ae(struct hz_ctx *c, const char *rel)
{
	hz_add(c, SG_HZ_LOCK_ACCESS_EXCLUSIVE, rel, false,
	       "takes an ACCESS EXCLUSIVE lock on %s: its reads and writes wait "
	       "until the transaction ends", rel);
}

static void lock_sre(struct hz_ctx *c, const char *rel)
{
	hz_add(c, SG_HZ_LOCK_SHARE_ROW_EXCLUSIVE, rel, false,
	       "takes a SHARE ROW EXCLUSIVE lock on %s: its writes wait "
	       "until the transaction ends", rel);
}

/* Functions a default may call without making ADD COLUMN rewrite the
 * table: those are volatile. */
static const char *const volatile_funcs[] = {
	"random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7",
	"uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
	"clock_timestamp", "timeofday", "nextval", "setval", "txid_current",
	"gen_random_bytes", "pg_current_xact_id", NULL,
};

/* Functions every PostgreSQL has that are not volatile (a default calling
 * anything else may or may not rewrite: the text cannot tell). */
static const char *const stable_funcs[] = {
	"now", "transaction_timestamp", "statement_timestamp", "current_setting",
	"lower", "upper", "length", "concat", "concat_ws", "jsonb_build_object",
	"json_build_object", "jsonb_build_array", "json_build_array", "to_jsonb",
	"to_json", "make_interval", "make_date", "make_timestamp", "date_trunc",
	"array_fill", "repeat", "md5", "to_char", "to_date", "to_timestamp",
	"abs", "round", "trim", "btrim", "ltrim", "rtrim", "replace", "substr",
	"left", "right", NULL,
};

struct volatility {
	int state;   /* 0 none, 1 unknown function, 2 volatile */
	const char *func;
};

static bool name_in(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static void visit_volatile(const ProtobufCMessage *m, void *ctx)
{
	struct volatility *v = ctx;
	const PgQuery__FuncCall *f;
	const char *name;

	if (m->descriptor != &pg_query__func_call__descriptor)
		return;
	f = (const PgQuery__FuncCall *)m;
	name = f->n_funcname ? node_string(f->funcname[f->n_funcname - 1]) : NULL;
	if (name_in(name, volatile_funcs)) {
		v->state = 2;
		v->func = name;
	} else if (!name_in(name, stable_funcs) && v->state < 1) {
		v->state = 1;
		v->func = name;
	}
}

/* An added column: its default, NOT NULL and constraints. */
static void hz_add_column(struct hz_ctx *c, const char *rel,
			  const PgQuery__ColumnDef *cd)
{
	struct volatility vol = { 0 };
	bool not_null = cd->is_not_null, has_default = cd->raw_default != NULL;
	const char *col = sg_qi(c->a, cd->colname ? cd->colname : "?");
	const char *tn = NULL;

	if (cd->raw_default)
		walk(&cd->raw_default->base, visit_volatile, &vol);
	if (cd->type_name && cd->type_name->n_names)
		tn = node_string(cd->type_name->names[cd->type_name->n_names - 1]);
	if (tn && (strcmp(tn, "serial") == 0 || strcmp(tn, "bigserial") == 0 ||
		   strcmp(tn, "smallserial") == 0 || strcmp(tn, "serial4") == 0 ||
		   strcmp(tn, "serial8") == 0 || strcmp(tn, "serial2") == 0)) {
		vol.state = 2;
		vol.func = "nextval";
		has_default = not_null = true;
	}
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Constraint *k;

		if (cd->constraints[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		k = cd->constraints[i]->constraint;
		switch (k->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			not_null = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			has_default = true;
			if (k->raw_expr)
				walk(&k->raw_expr->base, visit_volatile, &vol);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			has_default = true;
			vol.state = 2;
			vol.func = "an identity";
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			has_default = true;
			vol.state = 2;
			vol.func = "a stored generated value";
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
			not_null = true;
			/* fall through */
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
			hz_add(c, SG_HZ_INDEX_BUILD, rel, false,
			       "builds an index on %s for column %s while its writes wait",
			       rel, col);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
			hz_add(c, SG_HZ_TABLE_SCAN, rel, false,
			       "reads all of %s to check the new column %s", rel, col);
			hz_add(c, SG_HZ_MAY_FAIL, rel, false,
			       "fails if a row of %s violates the check of the new column %s",
			       rel, col);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
			const char *pk = rv_name(c->a, k->pktable);

			if (pk)
				lock_sre(c, pk);
			break;
		}
		default:
			break;
		}
	}
	if (vol.state == 2)
		hz_add(c, SG_HZ_TABLE_REWRITE, rel, false,
		       "rewrites %s to fill the new column %s with %s (a volatile default)",
		       rel, col, vol.func);
	else if (vol.state == 1)
		hz_add(c, SG_HZ_TABLE_REWRITE, rel, true,
		       "rewrites %s if the default of the new column %s calls a volatile "
		       "function (%s)", rel, col, vol.func);
	if (not_null && !has_default)
		hz_add(c, SG_HZ_MAY_FAIL, rel, false,
		       "fails if %s has rows: the new column %s is NOT NULL without a default",
		       rel, col);
}

static void hz_add_constraint(struct hz_ctx *c, const char *rel,
			      const PgQuery__Constraint *k)
{
	const char *name = k->conname && k->conname[0] ? sg_qi(c->a, k->conname) : NULL;
	const char *what = name ? sg_printf(c->a, "constraint %s", name) : "the new constraint";

	switch (k->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		lock_ae(c, rel);
		if (!k->skip_validation) {
			hz_add(c, SG_HZ_TABLE_SCAN, rel, false,
			       "reads all of %s to validate %s", rel, what);
			hz_add(c, SG_HZ_MAY_FAIL, rel, false,
			       "fails if a row of %s violates %s", rel, what);
		}
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
		const char *pk = rv_name(c->a, k->pktable);

		lock_sre(c, rel);
		if (pk)
			lock_sre(c, pk);
		if (!k->skip_validation) {
			hz_add(c, SG_HZ_TABLE_SCAN, rel, false,
			       "reads all of %s to validate %s", rel, what);
			hz_add(c, SG_HZ_MAY_FAIL, rel, false,
			       "fails if a row of %s violates %s", rel, what);
		}
		break;
	}
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		lock_ae(c, rel);
		if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
			/* SET NOT NULL on its columns, even USING INDEX */
			hz_add(c, SG_HZ_TABLE_SCAN, rel, false,
			       "reads all of %s to check that the key columns of %s have no NULL",
			       rel, what);
			hz_add(c, SG_HZ_MAY_FAIL, rel, false,
			       "fails if a row of %s has NULL in a key column of %s", rel, what);
		}
		if (k->indexname && k->indexname[0])
			break;   /* USING INDEX: built already */
		hz_add(c, SG_HZ_INDEX_BUILD, rel, false,
		       "builds the index of %s on %s while its writes wait", what, rel);
		hz_add(c, SG_HZ_MAY_FAIL, rel, false,
		       "fails if rows of %s violate %s", rel, what);
		break;
	default:
		lock_ae(c, rel);
		break;
	}
}

static void hz_alter_table(struct hz_ctx *c, const PgQuery__AlterTableStmt *s)
{
	const char *rel = rv_name(c->a, s->relation);

	if (!rel)
		return;
	/* a foreign table holds no rows here: nothing is scanned, rewritten
	 * or lost, whatever the command */
	if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE) {
		lock_ae(c, rel);
		return;
	}
	for (size_t i = 0; i < s->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd;
		const char *col;

		if (s->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		cmd = s->cmds[i]->alter_table_cmd;
		col = cmd->name && cmd->name[0] ? sg_qi(c->a, cmd->name) : "?";
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
			lock_ae(c, rel);
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				hz_add_column(c, rel, cmd->def->column_def);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
			lock_ae(c, rel);
			hz_add(c, SG_HZ_TABLE_SCAN, rel, false,
			       "reads all of %s to check that %s has no NULL", rel, col);
			hz_add(c, SG_HZ_MAY_FAIL, rel, false,
			       "fails if a row of %s has NULL in %s", rel, col);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
			lock_ae(c, rel);
			hz_add(c, SG_HZ_DATA_LOSS, rel, false,
			       "drops column %s of %s and its values", col, rel);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			lock_ae(c, rel);
			hz_add(c, SG_HZ_TABLE_REWRITE, rel, true,
			       "rewrites %s and its indexes to change the type of %s "
			       "(unless the old type converts without change)", rel, col);
			hz_add(c, SG_HZ_MAY_FAIL, rel, true,
			       "fails if a value of %s does not convert to the new type", col);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
				hz_add_constraint(c, rel, cmd->def->constraint);
			else
				lock_ae(c, rel);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
			/* SHARE UPDATE EXCLUSIVE: reads and writes go on */
			hz_add(c, SG_HZ_TABLE_SCAN, rel, false,
			       "reads all of %s to validate constraint %s (reads and writes go on)",
			       rel, col);
			hz_add(c, SG_HZ_MAY_FAIL, rel, false,
			       "fails if a row of %s violates constraint %s", rel, col);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
			break;   /* SHARE UPDATE EXCLUSIVE */
		case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
			lock_sre(c, rel);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
			lock_ae(c, rel);
			hz_add(c, SG_HZ_TABLE_REWRITE, rel, false,
			       "rewrites %s (and copies it, for a tablespace)", rel);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition: {
			const char *part = NULL;

			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD)
				part = rv_name(c->a, cmd->def->partition_cmd->name);
			/* SHARE UPDATE EXCLUSIVE on the parent */
			if (part) {
				lock_ae(c, part);
				hz_add(c, SG_HZ_TABLE_SCAN, part, false,
				       "reads all of %s to check the partition bound (unless a "
				       "valid CHECK constraint implies it)", part);
				hz_add(c, SG_HZ_MAY_FAIL, part, false,
				       "fails if a row of %s is outside the partition bound", part);
			}
			break;
		}
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
			    cmd->def->partition_cmd->concurrent)
				hz_add(c, SG_HZ_NO_TRANSACTION, rel, false,
				       "DETACH PARTITION CONCURRENTLY cannot run inside a "
				       "transaction block");
			else
				lock_ae(c, rel);
			break;
		default:
			lock_ae(c, rel);
			break;
		}
	}
}

static void hz_drop(struct hz_ctx *c, const PgQuery__DropStmt *s)
{
	bool cascade = s->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;

	for (size_t i = 0; i < s->n_objects; i++) {
		const PgQuery__Node *o = s->objects[i];
		const char *name = list_name(c->a, o, 0), *rel;

		if (!name)
			continue;
		switch (s->remove_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
			lock_ae(c, name);
			hz_add(c, SG_HZ_DATA_LOSS, name, false,
			       "drops table %s and its rows", name);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
			/* its rows are the foreign server's: none is lost */
			lock_ae(c, name);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
			if (s->concurrent)
				break;
			hz_add(c, SG_HZ_LOCK_ACCESS_EXCLUSIVE, name, false,
			       "takes an ACCESS EXCLUSIVE lock on the table of index %s: its "
			       "reads and writes wait until the transaction ends", name);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
			/* a sequence made again starts over: keys already used
			 * come back */
			lock_ae(c, name);
			hz_add(c, SG_HZ_DATA_LOSS, name, false,
			       "drops sequence %s and its current value", name);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
			lock_ae(c, name);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
		case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
			/* [schema.]table.name */
			if ((rel = list_name(c->a, o, 1)))
				lock_ae(c, rel);
			break;
		default:
			break;
		}
		if (cascade && s->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			hz_add(c, SG_HZ_DATA_LOSS, name, false,
			       "CASCADE drops whatever depends on %s: columns and tables with "
			       "their data too", name);
	}
}

static void hz_stmt(struct hz_ctx *c, const PgQuery__Node *n)
{
	const char *rel;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const PgQuery__CreateStmt *s = n->create_stmt;

		c->creates = rv_name(c->a, s->relation);
		/* REFERENCES lock the referenced tables; PARTITION OF the parent */
		for (size_t i = 0; i < s->n_table_elts; i++) {
			const PgQuery__Node *e = s->table_elts[i];
			PgQuery__Node **ks = NULL;
			size_t nk = 0;

			if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
				ks = e->column_def->constraints;
				nk = e->column_def->n_constraints;
			} else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
				ks = (PgQuery__Node **)&s->table_elts[i];
				nk = 1;
			}
			for (size_t k = 0; k < nk; k++)
				if (ks[k]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
				    ks[k]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
				    (rel = rv_name(c->a, ks[k]->constraint->pktable)))
					lock_sre(c, rel);
		}
		for (size_t i = 0; s->partbound && i < s->n_inh_relations; i++)
			if (s->inh_relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
			    (rel = rv_name(c->a, s->inh_relations[i]->range_var)))
				lock_ae(c, rel);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (n->create_table_as_stmt->into)
			c->creates = rv_name(c->a, n->create_table_as_stmt->into->rel);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT: {
		const PgQuery__IndexStmt *s = n->index_stmt;
		const char *on = rv_name(c->a, s->relation);

		if (s->idxname && s->idxname[0])
			c->creates = sg_qq(c->a, s->relation && s->relation->schemaname &&
					   s->relation->schemaname[0] ? s->relation->schemaname : NULL,
					   s->idxname);
		if (!on)
			break;
		if (!s->concurrent) {
			hz_add(c, SG_HZ_LOCK_SHARE, on, false,
			       "takes a SHARE lock on %s: its writes wait until the "
			       "transaction ends", on);
			hz_add(c, SG_HZ_INDEX_BUILD, on, false,
			       "builds an index on %s while its writes wait (CONCURRENTLY "
			       "would not block them)", on);
		}
		if (s->unique)
			hz_add(c, SG_HZ_MAY_FAIL, on, false,
			       "fails if rows of %s have duplicate keys", on);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		hz_alter_table(c, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		hz_drop(c, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		for (size_t i = 0; i < n->truncate_stmt->n_relations; i++)
			if (n->truncate_stmt->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
			    (rel = rv_name(c->a, n->truncate_stmt->relations[i]->range_var))) {
				lock_ae(c, rel);
				hz_add(c, SG_HZ_DATA_LOSS, rel, false,
				       "deletes every row of %s", rel);
			}
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		if ((rel = rv_name(c->a, n->delete_stmt->relation)))
			hz_add(c, SG_HZ_DATA_LOSS, rel, false, "deletes rows of %s", rel);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		if ((rel = rv_name(c->a, n->rename_stmt->relation)))
			lock_ae(c, rel);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		if ((rel = rv_name(c->a, n->create_trig_stmt->relation)))
			lock_sre(c, rel);
		break;
	case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
		if ((rel = rv_name(c->a, n->create_policy_stmt->table)))
			lock_ae(c, rel);
		break;
	case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
		if ((rel = rv_name(c->a, n->alter_policy_stmt->table)))
			lock_ae(c, rel);
		break;
	case PG_QUERY__NODE__NODE_RULE_STMT:
		if ((rel = rv_name(c->a, n->rule_stmt->relation)))
			lock_ae(c, rel);
		break;
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
		if (!(rel = rv_name(c->a, n->refresh_mat_view_stmt->relation)))
			break;
		if (n->refresh_mat_view_stmt->concurrent)
			hz_add(c, SG_HZ_LOCK_EXCLUSIVE, rel, false,
			       "takes an EXCLUSIVE lock on %s: its writes wait until the "
			       "transaction ends", rel);
		else
			lock_ae(c, rel);
		break;
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
		if ((rel = rv_name(c->a, n->cluster_stmt->relation))) {
			lock_ae(c, rel);
			hz_add(c, SG_HZ_TABLE_REWRITE, rel, false, "rewrites %s in index order", rel);
		}
		break;
	case PG_QUERY__NODE__NODE_VACUUM_STMT: {
		const PgQuery__VacuumStmt *s = n->vacuum_stmt;
		bool full = false;

		for (size_t i = 0; i < s->n_options; i++)
			if (s->options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
			    strcmp(s->options[i]->def_elem->defname, "full") == 0)
				full = true;
		for (size_t i = 0; full && i < s->n_rels; i++)
			if (s->rels[i]->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION &&
			    (rel = rv_name(c->a, s->rels[i]->vacuum_relation->relation))) {
				lock_ae(c, rel);
				hz_add(c, SG_HZ_TABLE_REWRITE, rel, false, "rewrites %s", rel);
			}
		break;
	}
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		if (!has_concurrently_option(n->reindex_stmt->params, n->reindex_stmt->n_params) &&
		    (rel = rv_name(c->a, n->reindex_stmt->relation))) {
			hz_add(c, SG_HZ_LOCK_SHARE, rel, false,
			       "takes a SHARE lock on (the table of) %s: its writes wait "
			       "until the transaction ends", rel);
			hz_add(c, SG_HZ_INDEX_BUILD, rel, false,
			       "rebuilds the index %s while writes wait", rel);
		}
		break;
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: {
		const PgQuery__AlterDomainStmt *s = n->alter_domain_stmt;
		const char *dom;
		struct sbuf sb = SBUF_INIT;

		for (size_t i = 0; i < s->n_type_name; i++)
			if (node_string(s->type_name[i])) {
				if (i)
					sbuf_addch(&sb, '.');
				sg_quote_ident(&sb, node_string(s->type_name[i]));
			}
		dom = sbuf_to_arena(&sb, c->a);
		sbuf_release(&sb);
		/* 'C' add constraint, 'O' not null, 'V' validate */
		if ((s->subtype && strcmp(s->subtype, "C") == 0 && s->def &&
		     s->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		     !s->def->constraint->skip_validation) ||
		    (s->subtype && (strcmp(s->subtype, "O") == 0 || strcmp(s->subtype, "V") == 0))) {
			hz_add(c, SG_HZ_TABLE_SCAN, dom, false,
			       "reads every column of domain %s in every table to check it", dom);
			hz_add(c, SG_HZ_MAY_FAIL, dom, false,
			       "fails if a stored value of domain %s violates it", dom);
		}
		break;
	}
	default:
		break;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == SG_HZ_NO_TRANSACTION)
			return;
	if (classify_node(n) & SG_SQL_NO_TRANSACTION)
		hz_add(c, SG_HZ_NO_TRANSACTION, NULL, false,
		       "cannot run inside a transaction block: the revision runs "
		       "outside one, and a failure part-way is not rolled back");
}

int sg_sql_hazards(struct sg_arena *a, const char *stmt, struct sg_hz **out,
		   size_t *n, const char **creates)
{
	PgQueryProtobufParseResult raw;
	PgQueryError *err;
	PgQuery__ParseResult *pr = parse_tree(stmt, &err, &raw);
	struct hz_ctx c = { .a = a };

	*out = NULL;
	*n = 0;
	if (creates)
		*creates = NULL;
	if (!pr) {
		pg_query_free_protobuf_parse_result(raw);
		return -1;
	}
	for (size_t i = 0; i < pr->n_stmts; i++)
		if (pr->stmts[i]->stmt)
			hz_stmt(&c, pr->stmts[i]->stmt);
	pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(raw);
	*out = c.v;
	*n = c.n;
	if (creates)
		*creates = c.creates;
	return 0;
}

/* The name after the schema of a quoted relation name. */
static const char *rel_base(const char *s)
{
	size_t len = strlen(s), i = 0, b = 0;

	while (i < len) {
		struct sg_token t;

		i = sg_sql_token(s, len, i, &t);
		if (t.kind == SG_TOK_OTHER && s[t.start] == '.')
			b = i;
	}
	return s + b;
}

/*
 * The relations a script creates, found by the name after their schema
 * (a hash of it): a statement's relation is looked up, not compared with
 * every one created before (a first revision of 10,000 tables creates
 * 10,000, and its statements name them 40,000 times).  Two names are the
 * same relation when equal, or when one of them is unqualified and the
 * names after the schema are.
 */
struct created_rel {
	const char *full, *base;
	uint64_t h;
	long next;              /* the next one of the bucket, -1 */
};
struct created {
	struct created_rel *v;
	long *head;             /* a bucket's first, -1 */
	size_t n, cap, nbuckets;
};

static void created_add(struct created *c, const char *full)
{
	const char *b = rel_base(full);

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	if (2 * (c->n + 1) > c->nbuckets) {
		c->nbuckets = c->nbuckets ? 2 * c->nbuckets : 128;
		free(c->head);
		c->head = xmalloc(c->nbuckets * sizeof(*c->head));
		for (size_t i = 0; i < c->nbuckets; i++)
			c->head[i] = -1;
		for (size_t i = 0; i < c->n; i++) {
			size_t k = c->v[i].h % c->nbuckets;

			c->v[i].next = c->head[k];
			c->head[k] = (long)i;
		}
	}
	c->v[c->n] = (struct created_rel){ full, b, sg_hash64(b, strlen(b)), -1 };
	c->v[c->n].next = c->head[c->v[c->n].h % c->nbuckets];
	c->head[c->v[c->n].h % c->nbuckets] = (long)c->n;
	c->n++;
}

static bool created_has(const struct created *c, const char *rel)
{
	const char *b;
	uint64_t h;

	if (!c->n)
		return false;
	b = rel_base(rel);
	h = sg_hash64(b, strlen(b));
	for (long i = c->head[h % c->nbuckets]; i >= 0; i = c->v[i].next) {
		const struct created_rel *r = &c->v[i];

		if (r->h == h && (strcmp(r->full, rel) == 0 ||
				  ((b == rel || r->base == r->full) && strcmp(r->base, b) == 0)))
			return true;
	}
	return false;
}

void sg_script_hazards(struct sg_arena *a, struct sg_script *s)
{
	struct created created = { 0 };

	for (size_t i = 0; i < s->n; i++) {
		struct sg_stmt *st = &s->v[i];
		struct sg_hz *v;
		size_t n;
		unsigned given = 0;
		const char *creates;
		bool loss = false;
		size_t first_new = st->nhz;

		for (size_t k = 0; k < st->nhz; k++)
			given |= 1u << st->hz[k].kind;
		if (sg_sql_hazards(a, st->sql, &v, &n, &creates) < 0)
			n = 0;
		for (size_t k = 0; k < n; k++) {
			if ((given | st->hz_drop) & (1u << v[k].kind))
				continue;
			/* the generator decided: its lines do not list it */
			if (v[k].uncertain && st->hz_written &&
			    !(st->hz_written & (1u << v[k].kind)))
				continue;
			/* a relation this script created is empty and unseen */
			if (v[k].rel && created_has(&created, v[k].rel))
				continue;
			sg_stmt_add_hazard(a, st, &v[k]);
		}
		/* the statement's warning and its data-loss hazard say the
		 * same, in the generator's words (which know the object: an
		 * attribute of a type, a column whose type changes) */
		for (size_t k = first_new; st->warning && k < st->nhz; k++)
			if (st->hz[k].kind == SG_HZ_DATA_LOSS)
				st->hz[k].what = st->warning;
		for (size_t k = 0; k < st->nhz; k++)
			loss = loss || st->hz[k].kind == SG_HZ_DATA_LOSS;
		if (st->warning && !loss) {
			struct sg_hz h = { .kind = SG_HZ_DATA_LOSS, .what = st->warning };

			sg_stmt_add_hazard(a, st, &h);
		}
		if (creates)
			created_add(&created, creates);
	}
	free(created.v);
	free(created.head);
}

/* ---- secrets of foreign data statements ---- */

static bool env_name(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

int sg_sql_secrets(struct sg_arena *a, const char *stmt, const char **out,
		   const char **missing)
{
	PgQueryScanResult r;
	PgQuery__ScanResult *sr;
	struct sbuf sb = SBUF_INIT;
	size_t len = strlen(stmt), done = 0, pl = strlen(SG_SECRET_PREFIX);
	int ret = 0;

	*out = stmt;
	*missing = NULL;
	if (!strstr(stmt, "'" SG_SECRET_PREFIX) ||
	    !(sg_sql_classify(stmt) & SG_SQL_FOREIGN_OPTIONS))
		return 0;
	r = pg_query_scan(stmt);
	if (r.error || !(sr = pg_query__scan_result__unpack(NULL, r.pbuf.len,
							    (const uint8_t *)r.pbuf.data))) {
		pg_query_free_scan_result(r);
		return 0;
	}
	for (size_t i = 0; i < sr->n_tokens && ret == 0; i++) {
		const PgQuery__ScanToken *t = sr->tokens[i];
		size_t s = (size_t)t->start, e = (size_t)t->end;
		const char *p = stmt + s, *v;

		/* exactly '$env:NAME', a plain literal */
		if (t->token != PG_QUERY__TOKEN__SCONST || e > len || s < done ||
		    e - s < pl + 3 || p[0] != '\'' || p[e - s - 1] != '\'' ||
		    strncmp(p + 1, SG_SECRET_PREFIX, pl) != 0 ||
		    !env_name(p + 1 + pl, e - s - 2 - pl))
			continue;
		{
			char *name = sg_strndup(a, p + 1 + pl, e - s - 2 - pl);

			v = getenv(name);
			if (!v) {
				*missing = name;
				ret = -1;
				break;
			}
		}
		sbuf_add(&sb, stmt + done, s - done);
		sg_quote_literal(&sb, v);
		done = e;
	}
	if (ret == 0 && done) {
		sbuf_adds(&sb, stmt + done);
		*out = sbuf_to_arena(&sb, a);
	}
	/* the buffer held the secret: wipe it before it is freed */
	if (sb.buf)
		memset(sb.buf, 0, sb.len);
	sbuf_release(&sb);
	pg_query__scan_result__free_unpacked(sr, NULL);
	pg_query_free_scan_result(r);
	return ret;
}
