// SPDX-License-Identifier: MIT
/*
 * language.c - what differs in a procedural language: its definition
 * (trusted, handler, inline handler, validator: CREATE OR REPLACE LANGUAGE
 * changes them in place, keeping the functions written in it) and its
 * comment.  Owner and grants are compared for every kind (security.c).
 */
#include "diff-priv.h"

void diff_language_pair(struct differ *df, const struct sg_object *fo,
			const struct sg_object *to)
{
	const struct sg_language *f = (const struct sg_language *)fo;
	const struct sg_language *t = (const struct sg_language *)to;
	sg_chg what = 0;

	if (f->trusted != t->trusted || !sg_streq(f->handler, t->handler) ||
	    !sg_streq(f->inline_handler, t->inline_handler) ||
	    !sg_streq(f->validator, t->validator))
		what |= SG_CHG_DEFINITION;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}
