// SPDX-License-Identifier: MIT
/*
 * t-kinds.c - the kind registry: every kind has its row in every stage's
 * table of per-kind operations (introspect, yaml, diff, emit), and the
 * facts of src/model/kinds.c agree with each other and with the structs.
 */
#include <stddef.h>
#include <string.h>

#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/introspect.h"
#include "schemagen/model.h"
#include "schemagen/yaml.h"
#include "tap.h"

static bool letters_in(const char *s, const char *set)
{
	for (; s && *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

int main(void)
{
	const char *seen[SG_KIND__COUNT] = { 0 };

	for (int k = 0; k < SG_KIND__COUNT; k++) {
		const struct sg_kind_info *i = sg_kind((enum sg_kind)k);
		const char *n = i->name ? i->name : "?";

		ok(i->name && *i->name, "kind %d has a name", k);
		ok(i->sql && *i->sql, "%s: SQL word", n);
		ok(i->pg_catalog && strncmp(i->pg_catalog, "pg_", 3) == 0,
		   "%s: system catalog", n);
		ok(i->namespaces && *i->namespaces &&
		   (i->child ? letters_in(i->namespaces, "rckgy")
			     : !strpbrk(i->namespaces, "ckgy")),
		   "%s: namespaces %s fit a %s", n, i->namespaces ? i->namespaces : "(none)",
		   i->child ? "child" : "top-level kind");
		ok(!(i->child && i->relation), "%s: a child or a relation, not both", n);
		ok(!i->child == !i->child_array && !i->child == !i->child_count &&
		   !i->child == !i->child_cap, "%s: children's array only for children", n);
		ok(!i->child || (i->child_array < sizeof(struct sg_table) &&
				 i->child_count < sizeof(struct sg_table) &&
				 i->child_cap < sizeof(struct sg_table)),
		   "%s: the array is in struct sg_table", n);
		ok(!i->inheritable || i->child, "%s: only children are inheritable", n);
		ok(i->child || (i->naming != SG_NAME_PARENT_DOT &&
				i->naming != SG_NAME_ON_PARENT),
		   "%s: named after a parent only when a child", n);
		ok(i->global ? (i->naming != SG_NAME_QUALIFIED &&
				i->naming != SG_NAME_SIGNATURE)
			     : (i->naming == SG_NAME_BARE) ==
			       (strchr("se", i->namespaces[0]) != NULL),
		   "%s: database-wide names (bare) in database-wide namespaces", n);
		ok(!i->global || (!i->child && !i->relation),
		   "%s: a database-wide kind is no child and no relation", n);
		ok(letters_in(i->privileges, "arwdDxtXUCTcsAm"),
		   "%s: privileges are aclitem letters", n);
		ok(!i->public_default || (i->privileges && strchr(i->privileges, i->public_default)),
		   "%s: PUBLIC's default is one of its privileges", n);
		ok(!(i->rebuildable && i->rebuilt_as_type), "%s: one way of rebuilding", n);

		ok(introspect_kind_loaded((enum sg_kind)k),
		   "%s: introspect has a loader, run once, and pg_depend reads %s", n,
		   i->pg_catalog ? i->pg_catalog : "?");
		ok(yaml_kind_supported((enum sg_kind)k), "%s: yaml has its keys, loaders and writers", n);
		ok(diff_kind_supported((enum sg_kind)k), "%s: diff has its row", n);
		ok(emit_kind_supported((enum sg_kind)k), "%s: emit has its row", n);

		seen[k] = n;
	}
	/* names are unique, so messages can tell kinds apart */
	for (int k = 0; k < SG_KIND__COUNT; k++)
		for (int j = k + 1; j < SG_KIND__COUNT; j++)
			ok(strcmp(seen[k], seen[j]) != 0, "%s and %s have different names",
			   seen[k], seen[j]);
	/* relations are what children hang from */
	for (int k = 0; k < SG_KIND__COUNT; k++)
		if (sg_kind_info[k].relation)
			ok(sg_kind_info[k].privileges != NULL, "%s: relations have privileges",
			   sg_kind_info[k].name);
	return tap_done();
}
