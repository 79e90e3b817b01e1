// SPDX-License-Identifier: MIT
/*
 * function.c - functions and procedures.
 *
 * Functions pair by identity, "proname(argument types)", so a changed list
 * of input types is a drop of one function and the creation of another.
 * A pair whose pg_get_functiondef() text differs is replaced in place
 * (SG_CHG_DEFINITION: CREATE OR REPLACE) when PostgreSQL allows it, which
 * keeps the function's oid and so everything that uses it; otherwise it is
 * dropped and created again, and the orderer rebuilds what depends on it.
 * PostgreSQL refuses CREATE OR REPLACE (ProcedureCreate) when:
 *  - the kind changes (function, procedure, window function);
 *  - the result type changes, including SETOF and the row type that OUT
 *    arguments or TABLE columns make;
 *  - an input argument is renamed, or an OUT argument changes;
 *  - a default is removed (a function may gain defaults, never lose them).
 * argsig (mode, name and type of every argument, TABLE columns included)
 * covers the arguments conservatively: any difference there means drop and
 * create.

 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "diff-priv.h"

static bool function_replaceable(const struct sg_function *f,
				 const struct sg_function *t)
{
	return f->prokind == t->prokind && f->window == t->window &&
	       sg_streq(f->result, t->result) && sg_streq(f->argsig, t->argsig) &&
	       t->ndefaults >= f->ndefaults;
}

/* pg_get_functiondef() names the function: compared through the renames */
static bool definition_differs(struct differ *df, const struct sg_function *f,
			       const struct sg_function *t)
{
	return !f->definition || !t->definition ||
	       strcmp(diff_renamed_text(df, f->definition, &f->obj), t->definition) != 0;
}

void diff_function_renamed(struct differ *df, const struct sg_object *fo,
			   const struct sg_object *to)
{
	const struct sg_function *f = (const struct sg_function *)fo;
	const struct sg_function *t = (const struct sg_function *)to;

	if (definition_differs(df, f, t) && !function_replaceable(f, t)) {
		/* dropped and created anyway: nothing to rename */
		diff_add(df, SG_OP_DROP, &f->obj, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, &t->obj, 0);
		return;
	}
	diff_add(df, SG_OP_RENAME, &f->obj, &t->obj, 0);
	diff_function_pair(df, f, t);
}

void diff_function_pair(struct differ *df, const struct sg_function *f,
			const struct sg_function *t)
{
	sg_chg what = 0;

	if (definition_differs(df, f, t)) {
		if (!function_replaceable(f, t)) {
			diff_add(df, SG_OP_DROP, &f->obj, NULL, 0);
			diff_add(df, SG_OP_CREATE, NULL, &t->obj, 0);
			return;
		}
		what |= SG_CHG_DEFINITION;
	}
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(&f->obj, &t->obj);
	if (what)
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, what);
}
