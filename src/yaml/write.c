// SPDX-License-Identifier: MIT
/*
 * write.c - an introspected catalog as model files (`schemagen dump`), in
 * exactly the format load.c reads, so that loading the output and
 * materialising it gives the same catalog back.
 *
 * The YAML is written as text rather than with libyaml's emitter, for
 * control over the layout (short mappings on one line, long ones as
 * blocks, multi-line text as literal blocks) and over quoting: a scalar is
 * left plain only when every YAML reader would read it back as the same
 * string (so `yes`, `null`, `012`, `-x`, `a: b` are quoted), single-quoted
 * when it is printable on one line, and double-quoted with escapes
 * otherwise.  The output is deterministic: objects by name, columns in
 * attnum order, keys in a fixed order, options only when they differ from
 * PostgreSQL's defaults.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "schemagen/yaml.h"
#include "yaml-priv.h"
#include "sg-config.h"

/* Lines longer than this are broken into block mappings and lists. */
#define LINE_MAX_COLS 100

/* ---- scalars ---- */

/*
 * A character that may appear as itself in a plain, single-quoted or
 * literal scalar: printable for YAML, and not one of the characters YAML
 * readers take as a line break (NEL, LS, PS) or a byte order mark.
 */

/*
 * A schema's comment as the models say it: public's default comment
 * ("standard public schema", which every new database has) goes without
 * saying, since the loader gives public that comment when the models are
 * silent about it.
 */
static const char *schema_comment(const struct sg_object *sch)
{
	if (sch->comment && strcmp(sch->name, "public") == 0 &&
	    strcmp(sch->comment, "standard public schema") == 0)
		return NULL;
	return sch->comment;
}

static bool safe_char(uint32_t c)
{
	return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF && c != 0x2028 &&
		c != 0x2029) ||
	       (c >= 0x10000 && c <= 0x10FFFF);
}

/* Every character is safe_char() (or, when allow_nl, a newline or tab). */
static bool all_safe(const char *s, bool allow_nl)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t c;
		size_t n = yaml_u8dec(p, &c);

		if (n == 0)
			return false;
		if (!safe_char(c) && !(allow_nl && (c == '\n' || c == '\t')))
			return false;
		if (c == 0x2028 || c == 0x2029)
			return false;
		p += n;
	}
	return true;
}

static bool plain_ok(const char *s, bool flow)
{
	size_t len = strlen(s);

	if (len == 0 || yaml_word_is_special(s))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]))
		return false;
	if (s[len - 1] == ' ' || s[len - 1] == ':')
		return false;
	if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\t'))
		return false;
	if (flow && strpbrk(s, ",[]{}:#?"))
		return false;
	return all_safe(s, false);
}

static void double_quoted(struct sbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	sbuf_addch(out, '"');
	while (*p) {
		uint32_t c;
		size_t n = yaml_u8dec(p, &c);

		if (n == 0) {
			/* not UTF-8: the best YAML can say is the code point
			 * of the same number */
			sbuf_addf(out, "\\x%02X", *p);
			p++;
			continue;
		}
		switch (c) {
		case '"': sbuf_adds(out, "\\\""); break;
		case '\\': sbuf_adds(out, "\\\\"); break;
		case '\n': sbuf_adds(out, "\\n"); break;
		case '\t': sbuf_adds(out, "\\t"); break;
		case '\r': sbuf_adds(out, "\\r"); break;
		case 0x85: sbuf_adds(out, "\\N"); break;
		case 0x2028: sbuf_adds(out, "\\L"); break;
		case 0x2029: sbuf_adds(out, "\\P"); break;
		default:
			if (safe_char(c))
				sbuf_add(out, p, n);
			else if (c <= 0xFF)
				sbuf_addf(out, "\\x%02X", (unsigned)c);
			else if (c <= 0xFFFF)
				sbuf_addf(out, "\\u%04X", (unsigned)c);
			else
				sbuf_addf(out, "\\U%08X", (unsigned)c);
		}
		p += n;
	}
	sbuf_addch(out, '"');
}

/*
 * Literal block (`|`): for multi-line text in block context.  The
 * indentation indicator is given when the text starts with a space or an
 * empty line (the reader could not guess it); the chomping indicator says
 * whether the text ends with a newline (`|`) or not (`|-`).
 */
static bool literal_ok(const char *s)
{
	size_t len = strlen(s);

	/* with several trailing newlines the block would need keep chomping
	 * (`|+`), which also swallows the blank line that follows it */
	return strchr(s, '\n') && strspn(s, "\n") < len &&
	       !(len >= 2 && s[len - 1] == '\n' && s[len - 2] == '\n') &&
	       all_safe(s, true);
}

static void literal(struct sbuf *out, const char *s, int indent)
{
	size_t len = strlen(s), trail = 0;
	const char *p = s, *end;

	while (trail < len && s[len - 1 - trail] == '\n')
		trail++;
	sbuf_addch(out, '|');
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n')
		sbuf_addch(out, '2');
	if (trail == 0)
		sbuf_addch(out, '-');
	sbuf_addch(out, '\n');
	end = s + len - trail;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 0)
			sbuf_addf(out, "%*s", indent + 2, "");
		sbuf_add(out, p, n);
		sbuf_addch(out, '\n');
		p += n + 1;
	}
	/* the caller adds the newline that ends the entry */
	sbuf_setlen(out, out->len - 1);
}

/*
 * Appends s as a scalar.  flow: inside [...] or {...}; indent: the
 * indentation of the key this is the value of (for literal blocks), or -1
 * when a literal block is not possible.
 */
static void scalar(struct sbuf *out, const char *s, bool flow, int indent)
{
	if (plain_ok(s, flow)) {
		sbuf_adds(out, s);
	} else if (!flow && indent >= 0 && literal_ok(s)) {
		literal(out, s, indent);
	} else if (all_safe(s, false) && strchr(s, '\'') && !strchr(s, '"') &&
		   !strchr(s, '\\')) {
		/* SQL literals read better in double quotes */
		sbuf_addch(out, '"');
		sbuf_adds(out, s);
		sbuf_addch(out, '"');
	} else if (all_safe(s, false)) {
		sbuf_addch(out, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '\'')
				sbuf_addch(out, '\'');
			sbuf_addch(out, *p);
		}
		sbuf_addch(out, '\'');
	} else {
		double_quoted(out, s);
	}
}

void yaml_scalar(struct sbuf *out, const char *s)
{
	scalar(out, s, false, -1);
}

/* ---- a small tree of what to write, laid out at the end ---- */

enum wtype { W_STR, W_RAW, W_SEQ, W_MAP };

struct wnode {
	enum wtype type;
	const char *s;              /* W_STR text, W_RAW token */
	bool block;                 /* always lay out as a block */
	SG_VEC(struct wnode *) kids;
	SG_VEC(const char *) keys;  /* W_MAP */
};

struct writer {
	struct sg_arena *a;
	int server_version;         /* of the catalog written; 0 unknown */
	const struct sg_catalog *cat;
};

static struct wnode *wnew(struct writer *w, enum wtype type, const char *s)
{
	struct wnode *n = sg_alloc(w->a, sizeof(*n));

	n->type = type;
	n->s = s;
	return n;
}

static struct wnode *wmap(struct writer *w, bool block)
{
	struct wnode *n = wnew(w, W_MAP, NULL);

	n->block = block;
	return n;
}

static struct wnode *wseq(struct writer *w)
{
	return wnew(w, W_SEQ, NULL);
}

static void wput(struct writer *w, struct wnode *map, const char *key,
		 struct wnode *val)
{
	SG_VEC_PUSH(w->a, &map->keys, key);
	SG_VEC_PUSH(w->a, &map->kids, val);
}

static void wstr(struct writer *w, struct wnode *map, const char *key,
		 const char *s)
{
	if (s)
		wput(w, map, key, wnew(w, W_STR, s));
}

static void wraw(struct writer *w, struct wnode *map, const char *key,
		 const char *tok)
{
	wput(w, map, key, wnew(w, W_RAW, tok));
}

static void wint(struct writer *w, struct wnode *map, const char *key,
		 int64_t v)
{
	wraw(w, map, key, sg_printf(w->a, "%" PRId64, v));
}

static void wpush(struct writer *w, struct wnode *seq, struct wnode *item)
{
	SG_VEC_PUSH(w->a, &seq->kids, item);
}

static struct wnode *wnames(struct writer *w, const char *const *names,
			    size_t n)
{
	struct wnode *seq = wseq(w);

	for (size_t i = 0; i < n; i++)
		wpush(w, seq, wnew(w, W_STR, names[i]));
	return seq;
}

/* True when a value holds multi-line text (laid out as a block). */
static bool multiline(const struct wnode *n)
{
	if (n->type == W_STR)
		return strchr(n->s, '\n') != NULL;
	for (size_t i = 0; i < n->kids.n; i++)
		if (multiline(n->kids.v[i]))
			return true;
	return false;
}

static void flow(struct sbuf *out, const struct wnode *n)
{
	switch (n->type) {
	case W_STR:
		scalar(out, n->s, true, -1);
		break;
	case W_RAW:
		sbuf_adds(out, n->s);
		break;
	case W_SEQ:
		sbuf_addch(out, '[');
		for (size_t i = 0; i < n->kids.n; i++) {
			if (i)
				sbuf_adds(out, ", ");
			flow(out, n->kids.v[i]);
		}
		sbuf_addch(out, ']');
		break;
	case W_MAP:
		sbuf_addch(out, '{');
		for (size_t i = 0; i < n->kids.n; i++) {
			if (i)
				sbuf_adds(out, ", ");
			scalar(out, n->keys.v[i], true, -1);
			sbuf_adds(out, ": ");
			flow(out, n->kids.v[i]);
		}
		sbuf_addch(out, '}');
		break;
	}
}

/* Characters in the current (last) line of out. */
static size_t column(const struct sbuf *out)
{
	const char *nl = memrchr(out->buf, '\n', out->len);

	return nl ? out->len - (size_t)(nl + 1 - out->buf) : out->len;
}

/* Appends n in flow style when it fits on the line; false otherwise. */
static bool try_flow(struct sbuf *out, const struct wnode *n)
{
	struct sbuf tmp = SBUF_INIT;
	bool fits;

	if (n->block || multiline(n))
		return false;
	flow(&tmp, n);
	fits = column(out) + tmp.len <= LINE_MAX_COLS || n->kids.n == 0;
	if (fits)
		sbuf_add(out, tmp.buf, tmp.len);
	sbuf_release(&tmp);
	return fits;
}

static void block_map(struct sbuf *out, const struct wnode *m, int indent,
		      bool inline_first);

/* The value of a block mapping entry or list item, after "key:" or "-". */
static void block_value(struct sbuf *out, const struct wnode *v, int indent)
{
	switch (v->type) {
	case W_STR:
		sbuf_addch(out, ' ');
		scalar(out, v->s, false, indent);
		sbuf_addch(out, '\n');
		return;
	case W_RAW:
		sbuf_addf(out, " %s\n", v->s);
		return;
	case W_SEQ:
	case W_MAP:
		if (v->kids.n == 0) {
			sbuf_adds(out, v->type == W_SEQ ? " []\n" : " {}\n");
			return;
		}
		sbuf_addch(out, ' ');
		if (try_flow(out, v)) {
			sbuf_addch(out, '\n');
			return;
		}
		sbuf_setlen(out, out->len - 1);
		sbuf_addch(out, '\n');
		if (v->type == W_MAP) {
			block_map(out, v, indent + 2, false);
			return;
		}
		for (size_t i = 0; i < v->kids.n; i++) {
			const struct wnode *it = v->kids.v[i];

			sbuf_addf(out, "%*s-", indent + 2, "");
			if (it->type == W_MAP && it->kids.n > 0) {
				sbuf_addch(out, ' ');
				if (try_flow(out, it)) {
					sbuf_addch(out, '\n');
					continue;
				}
				block_map(out, it, indent + 4, true);
			} else {
				block_value(out, it, indent + 2);
			}
		}
		return;
	}
}

static void block_map(struct sbuf *out, const struct wnode *m, int indent,
		      bool inline_first)
{
	for (size_t i = 0; i < m->kids.n; i++) {
		if (i > 0 || !inline_first)
			sbuf_addf(out, "%*s", indent, "");
		scalar(out, m->keys.v[i], false, -1);
		sbuf_addch(out, ':');
		block_value(out, m->kids.v[i], indent);
	}
}

/* ---- objects ---- */

static int obj_name_cmp(const void *pa, const void *pb)
{
	const struct sg_object *a = *(struct sg_object *const *)pa;
	const struct sg_object *b = *(struct sg_object *const *)pb;

	return strcmp(a->name, b->name);
}

static int col_cmp(const void *pa, const void *pb)
{
	const struct sg_column *a = *(struct sg_column *const *)pa;
	const struct sg_column *b = *(struct sg_column *const *)pb;

	return (a->attnum > b->attnum) - (a->attnum < b->attnum);
}

/* The objects of one kind in one schema, sorted by name. */
static struct sg_object **objects_of(struct writer *w, const struct sg_catalog *cat,
				     enum sg_kind kind, const char *schema,
				     size_t *n)
{
	struct sg_object **v = sg_alloc_array(w->a, cat->nobjs + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i]->kind == kind &&
		    strcmp(cat->objs[i]->schema, schema) == 0)
			v[(*n)++] = cat->objs[i];
	if (*n > 1)
		qsort(v, *n, sizeof(*v), obj_name_cmp);
	return v;
}

/* A collation or operator class from SQL text: a name, or {schema:, name:}. */
static struct wnode *qualname(struct writer *w, const char *sql)
{
	const char *schema, *name;
	int np = sg_sql_split_name(w->a, sql, &schema, &name);
	struct wnode *m;

	if (np == 0)
		return wnew(w, W_STR, sql);
	if (np == 1 || strcmp(schema, "pg_catalog") == 0)
		return wnew(w, W_STR, name);
	m = wmap(w, false);
	wstr(w, m, "schema", schema);
	wstr(w, m, "name", name);
	return m;
}

static void type_range(const char *type, int64_t *lo, int64_t *hi)
{
	if (type && strcmp(type, "smallint") == 0) {
		*lo = INT16_MIN;
		*hi = INT16_MAX;
	} else if (type && strcmp(type, "integer") == 0) {
		*lo = INT32_MIN;
		*hi = INT32_MAX;
	} else {
		*lo = INT64_MIN;
		*hi = INT64_MAX;
	}
}

/* The options that differ from PostgreSQL's defaults for type. */
static void seqopts(struct writer *w, struct wnode *m, const struct sg_seqopts *o,
		    const char *type, bool with_type)
{
	int64_t lo, hi, inc, min, max;

	if (o->set & SG_SEQ_TYPE && o->type)
		type = o->type;
	type_range(type, &lo, &hi);
	inc = (o->set & SG_SEQ_INCREMENT) ? o->increment : 1;
	min = (o->set & SG_SEQ_MIN) ? o->min : (inc > 0 ? 1 : lo);
	max = (o->set & SG_SEQ_MAX) ? o->max : (inc > 0 ? hi : -1);
	if (with_type && type && strcmp(type, "bigint") != 0)
		wstr(w, m, "type", type);
	if ((o->set & SG_SEQ_START) && o->start != (inc > 0 ? min : max))
		wint(w, m, "start", o->start);
	if (inc != 1)
		wint(w, m, "increment", inc);
	if (min != (inc > 0 ? 1 : lo))
		wint(w, m, "min", min);
	if (max != (inc > 0 ? hi : -1))
		wint(w, m, "max", max);
	if ((o->set & SG_SEQ_CACHE) && o->cache != 1)
		wint(w, m, "cache", o->cache);
	if ((o->set & SG_SEQ_CYCLE) && o->cycle)
		wraw(w, m, "cycle", "true");
}

/* ---- privileges ---- */

/* "select", "alter_system": how the models spell a privilege. */
static const char *privilege_word(struct writer *w, char letter)
{
	char *s = sg_strdup(w->a, sg_privilege_name(letter));

	for (char *p = s; *p; p++)
		*p = *p == ' ' ? '_' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	return s;
}

/* A list of privileges; `all` for every one of a kind that has many. */
static struct wnode *privilege_seq(struct writer *w, const struct sg_object *obj,
				   const char *letters)
{
	struct wnode *seq = wseq(w);
	const char *of = sg_privileges_of(obj);
	bool all = strlen(of) > 3;

	/* `all` is every privilege but MAINTAIN (PostgreSQL 17), see load */
	for (const char *p = of; *p && all; p++)
		all = *p == 'm' || strchr(letters, *p);
	if (all)
		wpush(w, seq, wnew(w, W_STR, "all"));
	for (const char *p = letters; *p; p++)
		if (!all || *p == 'm')
			wpush(w, seq, wnew(w, W_STR, privilege_word(w, *p)));
	return seq;
}

/*
 * `grants:` of an object, or NULL when its grants are what it would have
 * without the key: what CREATE gives (base, nbase), so a model only
 * mentions grants that were made.
 */
static struct wnode *grant_map(struct writer *w, const struct sg_object *obj,
			       const struct sg_grant *grants, size_t ngrants);

static struct wnode *grants_node(struct writer *w, const struct sg_object *obj,
				 const struct sg_grant *base, size_t nbase)
{
	if (!obj->has_acl || !sg_privileges_of(obj) ||
	    sg_grants_equal(obj->grants, obj->ngrants, base, nbase))
		return NULL;
	return grant_map(w, obj, obj->grants, obj->ngrants);
}

/* {role: [privilege, ...], role: {privileges:, with_grant_option:}} */
static struct wnode *grant_map(struct writer *w, const struct sg_object *obj,
			       const struct sg_grant *grants, size_t ngrants)
{
	struct wnode *m = wmap(w, false);

	for (size_t i = 0; i < ngrants; i++) {
		const struct sg_grant *g = &grants[i];
		struct wnode *v = privilege_seq(w, obj, g->privs), *gm;

		if (*g->grantable) {
			gm = wmap(w, false);
			wput(w, gm, "privileges", v);
			if (strcmp(g->grantable, g->privs) == 0)
				wraw(w, gm, "with_grant_option", "true");
			else
				wput(w, gm, "with_grant_option",
				     privilege_seq(w, obj, g->grantable));
			v = gm;
		}
		wput(w, m, g->grantee, v);
	}
	return m;
}

/* `owner:`, when the catalog keeps owners (dump --owners); a sequence
 * owned by a column follows its table and says none */
static void put_owner(struct writer *w, struct wnode *m,
		      const struct sg_object *obj)
{
	if (!obj->owner || !sg_kind(obj->kind)->owned ||
	    (obj->kind == SG_KIND_SEQUENCE &&
	     ((const struct sg_sequence *)obj)->owned_table))
		return;
	wstr(w, m, "owner", obj->owner);
}

static void put_grants(struct writer *w, struct wnode *m,
		       const struct sg_object *obj)
{
	const struct sg_grant *base;
	size_t nbase;
	struct wnode *g;

	sg_grants_created(w->cat, obj, &base, &nbase);
	if ((g = grants_node(w, obj, base, nbase)))
		wput(w, m, "grants", g);
}

/*
 * The schema public is made by initdb, not by CREATE SCHEMA: a fresh
 * database has USAGE for PUBLIC on it (and CREATE too before PostgreSQL
 * 15), which is what a model without `grants:` keeps.
 */
static struct wnode *schema_grants(struct writer *w, const struct sg_object *sch)
{
	static const struct sg_grant usage = { SG_ROLE_PUBLIC, "U", "", { 0 } };
	static const struct sg_grant usage_create = { SG_ROLE_PUBLIC, "UC", "", { 0 } };

	if (strcmp(sch->name, "public") != 0)
		return grants_node(w, sch, NULL, 0);
	return grants_node(w, sch, w->server_version && w->server_version < 150000
			   ? &usage_create : &usage, 1);
}

/*
 * `default_privileges:` of a schema: one entry per role (the role that
 * runs schemagen first, without for_role), its classes in a fixed order;
 * NULL when there are none.
 */
/* One entry: for_role (unless NULL), then each class of v. */
static struct wnode *defacl_entry(struct writer *w, const char *role,
				  const struct sg_defacl *v, size_t n)
{
	struct wnode *m = wmap(w, true);

	if (role)
		wput(w, m, "for_role", wnew(w, W_STR, role));
	for (size_t j = 0; j < n; j++) {
		const struct sg_object fake = { .kind = sg_defacl_kind(v[j].objtype) };

		wput(w, m, sg_defacl_class(v[j].objtype),
		     grant_map(w, &fake, v[j].grants, v[j].ngrants));
	}
	return m;
}

static struct wnode *schema_defacls(struct writer *w, const struct sg_schema *s)
{
	struct wnode *seq;

	if (!s->ndefacls)
		return NULL;
	seq = wseq(w);
	for (size_t i = 0; i < s->ndefacls;) {
		const struct sg_defacl *d = &s->defacls[i];
		size_t j = i;

		while (j < s->ndefacls && !s->defacls[j].role == !d->role &&
		       (!d->role || strcmp(s->defacls[j].role, d->role) == 0))
			j++;
		wpush(w, seq, defacl_entry(w, d->role, d, j - i));
		i = j;
	}
	return seq;
}

/* `global_default_privileges:`: one entry per role (sg_default_acl). */
void write_global_defacls(struct writer *w, struct sbuf *out,
			  const struct sg_catalog *cat, const char *schema)
{
	size_t n;
	struct sg_object **v = objects_of(w, cat, SG_KIND_DEFAULT_ACL, schema, &n);
	struct wnode *seq = wseq(w);

	if (n == 0)
		return;
	seq->block = true;
	for (size_t i = 0; i < n; i++) {
		const struct sg_default_acl *g = (const struct sg_default_acl *)v[i];

		wpush(w, seq, defacl_entry(w, g->role, g->defacls, g->ndefacls));
	}
	sbuf_adds(out, "\n");
	sbuf_adds(out, yaml_kinds[SG_KIND_DEFAULT_ACL].keys[0]);
	sbuf_addch(out, ':');
	block_value(out, seq, 0);
}

static struct wnode *enum_node(struct writer *w, const struct sg_enum *e)
{
	struct wnode *values = wnames(w, e->values, e->nvalues);
	struct wnode *m = wmap(w, false);

	wput(w, m, "values", values);
	wstr(w, m, "comment", e->obj.comment);
	put_grants(w, m, &e->obj);
	put_owner(w, m, &e->obj);
	if (m->kids.n == 1)
		return values;
	return m;
}

static struct wnode *extension_node(struct writer *w, const struct sg_extension *e)
{
	struct wnode *m = wmap(w, false);

	wstr(w, m, "version", e->version);
	wstr(w, m, "comment", e->obj.comment);
	return m;
}

static struct wnode *collation_node(struct writer *w, const struct sg_collation *c)
{
	struct wnode *m = wmap(w, false);

	wstr(w, m, "provider", c->provider == 'i' ? "icu"
			       : c->provider == 'b' ? "builtin" : "libc");
	if (c->locale)
		wstr(w, m, "locale", c->locale);
	else if (sg_streq(c->lc_collate, c->lc_ctype))
		wstr(w, m, "locale", c->lc_collate);
	else {
		wstr(w, m, "lc_collate", c->lc_collate);
		wstr(w, m, "lc_ctype", c->lc_ctype);
	}
	if (!c->deterministic)
		wraw(w, m, "deterministic", "false");
	wstr(w, m, "comment", c->obj.comment);
	put_owner(w, m, &c->obj);
	return m;
}

static struct wnode *language_node(struct writer *w, const struct sg_language *g)
{
	struct wnode *m = wmap(w, false);

	wput(w, m, "handler", qualname(w, g->handler));
	if (g->inline_handler)
		wput(w, m, "inline", qualname(w, g->inline_handler));
	if (g->validator)
		wput(w, m, "validator", qualname(w, g->validator));
	if (g->trusted)
		wraw(w, m, "trusted", "true");
	wstr(w, m, "comment", g->obj.comment);
	put_owner(w, m, &g->obj);
	put_grants(w, m, &g->obj);
	return m;
}

static const char *check_expression(struct writer *w,
				    const struct sg_constraint *k);

/* The condition of a domain check, from its definition when only that is
 * known: "CHECK ((VALUE > 0)) NOT VALID" -> "(VALUE > 0)". */
static const char *domain_check_expression(struct writer *w,
					   const struct sg_domain_check *k)
{
	struct sg_constraint c = { .type = 'c', .definition = k->definition,
				   .expression = k->expression };

	return check_expression(w, &c);
}

static struct wnode *domain_node(struct writer *w, const struct sg_domain *d)
{
	struct wnode *m = wmap(w, false), *checks = wseq(w);

	checks->block = true;
	wstr(w, m, "type", d->base_type ? d->base_type : "");
	if (d->not_null)
		wraw(w, m, "nullable", "false");
	wstr(w, m, "default", d->default_expr);
	if (d->collation)
		wput(w, m, "collation", qualname(w, d->collation));
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct sg_domain_check *k = &d->checks[i];
		struct wnode *cm = wmap(w, false);

		wstr(w, cm, "name", k->name);
		wstr(w, cm, "expression", domain_check_expression(w, k));
		if (k->not_valid)
			wraw(w, cm, "not_valid", "true");
		wstr(w, cm, "comment", k->comment);
		wpush(w, checks, cm);
	}
	if (checks->kids.n)
		wput(w, m, "checks", checks);
	wstr(w, m, "comment", d->obj.comment);
	put_grants(w, m, &d->obj);
	put_owner(w, m, &d->obj);
	if (m->kids.n == 1)
		return m->kids.v[0];    /* the shorthand `name: type` */
	return m;
}

static struct wnode *composite_node(struct writer *w, const struct sg_composite *c)
{
	struct wnode *m = wmap(w, true), *attrs = wmap(w, true);

	wstr(w, m, "comment", c->obj.comment);
	for (size_t i = 0; i < c->nattrs; i++) {
		const struct sg_attribute *a = &c->attrs[i];
		struct wnode *am = wmap(w, false);

		wstr(w, am, "type", a->type ? a->type : "");
		if (a->collation)
			wput(w, am, "collation", qualname(w, a->collation));
		wstr(w, am, "comment", a->comment);
		wput(w, attrs, a->name, am->kids.n == 1 ? am->kids.v[0] : am);
	}
	wput(w, m, "attributes", attrs);
	put_grants(w, m, &c->obj);
	put_owner(w, m, &c->obj);
	return m;
}

static struct wnode *sequence_node(struct writer *w, const struct sg_sequence *s)
{
	struct wnode *m = wmap(w, false);

	seqopts(w, m, &s->opts, "bigint", true);
	if (s->owned_table && s->owned_column) {
		if (strchr(s->owned_table, '.')) {
			struct wnode *o = wmap(w, false);

			wstr(w, o, "table", s->owned_table);
			wstr(w, o, "column", s->owned_column);
			wput(w, m, "owned_by", o);
		} else {
			wstr(w, m, "owned_by", sg_printf(w->a, "%s.%s", s->owned_table,
							 s->owned_column));
		}
	}
	wstr(w, m, "comment", s->obj.comment);
	put_grants(w, m, &s->obj);
	put_owner(w, m, &s->obj);
	return m;
}

/* The type an identity's sequence ranges over, from the column's type. */
static const char *int_type(const char *t)
{
	if (t && (strcmp(t, "smallint") == 0 || strcmp(t, "integer") == 0))
		return t;
	return "bigint";
}

/* The column of the first parent a child's column comes from. */
static const struct sg_column *parent_column(const struct sg_column *c)
{
	const struct sg_table *t = (const struct sg_table *)c->obj.parent;
	const struct sg_table *p = t->partition_parent;

	for (size_t i = 0; !p && i < t->ninherits; i++)
		p = t->inherits_tables ? t->inherits_tables[i] : NULL;
	return p ? sg_table_column(p, c->obj.name) : NULL;
}

static void put_options(struct writer *w, struct wnode *m,
			const struct sg_object *obj,
			const struct sg_fdw_option *opts, size_t n);

/*
 * A column that comes from a parent is written only for what it sets
 * itself (NOT NULL, a default of its own, a comment), without a type.
 */
static struct wnode *inherited_column_node(struct writer *w,
					   const struct sg_column *c)
{
	const struct sg_column *pc = parent_column(c);
	struct wnode *m = wmap(w, false);

	if (c->not_null && !(pc && pc->not_null))
		wraw(w, m, "nullable", "false");
	if (c->default_expr && !(pc && sg_streq(pc->default_expr, c->default_expr)))
		wstr(w, m, "default", c->default_expr);
	wstr(w, m, "comment", c->obj.comment);
	/* a foreign partition's column's OPTIONS */
	put_options(w, m, &c->obj, c->options, c->noptions);
	return m->kids.n ? m : NULL;
}

static struct wnode *column_node(struct writer *w, const struct sg_column *c)
{
	struct wnode *m = wmap(w, false);
	const char *kind = c->identity == 'a' ? "always" : "by default";

	if (c->inherited)
		return inherited_column_node(w, c);
	wstr(w, m, "type", c->type ? c->type : "");
	/* identity columns are NOT NULL by definition */
	if (c->not_null && !c->identity)
		wraw(w, m, "nullable", "false");
	wstr(w, m, "default", c->default_expr);
	wstr(w, m, "generated", c->generated);
	if (c->identity) {
		struct wnode *id = wmap(w, false);

		seqopts(w, id, &c->identity_opts,
			int_type(c->identity_opts.type ? c->identity_opts.type : c->type),
			false);
		if (id->kids.n == 0) {
			wstr(w, m, "identity", kind);
		} else {
			struct wnode *g = wmap(w, false);

			wstr(w, g, "generated", kind);
			for (size_t i = 0; i < id->kids.n; i++)
				wput(w, g, id->keys.v[i], id->kids.v[i]);
			wput(w, m, "identity", g);
		}
	}
	if (c->collation)
		wput(w, m, "collation", qualname(w, c->collation));
	wstr(w, m, "comment", c->obj.comment);
	put_grants(w, m, &c->obj);
	put_options(w, m, &c->obj, c->options, c->noptions);
	if (m->kids.n == 1)
		return m->kids.v[0];    /* the shorthand `name: type` */
	return m;
}

/* A name that the string form of "references" can hold. */
static bool simple_ref_name(const char *s)
{
	return !strpbrk(s, ".(),\"") && s[0] != ' ' && s[0] != '\t' &&
	       s[strlen(s) - 1] != ' ' && s[strlen(s) - 1] != '\t';
}

static struct wnode *references_node(struct writer *w,
				     const struct sg_constraint *k)
{
	bool other = k->ref_schema && strcmp(k->ref_schema, k->obj.schema) != 0;
	bool simple = simple_ref_name(k->ref_table) &&
		      (!other || simple_ref_name(k->ref_schema));
	struct sbuf sb = SBUF_INIT;
	struct wnode *m;

	for (size_t i = 0; i < k->nref_columns; i++)
		simple = simple && simple_ref_name(k->ref_columns[i]);
	if (!simple) {
		m = wmap(w, false);
		if (other)
			wstr(w, m, "schema", k->ref_schema);
		wstr(w, m, "table", k->ref_table);
		if (k->nref_columns)
			wput(w, m, "columns", wnames(w, k->ref_columns, k->nref_columns));
		return m;
	}
	if (other)
		sbuf_addf(&sb, "%s.", k->ref_schema);
	sbuf_adds(&sb, k->ref_table);
	if (k->nref_columns) {
		sbuf_addch(&sb, '(');
		for (size_t i = 0; i < k->nref_columns; i++)
			sbuf_addf(&sb, "%s%s", i ? ", " : "", k->ref_columns[i]);
		sbuf_addch(&sb, ')');
	}
	m = wnew(w, W_STR, sbuf_to_arena(&sb, w->a));
	sbuf_release(&sb);
	return m;
}

static const char *fk_action_word(char a)
{
	switch (a) {
	case SG_FK_RESTRICT: return "restrict";
	case SG_FK_CASCADE: return "cascade";
	case SG_FK_SET_NULL: return "set null";
	case SG_FK_SET_DEFAULT: return "set default";
	default: return NULL;
	}
}

static void deferral(struct writer *w, struct wnode *m,
		     const struct sg_constraint *k)
{
	if (k->deferrable || k->deferred)
		wraw(w, m, "deferrable", "true");
	if (k->deferred)
		wraw(w, m, "initially_deferred", "true");
}

/* The expression of a check, from its definition when only that is known. */
static const char *check_expression(struct writer *w,
				    const struct sg_constraint *k)
{
	const char *d = k->definition;
	size_t len;

	if (k->expression || !d || strncmp(d, "CHECK (", 7) != 0)
		return k->expression;
	len = strlen(d);
	if (len >= 11 && strcmp(d + len - 11, " NOT VALID") == 0)
		len -= 10;
	if (len >= 12 && strncmp(d + len - 12, " NO INHERIT", 11) == 0)
		len -= 11;
	while (len > 7 && d[len - 1] != ')')
		len--;
	return sg_strndup(w->a, d + 7, len > 8 ? len - 8 : 0);
}

static struct wnode *index_key_node(struct writer *w,
				    const struct sg_index_key *k);

static struct wnode *constraint_node(struct writer *w,
				     const struct sg_constraint *k)
{
	struct wnode *m = wmap(w, false);

	wstr(w, m, "name", k->obj.name);
	switch (k->type) {
	case 'p':
	case 'u':
		wput(w, m, "columns", wnames(w, k->columns, k->ncolumns));
		if (k->ninclude)
			wput(w, m, "include", wnames(w, k->include, k->ninclude));
		if (k->nulls_not_distinct)
			wraw(w, m, "nulls_distinct", "false");
		deferral(w, m, k);
		/* a partition's primary key is attached to its parent's one
		 * anyway; not so to a unique index */
		if (k->type == 'u' || !k->inherited)
			wstr(w, m, "attached_to", k->attached_to);
		if (k->only)
			wraw(w, m, "only", "true");
		break;
	case 'f':
		wput(w, m, "columns", wnames(w, k->columns, k->ncolumns));
		wput(w, m, "references", references_node(w, k));
		if (fk_action_word(k->on_delete))
			wstr(w, m, "on_delete", fk_action_word(k->on_delete));
		if (fk_action_word(k->on_update))
			wstr(w, m, "on_update", fk_action_word(k->on_update));
		if (k->match == 'f')
			wstr(w, m, "match", "full");
		deferral(w, m, k);
		if (k->not_valid)
			wraw(w, m, "not_valid", "true");
		break;
	case 'c':
		wstr(w, m, "expression", check_expression(w, k));
		if (k->no_inherit)
			wraw(w, m, "no_inherit", "true");
		if (k->not_valid)
			wraw(w, m, "not_valid", "true");
		break;
	case 'x': {
		struct wnode *els = wseq(w);

		if (k->excl_method)
			wstr(w, m, "using", k->excl_method);
		for (size_t i = 0; i < k->nexcl; i++) {
			struct wnode *el = index_key_node(w, &k->excl_keys[i]);

			if (el->type != W_MAP) {
				el = wmap(w, false);
				wstr(w, el, "column", k->excl_keys[i].column);
			}
			wstr(w, el, "operator", k->excl_ops[i]);
			wpush(w, els, el);
		}
		wput(w, m, "elements", els);
		if (k->ninclude)
			wput(w, m, "include", wnames(w, k->include, k->ninclude));
		wstr(w, m, "where", k->excl_where);
		deferral(w, m, k);
		break;
	}
	default:
		break;
	}
	wstr(w, m, "comment", k->obj.comment);
	return m;
}

static struct wnode *index_key_node(struct writer *w, const struct sg_index_key *k)
{
	struct wnode *m;

	if (k->column && !k->desc && !k->nulls && !k->opclass && !k->collation)
		return wnew(w, W_STR, k->column);
	m = wmap(w, false);
	if (k->column)
		wstr(w, m, "column", k->column);
	else
		wstr(w, m, "expression", k->expression ? k->expression : "");
	if (k->desc)
		wstr(w, m, "order", "desc");
	if (k->nulls)
		wstr(w, m, "nulls", k->nulls == 'f' ? "first" : "last");
	if (k->opclass)
		wput(w, m, "opclass", qualname(w, k->opclass));
	if (k->collation)
		wput(w, m, "collation", qualname(w, k->collation));
	return m;
}

/* Storage parameters "name=value" as a mapping. */
static struct wnode *storage_node(struct writer *w, const char *const *opts,
				  size_t n)
{
	struct wnode *m = wmap(w, false);

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(opts[i], '=');
		const char *name = eq ? sg_strndup(w->a, opts[i], (size_t)(eq - opts[i]))
				      : opts[i];
		const char *v = eq ? eq + 1 : "";
		size_t digits = strspn(v + (*v == '-'), "0123456789");

		/* numbers and booleans read as they are written */
		if ((digits && digits < 19 && !v[(*v == '-') + digits] &&
		     (v[*v == '-'] != '0' || digits == 1)) ||
		    strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
			wraw(w, m, name, v);
		else
			wstr(w, m, name, v);
	}
	return m;
}

/*
 * What PostgreSQL made by itself on a partition under its own name (a
 * clone of the parent's index or constraint, an inherited check) is left
 * out: the parent's says it.
 */
/* Is the parent's index or key a copy is attached to made ON ONLY? */
static bool parent_only(const struct sg_object *o, const char *name)
{
	const struct sg_table *p = ((const struct sg_table *)o->parent)->partition_parent;

	if (!p || !name)
		return false;
	for (size_t i = 0; i < p->nindexes; i++)
		if (strcmp(p->indexes[i]->obj.name, name) == 0)
			return p->indexes[i]->only;
	for (size_t i = 0; i < p->nconstraints; i++)
		if (strcmp(p->constraints[i]->obj.name, name) == 0)
			return p->constraints[i]->only;
	return false;
}

static bool clone_left_out(const struct sg_object *o)
{
	if (o->comment)
		return false;
	/* PostgreSQL makes no copies for an index made ON ONLY a table */
	if (o->kind == SG_KIND_INDEX
	    ? parent_only(o, ((const struct sg_index *)o)->attached_to)
	    : parent_only(o, ((const struct sg_constraint *)o)->attached_to))
		return false;
	if (o->kind == SG_KIND_INDEX) {
		const struct sg_index *ix = (const struct sg_index *)o;

		return ix->attached_to && sg_streq(ix->default_name, o->name);
	}
	{
		const struct sg_constraint *k = (const struct sg_constraint *)o;

		if (!k->inherited)
			return false;
		if (k->type == 'f' || k->type == 'c' || !k->attached_to)
			return true;
		return sg_streq(k->default_name, o->name);
	}
}

static struct wnode *index_node(struct writer *w, const struct sg_index *ix)
{
	struct wnode *m = wmap(w, false), *keys = wseq(w);
	bool only_exprs = ix->nkeys > 0;

	wstr(w, m, "name", ix->obj.name);
	if (ix->unique)
		wraw(w, m, "unique", "true");
	for (size_t i = 0; i < ix->nkeys; i++) {
		const struct sg_index_key *k = &ix->keys[i];

		only_exprs = only_exprs && !k->column && !k->desc && !k->nulls &&
			     !k->opclass && !k->collation;
	}
	for (size_t i = 0; i < ix->nkeys; i++) {
		if (only_exprs)
			wpush(w, keys, wnew(w, W_STR, ix->keys[i].expression
					    ? ix->keys[i].expression : ""));
		else
			wpush(w, keys, index_key_node(w, &ix->keys[i]));
	}
	wput(w, m, only_exprs ? "expressions" : "columns", keys);
	if (ix->method && strcmp(ix->method, "btree") != 0)
		wstr(w, m, "method", ix->method);
	if (ix->ninclude)
		wput(w, m, "include", wnames(w, ix->include, ix->ninclude));
	wstr(w, m, "where", ix->where);
	if (ix->nulls_not_distinct)
		wraw(w, m, "nulls_distinct", "false");
	if (ix->nreloptions)
		wput(w, m, "with", storage_node(w, ix->reloptions, ix->nreloptions));
	wstr(w, m, "attached_to", ix->attached_to);
	if (ix->only)
		wraw(w, m, "only", "true");
	wstr(w, m, "comment", ix->obj.comment);
	return m;
}

/* ---- row-level security and policies ---- */

static void put_rls(struct writer *w, struct wnode *m, const struct sg_table *t)
{
	if (t->rls_enabled && t->rls_forced) {
		wraw(w, m, "row_level_security", "forced");
	} else if (t->rls_enabled) {
		wraw(w, m, "row_level_security", "true");
	} else if (t->rls_forced) {
		struct wnode *r = wmap(w, false);

		wraw(w, r, "enabled", "false");
		wraw(w, r, "forced", "true");
		wput(w, m, "row_level_security", r);
	}
}

static const char *command_word(char cmd)
{
	switch (cmd) {
	case 'r': return "select";
	case 'a': return "insert";
	case 'w': return "update";
	case 'd': return "delete";
	default: return NULL;
	}
}

static struct wnode *policy_node(struct writer *w, const struct sg_policy *p)
{
	struct wnode *m = wmap(w, false);

	if (command_word(p->command))
		wstr(w, m, "command", command_word(p->command));
	if (!p->permissive)
		wstr(w, m, "as", "restrictive");
	if (!(p->nroles == 1 && strcmp(p->roles[0], SG_ROLE_PUBLIC) == 0))
		wput(w, m, "roles", wnames(w, p->roles, p->nroles));
	wstr(w, m, "using", p->using_expr);
	wstr(w, m, "with_check", p->check_expr);
	wstr(w, m, "comment", p->obj.comment);
	return m;
}

/* ---- statistics objects and rules ---- */

static struct wnode *statistics_node(struct writer *w, const struct sg_statistics *st)
{
	static const char *const words[] = { "ndistinct", "dependencies", "mcv" };
	struct wnode *m = wmap(w, false);

	wstr(w, m, "schema", st->schema);
	if (st->kinds && st->kinds != SG_STX_ALL) {
		struct wnode *k = wseq(w);

		for (int i = 0; i < 3; i++)
			if (st->kinds & (1u << i))
				wpush(w, k, wnew(w, W_STR, words[i]));
		wput(w, m, "kinds", k);
	}
	if (st->ncolumns)
		wput(w, m, "columns", wnames(w, st->columns, st->ncolumns));
	if (st->nexpressions)
		wput(w, m, "expressions", wnames(w, st->expressions, st->nexpressions));
	if (st->target >= 0)
		wint(w, m, "target", st->target);
	wstr(w, m, "comment", st->obj.comment);
	put_owner(w, m, &st->obj);
	return m;
}

/* A relation's statistics (sorted by name, sg_catalog_finish). */
static void put_statistics(struct writer *w, struct wnode *m, const struct sg_table *t)
{
	struct wnode *sm;

	if (!t->nstatistics)
		return;
	sm = wmap(w, true);
	for (size_t i = 0; i < t->nstatistics; i++)
		wput(w, sm, t->statistics[i]->obj.name, statistics_node(w, t->statistics[i]));
	wput(w, m, "statistics", sm);
}

static struct wnode *rule_node(struct writer *w, const struct sg_rule *r)
{
	struct wnode *m = wmap(w, false);
	const char *where = NULL, **actions = NULL;
	size_t nactions = 0;

	wstr(w, m, "event", r->event == '2' ? "update" : r->event == '4' ? "delete"
		 : r->event == '1' ? "select" : "insert");
	if (r->definition) {
		/* the server's text: the condition and actions cut out of it */
		if (sg_sql_rule_parts(w->a, r->definition, &where, &actions,
				      &nactions) < 0)
			SG_BUG("rule %s: cannot read %s", r->obj.name, r->definition);
	} else {
		where = r->where;
		actions = r->actions;
		nactions = r->nactions;
	}
	wstr(w, m, "where", where);
	if (r->instead)
		wraw(w, m, "instead", "true");
	if (nactions)
		wput(w, m, "actions", wnames(w, actions, nactions));
	if (r->enabled == 'D')
		wstr(w, m, "enabled", "disabled");
	else if (r->enabled == 'R')
		wstr(w, m, "enabled", "replica");
	else if (r->enabled == 'A')
		wstr(w, m, "enabled", "always");
	wstr(w, m, "comment", r->obj.comment);
	return m;
}

/* A relation's rules (sorted by name, sg_catalog_finish). */
static void put_rules(struct writer *w, struct wnode *m, const struct sg_table *t)
{
	struct wnode *rm;

	if (!t->nrules)
		return;
	rm = wmap(w, true);
	for (size_t i = 0; i < t->nrules; i++)
		wput(w, rm, t->rules[i]->obj.name, rule_node(w, t->rules[i]));
	wput(w, m, "rules", rm);
}

/* ---- functions and triggers ---- */

/* pg_get_function_arguments() text, one argument per item. */
static struct wnode *argument_list(struct writer *w, const char *args)
{
	struct wnode *seq = wseq(w);
	const char **items;
	size_t *offsets, n = sg_sql_split_list(w->a, args, &items, &offsets);

	for (size_t i = 0; i < n; i++)
		wpush(w, seq, wnew(w, W_STR, items[i]));
	return seq;
}

static const char *number_text(struct writer *w, double v)
{
	return sg_printf(w->a, "%.9g", v);   /* float4: 9 digits round-trip */
}

static bool c_language(const char *lang)
{
	return lang && (strcmp(lang, "c") == 0 || strcmp(lang, "internal") == 0);
}

static bool returns_set(const struct sg_function *f)
{
	return f->result && (strncmp(f->result, "SETOF ", 6) == 0 ||
			     strncmp(f->result, "TABLE(", 6) == 0);
}

static struct wnode *function_node(struct writer *w, const struct sg_function *f)
{
	struct wnode *m = wmap(w, true);

	if (f->arguments && *f->arguments)
		wput(w, m, "arguments", argument_list(w, f->arguments));
	if (f->prokind != 'p')
		wstr(w, m, "returns", f->result);
	if (f->language && strcmp(f->language, "sql") != 0)
		wstr(w, m, "language", f->language);
	if (f->window)
		wraw(w, m, "window", "true");
	if (f->volatility == 'i')
		wstr(w, m, "volatility", "immutable");
	else if (f->volatility == 's')
		wstr(w, m, "volatility", "stable");
	if (f->strict)
		wraw(w, m, "strict", "true");
	if (f->security_definer)
		wraw(w, m, "security_definer", "true");
	if (f->leakproof)
		wraw(w, m, "leakproof", "true");
	if (f->parallel == 's')
		wstr(w, m, "parallel", "safe");
	else if (f->parallel == 'r')
		wstr(w, m, "parallel", "restricted");
	/* the defaults pg_get_functiondef() leaves out too */
	if (f->prokind != 'p' && f->cost > 0 && f->cost != (c_language(f->language) ? 1 : 100))
		wraw(w, m, "cost", number_text(w, f->cost));
	if (returns_set(f) && f->rows > 0 && f->rows != 1000)
		wraw(w, m, "rows", number_text(w, f->rows));
	if (f->nconfig) {
		struct wnode *set = wmap(w, false);

		for (size_t i = 0; i < f->nconfig; i++) {
			const char *eq = strchr(f->config[i], '=');

			if (!eq)
				continue;
			wstr(w, set, sg_strndup(w->a, f->config[i], (size_t)(eq - f->config[i])),
			     eq + 1);
		}
		wput(w, m, "set", set);
	}
	wstr(w, m, "library", f->library);
	wstr(w, m, "body", f->body ? f->body : "");
	wstr(w, m, "comment", f->obj.comment);
	put_grants(w, m, &f->obj);
	put_owner(w, m, &f->obj);
	return m;
}

static struct wnode *trigger_node(struct writer *w, const struct sg_trigger *g)
{
	struct wnode *m = wmap(w, false), *ev = wseq(w);

	if (g->timing) {
		char *t = sg_strdup(w->a, g->timing);

		for (char *p = t; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		wstr(w, m, "timing", t);
	}
	for (size_t i = 0; i < g->nevents; i++) {
		char *e = sg_strdup(w->a, g->events[i]);

		for (char *p = e; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		wpush(w, ev, wnew(w, W_STR, e));
	}
	wput(w, m, "events", ev);
	if (g->nupdate_columns)
		wput(w, m, "update_of", wnames(w, g->update_columns, g->nupdate_columns));
	if (g->for_each_row)
		wstr(w, m, "for_each", "row");
	wstr(w, m, "when", g->when);
	if (g->function_name) {
		if (!g->function_schema || strcmp(g->function_schema, g->obj.schema) == 0 ||
		    strcmp(g->function_schema, "pg_catalog") == 0) {
			wstr(w, m, "function", g->function_name);
		} else {
			struct wnode *fn = wmap(w, false);

			wstr(w, fn, "schema", g->function_schema);
			wstr(w, fn, "name", g->function_name);
			wput(w, m, "function", fn);
		}
	}
	if (g->narguments)
		wput(w, m, "arguments", wnames(w, g->arguments, g->narguments));
	if (g->constraint)
		wraw(w, m, "constraint", "true");
	if (g->deferrable || g->deferred)
		wraw(w, m, "deferrable", "true");
	if (g->deferred)
		wraw(w, m, "initially_deferred", "true");
	if (g->old_table || g->new_table) {
		struct wnode *r = wmap(w, false);

		wstr(w, r, "old_table", g->old_table);
		wstr(w, r, "new_table", g->new_table);
		wput(w, m, "referencing", r);
	}
	if (g->from_table)
		wput(w, m, "from", qualname(w, g->from_table));
	if (g->enabled == 'D')
		wstr(w, m, "enabled", "disabled");
	else if (g->enabled == 'R')
		wstr(w, m, "enabled", "replica");
	else if (g->enabled == 'A')
		wstr(w, m, "enabled", "always");
	wstr(w, m, "comment", g->obj.comment);
	return m;
}

static int cons_cmp(const void *pa, const void *pb)
{
	return obj_name_cmp(pa, pb);
}

/* A copy of an array to sort, which may be NULL when empty. */
static void *copy_array(struct writer *w, const void *v, size_t n, size_t size)
{
	void *r = sg_alloc_array(w->a, n + 1, size);

	if (n)
		memcpy(r, v, n * size);
	return r;
}

static struct wnode *table_node(struct writer *w, const struct sg_table *t);

/* The partitions of t in its own schema, by name: written under it. */
static struct wnode *partitions_node(struct writer *w, const struct sg_table *t)
{
	struct wnode *m = wmap(w, true);
	size_t n;
	struct sg_object **v = objects_of(w, w->cat, SG_KIND_TABLE, t->obj.schema, &n);

	for (size_t i = 0; i < n; i++) {
		const struct sg_table *p = (const struct sg_table *)v[i];

		if (p->partition_parent == t)
			wput(w, m, p->obj.name, table_node(w, p));
	}
	return m;
}

static struct wnode *replica_node(struct writer *w, const struct sg_table *t)
{
	struct wnode *m;

	switch (t->replica_identity) {
	case 'n':
		return wnew(w, W_STR, "nothing");
	case 'f':
		return wnew(w, W_STR, "full");
	case 'i':
		m = wmap(w, false);
		wstr(w, m, "index", t->replica_index ? t->replica_index : "");
		return m;
	default:
		return NULL;
	}
}

/* Is t written under its parent's `partitions:`? */
static bool nested_partition(const struct sg_table *t)
{
	return t->partition_parent &&
	       strcmp(t->partition_parent->obj.schema, t->obj.schema) == 0;
}

static struct wnode *parent_ref(struct writer *w, const struct sg_table *t,
				const struct sg_table *p, const char *sql)
{
	const char *schema, *name;

	if (p) {
		schema = p->obj.schema;
		name = p->obj.name;
	} else if (sg_sql_split_name(w->a, sql, &schema, &name) != 2) {
		return wnew(w, W_STR, sql);
	}
	if (strchr(name, '.') || strchr(schema, '.')) {
		struct wnode *m = wmap(w, false);

		if (strcmp(schema, t->obj.schema) != 0)
			wstr(w, m, "schema", schema);
		wstr(w, m, "table", name);
		return m;
	}
	if (strcmp(schema, t->obj.schema) == 0)
		return wnew(w, W_STR, name);
	return wnew(w, W_STR, sg_printf(w->a, "%s.%s", schema, name));
}

/*
 * Table t's parents: partition_of (when with_parent: a partition nested
 * under its parent's partitions: leaves it out) with bounds, and inherits.
 */
static void put_parents(struct writer *w, struct wnode *m,
			const struct sg_table *t, bool with_parent)
{
	if (t->partition_of && with_parent)
		wput(w, m, "partition_of", parent_ref(w, t, t->partition_parent,
						      t->partition_of));
	if (t->partition_of)
		wstr(w, m, "bounds", t->partition_bound ? t->partition_bound
							: "DEFAULT");
	if (t->ninherits) {
		struct wnode *seq = wseq(w);

		for (size_t i = 0; i < t->ninherits; i++)
			wpush(w, seq, parent_ref(w, t, t->inherits_tables
						 ? t->inherits_tables[i] : NULL,
						 t->inherits[i]));
		wput(w, m, "inherits", seq);
	}
}

static struct wnode *table_node(struct writer *w, const struct sg_table *t)
{
	struct wnode *m = wmap(w, true), *cols = wmap(w, true);
	bool child = t->partition_of || t->ninherits;
	struct sg_column **cv = copy_array(w, t->columns, t->ncolumns,
					   sizeof(*cv));
	struct sg_constraint **kv = copy_array(w, t->constraints,
					       t->nconstraints, sizeof(*kv));
	struct sg_index **iv = copy_array(w, t->indexes, t->nindexes,
					  sizeof(*iv));
	struct wnode *uniq = wseq(w), *fks = wseq(w), *checks = wseq(w),
		     *idx = wseq(w), *excl = wseq(w);

	/* one constraint or index per line reads (and diffs) better */
	uniq->block = fks->block = checks->block = idx->block = excl->block = true;

	wstr(w, m, "comment", t->obj.comment);
	put_parents(w, m, t, !nested_partition(t));
	if (t->unlogged)
		wraw(w, m, "unlogged", "true");
	wstr(w, m, "partition_by", t->partition_key);
	if (t->ncolumns > 1)
		qsort(cv, t->ncolumns, sizeof(*cv), col_cmp);
	for (size_t i = 0; i < t->ncolumns; i++) {
		struct wnode *c = column_node(w, cv[i]);

		if (c)
			wput(w, cols, cv[i]->obj.name, c);
	}
	if (!child || cols->kids.n)
		wput(w, m, "columns", cols);

	if (t->nconstraints > 1)
		qsort(kv, t->nconstraints, sizeof(*kv), cons_cmp);
	for (size_t i = 0; i < t->nconstraints; i++) {
		const struct sg_constraint *k = kv[i];

		if (clone_left_out(&k->obj))
			continue;
		switch (k->type) {
		case 'p':
			/* the short form, when the name is the one PostgreSQL
			 * gives and nothing else needs saying */
			if (strcmp(k->obj.name, sg_pg_object_name(w->a, t->obj.name,
							       NULL, "pkey")) == 0 &&
			    !k->ninclude && !k->deferrable && !k->deferred &&
			    !k->obj.comment && !k->only &&
			    (k->inherited || !k->attached_to)) {
				wput(w, m, "primary_key",
				     wnames(w, k->columns, k->ncolumns));
			} else {
				wput(w, m, "primary_key", constraint_node(w, k));
			}
			break;
		case 'u':
			wpush(w, uniq, constraint_node(w, k));
			break;
		case 'f':
			wpush(w, fks, constraint_node(w, k));
			break;
		case 'c':
			wpush(w, checks, constraint_node(w, k));
			break;
		case 'x':
			wpush(w, excl, constraint_node(w, k));
			break;
		default:
			break;
		}
	}
	if (uniq->kids.n)
		wput(w, m, "unique", uniq);
	if (fks->kids.n)
		wput(w, m, "foreign_keys", fks);
	if (checks->kids.n)
		wput(w, m, "checks", checks);
	if (t->nindexes > 1)
		qsort(iv, t->nindexes, sizeof(*iv), obj_name_cmp);
	for (size_t i = 0; i < t->nindexes; i++)
		if (!clone_left_out(&iv[i]->obj))
			wpush(w, idx, index_node(w, iv[i]));
	if (idx->kids.n)
		wput(w, m, "indexes", idx);
	if (excl->kids.n)
		wput(w, m, "exclusions", excl);
	if (t->ntriggers) {
		struct wnode *tg = wmap(w, true);

		/* triggers are sorted by name (sg_catalog_finish) */
		for (size_t i = 0; i < t->ntriggers; i++)
			wput(w, tg, t->triggers[i]->obj.name, trigger_node(w, t->triggers[i]));
		wput(w, m, "triggers", tg);
	}
	if (t->nreloptions)
		wput(w, m, "storage", storage_node(w, t->reloptions, t->nreloptions));
	if (replica_node(w, t))
		wput(w, m, "replica_identity", replica_node(w, t));
	put_rls(w, m, t);
	if (t->npolicies) {
		struct wnode *pm = wmap(w, true);
		struct sg_policy **pv = copy_array(w, t->policies, t->npolicies,
						   sizeof(*pv));

		if (t->npolicies > 1)
			qsort(pv, t->npolicies, sizeof(*pv), obj_name_cmp);
		for (size_t i = 0; i < t->npolicies; i++)
			wput(w, pm, pv[i]->obj.name, policy_node(w, pv[i]));
		wput(w, m, "policies", pm);
	}
	put_grants(w, m, &t->obj);
	put_owner(w, m, &t->obj);
	put_statistics(w, m, t);
	put_rules(w, m, t);
	if (t->partition_key) {
		struct wnode *parts = partitions_node(w, t);

		if (parts->kids.n)
			wput(w, m, "partitions", parts);
	}
	return m;
}

/* The value of a "name=value" option. */
static const char *option_value(const char *opt)
{
	const char *eq = strchr(opt, '=');

	return eq ? eq + 1 : "";
}

static bool is_bool_word(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "false") == 0;
}

/* A value YAML reads back as the same text when written plain: 70, 0.2. */
static bool is_number_word(const char *s)
{
	const char *p = s + (*s == '-');
	size_t n = strspn(p, "0123456789");

	if (n == 0 || (n > 1 && *p == '0'))
		return false;
	p += n;
	if (*p == '.') {
		n = strspn(p + 1, "0123456789");
		if (n == 0)
			return false;
		p += n + 1;
	}
	return *p == '\0';
}

/*
 * A view: its query (a literal block when it has several lines, as the
 * server's text has), the options a view has keys for when their value is
 * spelled as those keys write it, every other option under `options`,
 * comments, a materialized view's indexes, a view's (INSTEAD OF) triggers.
 */
static struct wnode *view_node(struct writer *w, const struct sg_view *v)
{
	struct wnode *m = wmap(w, true), *opts = wmap(w, false),
		     *cols = wmap(w, true), *idx = wseq(w);
	bool mat = v->relkind == 'm';
	struct sg_index **iv = copy_array(w, v->rel.indexes, v->rel.nindexes,
					  sizeof(*iv));

	wstr(w, m, "query", v->definition ? v->definition : "");
	for (size_t i = 0; i < v->nreloptions; i++) {
		const char *o = v->reloptions[i], *val = option_value(o);
		const char *eq = strchr(o, '=');
		const char *name = eq ? sg_strndup(w->a, o, (size_t)(eq - o)) : o;

		if (!mat && strcmp(name, "check_option") == 0 &&
		    (strcmp(val, "local") == 0 || strcmp(val, "cascaded") == 0))
			wstr(w, m, name, val);
		else if (!mat && (strcmp(name, "security_barrier") == 0 ||
				  strcmp(name, "security_invoker") == 0) &&
			 is_bool_word(val))
			wraw(w, m, name, val);
		else if (is_bool_word(val) || is_number_word(val))
			wraw(w, opts, name, val);
		else
			wstr(w, opts, name, val);
	}
	if (opts->kids.n)
		wput(w, m, "options", opts);
	if (mat && !v->with_data)
		wraw(w, m, "with_data", "false");
	wstr(w, m, "comment", v->rel.obj.comment);
	for (size_t i = 0; i < v->rel.ncolumns; i++) {
		const struct sg_column *c = v->rel.columns[i];
		struct wnode *cm = wmap(w, false);

		wstr(w, cm, "comment", c->obj.comment);
		put_grants(w, cm, &c->obj);
		if (cm->kids.n)
			wput(w, cols, c->obj.name, cm);
	}
	if (cols->kids.n)
		wput(w, m, "columns", cols);
	idx->block = true;
	if (v->rel.nindexes > 1)
		qsort(iv, v->rel.nindexes, sizeof(*iv), obj_name_cmp);
	for (size_t i = 0; i < v->rel.nindexes; i++)
		wpush(w, idx, index_node(w, iv[i]));
	if (idx->kids.n)
		wput(w, m, "indexes", idx);
	if (v->rel.ntriggers) {
		struct wnode *tg = wmap(w, true);

		/* triggers are sorted by name (sg_catalog_finish) */
		for (size_t i = 0; i < v->rel.ntriggers; i++)
			wput(w, tg, v->rel.triggers[i]->obj.name,
			     trigger_node(w, v->rel.triggers[i]));
		wput(w, m, "triggers", tg);
	}
	put_grants(w, m, &v->rel.obj);
	put_owner(w, m, &v->rel.obj);
	put_statistics(w, m, &v->rel);
	put_rules(w, m, &v->rel);
	return m;
}

/* A section (enums:, sequences:, tables:) with one entry per object. */
static void section(struct writer *w, struct sbuf *out, const char *key,
		    struct sg_object **objs, size_t n,
		    struct wnode *(*fn)(struct writer *, const struct sg_object *),
		    bool spaced)
{
	if (n == 0)
		return;
	sbuf_addf(out, "\n%s:\n", key);
	for (size_t i = 0; i < n; i++) {
		struct wnode *v = fn(w, objs[i]);

		if (spaced && i > 0)
			sbuf_addch(out, '\n');
		sbuf_adds(out, "  ");
		scalar(out, objs[i]->name, false, -1);
		sbuf_addch(out, ':');
		block_value(out, v, 2);
	}
}

static struct wnode *extension_fn(struct writer *w, const struct sg_object *o)
{
	return extension_node(w, (const struct sg_extension *)o);
}

static struct wnode *collation_fn(struct writer *w, const struct sg_object *o)
{
	return collation_node(w, (const struct sg_collation *)o);
}

static struct wnode *domain_fn(struct writer *w, const struct sg_object *o)
{
	return domain_node(w, (const struct sg_domain *)o);
}

static struct wnode *composite_fn(struct writer *w, const struct sg_object *o)
{
	return composite_node(w, (const struct sg_composite *)o);
}

static struct wnode *enum_fn(struct writer *w, const struct sg_object *o)
{
	return enum_node(w, (const struct sg_enum *)o);
}

static struct wnode *sequence_fn(struct writer *w, const struct sg_object *o)
{
	return sequence_node(w, (const struct sg_sequence *)o);
}

static struct wnode *language_fn(struct writer *w, const struct sg_object *o)
{
	return language_node(w, (const struct sg_language *)o);
}

static struct wnode *table_fn(struct writer *w, const struct sg_object *o)
{
	return table_node(w, (const struct sg_table *)o);
}

static struct wnode *view_fn(struct writer *w, const struct sg_object *o)
{
	return view_node(w, (const struct sg_view *)o);
}

static void put_opts(struct writer *w, struct wnode *m, const struct sg_opt_info *info,
		     const char *const *opts, int n);

static struct wnode *ts_parser_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_ts_parser *p = (const struct sg_ts_parser *)o;
	struct wnode *m = wmap(w, false);
	int n;
	const struct sg_opt_info *info = sg_ts_parser_opts(o->kind, &n);

	put_opts(w, m, info, p->opts, n);
	wstr(w, m, "comment", o->comment);
	return m;
}

static struct wnode *ts_dict_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_ts_dict *d = (const struct sg_ts_dict *)o;
	struct wnode *m = wmap(w, false);

	wput(w, m, "template", qualname(w, d->template_name));
	if (d->noptions) {
		struct wnode *om = wmap(w, false);

		for (size_t i = 0; i < d->noptions; i++) {
			const char *eq = strchr(d->options[i], '=');

			wstr(w, om, sg_strndup(w->a, d->options[i], (size_t)(eq - d->options[i])),
			     eq + 1);
		}
		wput(w, m, "options", om);
	}
	wstr(w, m, "comment", o->comment);
	put_owner(w, m, o);
	return m;
}

static struct wnode *ts_config_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_ts_config *c = (const struct sg_ts_config *)o;
	struct wnode *m = wmap(w, true);

	if (strcmp(c->parser, "\"default\"") != 0)
		wput(w, m, "parser", qualname(w, c->parser));
	if (c->nmaps) {
		struct wnode *mm = wmap(w, true);

		for (size_t i = 0; i < c->nmaps; i++) {
			struct wnode *dl = wseq(w);

			for (size_t j = 0; j < c->maps[i].ndicts; j++) {
				const char *sch, *name;

				/* the configuration's schema's own: by name alone */
				if (sg_sql_split_name(w->a, c->maps[i].dicts[j], &sch, &name) == 2 &&
				    strcmp(sch, o->schema) == 0)
					wpush(w, dl, wnew(w, W_STR, name));
				else
					wpush(w, dl, qualname(w, c->maps[i].dicts[j]));
			}
			wput(w, mm, c->maps[i].token, dl);
		}
		wput(w, m, "mappings", mm);
	}
	wstr(w, m, "comment", o->comment);
	put_owner(w, m, o);
	return m;
}

/* ---- database-wide kinds (issue 10): event triggers, casts ---- */

static struct wnode *event_trigger_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_event_trigger *e = (const struct sg_event_trigger *)o;
	struct wnode *m = wmap(w, false);

	wstr(w, m, "event", e->event);
	if (e->ntags)
		wput(w, m, "tags", wnames(w, e->tags, e->ntags));
	if (e->function_schema) {
		struct wnode *fn = wmap(w, false);

		wstr(w, fn, "schema", e->function_schema);
		wstr(w, fn, "name", e->function_name);
		wput(w, m, "function", fn);
	} else {
		wstr(w, m, "function", e->function_name);
	}
	if (e->enabled == 'D')
		wstr(w, m, "enabled", "disabled");
	else if (e->enabled == 'R')
		wstr(w, m, "enabled", "replica");
	else if (e->enabled == 'A')
		wstr(w, m, "enabled", "always");
	wstr(w, m, "comment", e->obj.comment);
	put_owner(w, m, &e->obj);
	return m;
}

static struct wnode *publication_fn(struct writer *w, const struct sg_object *o)
{
	static const char *const ops[] = { "insert", "update", "delete", "truncate" };
	const struct sg_publication *p = (const struct sg_publication *)o;
	struct wnode *m = wmap(w, false);

	if (p->all_tables)
		wraw(w, m, "all_tables", "true");
	if (p->ntables) {
		struct wnode *seq = wseq(w);

		seq->block = true;
		for (size_t i = 0; i < p->ntables; i++) {
			const struct sg_pub_table *t = &p->tables[i];
			struct wnode *tm = wmap(w, false);

			wstr(w, tm, "schema", t->schema);
			wstr(w, tm, "table", t->name);
			if (t->columns)
				wput(w, tm, "columns", wnames(w, t->columns, t->ncolumns));
			wstr(w, tm, "where", t->where);
			wpush(w, seq, tm);
		}
		wput(w, m, "tables", seq);
	}
	if (p->nschemas)
		wput(w, m, "schemas", wnames(w, p->schemas, p->nschemas));
	if (!p->publish || strcmp(p->publish, "iudt") != 0) {
		struct wnode *seq = wseq(w);

		for (int k = 0; k < 4; k++)
			if (p->publish && strchr(p->publish, "iudt"[k]))
				wpush(w, seq, wnew(w, W_STR, ops[k]));
		wput(w, m, "publish", seq);
	}
	if (p->via_root)
		wraw(w, m, "via_partition_root", "true");
	wstr(w, m, "comment", p->obj.comment);
	put_owner(w, m, &p->obj);
	return m;
}

/* `casts:` is a list (a cast has no name of its own). */
void write_casts(struct writer *w, struct sbuf *out, const struct sg_catalog *cat,
		 const char *schema)
{
	size_t n;
	struct sg_object **v = objects_of(w, cat, SG_KIND_CAST, schema, &n);
	struct wnode *seq = wseq(w);

	if (n == 0)
		return;
	seq->block = true;
	for (size_t i = 0; i < n; i++) {
		const struct sg_cast *c = (const struct sg_cast *)v[i];
		struct wnode *m = wmap(w, false);

		wstr(w, m, "source", c->source);
		wstr(w, m, "target", c->target);
		if (c->method == 'f')
			wstr(w, m, "function", c->function);
		else
			wraw(w, m, c->method == 'i' ? "inout" : "without_function",
			     "true");
		if (c->context == 'a')
			wstr(w, m, "context", "assignment");
		else if (c->context == 'i')
			wstr(w, m, "context", "implicit");
		wstr(w, m, "comment", c->obj.comment);
		wpush(w, seq, m);
	}
	sbuf_adds(out, "\n");
	sbuf_adds(out, yaml_kinds[SG_KIND_CAST].keys[0]);
	sbuf_addch(out, ':');
	block_value(out, seq, 0);
}

/* The writer of the one section of a kind (its key in yaml_kinds[]). */
#define SECTION_WRITER(fn, kind, node, spaced)                        \
	void fn(struct writer *w, struct sbuf *out,                        \
		const struct sg_catalog *cat, const char *schema)          \
	{                                                                  \
		size_t n;                                                  \
		struct sg_object **v = objects_of(w, cat, kind, schema, &n); \
									   \
		section(w, out, yaml_kinds[kind].keys[0], v, n, node, spaced); \
	}

SECTION_WRITER(write_extensions, SG_KIND_EXTENSION, extension_fn, false)
SECTION_WRITER(write_collations, SG_KIND_COLLATION, collation_fn, false)
SECTION_WRITER(write_enums, SG_KIND_ENUM, enum_fn, false)
SECTION_WRITER(write_domains, SG_KIND_DOMAIN, domain_fn, false)
SECTION_WRITER(write_composites, SG_KIND_COMPOSITE, composite_fn, true)
SECTION_WRITER(write_sequences, SG_KIND_SEQUENCE, sequence_fn, false)
SECTION_WRITER(write_languages, SG_KIND_LANGUAGE, language_fn, false)
SECTION_WRITER(write_ts_parsers, SG_KIND_TS_PARSER, ts_parser_fn, false)
SECTION_WRITER(write_ts_templates, SG_KIND_TS_TEMPLATE, ts_parser_fn, false)
SECTION_WRITER(write_ts_dicts, SG_KIND_TS_DICTIONARY, ts_dict_fn, false)
SECTION_WRITER(write_ts_configs, SG_KIND_TS_CONFIG, ts_config_fn, true)
SECTION_WRITER(write_event_triggers, SG_KIND_EVENT_TRIGGER, event_trigger_fn, false)
SECTION_WRITER(write_publications, SG_KIND_PUBLICATION, publication_fn, false)

void write_tables(struct writer *w, struct sbuf *out,
		  const struct sg_catalog *cat, const char *schema)
{
	size_t n, k = 0;
	struct sg_object **v = objects_of(w, cat, SG_KIND_TABLE, schema, &n);

	/* partitions in their parent's schema are written under it */
	for (size_t i = 0; i < n; i++)
		if (!nested_partition((const struct sg_table *)v[i]))
			v[k++] = v[i];
	section(w, out, yaml_kinds[SG_KIND_TABLE].keys[0], v, k, table_fn, true);
}

/* The views of one relkind in a schema. */
static struct sg_object **views_of(struct writer *w, const struct sg_catalog *cat,
				   const char *schema, char relkind, size_t *n)
{
	struct sg_object **v = objects_of(w, cat, SG_KIND_VIEW, schema, n);
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (((const struct sg_view *)v[i])->relkind == relkind)
			v[k++] = v[i];
	*n = k;
	return v;
}

static int proname_cmp(const void *pa, const void *pb)
{
	const struct sg_function *a = *(const struct sg_function *const *)pa;
	const struct sg_function *b = *(const struct sg_function *const *)pb;
	int c = strcmp(a->proname, b->proname);

	return c ? c : strcmp(a->obj.name, b->obj.name);
}

/*
 * functions: or procedures: one entry per name, a mapping, or a list of
 * mappings when the name is overloaded (in identity order).
 */
static void function_section(struct writer *w, struct sbuf *out,
			     const struct sg_catalog *cat, const char *schema,
			     bool procedures)
{
	struct sg_function **v = sg_alloc_array(w->a, cat->nobjs + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_function *f = (struct sg_function *)cat->objs[i];

		if (f->obj.kind == SG_KIND_FUNCTION && strcmp(f->obj.schema, schema) == 0 &&
		    (f->prokind == 'p') == procedures)
			v[n++] = f;
	}
	if (n == 0)
		return;
	if (n > 1)
		qsort(v, n, sizeof(*v), proname_cmp);
	sbuf_addf(out, "\n%s:\n", procedures ? "procedures" : "functions");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		struct wnode *val;

		while (j < n && strcmp(v[j]->proname, v[i]->proname) == 0)
			j++;
		if (j - i == 1) {
			val = function_node(w, v[i]);
		} else {
			val = wseq(w);
			for (size_t k = i; k < j; k++)
				wpush(w, val, function_node(w, v[k]));
		}
		if (i > 0)
			sbuf_addch(out, '\n');
		sbuf_adds(out, "  ");
		scalar(out, v[i]->proname, false, -1);
		sbuf_addch(out, ':');
		block_value(out, val, 2);
		i = j;
	}
}

void write_functions(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema)
{
	function_section(w, out, cat, schema, false);
}

void write_procedures(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema)
{
	function_section(w, out, cat, schema, true);
}

/* ---- aggregates and operators ---- */

/* The options given (sg_agg_opts[] / sg_opr_opts[]), by key. */
static void put_opts(struct writer *w, struct wnode *m, const struct sg_opt_info *info,
		     const char *const *opts, int n)
{
	for (int i = 0; i < n; i++) {
		if (!opts[i])
			continue;
		if (info[i].type == 'b' || info[i].type == 'n')
			wraw(w, m, info[i].key, info[i].type == 'b' ? "true" : opts[i]);
		else
			wstr(w, m, info[i].key, opts[i]);
	}
}

static struct wnode *aggregate_node(struct writer *w, const struct sg_object *o)
{
	const struct sg_aggregate *g = (const struct sg_aggregate *)o;
	struct wnode *m = wmap(w, true);

	if (g->arguments && *g->arguments)
		wput(w, m, "arguments", argument_list(w, g->arguments));
	if (g->order_by && *g->order_by)
		wput(w, m, "order_by", argument_list(w, g->order_by));
	if (g->aggkind == 'h')
		wraw(w, m, "hypothetical", "true");
	put_opts(w, m, sg_agg_opts, g->opts, SG_AGG__COUNT);
	wstr(w, m, "comment", o->comment);
	put_grants(w, m, o);
	put_owner(w, m, o);
	return m;
}

static struct wnode *operator_node(struct writer *w, const struct sg_object *o)
{
	const struct sg_operator *p = (const struct sg_operator *)o;
	struct wnode *m = wmap(w, true);

	wstr(w, m, "left", p->left);
	wstr(w, m, "right", p->right);
	put_opts(w, m, sg_opr_opts, p->opts, SG_OPR__COUNT);
	if (p->hashes)
		wraw(w, m, "hashes", "true");
	if (p->merges)
		wraw(w, m, "merges", "true");
	wstr(w, m, "comment", o->comment);
	put_owner(w, m, o);
	return m;
}

static const char *aggregate_name(const struct sg_object *o)
{
	return ((const struct sg_aggregate *)o)->aggname;
}

static const char *operator_name(const struct sg_object *o)
{
	return ((const struct sg_operator *)o)->oprname;
}

/*
 * One entry per name: a mapping, or a list of them for overloads.  The
 * overloads of a name are next to each other in identity order (their
 * identities are the ones starting "name(").
 */
static void grouped_section(struct writer *w, struct sbuf *out,
			    const struct sg_catalog *cat, const char *schema,
			    enum sg_kind kind, const char *(*name)(const struct sg_object *),
			    struct wnode *(*node)(struct writer *, const struct sg_object *))
{
	size_t n;
	struct sg_object **v = objects_of(w, cat, kind, schema, &n);

	if (n == 0)
		return;
	sbuf_addf(out, "\n%s:\n", yaml_kinds[kind].keys[0]);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		struct wnode *val;

		while (j < n && strcmp(name(v[j]), name(v[i])) == 0)
			j++;
		if (j - i == 1) {
			val = node(w, v[i]);
		} else {
			val = wseq(w);
			for (size_t k = i; k < j; k++)
				wpush(w, val, node(w, v[k]));
		}
		if (i > 0)
			sbuf_addch(out, '\n');
		sbuf_adds(out, "  ");
		scalar(out, name(v[i]), false, -1);
		sbuf_addch(out, ':');
		block_value(out, val, 2);
		i = j;
	}
}

void write_aggregates(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema)
{
	grouped_section(w, out, cat, schema, SG_KIND_AGGREGATE, aggregate_name,
			aggregate_node);
}

void write_operators(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema)
{
	grouped_section(w, out, cat, schema, SG_KIND_OPERATOR, operator_name,
			operator_node);
}

/* ---- operator families and classes ---- */

static struct wnode *opfamily_node(struct writer *w, const struct sg_object *o)
{
	const struct sg_opfamily *f = (const struct sg_opfamily *)o;
	struct wnode *m = wmap(w, false);

	struct wnode *ops = NULL, *fns = NULL;

	wstr(w, m, "using", f->method);
	for (size_t i = 0; i < f->nmembers; i++) {
		const struct sg_opfamily_member *x = &f->members[i];
		struct wnode *e = wmap(w, false), *types = wseq(w);

		wint(w, e, "number", x->number);
		wpush(w, types, wnew(w, W_STR, x->left));
		wpush(w, types, wnew(w, W_STR, x->right));
		wput(w, e, "types", types);
		wstr(w, e, x->kind == 'o' ? "operator" : "function", x->text);
		if (x->sortfamily)
			wput(w, e, "for_order_by", qualname(w, x->sortfamily));
		if (x->kind == 'o')
			wpush(w, ops ? ops : (ops = wseq(w)), e);
		else
			wpush(w, fns ? fns : (fns = wseq(w)), e);
	}
	if (ops)
		wput(w, m, "operators", ops);
	if (fns)
		wput(w, m, "functions", fns);
	wstr(w, m, "comment", o->comment);
	put_owner(w, m, o);
	return m;
}

static struct wnode *members_node(struct writer *w, const struct sg_opclass *c, char kind)
{
	struct wnode *m = NULL;

	for (size_t i = 0; i < c->nmembers;) {
		size_t j = i + 1;

		if (c->members[i].kind != kind) {
			i++;
			continue;
		}
		if (!m)
			m = wmap(w, true);
		while (j < c->nmembers && c->members[j].kind == kind &&
		       c->members[j].number == c->members[i].number)
			j++;
		if (j - i == 1) {
			wstr(w, m, sg_printf(w->a, "%d", c->members[i].number),
			     c->members[i].text);
		} else {
			/* several of one number (cross-type): a list */
			struct wnode *l = wseq(w);

			for (size_t k = i; k < j; k++)
				wpush(w, l, wnew(w, W_STR, c->members[k].text));
			wput(w, m, sg_printf(w->a, "%d", c->members[i].number), l);
		}
		i = j;
	}
	return m;
}

static struct wnode *opclass_node(struct writer *w, const struct sg_object *o)
{
	const struct sg_opclass *c = (const struct sg_opclass *)o;
	struct wnode *m = wmap(w, true), *v;

	wstr(w, m, "using", c->method);
	wstr(w, m, "for_type", c->for_type);
	if (c->is_default)
		wraw(w, m, "default", "true");
	if (c->family)
		wput(w, m, "family", qualname(w, c->family));
	if ((v = members_node(w, c, 'o')))
		wput(w, m, "operators", v);
	if ((v = members_node(w, c, 'f')))
		wput(w, m, "functions", v);
	wstr(w, m, "storage", c->storage);
	wstr(w, m, "comment", o->comment);
	put_owner(w, m, o);
	return m;
}

static const char *using_name(const struct sg_object *o)
{
	return o->kind == SG_KIND_OPCLASS ? ((const struct sg_opclass *)o)->opcname
					  : ((const struct sg_opfamily *)o)->famname;
}

/* One entry per name: a mapping, or a list of them for several methods
 * (identities "name USING method" of a name are next to each other). */
static void using_section(struct writer *w, struct sbuf *out,
			  const struct sg_catalog *cat, const char *schema,
			  enum sg_kind kind,
			  struct wnode *(*node)(struct writer *, const struct sg_object *))
{
	size_t n;
	struct sg_object **v = objects_of(w, cat, kind, schema, &n);

	if (n == 0)
		return;
	sbuf_addf(out, "\n%s:\n", yaml_kinds[kind].keys[0]);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		struct wnode *val;

		while (j < n && strcmp(using_name(v[j]), using_name(v[i])) == 0)
			j++;
		if (j - i == 1) {
			val = node(w, v[i]);
		} else {
			val = wseq(w);
			for (size_t k = i; k < j; k++)
				wpush(w, val, node(w, v[k]));
		}
		if (i > 0 && kind == SG_KIND_OPCLASS)
			sbuf_addch(out, '\n');
		sbuf_adds(out, "  ");
		scalar(out, using_name(v[i]), false, -1);
		sbuf_addch(out, ':');
		block_value(out, val, 2);
		i = j;
	}
}

void write_opfamilies(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema)
{
	using_section(w, out, cat, schema, SG_KIND_OPFAMILY, opfamily_node);
}

void write_opclasses(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema)
{
	using_section(w, out, cat, schema, SG_KIND_OPCLASS, opclass_node);
}

void write_views(struct writer *w, struct sbuf *out,
		 const struct sg_catalog *cat, const char *schema)
{
	size_t n;
	struct sg_object **v = views_of(w, cat, schema, 'v', &n);

	section(w, out, yaml_kinds[SG_KIND_VIEW].keys[0], v, n, view_fn, true);
}

void write_matviews(struct writer *w, struct sbuf *out,
		    const struct sg_catalog *cat, const char *schema)
{
	size_t n;
	struct sg_object **v = views_of(w, cat, schema, 'm', &n);

	section(w, out, yaml_kinds[SG_KIND_VIEW].keys[1], v, n, view_fn, true);
}

static const struct sg_object *schema_object(const struct sg_catalog *cat,
					     const char *schema)
{
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i]->kind == SG_KIND_SCHEMA &&
		    strcmp(cat->objs[i]->name, schema) == 0)
			return cat->objs[i];
	return NULL;
}

void yaml_format_schema(struct sbuf *out, const struct sg_catalog *cat,
			const char *schema)
{
	struct writer w = { .a = sg_arena_new(), .server_version = cat->server_version,
			   .cat = cat };
	const struct sg_object *sch = schema_object(cat, schema);
	struct wnode *g;

	sbuf_adds(out, "schema: ");
	scalar(out, schema, false, -1);
	sbuf_addch(out, '\n');
	if (sch && schema_comment(sch)) {
		sbuf_adds(out, "comment:");
		block_value(out, wnew(&w, W_STR, schema_comment(sch)), 0);
	}
	if (sch && (g = schema_grants(&w, sch))) {
		sbuf_adds(out, "grants:");
		block_value(out, g, 0);
	}
	if (sch && sch->owner) {
		sbuf_adds(out, "owner: ");
		scalar(out, sch->owner, false, -1);
		sbuf_addch(out, '\n');
	}
	if (sch && (g = schema_defacls(&w, (const struct sg_schema *)sch))) {
		sbuf_adds(out, "default_privileges:");
		block_value(out, g, 0);
	}
	for (int k = 0; k < SG_KIND__COUNT; k++)
		for (size_t i = 0; i < YAML_KIND_SECTIONS; i++)
			if (yaml_kinds[k].write[i])
				yaml_kinds[k].write[i](&w, out, cat, schema);
	sg_arena_free(w.a);
}

/* The sections of the database-wide kinds (sg_kind_info[].global). */
static void format_database(struct sbuf *out, const struct sg_catalog *cat)
{
	struct writer w = { .a = sg_arena_new(), .server_version = cat->server_version,
			   .cat = cat };

	for (int k = 0; k < SG_KIND__COUNT; k++)
		for (size_t i = 0; i < YAML_KIND_SECTIONS; i++)
			if (sg_kind_info[k].global && yaml_kinds[k].write[i])
				yaml_kinds[k].write[i](&w, out, cat, SG_GLOBAL_SCHEMA);
	sg_arena_free(w.a);
}

/* ---- files ---- */

/*
 * The file name for a schema: the name itself, with `/`, `%`, control
 * characters and a leading dot (which the loader would skip as hidden)
 * written as %XX.  The file's `schema:` key is what counts when loading.
 */
static char *schema_file(const char *dir, const char *schema)
{
	struct sbuf sb = SBUF_INIT;
	char *path;

	for (const unsigned char *p = (const unsigned char *)schema; *p; p++) {
		if (*p == '/' || *p == '%' || *p < 0x20 || *p == 0x7F ||
		    (*p == '.' && p == (const unsigned char *)schema))
			sbuf_addf(&sb, "%%%02X", *p);
		else
			sbuf_addch(&sb, (char)*p);
	}
	sbuf_adds(&sb, ".yaml");
	path = sg_path_join(dir, sb.buf);
	sbuf_release(&sb);
	return path;
}

/* The file of the database-wide objects (a schema "database" shares it). */
#define DATABASE_FILE "database"

static bool has_objects(const struct sg_catalog *cat, const char *schema)
{
	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];

		if (o->kind != SG_KIND_SCHEMA && !o->parent &&
		    strcmp(o->schema, schema) == 0)
			return true;
	}
	return false;
}

/* Does the schema public have grants other than a fresh database's? */
static bool public_grants(const struct sg_catalog *cat, const struct sg_object *sch)
{
	struct writer w = { .a = sg_arena_new(), .server_version = cat->server_version };
	bool r = schema_grants(&w, sch) != NULL;

	sg_arena_free(w.a);
	return r;
}

int yaml_write_models(const struct sg_catalog *cat, const char *dir, bool force)
{
	struct sg_arena *a = sg_arena_new();
	SG_VEC(const struct sg_object *) schemas = { 0 };
	SG_VEC(char *) paths = { 0 };
	bool globals = has_objects(cat, SG_GLOBAL_SCHEMA), shared = false;
	char *dbfile = NULL;
	int ret = 0;

	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];

		/* public only when there is something to say about it */
		if (o->kind != SG_KIND_SCHEMA)
			continue;
		if (strcmp(o->name, "public") == 0 && !schema_comment(o) &&
		    !has_objects(cat, o->name) && !public_grants(cat, o) &&
		    !((const struct sg_schema *)o)->ndefacls)
			continue;
		SG_VEC_PUSH(a, &schemas, o);
	}
	if (schemas.n > 1)
		qsort(schemas.v, schemas.n, sizeof(*schemas.v), obj_name_cmp);
	for (size_t i = 0; i < schemas.n; i++) {
		char *p = schema_file(dir, schemas.v[i]->name);
		struct stat st;

		SG_VEC_PUSH(a, &paths, sg_strdup(a, p));
		free(p);
		if (!force && stat(paths.v[i], &st) == 0) {
			ret = sg_error("%s already exists; not overwriting model files",
				       paths.v[i]);
		}
		shared = shared || strcmp(schemas.v[i]->name, DATABASE_FILE) == 0;
	}
	if (globals && !shared) {
		struct stat st;
		char *p = schema_file(dir, DATABASE_FILE);

		dbfile = sg_strdup(a, p);
		free(p);
		if (!force && stat(dbfile, &st) == 0)
			ret = sg_error("%s already exists; not overwriting model files",
				       dbfile);
	}
	if (ret == 0 && (schemas.n > 0 || dbfile) && sg_mkdir_p(dir, 0777) < 0)
		ret = sg_error("cannot create directory %s: %s", dir, strerror(errno));
	for (size_t i = 0; ret == 0 && i < schemas.n; i++) {
		struct sbuf sb = SBUF_INIT;

		/* editors check and complete the keys (share/schema/) */
		sbuf_adds(&sb, "# yaml-language-server: $schema=" SG_SCHEMA_DIR
			  "/model.schema.json\n");
		yaml_format_schema(&sb, cat, schemas.v[i]->name);
		if (globals && strcmp(schemas.v[i]->name, DATABASE_FILE) == 0)
			format_database(&sb, cat);
		if (sg_write_file_atomic(paths.v[i], sb.buf, sb.len, !force) < 0)
			ret = sg_error("cannot write %s: %s", paths.v[i],
				       strerror(errno));
		else
			sg_verbose("wrote %s", paths.v[i]);
		sbuf_release(&sb);
	}
	if (ret == 0 && dbfile) {
		struct sbuf sb = SBUF_INIT;

		/* no `schema:`: these objects are in none */
		sbuf_adds(&sb, "# yaml-language-server: $schema=" SG_SCHEMA_DIR
			  "/model.schema.json\n# database-wide objects\n");
		format_database(&sb, cat);
		if (sg_write_file_atomic(dbfile, sb.buf, sb.len, !force) < 0)
			ret = sg_error("cannot write %s: %s", dbfile, strerror(errno));
		else
			sg_verbose("wrote %s", dbfile);
		sbuf_release(&sb);
	}
	sg_arena_free(a);
	return ret;
}

/* ---- foreign data wrappers, servers, user mappings ---- */

/* options: {key: value}; a secret as {env: NAME}, never its value */
static void put_options(struct writer *w, struct wnode *m,
			const struct sg_object *obj,
			const struct sg_fdw_option *opts, size_t n)
{
	struct wnode *om;

	if (!n)
		return;
	om = wmap(w, false);
	for (size_t i = 0; i < n; i++) {
		if (opts[i].secret) {
			struct wnode *e = wmap(w, false);

			wstr(w, e, "env", sg_option_env(w->a, obj, &opts[i]));
			wput(w, om, opts[i].key, e);
		} else {
			wstr(w, om, opts[i].key, opts[i].value);
		}
	}
	wput(w, m, "options", om);
}

static struct wnode *fdw_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_fdw *f = (const struct sg_fdw *)o;
	struct wnode *m = wmap(w, false);

	if (f->handler)
		wput(w, m, "handler", qualname(w, f->handler));
	if (f->validator)
		wput(w, m, "validator", qualname(w, f->validator));
	put_options(w, m, o, f->options, f->noptions);
	put_owner(w, m, o);
	wstr(w, m, "comment", o->comment);
	put_grants(w, m, o);
	return m;
}

static struct wnode *server_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_server *s = (const struct sg_server *)o;
	struct wnode *m = wmap(w, false);

	wstr(w, m, "wrapper", s->wrapper);
	wstr(w, m, "type", s->type);
	wstr(w, m, "version", s->version);
	put_options(w, m, o, s->options, s->noptions);
	put_owner(w, m, o);
	wstr(w, m, "comment", o->comment);
	put_grants(w, m, o);
	return m;
}

SECTION_WRITER(write_fdws, SG_KIND_FDW, fdw_fn, false)
SECTION_WRITER(write_servers, SG_KIND_SERVER, server_fn, false)

/* foreign tables: server, options, columns (with their options), checks */
static struct wnode *foreign_table_fn(struct writer *w, const struct sg_object *o)
{
	const struct sg_foreign_table *f = (const struct sg_foreign_table *)o;
	const struct sg_table *t = &f->rel;
	struct wnode *m = wmap(w, true), *cols = wmap(w, true), *checks = wseq(w);
	const struct sg_column **cv = copy_array(w, t->columns, t->ncolumns,
						 sizeof(*cv));
	const struct sg_constraint **kv = copy_array(w, t->constraints,
						     t->nconstraints, sizeof(*kv));

	wstr(w, m, "comment", o->comment);
	wstr(w, m, "server", f->server);
	put_options(w, m, o, f->options, f->noptions);
	/* a foreign partition is written here, never under its parent */
	put_parents(w, m, t, true);
	if (t->ncolumns > 1)
		qsort(cv, t->ncolumns, sizeof(*cv), col_cmp);
	for (size_t i = 0; i < t->ncolumns; i++) {
		struct wnode *c = column_node(w, cv[i]);

		if (c)
			wput(w, cols, cv[i]->obj.name, c);
	}
	if (!(t->partition_of || t->ninherits) || cols->kids.n)
		wput(w, m, "columns", cols);
	if (t->nconstraints > 1)
		qsort(kv, t->nconstraints, sizeof(*kv), cons_cmp);
	for (size_t i = 0; i < t->nconstraints; i++)
		if (kv[i]->type == 'c' && !clone_left_out(&kv[i]->obj))
			wpush(w, checks, constraint_node(w, kv[i]));
	if (checks->kids.n)
		wput(w, m, "checks", checks);
	if (t->ntriggers) {
		struct wnode *tg = wmap(w, true);

		for (size_t i = 0; i < t->ntriggers; i++)
			wput(w, tg, t->triggers[i]->obj.name, trigger_node(w, t->triggers[i]));
		wput(w, m, "triggers", tg);
	}
	put_owner(w, m, o);
	put_grants(w, m, o);
	put_statistics(w, m, t);
	return m;
}

SECTION_WRITER(write_foreign_tables, SG_KIND_FOREIGN_TABLE, foreign_table_fn, true)

static int mapping_cmp(const void *pa, const void *pb)
{
	const struct sg_user_mapping *a = *(const struct sg_user_mapping *const *)pa;
	const struct sg_user_mapping *b = *(const struct sg_user_mapping *const *)pb;
	int c = strcmp(a->server, b->server);

	return c ? c : strcmp(a->role, b->role);
}

void write_user_mappings(struct writer *w, struct sbuf *out,
			 const struct sg_catalog *cat, const char *schema)
{
	size_t n;
	struct sg_object **v = objects_of(w, cat, SG_KIND_USER_MAPPING, schema, &n);

	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), mapping_cmp);
	sbuf_addf(out, "\n%s:\n", yaml_kinds[SG_KIND_USER_MAPPING].keys[0]);
	for (size_t i = 0; i < n;) {
		const char *server = ((const struct sg_user_mapping *)v[i])->server;
		struct wnode *roles = wmap(w, true);

		for (; i < n && strcmp(((const struct sg_user_mapping *)v[i])->server,
				       server) == 0; i++) {
			const struct sg_user_mapping *um = (const struct sg_user_mapping *)v[i];
			struct wnode *m = wmap(w, false);

			/* options pg_user_mappings hid from the role that read
			 * them are unknown, not none (dump warns) */
			if (um->options_hidden)
				wraw(w, m, "options_hidden", "true");
			else
				put_options(w, m, v[i], um->options, um->noptions);
			wput(w, roles, um->role, m);
		}
		sbuf_adds(out, "  ");
		scalar(out, server, false, -1);
		sbuf_addch(out, ':');
		block_value(out, roles, 2);
	}
}
