// SPDX-License-Identifier: MIT
/*
 * cast.c - casts: a cast cannot be altered but for its comment, so any
 * other difference (method, function, context) drops and creates it.
 */
#include "schemagen/util.h"

#include "diff-priv.h"

void diff_cast_pair(struct differ *df, const struct sg_object *fo,
		    const struct sg_object *to)
{
	const struct sg_cast *f = (const struct sg_cast *)fo;
	const struct sg_cast *t = (const struct sg_cast *)to;

	if (f->method != t->method || f->context != t->context ||
	    !sg_streq(f->function, t->function)) {
		diff_add(df, SG_OP_DROP, fo, NULL, SG_CHG_DEFINITION);
		diff_add(df, SG_OP_CREATE, NULL, to, SG_CHG_DEFINITION);
		return;
	}
	if (!sg_streq(f->obj.comment, t->obj.comment))
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_COMMENT);
}
