// SPDX-License-Identifier: MIT
/*
 * privilege.c - what every stage needs to know about privileges: which
 * ones each kind of object has, their aclitem letters and SQL names, the
 * grants an object has right after CREATE, and how a grantee is written
 * in SQL.
 *
 * Privileges are kept as aclitem letters (acl.h's ACL_*_CHR), the way
 * PostgreSQL prints an ACL, always in aclitem order, so that two grants
 * compare with strcmp.  The letter order is ACL_ALL_RIGHTS_STR.
 */
#include <string.h>

#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

/* ACL_ALL_RIGHTS_STR, and the SQL name of each letter. */
static const struct {
	char letter;
	const char *name;
} privileges[] = {
	{ 'a', "INSERT" }, { 'r', "SELECT" }, { 'w', "UPDATE" },
	{ 'd', "DELETE" }, { 'D', "TRUNCATE" }, { 'x', "REFERENCES" },
	{ 't', "TRIGGER" }, { 'X', "EXECUTE" }, { 'U', "USAGE" },
	{ 'C', "CREATE" }, { 'T', "TEMPORARY" }, { 'c', "CONNECT" },
	{ 's', "SET" }, { 'A', "ALTER SYSTEM" }, { 'm', "MAINTAIN" },
};

static char tolower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
}

const char *sg_privileges_of(const struct sg_object *obj)
{
	return sg_kind(obj->kind)->privileges;
}

const char *sg_privilege_name(char letter)
{
	for (size_t i = 0; i < ARRAY_SIZE(privileges); i++)
		if (privileges[i].letter == letter)
			return privileges[i].name;
	return NULL;
}

char sg_privilege_letter(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(privileges); i++) {
		const char *p = privileges[i].name, *q = name;

		/* "alter_system" and "alter system" both name ALTER SYSTEM */
		while (*p && *q && (tolower_ascii(*p) == tolower_ascii(*q) ||
				    (*p == ' ' && *q == '_'))) {
			p++;
			q++;
		}
		if (!*p && !*q)
			return privileges[i].letter;
	}
	return 0;
}

int sg_privilege_rank(char letter)
{
	for (size_t i = 0; i < ARRAY_SIZE(privileges); i++)
		if (privileges[i].letter == letter)
			return (int)i;
	return -1;
}

void sg_grants_default(const struct sg_object *obj, const struct sg_grant **out,
		       size_t *n)
{
	static const struct sg_grant execute = { SG_ROLE_PUBLIC, "X", "", { 0 } };
	static const struct sg_grant usage = { SG_ROLE_PUBLIC, "U", "", { 0 } };

	*out = NULL;
	*n = 0;
	switch (sg_kind(obj->kind)->public_default) {
	case 'X':
		*out = &execute;
		break;
	case 'U':
		*out = &usage;
		break;
	default:
		break;
	}
	if (*out)
		*n = 1;
}

bool sg_grants_equal(const struct sg_grant *a, size_t na,
		     const struct sg_grant *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].grantee, b[i].grantee) != 0 ||
		    strcmp(a[i].privs, b[i].privs) != 0 ||
		    strcmp(a[i].grantable, b[i].grantable) != 0)
			return false;
	return true;
}

void sg_role_sql(struct sbuf *out, const char *role)
{
	if (strcmp(role, SG_ROLE_PUBLIC) == 0)
		sbuf_adds(out, "PUBLIC");
	else
		sg_quote_ident(out, role);
}

/* ---- default privileges ---- */

static const struct {
	char objtype;
	const char *class_name, *keyword, *privileges;
} defacl_classes[] = {
	{ 'r', "tables", "TABLES", "arwdDxtm" },
	{ 'S', "sequences", "SEQUENCES", "rwU" },
	{ 'f', "functions", "FUNCTIONS", "X" },
	{ 'T', "types", "TYPES", "U" },
	{ 'n', "schemas", "SCHEMAS", "UC" },     /* global only */
};

int sg_defacl_rank(char objtype)
{
	for (size_t i = 0; i < ARRAY_SIZE(defacl_classes); i++)
		if (defacl_classes[i].objtype == objtype)
			return (int)i;
	return -1;
}

static int defacl_index(char objtype)
{
	int r = sg_defacl_rank(objtype);

	if (r < 0)
		SG_BUG("default privileges of class '%c'", objtype);
	return r;
}

const char *sg_defacl_class(char objtype)
{
	return defacl_classes[defacl_index(objtype)].class_name;
}

const char *sg_defacl_keyword(char objtype)
{
	return defacl_classes[defacl_index(objtype)].keyword;
}

const char *sg_defacl_privileges(char objtype)
{
	return defacl_classes[defacl_index(objtype)].privileges;
}

enum sg_kind sg_defacl_kind(char objtype)
{
	switch (defacl_classes[defacl_index(objtype)].objtype) {
	case 'S': return SG_KIND_SEQUENCE;
	case 'f': return SG_KIND_FUNCTION;
	case 'T': return SG_KIND_ENUM;
	case 'n': return SG_KIND_SCHEMA;
	default: return SG_KIND_TABLE;
	}
}

char sg_defacl_objtype(const char *class_name)
{
	for (size_t i = 0; i < ARRAY_SIZE(defacl_classes); i++)
		if (strcmp(defacl_classes[i].class_name, class_name) == 0)
			return defacl_classes[i].objtype;
	return 0;
}

int sg_defacl_cmp(const struct sg_defacl *a, const struct sg_defacl *b)
{
	if (!a->role != !b->role)
		return a->role ? 1 : -1;
	if (a->role) {
		int c = strcmp(a->role, b->role);

		if (c)
			return c;
	}
	return sg_defacl_rank(a->objtype) - sg_defacl_rank(b->objtype);
}

bool sg_defacl_lists_equal(const struct sg_defacl *a, size_t na,
			   const struct sg_defacl *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (sg_defacl_cmp(&a[i], &b[i]) != 0 ||
		    !sg_grants_equal(a[i].grants, a[i].ngrants,
				     b[i].grants, b[i].ngrants))
			return false;
	return true;
}

bool sg_defacls_equal(const struct sg_schema *a, const struct sg_schema *b)
{
	return sg_defacl_lists_equal(a->defacls, a->ndefacls, b->defacls,
				     b->ndefacls);
}

/* The class of pg_default_acl whose rows an object of this kind takes. */
static char defacl_class_of(enum sg_kind kind)
{
	switch (kind) {
	case SG_KIND_TABLE: case SG_KIND_VIEW: return 'r';
	case SG_KIND_SEQUENCE: return 'S';
	case SG_KIND_FUNCTION: case SG_KIND_AGGREGATE: return 'f';
	case SG_KIND_ENUM: case SG_KIND_DOMAIN: case SG_KIND_COMPOSITE: return 'T';
	case SG_KIND_SCHEMA: return 'n';
	default: return 0;
	}
}

void sg_grants_created(const struct sg_catalog *cat, const struct sg_object *obj,
		       const struct sg_grant **out, size_t *n)
{
	char cls = defacl_class_of(obj->kind);
	const struct sg_default_acl *g;

	sg_grants_default(obj, out, n);
	if (!cat || !cls || !cat->finished ||
	    !(g = (const struct sg_default_acl *)sg_catalog_find(
		      cat, SG_KIND_DEFAULT_ACL, SG_GLOBAL_SCHEMA, NULL,
		      "FOR ROLE CURRENT_USER")))
		return;
	for (size_t i = 0; i < g->ndefacls; i++)
		if (g->defacls[i].objtype == cls) {
			*out = g->defacls[i].grants;
			*n = g->defacls[i].ngrants;
		}
}

void sg_defacl_builtin(char objtype, const struct sg_grant **out, size_t *n)
{
	const struct sg_object fake = { .kind = sg_defacl_kind(objtype) };

	sg_grants_default(&fake, out, n);
}

const char *sg_default_acl_name(struct sg_arena *a, const char *role)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sbuf_adds(&sb, "FOR ROLE ");
	if (role)
		sg_quote_ident(&sb, role);
	else
		sbuf_adds(&sb, "CURRENT_USER");
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}
