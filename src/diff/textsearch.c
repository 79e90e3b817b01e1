// SPDX-License-Identifier: MIT
/*
 * textsearch.c - text search parsers, templates, dictionaries and
 * configurations.  A parser or template with other functions is dropped
 * and created again (its dictionaries or configurations rebuilt around
 * it: SG_CHG_DEFINITION); only its comment and name change in place.  A
 * dictionary with another template, or a configuration with another
 * parser, is dropped and created again; a dictionary's options
 * (SG_CHG_OPTIONS: ALTER TEXT SEARCH DICTIONARY) and a configuration's
 * mappings (SG_CHG_DEFINITION: ADD / ALTER / DROP MAPPING) are
 * alterations, as are comments; renames are declared (renamed_from).
 */
#include <string.h>

#include "diff-priv.h"

static bool maps_equal(const struct sg_ts_config *f, const struct sg_ts_config *t)
{
	if (f->nmaps != t->nmaps)
		return false;
	for (size_t i = 0; i < f->nmaps; i++)
		if (strcmp(f->maps[i].token, t->maps[i].token) != 0 ||
		    !sg_strings_equal(f->maps[i].dicts, f->maps[i].ndicts,
				      t->maps[i].dicts, t->maps[i].ndicts))
			return false;
	return true;
}

/* Can f become t in place (same template or parser)? */
static bool ts_same_base(const struct sg_object *f, const struct sg_object *t)
{
	if (f->kind == SG_KIND_TS_PARSER || f->kind == SG_KIND_TS_TEMPLATE) {
		const struct sg_ts_parser *fp = (const void *)f, *tp = (const void *)t;

		for (int i = 0; i < SG_TSP__COUNT; i++)
			if (!sg_streq(fp->opts[i], tp->opts[i]))
				return false;
		return true;
	}
	if (f->kind == SG_KIND_TS_DICTIONARY)
		return sg_streq(((const struct sg_ts_dict *)f)->template_name,
				((const struct sg_ts_dict *)t)->template_name);
	return sg_streq(((const struct sg_ts_config *)f)->parser,
			((const struct sg_ts_config *)t)->parser);
}

void diff_ts_pair(struct differ *df, const struct sg_object *f,
		  const struct sg_object *t)
{
	sg_chg what = diff_grants(f, t);

	sg_chg rebuilt = f->kind == SG_KIND_TS_PARSER || f->kind == SG_KIND_TS_TEMPLATE
			 ? SG_CHG_DEFINITION : 0;

	if (!ts_same_base(f, t)) {
		diff_add(df, SG_OP_DROP, f, NULL, rebuilt);
		diff_add(df, SG_OP_CREATE, NULL, t, rebuilt);
		return;
	}
	if (rebuilt) {
		/* nothing else to alter */
	} else if (f->kind == SG_KIND_TS_DICTIONARY) {
		const struct sg_ts_dict *fd = (const void *)f, *td = (const void *)t;

		if (!sg_strings_equal(fd->options, fd->noptions, td->options, td->noptions))
			what |= SG_CHG_OPTIONS;
	} else if (!maps_equal((const void *)f, (const void *)t)) {
		what |= SG_CHG_DEFINITION;
	}
	if (!sg_streq(f->comment, t->comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, f, t, what);
}

void diff_ts_renamed(struct differ *df, const struct sg_object *f,
		     const struct sg_object *t)
{
	if (!ts_same_base(f, t)) {
		diff_ts_pair(df, f, t);     /* dropped and created */
		return;
	}
	diff_add(df, SG_OP_RENAME, f, t, 0);
	diff_ts_pair(df, f, t);
}
