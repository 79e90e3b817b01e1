// SPDX-License-Identifier: MIT
/*
 * opclass.c - operator families (pg_opfamily) and operator classes
 * (pg_opclass with their pg_amop and pg_amproc rows), one query each.
 *
 * A family that PostgreSQL made for a class of the same name and schema
 * (CREATE OPERATOR CLASS without FAMILY) is not read: the class's family
 * is then NULL, and the family comes and goes with the class.  A class's
 * members are those that depend on it (pg_depend deptype 'i') and, when
 * its family is the implicit one, the family's loose members (deptype 'a'
 * on the family: ALTER OPERATOR FAMILY ... ADD, and what PostgreSQL 13
 * and later tie to the family although CREATE OPERATOR CLASS named it,
 * cross-type members and GiST's operators; CREATE OPERATOR CLASS without
 * FAMILY makes them loose again).  A family read on its own has its loose
 * members (struct sg_opfamily_member), registered as the family.  Each
 * class member is the text that follows its number in CREATE OPERATOR CLASS, with
 * the types always given: "schema.op (left, right) [FOR ORDER BY
 * schema.family]", "(left, right) schema.function(types)".  The member
 * rows are registered as the class, so that pg_depend's rows of a member
 * (on its operator or function) are the class's dependencies.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/quote.h"

#define IMPLICIT_FAMILY(f, c) \
	"(" f ".opfname = " c ".opcname AND " f ".opfnamespace = " c ".opcnamespace)"

/* the loose members of family f: those that depend on it, not on a class */
#define LOOSE(catalog, alias) \
	" JOIN pg_depend ld ON ld.classid = '" catalog "'::regclass AND ld.objid = " \
	alias ".oid AND ld.refclassid = 'pg_opfamily'::regclass AND ld.refobjid = f.oid" \
	" AND ld.deptype = 'a'"

static const char opfamilies_sql[] =
	"SELECT f.oid, f.opfnamespace, n.nspname, f.opfname, am.amname, d.description,"
	/* six texts a member: oid, number, left, right, operator or function,
	 * sort family */
	" ARRAY(SELECT u.v FROM pg_amop a" LOOSE("pg_amop", "a")
	"  JOIN pg_operator o ON o.oid = a.amopopr"
	"  JOIN pg_namespace opn ON opn.oid = o.oprnamespace"
	"  LEFT JOIN pg_opfamily sf ON sf.oid = a.amopsortfamily"
	"  LEFT JOIN pg_namespace sfn ON sfn.oid = sf.opfnamespace,"
	"  LATERAL unnest(ARRAY[a.oid::text, a.amopstrategy::text,"
	"   format_type(a.amoplefttype, NULL), format_type(a.amoprighttype, NULL),"
	"   quote_ident(opn.nspname) || '.' || o.oprname,"
	"   CASE WHEN a.amoppurpose = 'o' THEN"
	"    quote_ident(sfn.nspname) || '.' || quote_ident(sf.opfname) END])"
	"   WITH ORDINALITY u(v, i)"
	"  ORDER BY a.amopstrategy, a.oid, u.i) AS ops,"
	" ARRAY(SELECT u.v FROM pg_amproc p" LOOSE("pg_amproc", "p") ","
	"  LATERAL unnest(ARRAY[p.oid::text, p.amprocnum::text,"
	"   format_type(p.amproclefttype, NULL), format_type(p.amprocrighttype, NULL),"
	"   p.amproc::regprocedure::text, NULL]) WITH ORDINALITY u(v, i)"
	"  ORDER BY p.amprocnum, p.oid, u.i) AS fns"
	" FROM pg_opfamily f"
	" JOIN pg_namespace n ON n.oid = f.opfnamespace"
	" JOIN pg_am am ON am.oid = f.opfmethod"
	DESCRIPTION_JOIN("d", "pg_opfamily", "f.oid", "0")
	" WHERE f.opfnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_opfamily", "f.oid")
	" AND NOT EXISTS (SELECT 1 FROM pg_opclass c WHERE c.opcfamily = f.oid"
	"  AND " IMPLICIT_FAMILY("f", "c") ")";

struct fmember_vec {
	struct sg_opfamily_member *v;
	size_t n, cap;
};

/* The loose members of one kind, six texts each; -1 when malformed. */
static int fmembers(struct ictx *x, const PGresult *res, int r, char kind,
		    struct fmember_vec *out, struct sg_object *fam)
{
	const char **t;
	long n = text_array(x, PQgetvalue(res, r, col(res, kind == 'o' ? "ops" : "fns")), &t);

	if (n < 0 || n % 6)
		return -1;
	for (long i = 0; i < n; i += 6) {
		struct sg_opfamily_member m = {
			.kind = kind, .left = t[i + 2], .right = t[i + 3],
			.text = t[i + 4], .sortfamily = t[i + 5],
		};

		if (!t[i] || !t[i + 1] || !m.left || !m.right || !m.text)
			return -1;
		m.number = atoi(t[i + 1]);
		SG_VEC_PUSH(x->a, out, m);
		oidmap_put(&x->map, kind == 'o' ? OIDMAP_AMOP : OIDMAP_AMPROC,
			   (uint32_t)strtoul(t[i], NULL, 10), 0, fam);
	}
	return 0;
}

int introspect_opfamilies(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "opfname", SORT_TEXT },
		{ "amname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, opfamilies_sql, 1, params);
	int *rows, rc = 0;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		const char *name = str(x, res, r, col(res, "opfname"));
		const char *method = str(x, res, r, col(res, "amname"));
		struct sg_opfamily *f = SG_NEW(x->cat, sg_opfamily, SG_KIND_OPFAMILY,
					       PQgetvalue(res, r, col(res, "nspname")),
					       sg_printf(x->a, "%s USING %s", name, method),
					       NULL);

		f->obj.oid = oidv(res, r, col(res, "oid"));
		f->obj.comment = str(x, res, r, col(res, "description"));
		f->famname = name;
		f->method = method;
		{
			struct fmember_vec mv = { 0 };

			if (fmembers(x, res, r, 'f', &mv, &f->obj) < 0 ||
			    fmembers(x, res, r, 'o', &mv, &f->obj) < 0)
				rc = sg_error("malformed members of operator family %s",
					      sg_qt(x->a, name));
			if (mv.n > 1)
				qsort(mv.v, mv.n, sizeof(*mv.v), sg_opfamily_member_cmp);
			f->members = mv.v;
			f->nmembers = mv.n;
		}
		oidmap_put(&x->map, OIDMAP_OPFAMILY, f->obj.oid, 0, &f->obj);
		depend_on_schema(x, &f->obj, oidv(res, r, col(res, "opfnamespace")));
	}
	free(rows);
	PQclear(res);
	return rc;
}

/* tied to the class, or loose in the class's implicit family */
#define MEMBER_DEP(catalog, alias) \
	" JOIN pg_depend md ON md.classid = '" catalog "'::regclass AND md.objid = " \
	alias ".oid AND ((md.refclassid = 'pg_opclass'::regclass AND md.refobjid = c.oid" \
	" AND md.deptype = 'i') OR (md.refclassid = 'pg_opfamily'::regclass" \
	" AND md.refobjid = c.opcfamily AND md.deptype = 'a' AND " IMPLICIT_FAMILY("f", "c") "))"

static const char opclasses_sql[] =
	"SELECT c.oid, c.opcnamespace, n.nspname, c.opcname, am.amname, c.opcdefault,"
	" format_type(c.opcintype, NULL) AS for_type,"
	" CASE WHEN c.opckeytype <> 0 THEN format_type(c.opckeytype, NULL) END AS storage,"
	" CASE WHEN NOT " IMPLICIT_FAMILY("f", "c") " THEN fn.nspname END AS fam_nsp,"
	" f.opfname,"
	" ARRAY(SELECT a.oid FROM pg_amop a" MEMBER_DEP("pg_amop", "a")
	"  ORDER BY a.amopstrategy, a.oid) AS op_oids,"
	" ARRAY(SELECT a.amopstrategy FROM pg_amop a" MEMBER_DEP("pg_amop", "a")
	"  ORDER BY a.amopstrategy, a.oid) AS op_nums,"
	" ARRAY(SELECT quote_ident(opn.nspname) || '.' || o.oprname || ' ('"
	"   || format_type(a.amoplefttype, NULL) || ', '"
	"   || format_type(a.amoprighttype, NULL) || ')'"
	"   || CASE WHEN a.amoppurpose = 'o' THEN ' FOR ORDER BY '"
	"    || quote_ident(sfn.nspname) || '.' || quote_ident(sf.opfname) ELSE '' END"
	"  FROM pg_amop a" MEMBER_DEP("pg_amop", "a")
	"  JOIN pg_operator o ON o.oid = a.amopopr"
	"  JOIN pg_namespace opn ON opn.oid = o.oprnamespace"
	"  LEFT JOIN pg_opfamily sf ON sf.oid = a.amopsortfamily"
	"  LEFT JOIN pg_namespace sfn ON sfn.oid = sf.opfnamespace"
	"  ORDER BY a.amopstrategy, a.oid) AS op_texts,"
	" ARRAY(SELECT p.oid FROM pg_amproc p" MEMBER_DEP("pg_amproc", "p")
	"  ORDER BY p.amprocnum, p.oid) AS fn_oids,"
	" ARRAY(SELECT p.amprocnum FROM pg_amproc p" MEMBER_DEP("pg_amproc", "p")
	"  ORDER BY p.amprocnum, p.oid) AS fn_nums,"
	" ARRAY(SELECT '(' || format_type(p.amproclefttype, NULL) || ', '"
	"   || format_type(p.amprocrighttype, NULL) || ') ' || p.amproc::regprocedure::text"
	"  FROM pg_amproc p" MEMBER_DEP("pg_amproc", "p")
	"  ORDER BY p.amprocnum, p.oid) AS fn_texts,"
	" d.description"
	" FROM pg_opclass c"
	" JOIN pg_namespace n ON n.oid = c.opcnamespace"
	" JOIN pg_am am ON am.oid = c.opcmethod"
	" JOIN pg_opfamily f ON f.oid = c.opcfamily"
	" JOIN pg_namespace fn ON fn.oid = f.opfnamespace"
	DESCRIPTION_JOIN("d", "pg_opclass", "c.oid", "0")
	" WHERE c.opcnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_opclass", "c.oid");

struct member_vec {
	struct sg_opclass_member *v;
	size_t n, cap;
};

/* The members of one kind from three parallel arrays; -1 when malformed. */
static int members(struct ictx *x, const PGresult *res, int r, char kind,
		   const char *oids, const char *nums, const char *texts,
		   struct member_vec *out, struct sg_object *cls)
{
	const char **o, **n, **t;
	long no = text_array(x, PQgetvalue(res, r, col(res, oids)), &o);
	long nn = text_array(x, PQgetvalue(res, r, col(res, nums)), &n);
	long nt = text_array(x, PQgetvalue(res, r, col(res, texts)), &t);

	if (no < 0 || nn != no || nt != no)
		return -1;
	for (long i = 0; i < no; i++) {
		struct sg_opclass_member m = { .kind = kind, .number = atoi(n[i]),
					       .text = t[i] };

		if (!t[i] || !o[i])
			return -1;
		SG_VEC_PUSH(x->a, out, m);
		oidmap_put(&x->map, kind == 'o' ? OIDMAP_AMOP : OIDMAP_AMPROC,
			   (uint32_t)strtoul(o[i], NULL, 10), 0, cls);
	}
	return 0;
}

int introspect_opclasses(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "opcname", SORT_TEXT },
		{ "amname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, opclasses_sql, 1, params);
	int *rows, rc = 0;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		const char *name = str(x, res, r, col(res, "opcname"));
		const char *method = str(x, res, r, col(res, "amname"));
		struct sg_opclass *c = SG_NEW(x->cat, sg_opclass, SG_KIND_OPCLASS,
					      PQgetvalue(res, r, col(res, "nspname")),
					      sg_printf(x->a, "%s USING %s", name, method),
					      NULL);
		struct member_vec mv = { 0 };

		c->obj.oid = oidv(res, r, col(res, "oid"));
		c->obj.comment = str(x, res, r, col(res, "description"));
		c->opcname = name;
		c->method = method;
		c->is_default = boolv(res, r, col(res, "opcdefault"));
		c->for_type = str(x, res, r, col(res, "for_type"));
		c->storage = str(x, res, r, col(res, "storage"));
		if (!PQgetisnull(res, r, col(res, "fam_nsp")))
			c->family = sg_qq(x->a, PQgetvalue(res, r, col(res, "fam_nsp")),
					  PQgetvalue(res, r, col(res, "opfname")));
		if (members(x, res, r, 'o', "op_oids", "op_nums", "op_texts", &mv,
			    &c->obj) < 0 ||
		    members(x, res, r, 'f', "fn_oids", "fn_nums", "fn_texts", &mv,
			    &c->obj) < 0)
			rc = sg_error("malformed members of operator class %s",
				      sg_qt(x->a, name));
		c->members = mv.v;
		c->nmembers = mv.n;
		oidmap_put(&x->map, OIDMAP_OPCLASS, c->obj.oid, 0, &c->obj);
		depend_on_schema(x, &c->obj, oidv(res, r, col(res, "opcnamespace")));
	}
	free(rows);
	PQclear(res);
	return rc;
}
