// SPDX-License-Identifier: MIT
/*
 * foreign.c - foreign data wrappers, servers and user mappings: what
 * ALTER FOREIGN DATA WRAPPER / ALTER SERVER / ALTER USER MAPPING can
 * change (handler, validator, version, options, comment; owner and grants
 * by the walk's safety net).  Options are compared by key; a secret only by
 * being set (sg_options_equal()).  A server's wrapper and type cannot be
 * altered: that is an error, not a silent drop of its user mappings and
 * foreign tables.
 */
#include "diff-priv.h"
#include "schemagen/quote.h"
#include "schemagen/util.h"

static struct sg_loc where(const struct sg_object *f, const struct sg_object *t)
{
	return t->loc.line ? t->loc : f->loc;
}

static sg_chg comment_of(const struct sg_object *f, const struct sg_object *t)
{
	return sg_streq(f->comment, t->comment) ? 0 : SG_CHG_COMMENT;
}

void diff_fdw_pair(struct differ *df, const struct sg_object *fo,
		   const struct sg_object *to)
{
	const struct sg_fdw *f = (const struct sg_fdw *)fo;
	const struct sg_fdw *t = (const struct sg_fdw *)to;
	sg_chg what = comment_of(fo, to);

	if (!sg_streq(f->handler, t->handler) || !sg_streq(f->validator, t->validator))
		what |= SG_CHG_HANDLER;
	if (!sg_options_equal(f->options, f->noptions, t->options, t->noptions))
		what |= SG_CHG_OPTIONS;
	what |= diff_grants(fo, to);
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

void diff_server_pair(struct differ *df, const struct sg_object *fo,
		      const struct sg_object *to)
{
	const struct sg_server *f = (const struct sg_server *)fo;
	const struct sg_server *t = (const struct sg_server *)to;
	sg_chg what = comment_of(fo, to);

	/* a wrapper renamed is the same wrapper */
	if (!sg_streq(diff_new_name(df, SG_KIND_FDW, f->wrapper), t->wrapper) ||
	    !sg_streq(f->type, t->type)) {
		struct sg_arena *a = df->a;
		bool w = !sg_streq(diff_new_name(df, SG_KIND_FDW, f->wrapper),
				   t->wrapper);
		struct sg_diag *dg = sg_diag_error(df->d, where(fo, to),
			"cannot change the %s of server %s (%s to %s): ALTER SERVER cannot",
			w ? "foreign data wrapper" : "type", sg_qt(a, sg_qi(a, to->name)),
			w ? sg_qt(a, sg_qi(a, f->wrapper)) : f->type ? sg_qt(a, sg_ql(a, f->type)) : "none",
			w ? sg_qt(a, sg_qi(a, t->wrapper)) : t->type ? sg_qt(a, sg_ql(a, t->type)) : "none");

		sg_diag_hint(dg, df->d, "create a server of another name, move the user mappings and foreign tables to it, then drop this one");
		df->errors++;
		return;
	}
	if (!sg_streq(f->version, t->version))
		what |= SG_CHG_VERSION;
	if (!sg_options_equal(f->options, f->noptions, t->options, t->noptions))
		what |= SG_CHG_OPTIONS;
	what |= diff_grants(fo, to);
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

void diff_user_mapping_pair(struct differ *df, const struct sg_object *fo,
			    const struct sg_object *to)
{
	const struct sg_user_mapping *f = (const struct sg_user_mapping *)fo;
	const struct sg_user_mapping *t = (const struct sg_user_mapping *)to;

	/* options a side could not read are unknown: not compared */
	if (!f->options_hidden && !t->options_hidden &&
	    !sg_options_equal(f->options, f->noptions, t->options, t->noptions))
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_OPTIONS);
}
