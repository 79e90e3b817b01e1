// SPDX-License-Identifier: MIT
/*
 * opclass.c - operator families and operator classes.
 *
 * Both pair by identity, "name USING method".  A family's comment, owner
 * and loose members are altered in place: a member is identified by its
 * kind, number and types, and one that differs otherwise (another
 * operator or function, search or order) is dropped and added again
 * (SG_CHG_DEFINITION; the emitter compares the member lists).  A class whose type, default flag,
 * family, storage or members differ is dropped and created again (both
 * changes marked SG_CHG_DEFINITION): PostgreSQL cannot change a class in
 * place, and an index that uses the class keeps the drop from running
 * (the server says so when the migration runs).
 */
#include <string.h>

#include "diff-priv.h"

static bool members_equal(const struct sg_opclass *f, const struct sg_opclass *t)
{
	if (f->nmembers != t->nmembers)
		return false;
	for (size_t i = 0; i < f->nmembers; i++)
		if (f->members[i].kind != t->members[i].kind ||
		    f->members[i].number != t->members[i].number ||
		    !sg_streq(f->members[i].text, t->members[i].text))
			return false;
	return true;
}

static bool fmembers_equal(const struct sg_opfamily *f, const struct sg_opfamily *t)
{
	if (f->nmembers != t->nmembers)
		return false;
	for (size_t i = 0; i < f->nmembers; i++)
		if (sg_opfamily_member_cmp(&f->members[i], &t->members[i]) ||
		    !sg_streq(f->members[i].text, t->members[i].text) ||
		    !sg_streq(f->members[i].sortfamily, t->members[i].sortfamily))
			return false;
	return true;
}

void diff_opfamily_pair(struct differ *df, const struct sg_object *f,
			const struct sg_object *t)
{
	sg_chg what = 0;

	if (!sg_streq(f->comment, t->comment))
		what |= SG_CHG_COMMENT;
	if (!fmembers_equal((const struct sg_opfamily *)f, (const struct sg_opfamily *)t))
		what |= SG_CHG_DEFINITION;
	if (what)
		diff_add(df, SG_OP_ALTER, f, t, what);
}

void diff_opclass_pair(struct differ *df, const struct sg_object *fo,
		       const struct sg_object *to)
{
	const struct sg_opclass *f = (const struct sg_opclass *)fo;
	const struct sg_opclass *t = (const struct sg_opclass *)to;

	if (!sg_streq(f->for_type, t->for_type) || f->is_default != t->is_default ||
	    !sg_streq(f->family, t->family) || !sg_streq(f->storage, t->storage) ||
	    !members_equal(f, t)) {
		diff_add(df, SG_OP_DROP, fo, NULL, SG_CHG_DEFINITION);
		diff_add(df, SG_OP_CREATE, NULL, to, SG_CHG_DEFINITION);
		return;
	}
	if (!sg_streq(fo->comment, to->comment))
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_COMMENT);
}
