// SPDX-License-Identifier: MIT
/*
 * operator.c - operators.
 *
 * Operators pair by identity, "name(left, right)"; they cannot be renamed.
 * ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ...) changes the
 * selectivity estimators in place (SG_CHG_OPTIONS); any other difference
 * (function, commutator, negator, HASHES, MERGES: PostgreSQL 17 can only
 * add some of them, never change them) is a drop and a create, both marked
 * SG_CHG_DEFINITION, and the orderer rebuilds what uses the operator.
 */
#include <string.h>

#include "diff-priv.h"

void diff_operator_pair(struct differ *df, const struct sg_object *fo,
			const struct sg_object *to)
{
	const struct sg_operator *f = (const struct sg_operator *)fo;
	const struct sg_operator *t = (const struct sg_operator *)to;
	sg_chg what = 0;

	for (int i = 0; i < SG_OPR__COUNT; i++) {
		if (sg_streq(f->opts[i], t->opts[i]))
			continue;
		if (i == SG_OPR_RESTRICT || i == SG_OPR_JOIN) {
			what |= SG_CHG_OPTIONS;
			continue;
		}
		what |= SG_CHG_DEFINITION;
	}
	if (f->hashes != t->hashes || f->merges != t->merges)
		what |= SG_CHG_DEFINITION;
	if (what & SG_CHG_DEFINITION) {
		diff_add(df, SG_OP_DROP, fo, NULL, SG_CHG_DEFINITION);
		diff_add(df, SG_OP_CREATE, NULL, to, SG_CHG_DEFINITION);
		return;
	}
	if (!sg_streq(fo->comment, to->comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}
