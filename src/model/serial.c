// SPDX-License-Identifier: MIT
/*
 * serial.c - a catalog as bytes and back (the cached model catalog).
 *
 * One function per struct moves every field in both directions (struct xf
 * says which), so the writer and the reader cannot disagree.  Format, all
 * integers LEB128 varints (signed ones zigzagged), doubles 8 raw bytes:
 *
 *     "SGCAT" version  server_version  origin  nobjs
 *     per object, in id order: kind  parent id + 1 (0: none)  schema  name
 *                              the kind's fields
 *     ndeps  per dependency: obj id  ref id  type
 *
 * Strings are interned: 0 is NULL, 1 a new string (length, bytes, then it
 * is number n), n + 2 the n-th string again; a catalog of ten thousand
 * tables names "public" and "bigint" once each.  Objects that point to
 * others (partition parents, INHERITS tables, dependencies) hold ids,
 * resolved when every object is there.
 *
 * The reader trusts nothing: every length and count is checked against
 * the bytes left, every id against the objects read, kinds and parents as
 * sg_catalog_add() requires them; anything wrong gives NULL (the caller
 * rebuilds), never a crash (t-model feeds it every truncation and a flip
 * of every byte).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

#define SERIAL_MAGIC "SGCAT"
#define SERIAL_VERSION 13

/*
 * A field added to one of these structs must be carried here too (or the
 * cached catalog silently loses it): their sizes on LP64 are pinned, so
 * the build fails until this file is updated with the new size.
 */
#if UINTPTR_MAX == UINT64_MAX
#define PIN(type, size) _Static_assert(sizeof(struct type) == (size), \
	"struct " #type " changed: carry the new field in src/model/serial.c, then update its size here")
PIN(sg_loc, 16);
PIN(sg_object, 128);
PIN(sg_grant, 40);
PIN(sg_defacl, 64);
PIN(sg_schema, 144);
PIN(sg_default_acl, 168);
PIN(sg_extension, 184);
PIN(sg_collation, 176);
PIN(sg_language, 160);
PIN(sg_domain_check, 72);
PIN(sg_domain, 224);
PIN(sg_attribute, 80);
PIN(sg_composite, 144);
PIN(sg_enum, 168);
PIN(sg_seqopts, 56);
PIN(sg_sequence, 216);
PIN(sg_function, 336);
PIN(sg_table, 464);
PIN(sg_view, 512);
PIN(sg_trigger, 288);
PIN(sg_policy, 216);
PIN(sg_column, 304);
PIN(sg_foreign_table, 504);
PIN(sg_constraint, 336);
PIN(sg_index_key, 56);
PIN(sg_index, 240);
PIN(sg_statistics, 240);
PIN(sg_rule, 192);
PIN(sg_ts_parser, 248);
PIN(sg_ts_dict, 184);
PIN(sg_ts_mapping, 40);
PIN(sg_ts_config, 168);
PIN(sg_cast, 208);
PIN(sg_event_trigger, 224);
PIN(sg_pub_table, 72);
PIN(sg_publication, 192);
PIN(sg_aggregate, 680);
PIN(sg_operator, 312);
PIN(sg_opfamily, 176);
PIN(sg_opfamily_member, 104);
PIN(sg_opclass_member, 32);
PIN(sg_opclass, 256);
/* foreign data */
PIN(sg_fdw_option, 48);
PIN(sg_fdw, 192);
PIN(sg_server, 184);
PIN(sg_user_mapping, 168);
#endif

struct fixup {
	struct sg_object **where;
	uint64_t id;                /* id + 1; 0: NULL */
	bool relation;              /* must be a table or view */
};

struct xf {
	bool rd;
	bool bad;
	bool digest;                /* sg_object_digest(): no locations, oids, ids */
	struct sg_arena *a;
	/* writing */
	struct sbuf *out;
	void (*put)(void *, const void *, size_t);  /* NULL: all in out */
	void *arg;
	uint32_t *tab;              /* open addressing, by content: number + 1 */
	const char **tabstr;        /* the strings written, by number */
	size_t tabcap, nstr, tabstrcap;
	/* reading */
	const unsigned char *p, *end;
	const char **strs;
	size_t nstrs, strcap;
	struct fixup *fix;
	size_t nfix, fixcap;
	/* the last location's file, id and name: a catalog's locations are of
	 * a few files, each a lookup behind the file table's mutex */
	uint32_t file_id;
	const char *file_name;
};

/* ---- scalars ---- */

/* Streaming: what is made goes to put() in pieces of about this size. */
#define SPILL 65536

static void spill(struct xf *x)
{
	if (x->put && x->out->len >= SPILL) {
		x->put(x->arg, x->out->buf, x->out->len);
		sbuf_reset(x->out);
	}
}

static void put_u(struct xf *x, uint64_t v)
{
	do {
		unsigned char b = v & 0x7f;

		v >>= 7;
		sbuf_addch(x->out, (char)(b | (v ? 0x80 : 0)));
	} while (v);
	spill(x);
}

static uint64_t get_u(struct xf *x)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		unsigned char b;

		if (x->p >= x->end) {
			x->bad = true;
			return 0;
		}
		b = *x->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	x->bad = true;
	return 0;
}

static void x_u64(struct xf *x, uint64_t *v)
{
	if (x->rd)
		*v = get_u(x);
	else
		put_u(x, *v);
}

static void x_i64(struct xf *x, int64_t *v)
{
	uint64_t z;

	if (x->rd) {
		z = get_u(x);
		*v = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
	} else {
		z = ((uint64_t)*v << 1) ^ (uint64_t)(*v >> 63);
		put_u(x, z);
	}
}

static void x_int(struct xf *x, int *v)
{
	int64_t w = *v;

	x_i64(x, &w);
	if (x->rd) {
		if (w < INT32_MIN || w > INT32_MAX)
			x->bad = true;
		*v = (int)w;
	}
}

static void x_unsigned(struct xf *x, unsigned *v)
{
	uint64_t w = *v;

	x_u64(x, &w);
	if (x->rd) {
		if (w > UINT32_MAX)
			x->bad = true;
		*v = (unsigned)w;
	}
}

static void x_u32(struct xf *x, uint32_t *v)
{
	unsigned w = *v;

	x_unsigned(x, &w);
	*v = w;
}

static void x_char(struct xf *x, char *c)
{
	uint64_t w = (unsigned char)*c;

	x_u64(x, &w);
	if (x->rd) {
		if (w > 255)
			x->bad = true;
		*c = (char)w;
	}
}

static void x_bool(struct xf *x, bool *b)
{
	uint64_t w = *b;

	x_u64(x, &w);
	if (x->rd) {
		if (w > 1)
			x->bad = true;
		*b = w == 1;
	}
}

static void x_double(struct xf *x, double *d)
{
	uint64_t w;

	if (x->rd) {
		if (x->end - x->p < 8) {
			x->bad = true;
			return;
		}
		w = 0;
		for (int i = 0; i < 8; i++)
			w |= (uint64_t)x->p[i] << (8 * i);
		x->p += 8;
		memcpy(d, &w, sizeof(w));
	} else {
		memcpy(&w, d, sizeof(w));
		for (int i = 0; i < 8; i++)
			sbuf_addch(x->out, (char)((w >> (8 * i)) & 0xff));
		spill(x);
	}
}

/* A count of things each at least one byte long: no more than the bytes left. */
static size_t x_count(struct xf *x, size_t n)
{
	uint64_t w = n;

	x_u64(x, &w);
	if (x->rd && w > (uint64_t)(x->end - x->p)) {
		x->bad = true;
		return 0;
	}
	return (size_t)w;
}

/* ---- strings ---- */

/*
 * The strings written so far: their numbers in an open-addressing table
 * (4 bytes a slot, at most half full) and their pointers in number order
 * (no copies), malloc'd and freed as the table grows: at 10,000 tables
 * some 2 MB, where 16-byte slots in the arena, every size the table had
 * kept, were 7.4 MB.
 */
static size_t tab_slot(const struct xf *x, const char *s)
{
	size_t h = (size_t)sg_hash64(s, strlen(s)) & (x->tabcap - 1);

	while (x->tab[h] && strcmp(x->tabstr[x->tab[h] - 1], s) != 0)
		h = (h + 1) & (x->tabcap - 1);
	return h;
}

static void tab_grow(struct xf *x)
{
	uint32_t *old = x->tab;
	size_t oldcap = x->tabcap;

	x->tabcap = oldcap ? oldcap * 2 : 64;
	x->tab = xcalloc(x->tabcap, sizeof(*x->tab));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			x->tab[tab_slot(x, x->tabstr[old[i] - 1])] = old[i];
	free(old);
}

static void tab_free(struct xf *x)
{
	free(x->tab);
	free(x->tabstr);
}

static void x_str(struct xf *x, const char **s)
{
	if (x->rd) {
		uint64_t v = get_u(x), len;
		char *t;

		if (x->bad || v == 0) {
			*s = NULL;
			return;
		}
		if (v >= 2) {
			if (v - 2 >= x->nstrs) {
				x->bad = true;
				*s = NULL;
				return;
			}
			*s = x->strs[v - 2];
			return;
		}
		len = get_u(x);
		if (x->bad || len > (uint64_t)(x->end - x->p) ||
		    memchr(x->p, '\0', (size_t)len)) {
			x->bad = true;
			*s = NULL;
			return;
		}
		t = sg_strndup(x->a, (const char *)x->p, (size_t)len);
		x->p += len;
		if (x->nstrs == x->strcap)
			x->strs = sg_arena_grow(x->a, x->strs, &x->strcap, x->nstrs + 1,
						sizeof(*x->strs));
		x->strs[x->nstrs++] = t;
		*s = t;
		return;
	}
	if (!*s) {
		put_u(x, 0);
		return;
	}
	if (2 * (x->nstr + 1) > x->tabcap)
		tab_grow(x);
	size_t h = tab_slot(x, *s);

	if (x->tab[h]) {
		put_u(x, (uint64_t)x->tab[h] + 1);
		return;
	}
	if (x->nstr >= UINT32_MAX - 1)
		SG_BUG("more than 2^32 strings in a catalog");
	if (x->nstr == x->tabstrcap) {
		x->tabstrcap = x->tabstrcap ? x->tabstrcap * 2 : 32;
		x->tabstr = xrealloc(x->tabstr, x->tabstrcap * sizeof(*x->tabstr));
	}
	x->tabstr[x->nstr++] = *s;
	x->tab[h] = (uint32_t)x->nstr;
	put_u(x, 1);
	put_u(x, strlen(*s));
	sbuf_add(x->out, *s, strlen(*s));
	spill(x);
}

/* ---- arrays ---- */

/*
 * An array of n elements of `size` bytes, kept NULL when it was: a flag,
 * then each element through fn.  n is read before (shared counts).
 */
static void x_array(struct xf *x, void **v, size_t n, size_t size,
		    void (*fn)(struct xf *, void *))
{
	bool present = *v != NULL;

	x_bool(x, &present);
	if (x->bad)
		return;
	if (x->rd) {
		*v = NULL;
		if (!present)
			return;
		if (n > (size_t)(x->end - x->p)) {
			x->bad = true;
			return;
		}
		*v = sg_alloc_array(x->a, n ? n : 1, size);
	} else if (!present) {
		return;
	}
	for (size_t i = 0; i < n && !x->bad; i++)
		fn(x, (char *)*v + i * size);
}

static void fn_str(struct xf *x, void *p) { x_str(x, p); }

static void x_strv(struct xf *x, const char ***v, size_t *n)
{
	*n = x_count(x, *n);
	x_array(x, (void **)v, *n, sizeof(**v), fn_str);
}

/* ---- structs ---- */

static void x_loc(struct xf *x, struct sg_loc *l)
{
	if (x->digest)
		return;
	/* the file's name (ids are this process's): interned when read */
	const char *file = NULL;
	int indent = l->indent;

	if (!x->rd && l->file) {
		if (l->file != x->file_id) {
			x->file_id = l->file;
			x->file_name = sg_file_name(l->file);
		}
		file = x->file_name;
	}

	x_str(x, &file);
	x_int(x, &l->line);
	x_int(x, &l->col);
	x_char(x, &l->style);
	x_int(x, &indent);
	if (x->rd) {
		if (indent < 0 || indent > UINT16_MAX)
			x->bad = true;
		l->indent = (uint16_t)indent;
		if (x->bad || !file) {
			l->file = 0;
		} else {
			/* read strings are shared: the same name, the same pointer */
			if (file != x->file_name) {
				x->file_name = file;
				x->file_id = sg_file_id(file);
			}
			l->file = x->file_id;
		}
	}
}

static void fn_loc(struct xf *x, void *p) { x_loc(x, p); }

static void fn_grant(struct xf *x, void *p)
{
	struct sg_grant *g = p;

	x_str(x, &g->grantee);
	x_str(x, &g->privs);
	x_str(x, &g->grantable);
	x_loc(x, &g->loc);
}

static void x_grants(struct xf *x, struct sg_grant **g, size_t *n)
{
	*n = x_count(x, *n);
	x_array(x, (void **)g, *n, sizeof(**g), fn_grant);
}

static void fn_defacl(struct xf *x, void *p)
{
	struct sg_defacl *d = p;

	x_str(x, &d->role);
	x_char(x, &d->objtype);
	x_grants(x, &d->grants, &d->ngrants);
	x_loc(x, &d->loc);
	x_loc(x, &d->role_loc);
}

static void fn_pub_table(struct xf *x, void *p)
{
	struct sg_pub_table *t = p;

	x_str(x, &t->schema);
	x_str(x, &t->name);
	x_strv(x, &t->columns, &t->ncolumns);
	x_str(x, &t->where);
	x_loc(x, &t->loc);
	x_loc(x, &t->where_loc);
}

static void fn_domain_check(struct xf *x, void *p)
{
	struct sg_domain_check *c = p;

	x_str(x, &c->name);
	x_str(x, &c->expression);
	x_str(x, &c->definition);
	x_loc(x, &c->loc);
	x_loc(x, &c->name_loc);
	x_bool(x, &c->not_valid);
	x_str(x, &c->comment);
	x_bool(x, &c->auto_name);
}

static void fn_fdw_option(struct xf *x, void *p)
{
	struct sg_fdw_option *o = p;

	x_str(x, &o->key);
	x_str(x, &o->value);
	x_str(x, &o->env);
	x_bool(x, &o->secret);
	x_loc(x, &o->loc);
}

static void x_fdw_options(struct xf *x, struct sg_fdw_option **v, size_t *n)
{
	*n = x_count(x, *n);
	x_array(x, (void **)v, *n, sizeof(**v), fn_fdw_option);
}

static void fn_attribute(struct xf *x, void *p)
{
	struct sg_attribute *t = p;

	x_str(x, &t->name);
	x_str(x, &t->type);
	x_str(x, &t->collation);
	x_loc(x, &t->loc);
	x_loc(x, &t->type_loc);
	x_loc(x, &t->collation_loc);
	x_str(x, &t->comment);
}

static void fn_ts_mapping(struct xf *x, void *p)
{
	struct sg_ts_mapping *m = p;

	x_str(x, &m->token);
	x_strv(x, &m->dicts, &m->ndicts);
}

static void fn_opclass_member(struct xf *x, void *p)
{
	struct sg_opclass_member *m = p;

	x_char(x, &m->kind);
	x_int(x, &m->number);
	x_str(x, &m->text);
	x_loc(x, &m->loc);
}

static void fn_opfamily_member(struct xf *x, void *p)
{
	struct sg_opfamily_member *m = p;

	x_char(x, &m->kind);
	x_int(x, &m->number);
	x_str(x, &m->left);
	x_str(x, &m->right);
	x_str(x, &m->text);
	x_str(x, &m->sortfamily);
	x_loc(x, &m->loc);
	x_loc(x, &m->left_loc);
	x_loc(x, &m->right_loc);
	x_loc(x, &m->sort_loc);
}

static void x_seqopts(struct xf *x, struct sg_seqopts *o)
{
	x_unsigned(x, &o->set);
	x_str(x, &o->type);
	x_i64(x, &o->start);
	x_i64(x, &o->increment);
	x_i64(x, &o->min);
	x_i64(x, &o->max);
	x_i64(x, &o->cache);
	x_bool(x, &o->cycle);
}

static void fn_index_key(struct xf *x, void *p)
{
	struct sg_index_key *k = p;

	x_str(x, &k->column);
	x_str(x, &k->expression);
	x_loc(x, &k->loc);
	x_str(x, &k->collation);
	x_str(x, &k->opclass);
	x_bool(x, &k->desc);
	x_char(x, &k->nulls);
}

/* A pointer to another object: its id + 1, resolved at the end. */
static void x_ref(struct xf *x, struct sg_object **o, bool relation)
{
	uint64_t id = *o ? (uint64_t)(*o)->id + 1 : 0;

	if (x->digest) {
		/* ids differ between catalogs: the object's identity */
		if (*o) {
			put_u(x, (uint64_t)(*o)->kind + 1);
			x_str(x, (const char **)&(*o)->schema);
			x_str(x, (const char **)&(*o)->name);
		} else {
			put_u(x, 0);
		}
		return;
	}
	x_u64(x, &id);
	if (!x->rd || x->bad)
		return;
	*o = NULL;
	if (!id)
		return;
	if (x->nfix == x->fixcap)
		x->fix = sg_arena_grow(x->a, x->fix, &x->fixcap, x->nfix + 1,
				       sizeof(*x->fix));
	x->fix[x->nfix++] = (struct fixup){ o, id, relation };
}

static void fn_ref_rel(struct xf *x, void *p) { x_ref(x, p, true); }

static void x_object(struct xf *x, struct sg_object *o)
{
	if (!x->digest)
		x_u32(x, &o->oid);
	x_loc(x, &o->loc);
	x_str(x, &o->comment);
	x_str(x, &o->renamed_from);
	x_loc(x, &o->renamed_loc);
	x_bool(x, &o->auto_name);
	x_grants(x, &o->grants, &o->ngrants);
	x_bool(x, &o->has_acl);
	x_str(x, &o->owner);
	x_loc(x, &o->owner_loc);
}

static void x_table(struct xf *x, struct sg_table *t)
{
	x_char(x, &t->relkind);
	x_bool(x, &t->unlogged);
	x_strv(x, &t->reloptions, &t->nreloptions);
	x_str(x, &t->partition_key);
	x_str(x, &t->partition_of);
	x_str(x, &t->partition_bound);
	x_loc(x, &t->partition_key_loc);
	x_loc(x, &t->partition_bound_loc);
	x_loc(x, &t->partition_of_loc);
	x_loc(x, &t->inherits_loc);
	x_loc(x, &t->replica_loc);
	x_strv(x, &t->inherits, &t->ninherits);
	x_ref(x, (struct sg_object **)&t->partition_parent, true);
	x_array(x, (void **)&t->inherits_tables, t->ninherits,
		sizeof(*t->inherits_tables), fn_ref_rel);
	x_bool(x, &t->rls_enabled);
	x_bool(x, &t->rls_forced);
	x_char(x, &t->replica_identity);
	x_str(x, &t->replica_index);
}

static void x_kind(struct xf *x, struct sg_object *o)
{
	x_object(x, o);
	switch (o->kind) {
	case SG_KIND_DEFAULT_ACL: {
		struct sg_default_acl *g = (void *)o;

		x_str(x, &g->role);
		x_loc(x, &g->role_loc);
		g->ndefacls = x_count(x, g->ndefacls);
		x_array(x, (void **)&g->defacls, g->ndefacls, sizeof(*g->defacls),
			fn_defacl);
		break;
	}
	case SG_KIND_SCHEMA: {
		struct sg_schema *s = (void *)o;

		s->ndefacls = x_count(x, s->ndefacls);
		x_array(x, (void **)&s->defacls, s->ndefacls, sizeof(*s->defacls),
			fn_defacl);
		break;
	}
	case SG_KIND_EXTENSION: {
		struct sg_extension *e = (void *)o;

		x_str(x, &e->version);
		x_loc(x, &e->version_loc);
		x_bool(x, &e->any_version);
		x_str(x, &e->default_comment);
		x_strv(x, &e->update_targets, &e->nupdate_targets);
		x_bool(x, &e->update_targets_known);
		break;
	}
	case SG_KIND_LANGUAGE: {
		struct sg_language *g = (void *)o;

		x_bool(x, &g->trusted);
		x_str(x, &g->handler);
		x_str(x, &g->inline_handler);
		x_str(x, &g->validator);
		break;
	}
	case SG_KIND_COLLATION: {
		struct sg_collation *c = (void *)o;

		x_char(x, &c->provider);
		x_str(x, &c->locale);
		x_str(x, &c->lc_collate);
		x_str(x, &c->lc_ctype);
		x_bool(x, &c->deterministic);
		x_loc(x, &c->locale_loc);
		break;
	}
	case SG_KIND_ENUM: {
		struct sg_enum *e = (void *)o;

		x_strv(x, &e->values, &e->nvalues);
		x_array(x, (void **)&e->value_locs, e->nvalues, sizeof(*e->value_locs),
			fn_loc);
		x_array(x, (void **)&e->value_renamed_from, e->nvalues,
			sizeof(*e->value_renamed_from), fn_str);
		x_array(x, (void **)&e->value_renamed_locs, e->nvalues,
			sizeof(*e->value_renamed_locs), fn_loc);
		break;
	}
	case SG_KIND_DOMAIN: {
		struct sg_domain *d = (void *)o;

		x_str(x, &d->base_type);
		x_loc(x, &d->type_loc);
		x_str(x, &d->collation);
		x_loc(x, &d->collation_loc);
		x_str(x, &d->default_expr);
		x_loc(x, &d->default_loc);
		x_bool(x, &d->not_null);
		d->nchecks = x_count(x, d->nchecks);
		x_array(x, (void **)&d->checks, d->nchecks, sizeof(*d->checks),
			fn_domain_check);
		break;
	}
	case SG_KIND_COMPOSITE: {
		struct sg_composite *c = (void *)o;

		c->nattrs = x_count(x, c->nattrs);
		x_array(x, (void **)&c->attrs, c->nattrs, sizeof(*c->attrs),
			fn_attribute);
		break;
	}
	case SG_KIND_SEQUENCE: {
		struct sg_sequence *s = (void *)o;

		x_seqopts(x, &s->opts);
		x_str(x, &s->owned_table);
		x_str(x, &s->owned_column);
		x_loc(x, &s->owned_loc);
		break;
	}
	case SG_KIND_FUNCTION: {
		struct sg_function *f = (void *)o;

		x_str(x, &f->proname);
		x_char(x, &f->prokind);
		x_str(x, &f->arguments);
		x_str(x, &f->identity_args);
		x_str(x, &f->result);
		x_str(x, &f->language);
		x_str(x, &f->body);
		x_loc(x, &f->body_loc);
		x_char(x, &f->volatility);
		x_bool(x, &f->strict);
		x_bool(x, &f->security_definer);
		x_bool(x, &f->leakproof);
		x_char(x, &f->parallel);
		x_double(x, &f->cost);
		x_double(x, &f->rows);
		x_strv(x, &f->config, &f->nconfig);
		x_str(x, &f->definition);
		x_bool(x, &f->sql_body);
		x_bool(x, &f->window);
		x_str(x, &f->library);
		x_int(x, &f->ndefaults);
		x_str(x, &f->argsig);
		x_strv(x, &f->arglist, &f->nargs);
		x_array(x, (void **)&f->arglocs, f->nargs, sizeof(*f->arglocs), fn_loc);
		x_loc(x, &f->result_loc);
		x_loc(x, &f->language_loc);
		x_loc(x, &f->config_loc);
		break;
	}
	/* aggregates and operators */
	case SG_KIND_AGGREGATE: {
		struct sg_aggregate *g = (void *)o;

		x_str(x, &g->aggname);
		x_char(x, &g->aggkind);
		x_str(x, &g->arguments);
		x_str(x, &g->order_by);
		x_loc(x, &g->arguments_loc);
		x_loc(x, &g->order_by_loc);
		x_str(x, &g->argtypes);
		for (int i = 0; i < SG_AGG__COUNT; i++) {
			x_str(x, &g->opts[i]);
			x_loc(x, &g->opt_locs[i]);
		}
		break;
	}
	case SG_KIND_OPERATOR: {
		struct sg_operator *p = (void *)o;

		x_str(x, &p->oprname);
		x_str(x, &p->left);
		x_str(x, &p->right);
		x_loc(x, &p->left_loc);
		x_loc(x, &p->right_loc);
		for (int i = 0; i < SG_OPR__COUNT; i++) {
			x_str(x, &p->opts[i]);
			x_loc(x, &p->opt_locs[i]);
		}
		x_bool(x, &p->hashes);
		x_bool(x, &p->merges);
		break;
	}
	case SG_KIND_OPFAMILY: {
		struct sg_opfamily *f = (void *)o;

		x_str(x, &f->famname);
		x_str(x, &f->method);
		x_loc(x, &f->method_loc);
		f->nmembers = x_count(x, f->nmembers);
		x_array(x, (void **)&f->members, f->nmembers, sizeof(*f->members),
			fn_opfamily_member);
		break;
	}
	case SG_KIND_OPCLASS: {
		struct sg_opclass *c = (void *)o;

		x_str(x, &c->opcname);
		x_str(x, &c->method);
		x_str(x, &c->for_type);
		x_str(x, &c->family);
		x_str(x, &c->storage);
		x_bool(x, &c->is_default);
		c->nmembers = x_count(x, c->nmembers);
		x_array(x, (void **)&c->members, c->nmembers, sizeof(*c->members),
			fn_opclass_member);
		x_loc(x, &c->method_loc);
		x_loc(x, &c->type_loc);
		x_loc(x, &c->family_loc);
		x_loc(x, &c->storage_loc);
		break;
	}
	case SG_KIND_TABLE:
		x_table(x, (void *)o);
		break;
	case SG_KIND_FOREIGN_TABLE: {
		struct sg_foreign_table *f = (void *)o;

		x_table(x, &f->rel);
		x_str(x, &f->server);
		x_loc(x, &f->server_loc);
		x_fdw_options(x, &f->options, &f->noptions);
		break;
	}
	case SG_KIND_VIEW: {
		struct sg_view *v = (void *)o;

		x_table(x, &v->rel);
		x_char(x, &v->relkind);
		x_str(x, &v->definition);
		x_loc(x, &v->definition_loc);
		x_strv(x, &v->reloptions, &v->nreloptions);
		x_bool(x, &v->with_data);
		break;
	}
	case SG_KIND_TRIGGER: {
		struct sg_trigger *t = (void *)o;

		x_str(x, &t->definition);
		x_str(x, &t->timing);
		x_strv(x, &t->events, &t->nevents);
		x_strv(x, &t->update_columns, &t->nupdate_columns);
		x_bool(x, &t->for_each_row);
		x_str(x, &t->when);
		x_loc(x, &t->when_loc);
		x_str(x, &t->function);
		x_strv(x, &t->arguments, &t->narguments);
		x_bool(x, &t->constraint);
		x_bool(x, &t->deferrable);
		x_bool(x, &t->deferred);
		x_char(x, &t->enabled);
		x_str(x, &t->function_schema);
		x_str(x, &t->function_name);
		x_loc(x, &t->function_loc);
		x_str(x, &t->old_table);
		x_str(x, &t->new_table);
		x_str(x, &t->from_table);
		break;
	}
	case SG_KIND_POLICY: {
		struct sg_policy *p = (void *)o;

		x_bool(x, &p->permissive);
		x_char(x, &p->command);
		x_strv(x, &p->roles, &p->nroles);
		x_loc(x, &p->roles_loc);
		x_str(x, &p->using_expr);
		x_loc(x, &p->using_loc);
		x_str(x, &p->check_expr);
		x_loc(x, &p->check_loc);
		break;
	}
	case SG_KIND_CAST: {
		struct sg_cast *c = (void *)o;

		x_str(x, &c->source);
		x_str(x, &c->target);
		x_char(x, &c->method);
		x_str(x, &c->function);
		x_char(x, &c->context);
		x_loc(x, &c->source_loc);
		x_loc(x, &c->target_loc);
		x_loc(x, &c->function_loc);
		break;
	}
	case SG_KIND_EVENT_TRIGGER: {
		struct sg_event_trigger *t = (void *)o;

		x_str(x, &t->event);
		x_strv(x, &t->tags, &t->ntags);
		x_str(x, &t->function_schema);
		x_str(x, &t->function_name);
		x_char(x, &t->enabled);
		x_loc(x, &t->event_loc);
		x_loc(x, &t->tags_loc);
		x_loc(x, &t->function_loc);
		break;
	}
	case SG_KIND_PUBLICATION: {
		struct sg_publication *p = (void *)o;

		x_bool(x, &p->all_tables);
		p->ntables = x_count(x, p->ntables);
		x_array(x, (void **)&p->tables, p->ntables, sizeof(*p->tables),
			fn_pub_table);
		x_strv(x, &p->schemas, &p->nschemas);
		x_str(x, &p->publish);
		x_bool(x, &p->via_root);
		x_loc(x, &p->schemas_loc);
		break;
	}
	case SG_KIND_COLUMN: {
		struct sg_column *c = (void *)o;

		x_int(x, &c->attnum);
		x_str(x, &c->type);
		x_loc(x, &c->type_loc);
		x_bool(x, &c->not_null);
		x_str(x, &c->default_expr);
		x_loc(x, &c->default_loc);
		x_char(x, &c->identity);
		x_seqopts(x, &c->identity_opts);
		x_str(x, &c->collation);
		x_loc(x, &c->collation_loc);
		x_str(x, &c->generated);
		x_loc(x, &c->generated_loc);
		x_bool(x, &c->generated_virtual);
		x_bool(x, &c->inherited);
		x_fdw_options(x, &c->options, &c->noptions);
		break;
	}
	case SG_KIND_CONSTRAINT: {
		struct sg_constraint *c = (void *)o;

		x_char(x, &c->type);
		x_str(x, &c->definition);
		x_strv(x, &c->columns, &c->ncolumns);
		x_strv(x, &c->include, &c->ninclude);
		x_bool(x, &c->nulls_not_distinct);
		x_str(x, &c->ref_schema);
		x_str(x, &c->ref_table);
		x_strv(x, &c->ref_columns, &c->nref_columns);
		x_loc(x, &c->ref_loc);
		x_char(x, &c->on_delete);
		x_char(x, &c->on_update);
		x_char(x, &c->match);
		x_bool(x, &c->deferrable);
		x_bool(x, &c->deferred);
		x_bool(x, &c->not_valid);
		x_bool(x, &c->no_inherit);
		x_str(x, &c->expression);
		x_loc(x, &c->expr_loc);
		x_bool(x, &c->inherited);
		x_str(x, &c->attached_to);
		x_str(x, &c->default_name);
		x_bool(x, &c->only);
		x_str(x, &c->excl_method);
		c->nexcl = x_count(x, c->nexcl);
		x_array(x, (void **)&c->excl_keys, c->nexcl, sizeof(*c->excl_keys),
			fn_index_key);
		x_array(x, (void **)&c->excl_ops, c->nexcl, sizeof(*c->excl_ops), fn_str);
		x_array(x, (void **)&c->excl_op_locs, c->nexcl, sizeof(*c->excl_op_locs),
			fn_loc);
		x_str(x, &c->excl_where);
		x_loc(x, &c->excl_where_loc);
		break;
	}
	case SG_KIND_INDEX: {
		struct sg_index *i = (void *)o;

		x_str(x, &i->definition);
		x_bool(x, &i->unique);
		x_bool(x, &i->nulls_not_distinct);
		x_str(x, &i->method);
		i->nkeys = x_count(x, i->nkeys);
		x_array(x, (void **)&i->keys, i->nkeys, sizeof(*i->keys), fn_index_key);
		x_strv(x, &i->include, &i->ninclude);
		x_str(x, &i->where);
		x_loc(x, &i->where_loc);
		x_strv(x, &i->reloptions, &i->nreloptions);
		x_str(x, &i->attached_to);
		x_str(x, &i->default_name);
		x_bool(x, &i->only);
		break;
	}
	case SG_KIND_TS_PARSER:
	case SG_KIND_TS_TEMPLATE: {
		struct sg_ts_parser *p = (void *)o;

		for (int i = 0; i < SG_TSP__COUNT; i++) {
			x_str(x, &p->opts[i]);
			x_loc(x, &p->opt_locs[i]);
		}
		break;
	}
	case SG_KIND_TS_DICTIONARY: {
		struct sg_ts_dict *d = (void *)o;

		x_str(x, &d->template_name);
		x_loc(x, &d->template_loc);
		x_strv(x, &d->options, &d->noptions);
		x_loc(x, &d->options_loc);
		break;
	}
	case SG_KIND_TS_CONFIG: {
		struct sg_ts_config *c = (void *)o;

		x_str(x, &c->parser);
		x_loc(x, &c->parser_loc);
		c->nmaps = x_count(x, c->nmaps);
		x_array(x, (void **)&c->maps, c->nmaps, sizeof(*c->maps), fn_ts_mapping);
		break;
	}
	case SG_KIND_STATISTICS: {
		struct sg_statistics *st = (void *)o;

		x_str(x, &st->definition);
		x_unsigned(x, &st->kinds);
		x_strv(x, &st->columns, &st->ncolumns);
		x_strv(x, &st->expressions, &st->nexpressions);
		x_array(x, (void **)&st->expr_locs, st->nexpressions,
			sizeof(*st->expr_locs), fn_loc);
		x_int(x, &st->target);
		x_loc(x, &st->target_loc);
		x_loc(x, &st->kinds_loc);
		x_str(x, &st->schema);
		x_loc(x, &st->schema_loc);
		break;
	}
	case SG_KIND_RULE: {
		struct sg_rule *r = (void *)o;

		x_str(x, &r->definition);
		x_char(x, &r->event);
		x_bool(x, &r->instead);
		x_str(x, &r->where);
		x_loc(x, &r->where_loc);
		x_strv(x, &r->actions, &r->nactions);
		x_array(x, (void **)&r->action_locs, r->nactions,
			sizeof(*r->action_locs), fn_loc);
		x_char(x, &r->enabled);
		break;
	}
	/* foreign data */
	case SG_KIND_FDW: {
		struct sg_fdw *w = (void *)o;

		x_str(x, &w->handler);
		x_str(x, &w->validator);
		x_loc(x, &w->handler_loc);
		x_loc(x, &w->validator_loc);
		x_fdw_options(x, &w->options, &w->noptions);
		break;
	}
	case SG_KIND_SERVER: {
		struct sg_server *s = (void *)o;

		x_str(x, &s->wrapper);
		x_loc(x, &s->wrapper_loc);
		x_str(x, &s->type);
		x_str(x, &s->version);
		x_fdw_options(x, &s->options, &s->noptions);
		break;
	}
	case SG_KIND_USER_MAPPING: {
		struct sg_user_mapping *m = (void *)o;

		x_str(x, &m->role);
		x_str(x, &m->server);
		x_fdw_options(x, &m->options, &m->noptions);
		x_bool(x, &m->options_hidden);
		break;
	}
	case SG_KIND__COUNT:
		x->bad = true;
		break;
	}
}

static size_t kind_size(enum sg_kind k)
{
	static const size_t size[SG_KIND__COUNT] = {
		[SG_KIND_SCHEMA] = sizeof(struct sg_schema),
		[SG_KIND_EXTENSION] = sizeof(struct sg_extension),
		[SG_KIND_COLLATION] = sizeof(struct sg_collation),
		[SG_KIND_LANGUAGE] = sizeof(struct sg_language),
		[SG_KIND_DEFAULT_ACL] = sizeof(struct sg_default_acl),
		[SG_KIND_ENUM] = sizeof(struct sg_enum),
		[SG_KIND_DOMAIN] = sizeof(struct sg_domain),
		[SG_KIND_COMPOSITE] = sizeof(struct sg_composite),
		[SG_KIND_SEQUENCE] = sizeof(struct sg_sequence),
		[SG_KIND_FUNCTION] = sizeof(struct sg_function),
		[SG_KIND_AGGREGATE] = sizeof(struct sg_aggregate),
		[SG_KIND_OPERATOR] = sizeof(struct sg_operator),
		[SG_KIND_OPFAMILY] = sizeof(struct sg_opfamily),
		[SG_KIND_OPCLASS] = sizeof(struct sg_opclass),
		[SG_KIND_TABLE] = sizeof(struct sg_table),
		[SG_KIND_COLUMN] = sizeof(struct sg_column),
		[SG_KIND_CONSTRAINT] = sizeof(struct sg_constraint),
		[SG_KIND_INDEX] = sizeof(struct sg_index),
		[SG_KIND_VIEW] = sizeof(struct sg_view),
		[SG_KIND_FOREIGN_TABLE] = sizeof(struct sg_foreign_table),
		[SG_KIND_TRIGGER] = sizeof(struct sg_trigger),
		[SG_KIND_POLICY] = sizeof(struct sg_policy),
		[SG_KIND_STATISTICS] = sizeof(struct sg_statistics),
		[SG_KIND_TS_PARSER] = sizeof(struct sg_ts_parser),
		[SG_KIND_TS_TEMPLATE] = sizeof(struct sg_ts_parser),
		[SG_KIND_TS_DICTIONARY] = sizeof(struct sg_ts_dict),
		[SG_KIND_TS_CONFIG] = sizeof(struct sg_ts_config),
		[SG_KIND_RULE] = sizeof(struct sg_rule),
		[SG_KIND_CAST] = sizeof(struct sg_cast),
		[SG_KIND_EVENT_TRIGGER] = sizeof(struct sg_event_trigger),
		[SG_KIND_PUBLICATION] = sizeof(struct sg_publication),
		[SG_KIND_FDW] = sizeof(struct sg_fdw),
		[SG_KIND_SERVER] = sizeof(struct sg_server),
		[SG_KIND_USER_MAPPING] = sizeof(struct sg_user_mapping),
	};

	return size[k];
}

static void serialise(struct xf *x0, const struct sg_catalog *cat)
{
	struct xf x = *x0;
	struct sbuf *out = x.out;
	int version = cat->server_version;
	uint64_t n = 0;

	sbuf_adds(out, SERIAL_MAGIC);
	put_u(&x, SERIAL_VERSION);
	x_int(&x, &version);
	x_str(&x, (const char **)&cat->origin);   /* written, not changed */
	for (size_t i = 0; i < cat->nobjs; i++)
		n += cat->objs[i] != NULL;
	put_u(&x, n);
	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_object *o = cat->objs[i];

		if (!o)
			continue;
		put_u(&x, (uint64_t)o->kind);
		put_u(&x, o->parent ? (uint64_t)o->parent->id + 1 : 0);
		x_str(&x, &o->schema);
		x_str(&x, &o->name);
		x_kind(&x, o);
	}
	put_u(&x, cat->ndeps);
	for (size_t i = 0; i < cat->ndeps; i++) {
		put_u(&x, (uint64_t)cat->deps[i].obj->id);
		put_u(&x, (uint64_t)cat->deps[i].ref->id);
		put_u(&x, (unsigned char)cat->deps[i].type);
	}
	tab_free(&x);
}

void sg_catalog_serialise(struct sbuf *out, const struct sg_catalog *cat)
{
	struct xf x = { .out = out };

	serialise(&x, cat);
}

void sg_catalog_serialise_to(const struct sg_catalog *cat,
			     void (*put)(void *arg, const void *data, size_t len),
			     void *arg)
{
	struct sbuf out = SBUF_INIT;
	struct xf x = { .out = &out, .put = put, .arg = arg };

	sbuf_init(&out, SPILL + 1024);
	serialise(&x, cat);
	if (out.len)
		put(arg, out.buf, out.len);
	sbuf_release(&out);
}

uint64_t sg_object_digest(const struct sg_object *o)
{
	struct sbuf out = SBUF_INIT;
	struct xf x = { .out = &out, .digest = true };
	uint64_t h;

	put_u(&x, (uint64_t)o->kind);
	x_str(&x, (const char **)&o->schema);
	x_str(&x, (const char **)&o->name);
	if (o->parent)
		x_str(&x, (const char **)&o->parent->name);
	x_kind(&x, (struct sg_object *)o);
	h = sg_hash64(out.buf ? out.buf : "", out.len);
	sbuf_release(&out);
	tab_free(&x);
	return h;
}

struct sg_catalog *sg_catalog_deserialise(struct sg_arena *a, const void *data,
					  size_t len)
{
	struct xf x = { .rd = true, .a = a, .p = data,
			.end = (const unsigned char *)data + len };
	struct sg_catalog *cat;
	const char *origin = NULL;
	int version = 0;
	size_t n, ndeps;

	if (len < strlen(SERIAL_MAGIC) || memcmp(data, SERIAL_MAGIC, strlen(SERIAL_MAGIC)))
		return NULL;
	x.p += strlen(SERIAL_MAGIC);
	if (get_u(&x) != SERIAL_VERSION || x.bad)
		return NULL;
	x_int(&x, &version);
	x_str(&x, &origin);
	cat = sg_catalog_new(a, origin ? origin : "cache");
	cat->server_version = version;
	n = x_count(&x, 0);
	for (size_t i = 0; i < n && !x.bad; i++) {
		uint64_t kind = get_u(&x), parent = get_u(&x);
		const char *schema = NULL, *name = NULL;
		struct sg_object *p = NULL, *o;

		x_str(&x, &schema);
		x_str(&x, &name);
		if (x.bad || kind >= SG_KIND__COUNT || !name)
			return NULL;
		if (parent) {
			if (parent > cat->nobjs)
				return NULL;
			p = cat->objs[parent - 1];
			if (!sg_kind_is_relation(p->kind))
				return NULL;
		}
		if (sg_kind_is_child((enum sg_kind)kind) != (p != NULL))
			return NULL;
		o = sg_catalog_add(cat, (enum sg_kind)kind, kind_size((enum sg_kind)kind),
				   schema, name, p);
		x_kind(&x, o);
	}
	ndeps = x_count(&x, 0);
	for (size_t i = 0; i < ndeps && !x.bad; i++) {
		uint64_t obj = get_u(&x), ref = get_u(&x), type = get_u(&x);

		if (x.bad || obj >= cat->nobjs || ref >= cat->nobjs || type > 255 ||
		    obj == ref)
			return NULL;
		sg_catalog_add_dep(cat, cat->objs[obj], cat->objs[ref], (char)type);
	}
	if (x.bad || x.p != x.end)
		return NULL;
	for (size_t i = 0; i < x.nfix; i++) {
		struct sg_object *o;

		if (x.fix[i].id > cat->nobjs)
			return NULL;
		o = cat->objs[x.fix[i].id - 1];
		if (x.fix[i].relation && !sg_kind_is_relation(o->kind))
			return NULL;
		*x.fix[i].where = o;
	}
	sg_catalog_finish(cat);
	return cat;
}
