// SPDX-License-Identifier: MIT
/*
 * result.c - helpers over libpq results for the introspection queries: typed
 * column access with arena copies, the text form of arrays, client-side row
 * ordering with strcmp, oid lists passed as parameters, and the oid map that
 * turns pg_depend rows into objects.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/util.h"

int col(const PGresult *res, const char *name)
{
	int c = PQfnumber(res, name);

	if (c < 0)
		SG_BUG("introspection query has no column %s", name);
	return c;
}

const char *str(struct ictx *x, const PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c))
		return NULL;
	return sg_strdup(x->a, PQgetvalue(res, row, c));
}

bool boolv(const PGresult *res, int row, int c)
{
	return !PQgetisnull(res, row, c) && PQgetvalue(res, row, c)[0] == 't';
}

uint32_t oidv(const PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c))
		return 0;
	return (uint32_t)strtoul(PQgetvalue(res, row, c), NULL, 10);
}

int64_t intv(const PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c))
		return 0;
	return (int64_t)strtoll(PQgetvalue(res, row, c), NULL, 10);
}

char charv(const PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c))
		return 0;
	return PQgetvalue(res, row, c)[0];
}

/*
 * array_out's format for a one-dimensional array whose delimiter is ',':
 * elements are bare unless empty or containing a delimiter, brace, quote,
 * backslash or whitespace, or spelled NULL; quoted ones escape '"' and '\'
 * with a backslash.  A bare NULL is a null element.  A lower bound other
 * than 1 is printed first ("[0:1]={...}"); it is skipped.
 */
long text_array(struct ictx *x, const char *s, const char ***out)
{
	SG_VEC(const char *) v = { 0 };
	struct sbuf sb = SBUF_INIT;
	const char *p = s;

	*out = NULL;
	if (!s)
		return 0;
	if (*p == '[') {
		p = strchr(p, '=');
		if (!p)
			goto bad;
		p++;
	}
	if (*p++ != '{')
		goto bad;
	if (*p == '}')
		goto done;
	for (;;) {
		bool quoted = false;

		sbuf_reset(&sb);
		if (*p == '"') {
			quoted = true;
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				sbuf_addch(&sb, *p);
			}
			if (*p++ != '"')
				goto bad;
		} else {
			for (; *p && *p != ',' && *p != '}'; p++) {
				if (*p == '\\' && p[1])
					p++;
				sbuf_addch(&sb, *p);
			}
		}
		if (!quoted && strcmp(sb.buf, "NULL") == 0)
			SG_VEC_PUSH(x->a, &v, NULL);
		else
			SG_VEC_PUSH(x->a, &v, sbuf_to_arena(&sb, x->a));
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '}')
			break;
		goto bad;
	}
done:
	sbuf_release(&sb);
	*out = v.v;
	return (long)v.n;
bad:
	sbuf_release(&sb);
	return sg_error("cannot parse array value from the server: %s", s);
}

struct sort_ctx {
	const PGresult *res;
	int cols[8];
	int how[8];
};

static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *s = arg;
	int a = *(const int *)pa, b = *(const int *)pb;

	for (int k = 0; s->cols[k] >= 0; k++) {
		bool na = PQgetisnull(s->res, a, s->cols[k]);
		bool nb = PQgetisnull(s->res, b, s->cols[k]);
		const char *va = PQgetvalue(s->res, a, s->cols[k]);
		const char *vb = PQgetvalue(s->res, b, s->cols[k]);
		int c;

		if (na || nb) {
			if (na && nb)
				continue;
			return na ? -1 : 1; /* NULL first */
		}
		if (s->how[k] == SORT_NUM) {
			long long x = strtoll(va, NULL, 10);
			long long y = strtoll(vb, NULL, 10);

			c = (x > y) - (x < y);
		} else {
			c = strcmp(va, vb);
		}
		if (c)
			return c;
	}
	return (a > b) - (a < b);
}

int *sorted_rows(const PGresult *res, const struct sortkey *keys)
{
	int n = PQntuples(res);
	int *rows = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	struct sort_ctx s = { .res = res };
	size_t k;

	for (k = 0; keys[k].name; k++) {
		if (k + 1 >= ARRAY_SIZE(s.cols))
			SG_BUG("too many sort keys");
		s.cols[k] = col(res, keys[k].name);
		s.how[k] = keys[k].how;
	}
	s.cols[k] = -1;
	for (int i = 0; i < n; i++)
		rows[i] = i;
	qsort_r(rows, (size_t)n, sizeof(int), row_cmp, &s);
	return rows;
}

PGresult *run(struct ictx *x, const char *sql, int nparams,
	      const char *const *params)
{
	return sg_conn_query(x->conn, sql, nparams, params);
}

void oidlist_add(struct sbuf *sb, uint32_t oid)
{
	sbuf_addch(sb, sb->len ? ',' : '{');
	sbuf_addf(sb, "%lu", (unsigned long)oid);
}

void oidlist_reopen(struct sbuf *sb)
{
	if (sb->len <= 2)
		sbuf_reset(sb);         /* "{}": empty again */
	else if (sb->buf[sb->len - 1] == '}')
		sbuf_setlen(sb, sb->len - 1);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

const char *partial_rels(struct ictx *x)
{
	return x->opts->relations ? x->table_oids.buf : NULL;
}

const char *partial_oids(struct ictx *x, bool relations_only)
{
	uint32_t *v;
	size_t n = 0;

	if (!x->opts->relations)
		return NULL;
	v = xmalloc((x->map.n + 1) * sizeof(*v));
	for (size_t i = 0; i < x->map.cap; i++) {
		const struct sg_object *o = x->map.v[i].obj;

		if (o && (!relations_only ||
			  sg_kind_is_relation((o->parent ? o->parent : o)->kind)))
			v[n++] = x->map.v[i].oid;
	}
	qsort(v, n, sizeof(*v), u32_cmp);
	sbuf_reset(&x->read_oids);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			oidlist_add(&x->read_oids, v[i]);
	oidlist_end(&x->read_oids);
	free(v);
	return x->read_oids.buf;
}

void oidlist_end(struct sbuf *sb)
{
	if (!sb->len)
		sbuf_addch(sb, '{');
	sbuf_addch(sb, '}');
}

const char *catalog_name(struct ictx *x, const char *nsp, const char *name)
{
	if (!name)
		return NULL;
	return sg_qq(x->a, nsp && strcmp(nsp, "pg_catalog") != 0 ? nsp : NULL,
		     name);
}

void seqopts_from_row(struct ictx *x, struct sg_seqopts *o, const PGresult *res,
		      int row, const char *prefix)
{
	char name[64];

#define SEQCOL(field) (snprintf(name, sizeof(name), "%s%s", prefix, field), \
		       col(res, name))
	o->set = SG_SEQ_ALL;
	o->type = str(x, res, row, SEQCOL("type"));
	o->start = intv(res, row, SEQCOL("start"));
	o->increment = intv(res, row, SEQCOL("increment"));
	o->min = intv(res, row, SEQCOL("min"));
	o->max = intv(res, row, SEQCOL("max"));
	o->cache = intv(res, row, SEQCOL("cache"));
	o->cycle = boolv(res, row, SEQCOL("cycle"));
#undef SEQCOL
}

/* The oid map: small open-addressing hash table. */

static size_t slot_of(const struct oidmap *m, char cls, uint32_t oid,
		      int32_t sub)
{
	uint64_t h = ((uint64_t)(unsigned char)cls << 56) ^
		     ((uint64_t)(uint32_t)sub << 32) ^ oid;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (m->cap - 1);
}

static struct oidmap_entry *find_slot(const struct oidmap *m, char cls,
				      uint32_t oid, int32_t sub)
{
	size_t i = slot_of(m, cls, oid, sub);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct oidmap_entry *e = &m->v[i];

		if (!e->obj || (e->cls == cls && e->oid == oid && e->sub == sub))
			return e;
	}
}

/*
 * The map grows at three quarters full (linear probing stays short there)
 * and keeps only sub-ids a column can have: attnum is an int2 of at most
 * 1600, so a sub-id beyond int16 is no object's.
 */
void oidmap_put(struct oidmap *m, char cls, uint32_t oid, int32_t sub,
		struct sg_object *obj)
{
	struct oidmap_entry *e;

	if (!obj)
		SG_BUG("oidmap_put without an object");
	if (sub < INT16_MIN || sub > INT16_MAX)
		return;
	if ((m->n + 1) * 4 > m->cap * 3) {
		struct oidmap old = *m;

		m->cap = old.cap ? old.cap * 2 : 256;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].obj)
				oidmap_put(m, old.v[i].cls, old.v[i].oid,
					   old.v[i].sub, old.v[i].obj);
		free(old.v);
	}
	e = find_slot(m, cls, oid, sub);
	if (!e->obj)
		m->n++;
	e->cls = cls;
	e->oid = oid;
	e->sub = (int16_t)sub;
	e->obj = obj;
}

struct sg_object *oidmap_get(const struct oidmap *m, char cls, uint32_t oid,
			     int32_t sub)
{
	if (!m->cap || sub < INT16_MIN || sub > INT16_MAX)
		return NULL;
	return find_slot(m, cls, oid, sub)->obj;
}

void oidmap_release(struct oidmap *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
