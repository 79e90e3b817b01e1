// SPDX-License-Identifier: MIT
/*
 * graph.c - the revision graph: loading a migrations directory, linking
 * parents and dependencies, finding revisions by id, prefix or branch label,
 * and turning a target (head, heads, REV, +N, -N, REV+N, branch@head, base)
 * into the list of revisions to apply or revert.
 *
 * The model is Alembic's.  The database records its applied heads; the
 * applied set is every ancestor of those heads, inclusive, where a
 * revision's ancestors are reached through both `parents` and `depends-on`.
 * Upgrading to a set of targets T applies ancestors(T) minus the applied
 * set, parents first; downgrading to T reverts the applied revisions that
 * descend from T (through parents and depends-on), children first, and
 * leaves other branches alone (`downgrade base` reverts everything).  Both
 * keep the applied set closed under ancestry, so the version table can
 * always be its maximal elements.
 *
 * Orders are deterministic: the topological order breaks ties by id (a heap
 * of ready revisions, Kahn's algorithm, O(E + V log V)), heads and bases are
 * sorted by id.  Graphs are small (hundreds of revisions), so set
 * operations use plain boolean arrays indexed by the topological position.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "schemagen/store.h"
#include "schemagen/util.h"
#include "store-priv.h"

static int rev_id_cmp(const void *pa, const void *pb)
{
	const struct sg_revision *a = *(const struct sg_revision *const *)pa;
	const struct sg_revision *b = *(const struct sg_revision *const *)pb;

	return strcmp(a->id, b->id);
}

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static struct sg_revision *bsearch_id(struct sg_revision **sorted, size_t n,
				      const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, sorted[mid]->id);

		if (c == 0)
			return sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *ids_text(struct sg_arena *a, struct sg_revision *const *v,
			    size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(&sb, ", ");
		sbuf_adds(&sb, v[i]->id);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* ---- loading ---- */

/* A min-heap of positions (positions are in id order, so: smallest id). */
struct heap {
	size_t *v;
	size_t n;
};

static void heap_push(struct heap *h, size_t x)
{
	size_t i = h->n++;

	h->v[i] = x;
	while (i > 0 && h->v[(i - 1) / 2] > h->v[i]) {
		size_t p = (i - 1) / 2, t = h->v[p];

		h->v[p] = h->v[i];
		h->v[i] = t;
		i = p;
	}
}

static size_t heap_pop(struct heap *h)
{
	size_t top = h->v[0], i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i, t;

		if (l < h->n && h->v[l] < h->v[m])
			m = l;
		if (r < h->n && h->v[r] < h->v[m])
			m = r;
		if (m == i)
			break;
		t = h->v[m];
		h->v[m] = h->v[i];
		h->v[i] = t;
		i = m;
	}
	return top;
}

struct linker {
	struct sg_arena *a;
	const char *dir;
	struct sg_diags *d;
	struct sg_revision **byid;   /* sorted by id, duplicates removed */
	size_t n;
	/* branch labels, sorted by label */
	struct label {
		const char *label;
		struct sg_revision *rev;
	} *labels;
	size_t nlabels;
};

static int label_cmp(const void *pa, const void *pb)
{
	const struct label *a = pa, *b = pb;
	int c = strcmp(a->label, b->label);

	return c ? c : strcmp(a->rev->path, b->rev->path);
}

static struct sg_revision *find_label(const struct linker *lk, const char *s)
{
	for (size_t i = 0; i < lk->nlabels; i++)
		if (strcmp(lk->labels[i].label, s) == 0)
			return lk->labels[i].rev;
	return NULL;
}

static const char **all_ids(struct linker *lk)
{
	const char **v = sg_alloc_array(lk->a, lk->n + 1, sizeof(*v));

	for (size_t i = 0; i < lk->n; i++)
		v[i] = lk->byid[i]->id;
	return v;
}

static void unknown_ref(struct linker *lk, struct sg_revision *r,
			const char *key, const char *what, const char *name)
{
	struct sg_diag *dg = sg_diag_error(lk->d, store_header_loc(r, key),
					   "%s `%s`", what, name);
	const char *sugg = sg_suggest(name, all_ids(lk), lk->n);

	if (strcmp(key, "parents") == 0)
		sg_diag_hint(dg, lk->d, "%sno file in %s has it: restore the file of revision %s (the revisions that build on it need it)",
			     sugg ? sg_printf(lk->a, "did you mean `%s`? if not, ", sugg) : "",
			     lk->dir, name);
	else if (sugg)
		sg_diag_hint(dg, lk->d, "did you mean `%s`?", sugg);
}

/* Reports one cycle among the revisions Kahn's algorithm could not place. */
static void report_cycle(struct linker *lk, const bool *placed)
{
	size_t n = lk->n, start = n, cur;
	int *seen = sg_alloc_array(lk->a, n, sizeof(int));
	size_t *path = sg_alloc_array(lk->a, n + 1, sizeof(size_t));
	size_t len = 0;
	struct sbuf sb = SBUF_INIT;
	struct sg_diag *dg;

	for (size_t i = 0; i < n && start == n; i++)
		if (!placed[i])
			start = i;
	/* every unplaced revision has an unplaced parent or dependency */
	for (cur = start; !seen[cur];) {
		struct sg_revision *r = lk->byid[cur], *next = NULL;

		seen[cur] = (int)++len;
		path[len - 1] = cur;
		for (size_t k = 0; k < r->nparents && !next; k++)
			if (!placed[r->parent_revs[k]->order])
				next = r->parent_revs[k];
		for (size_t k = 0; k < r->ndepends_on && !next; k++)
			if (!placed[r->depends_revs[k]->order])
				next = r->depends_revs[k];
		if (!next)
			SG_BUG("unplaced revision %s without unplaced parent", r->id);
		cur = (size_t)next->order;
	}
	for (size_t i = (size_t)seen[cur] - 1; i < len; i++)
		sbuf_addf(&sb, "%s -> ", lk->byid[path[i]]->id);
	sbuf_adds(&sb, lk->byid[cur]->id);
	dg = sg_diag_error(lk->d, store_header_loc(lk->byid[cur], "parents"),
			   "the revision graph has a cycle: %s", sb.buf);
	sg_diag_hint(dg, lk->d, "each arrow goes from a revision to one of its parents or depends-on revisions");
	sbuf_release(&sb);
}

/* Links parents, dependencies and children, and orders the graph. */
static int link_graph(struct linker *lk, struct sg_revgraph *g)
{
	struct sg_diags *d = lk->d;
	int nerrors = d->nerrors;
	size_t n = lk->n, *indeg;
	SG_VEC(size_t) *out;
	bool *placed;
	struct heap h;
	SG_VEC(struct label) labels = { 0 };

	/* positions in id order; .order is reassigned below */
	for (size_t i = 0; i < n; i++)
		lk->byid[i]->order = (int)i;

	for (size_t i = 0; i < n; i++) {
		struct sg_revision *r = lk->byid[i];

		for (size_t k = 0; k < r->nbranch_labels; k++) {
			struct label l = { r->branch_labels[k], r };

			SG_VEC_PUSH(lk->a, &labels, l);
			if (bsearch_id(lk->byid, n, l.label))
				sg_diag_error(d, store_header_loc(r, "branch-labels"),
					"branch label `%s` is also a revision id",
					l.label);
		}
	}
	if (labels.n > 1)
		qsort(labels.v, labels.n, sizeof(*labels.v), label_cmp);
	for (size_t i = 1; i < labels.n; i++)
		if (strcmp(labels.v[i].label, labels.v[i - 1].label) == 0)
			sg_diag_error(d, store_header_loc(labels.v[i].rev, "branch-labels"),
				"branch label `%s` is also used by revision %s (%s)",
				labels.v[i].label, labels.v[i - 1].rev->id,
				labels.v[i - 1].rev->path);
	lk->labels = labels.v;
	lk->nlabels = labels.n;

	for (size_t i = 0; i < n; i++) {
		struct sg_revision *r = lk->byid[i];

		r->parent_revs = sg_alloc_array(lk->a, r->nparents + 1,
						sizeof(*r->parent_revs));
		r->depends_revs = sg_alloc_array(lk->a, r->ndepends_on + 1,
						 sizeof(*r->depends_revs));
		for (size_t k = 0; k < r->nparents; k++) {
			r->parent_revs[k] = bsearch_id(lk->byid, n, r->parents[k]);
			if (!r->parent_revs[k])
				unknown_ref(lk, r, "parents",
					    "unknown parent revision",
					    r->parents[k]);
		}
		for (size_t k = 0; k < r->ndepends_on; k++) {
			struct sg_revision *dep = bsearch_id(lk->byid, n,
							     r->depends_on[k]);

			if (!dep)
				dep = find_label(lk, r->depends_on[k]);
			r->depends_revs[k] = dep;
			if (!dep)
				unknown_ref(lk, r, "depends-on",
					    "depends-on: no revision or branch label",
					    r->depends_on[k]);
			else if (dep == r)
				sg_diag_error(d, store_header_loc(r, "depends-on"),
					"revision `%s` depends on itself", r->id);
		}
	}
	if (d->nerrors > nerrors)
		return -1;

	for (size_t i = 0; i < n; i++) {
		struct sg_revision *r = lk->byid[i];

		for (size_t k = 0; k < r->nparents; k++) {
			struct sg_revision *p = r->parent_revs[k];

			if (p->nchildren == p->childcap)
				p->children = sg_arena_grow(lk->a, p->children,
							    &p->childcap,
							    p->nchildren + 1,
							    sizeof(*p->children));
			p->children[p->nchildren++] = r;
		}
	}

	/* Kahn's algorithm over parent and depends-on edges */
	indeg = sg_alloc_array(lk->a, n + 1, sizeof(*indeg));
	placed = sg_alloc_array(lk->a, n + 1, sizeof(*placed));
	out = sg_alloc_array(lk->a, n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct sg_revision *r = lk->byid[i];

		for (size_t k = 0; k < r->nparents + r->ndepends_on; k++) {
			struct sg_revision *p = k < r->nparents
				? r->parent_revs[k]
				: r->depends_revs[k - r->nparents];

			SG_VEC_PUSH(lk->a, &out[p->order], i);
		}
	}
	h.v = sg_alloc_array(lk->a, n + 1, sizeof(*h.v));
	h.n = 0;
	for (size_t i = 0; i < n; i++) {
		indeg[i] = lk->byid[i]->nparents + lk->byid[i]->ndepends_on;
		if (!indeg[i])
			heap_push(&h, i);
	}
	g->revs = sg_alloc_array(lk->a, n + 1, sizeof(*g->revs));
	g->n = 0;
	while (h.n) {
		size_t i = heap_pop(&h);

		placed[i] = true;
		g->revs[g->n++] = lk->byid[i];
		for (size_t k = 0; k < out[i].n; k++)
			if (--indeg[out[i].v[k]] == 0)
				heap_push(&h, out[i].v[k]);
	}
	if (g->n < n) {
		report_cycle(lk, placed);
		g->n = 0;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		g->revs[i]->order = (int)i;

	g->heads = sg_alloc_array(lk->a, n + 1, sizeof(*g->heads));
	g->bases = sg_alloc_array(lk->a, n + 1, sizeof(*g->bases));
	for (size_t i = 0; i < n; i++) {
		if (!lk->byid[i]->nchildren)
			g->heads[g->nheads++] = lk->byid[i];
		if (!lk->byid[i]->nparents)
			g->bases[g->nbases++] = lk->byid[i];
	}
	return 0;
}

static bool is_migration_file(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && strcmp(name + len - 4, ".sql") == 0;
}

int store_load(struct sg_arena *a, const char *dir, struct sg_revgraph *g,
	       struct sg_diags *d)
{
	return store_load_project(a, NULL, dir, g, d);
}

int store_load_project(struct sg_arena *a, const char *root, const char *dir,
		       struct sg_revgraph *g, struct sg_diags *d)
{
	SG_VEC(struct sg_revision *) revs = { 0 };
	struct linker lk = { .a = a, .d = d, .dir = dir };
	char **files;
	size_t nfiles;
	int ret = 0, nerrors = d->nerrors;

	memset(g, 0, sizeof(*g));
	g->dir = sg_strdup(a, dir);
	g->bodies = sg_arena_child(a);
	/* the same rule as the model files: links only to files in the project */
	if (sg_dir_files(a, root, dir, false, is_migration_file, d, &files, &nfiles) < 0)
		ret = -1;
	for (size_t i = 0; i < nfiles; i++) {
		struct sg_revision *r;
		size_t len;
		char *text = sg_read_file(files[i], &len);

		if (!text) {
			ret = sg_error("could not read %s: %s", files[i], strerror(errno));
			continue;
		}
		if (store_parse_header_in(a, g->bodies, files[i], text, len, &r, d) == 0)
			SG_VEC_PUSH(a, &revs, r);
		free(text);
	}
	if (ret < 0 || d->nerrors > nerrors)
		return -1;

	/* duplicate ids: keep the first file (by name), report the others */
	if (revs.n > 1)
		qsort(revs.v, revs.n, sizeof(*revs.v), rev_id_cmp);
	lk.byid = sg_alloc_array(a, revs.n + 1, sizeof(*lk.byid));
	for (size_t i = 0; i < revs.n; i++) {
		struct sg_revision *r = revs.v[i];
		struct sg_revision *prev = lk.n ? lk.byid[lk.n - 1] : NULL;

		if (prev && strcmp(prev->id, r->id) == 0) {
			struct sg_revision *first = strcmp(prev->path, r->path) < 0 ? prev : r;
			struct sg_revision *second = first == prev ? r : prev;
			struct sg_diag *dg = sg_diag_error(d,
				store_header_loc(second, "schemagen revision"),
				"duplicate revision id `%s`: %s has it too",
				r->id, first->path);

			sg_diag_hint(dg, d, "give one of them a new id (`schemagen revision` makes them)");
			lk.byid[lk.n - 1] = first;
			continue;
		}
		lk.byid[lk.n++] = r;
	}
	if (d->nerrors > nerrors)
		return -1;
	return link_graph(&lk, g);
}

/* ---- lookup ---- */

enum lookup_status { L_FOUND, L_NONE, L_AMBIGUOUS };

static struct sg_revision *lookup(const struct sg_revgraph *g, const char *ref,
				  enum lookup_status *st, struct sbuf *matches)
{
	struct sg_revision *found = NULL;
	size_t nmatch = 0;
	*st = L_NONE;
	if (!ref || !*ref)
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->revs[i]->id, ref) == 0) {
			*st = L_FOUND;
			return g->revs[i];
		}
	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < g->revs[i]->nbranch_labels; k++)
			if (strcmp(g->revs[i]->branch_labels[k], ref) == 0) {
				*st = L_FOUND;
				return g->revs[i];
			}
	for (size_t i = 0; i < g->n; i++)
		if (strncmp(g->revs[i]->id, ref, strlen(ref)) == 0) {
			found = g->revs[i];
			nmatch++;
		}
	if (nmatch == 1) {
		*st = L_FOUND;
		return found;
	}
	if (nmatch == 0)
		return NULL;
	*st = L_AMBIGUOUS;
	if (matches) {
		const char **v = xcalloc(nmatch, sizeof(*v));
		size_t k = 0;

		for (size_t i = 0; i < g->n; i++)
			if (strncmp(g->revs[i]->id, ref, strlen(ref)) == 0)
				v[k++] = g->revs[i]->id;
		qsort(v, k, sizeof(*v), str_cmp);
		store_join(matches, v, k, NULL);
		free(v);
	}
	return NULL;
}

static struct sg_revision *lookup_or_say(const struct sg_revgraph *g,
					 const char *ref)
{
	enum lookup_status st;
	struct sbuf sb = SBUF_INIT;
	struct sg_revision *r = lookup(g, ref, &st, &sb);

	if (st == L_NONE)
		sg_error("no revision matches '%s'", ref);
	else if (st == L_AMBIGUOUS)
		sg_error("revision prefix '%s' is ambiguous: %s", ref, sb.buf);
	sbuf_release(&sb);
	return r;
}

struct sg_revision *store_lookup(const struct sg_revgraph *g, const char *ref)
{
	return lookup_or_say(g, ref);
}

/* ---- sets ---- */

static bool *new_set(struct sg_arena *a, const struct sg_revgraph *g)
{
	return sg_alloc_array(a, g->n + 1, sizeof(bool));
}

/* Marks revs and all their ancestors (parents and depends-on). */
static void mark_ancestors(const struct sg_revgraph *g, bool *set,
			   struct sg_revision *const *revs, size_t n)
{
	SG_VEC(struct sg_revision *) stack = { 0 };
	struct sg_arena *tmp = sg_arena_new();

	for (size_t i = 0; i < n; i++)
		SG_VEC_PUSH(tmp, &stack, revs[i]);
	while (stack.n) {
		struct sg_revision *r = stack.v[--stack.n];

		if (set[r->order])
			continue;
		set[r->order] = true;
		for (size_t k = 0; k < r->nparents; k++)
			if (!set[r->parent_revs[k]->order])
				SG_VEC_PUSH(tmp, &stack, r->parent_revs[k]);
		for (size_t k = 0; k < r->ndepends_on; k++)
			if (!set[r->depends_revs[k]->order])
				SG_VEC_PUSH(tmp, &stack, r->depends_revs[k]);
	}
	(void)g;
	sg_arena_free(tmp);
}

/* The maximal elements of set (nothing in set has them as ancestor). */
static size_t maximal(struct sg_arena *a, const struct sg_revgraph *g,
		      const bool *set, struct sg_revision ***out)
{
	bool *covered = new_set(a, g);
	struct sg_revision **v = sg_alloc_array(a, g->n + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct sg_revision *r = g->revs[i];

		if (!set[i])
			continue;
		for (size_t k = 0; k < r->nparents; k++)
			covered[r->parent_revs[k]->order] = true;
		for (size_t k = 0; k < r->ndepends_on; k++)
			covered[r->depends_revs[k]->order] = true;
	}
	for (size_t i = 0; i < g->n; i++)
		if (set[i] && !covered[i])
			v[n++] = g->revs[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), rev_id_cmp);
	*out = v;
	return n;
}

static struct sg_revision *find_exact(const struct sg_revgraph *g,
				      const char *id)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->revs[i]->id, id) == 0)
			return g->revs[i];
	return NULL;
}

/* "a, b" for the current heads, "base" when none. */
static const char *current_text(struct sg_arena *a, const char *const *cur,
				size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	store_join(&sb, cur, n, "base");
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* The applied set of the current heads; -1 when one is not in the graph. */
static int applied_set(struct sg_arena *a, const struct sg_revgraph *g,
		       const char *const *cur, size_t n, bool **out)
{
	struct sg_revision **revs = sg_alloc_array(a, n + 1, sizeof(*revs));

	for (size_t i = 0; i < n; i++) {
		revs[i] = find_exact(g, cur[i]);
		if (!revs[i]) {
			sg_error("the database is at revision %s, which is not in %s",
				 cur[i], g->dir ? g->dir : "the migrations directory");
			sg_hint("restore its file (check out the branch that has it), or, if the database really is elsewhere, record that with `schemagen stamp --purge REV`");
			return -1;
		}
	}
	*out = new_set(a, g);
	mark_ancestors(g, *out, revs, n);
	return 0;
}

/* ---- targets ---- */

/* Parses a positive count; prints an error for anything else. */
static int parse_count(const char *s, const char *target)
{
	long v = 0;

	if (!*s)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
		if (v > 1000000)
			goto bad;
	}
	if (v == 0)
		goto bad;
	return (int)v;
bad:
	sg_error("invalid target '%s': expected a positive number after the sign",
		 target);
	return -1;
}

/* Walks n steps to single children from r (NULL: from base). */
static struct sg_revision *walk_up(struct sg_arena *a,
				   const struct sg_revgraph *g,
				   struct sg_revision *r, int n)
{
	const char *from = r ? r->id : "base";

	for (int i = 0; i < n; i++) {
		struct sg_revision *const *next = r ? r->children : g->bases;
		size_t nnext = r ? r->nchildren : g->nbases;

		if (nnext == 0 && i == 0) {
			if (r)
				sg_error("cannot go up from %s: it is a head, there is nothing above it",
					 from);
			else
				sg_error("cannot go up from base: there are no revisions");
			return NULL;
		}
		if (nnext == 0) {
			sg_error("cannot go up %d revision%s from %s: there %s only %d",
				 n, n == 1 ? "" : "s", from, i == 1 ? "is" : "are", i);
			return NULL;
		}
		if (nnext > 1) {
			struct sg_revision **v = sg_memdup(a, next, nnext * sizeof(*v));

			qsort(v, nnext, sizeof(*v), rev_id_cmp);
			if (r)
				sg_error("cannot go up from %s: it has several children (%s)",
					 r->id, ids_text(a, v, nnext));
			else
				sg_error("cannot go up from base: there are several base revisions (%s)",
					 ids_text(a, v, nnext));
			sg_hint("name the target revision");
			return NULL;
		}
		r = next[0];
	}
	return r;
}

/*
 * Walks n steps to the single parent from r; *at_base is set when the walk
 * ends below the first revision of r's line, which goes to *line_base.
 */
static struct sg_revision *walk_down(struct sg_arena *a, struct sg_revision *r,
				     int n, bool *at_base,
				     struct sg_revision **line_base)
{
	const char *from = r->id;

	*at_base = false;
	*line_base = NULL;
	for (int i = 0; i < n; i++) {
		if (!r) {
			sg_error("cannot go down %d revision%s from %s: there %s only %d",
				 n, n == 1 ? "" : "s", from, i == 1 ? "is" : "are", i);
			return NULL;
		}
		if (r->nparents > 1) {
			struct sg_revision **v = sg_memdup(a, r->parent_revs,
							   r->nparents * sizeof(*v));

			qsort(v, r->nparents, sizeof(*v), rev_id_cmp);
			sg_error("cannot go down from merge revision %s: it has several parents (%s)",
				 r->id, ids_text(a, v, r->nparents));
			sg_hint("name the target revision");
			return NULL;
		}
		if (!r->nparents)
			*line_base = r;
		r = r->nparents ? r->parent_revs[0] : NULL;
	}
	*at_base = r == NULL;
	return r;
}

/* Kinds of target text. */
enum tkind {
	T_SET,        /* an absolute set of revisions (possibly empty: base) */
	T_UP,         /* +N */
	T_DOWN,       /* -N */
};

struct target {
	enum tkind kind;
	int count;                  /* T_UP, T_DOWN */
	bool base;                  /* T_SET: `base` or REV-N down to base */
	struct sg_revision *line_base; /* REV-N: the first revision of REV's line */
	bool head_word;             /* head, heads, X@head */
	struct sg_revision **revs;  /* T_SET */
	size_t n;
};

static int resolve(struct sg_arena *a, const struct sg_revgraph *g,
		   const char *target, struct target *t)
{
	size_t op;

	memset(t, 0, sizeof(*t));
	t->kind = T_SET;
	if (!target || !*target)
		return sg_error("no target revision given");
	if (strcmp(target, "base") == 0) {
		t->base = true;
		return 0;
	}
	if (strcmp(target, "heads") == 0) {
		t->head_word = true;
		t->revs = g->heads;
		t->n = g->nheads;
		return 0;
	}
	if (strcmp(target, "head") == 0) {
		t->head_word = true;
		if (g->nheads > 1) {
			const char *list = ids_text(a, g->heads, g->nheads);
			struct sbuf sb = SBUF_INIT;

			for (size_t i = 0; i < g->nheads; i++)
				sbuf_addf(&sb, " %s", g->heads[i]->id);
			sg_error("'head' is ambiguous: the migrations have %zu heads (%s)",
				 g->nheads, list);
			sg_hint("use `heads` for all of them, `<branch>@head` or a revision for one, or join them: schemagen merge -m MESSAGE%s",
				sb.buf);
			sbuf_release(&sb);
			return -1;
		}
		t->revs = g->heads;
		t->n = g->nheads;
		return 0;
	}
	if (target[0] == '+' || target[0] == '-') {
		t->kind = target[0] == '+' ? T_UP : T_DOWN;
		t->count = parse_count(target + 1, target);
		return t->count < 0 ? -1 : 0;
	}
	op = strcspn(target, "+-@");
	if (target[op] == '@') {
		char *left = sg_strndup(a, target, op);
		struct sg_revision *r;
		bool *desc;
		SG_VEC(struct sg_revision *) heads = { 0 };

		if (strcmp(target + op + 1, "head") != 0)
			return sg_error("invalid target '%s': after `@` only `head` is understood",
					target);
		r = lookup_or_say(g, left);
		if (!r)
			return -1;
		/* the heads that descend from r, inclusive */
		desc = new_set(a, g);
		desc[r->order] = true;
		for (size_t i = (size_t)r->order; i < g->n; i++) {
			struct sg_revision *c = g->revs[i];

			for (size_t k = 0; k < c->nparents && !desc[i]; k++)
				desc[i] = desc[c->parent_revs[k]->order];
			if (desc[i] && !c->nchildren)
				SG_VEC_PUSH(a, &heads, c);
		}
		if (heads.n > 1) {
			qsort(heads.v, heads.n, sizeof(*heads.v), rev_id_cmp);
			sg_error("%s has several heads: %s", left,
				 ids_text(a, heads.v, heads.n));
			sg_hint("name one of them");
			return -1;
		}
		t->head_word = true;
		t->revs = heads.v;
		t->n = 1;
		return 0;
	}
	if (target[op]) {
		char *left = sg_strndup(a, target, op);
		struct sg_revision *r;
		int count = parse_count(target + op + 1, target);
		bool at_base = false;

		if (count < 0)
			return -1;
		r = lookup_or_say(g, left);
		if (!r)
			return -1;
		if (target[op] == '+')
			r = walk_up(a, g, r, count);
		else
			r = walk_down(a, r, count, &at_base, &t->line_base);
		if (!r) {
			if (target[op] == '-' && at_base) {
				t->base = true;
				return 0;
			}
			return -1;
		}
		t->revs = sg_alloc(a, sizeof(*t->revs));
		t->revs[0] = r;
		t->n = 1;
		return 0;
	}
	{
		struct sg_revision *r = lookup_or_say(g, target);

		if (!r)
			return -1;
		t->revs = sg_alloc(a, sizeof(*t->revs));
		t->revs[0] = r;
		t->n = 1;
	}
	return 0;
}

int store_resolve(struct sg_arena *a, const struct sg_revgraph *g,
		  const char *target, struct sg_revision ***out, size_t *n)
{
	struct target t;

	*out = NULL;
	*n = 0;
	if (resolve(a, g, target, &t) < 0)
		return -1;
	if (t.kind != T_SET)
		return sg_error("'%s' is relative to the database's current revision; name a revision",
				target);
	*out = t.revs;
	*n = t.n;
	return 0;
}

int store_heads_of(struct sg_arena *a, const struct sg_revgraph *g,
		   struct sg_revision *const *revs, size_t n,
		   const char ***out, size_t *nout)
{
	bool *set = new_set(a, g);
	struct sg_revision **m;
	size_t k;

	mark_ancestors(g, set, revs, n);
	k = maximal(a, g, set, &m);
	*out = sg_alloc_array(a, k + 1, sizeof(**out));
	for (size_t i = 0; i < k; i++)
		(*out)[i] = m[i]->id;
	*nout = k;
	return 0;
}

/* The revisions of set in topological order, or its reverse. */
static void collect(struct sg_arena *a, const struct sg_revgraph *g,
		    const bool *set, bool reverse, struct sg_revision ***out,
		    size_t *n)
{
	struct sg_revision **v = sg_alloc_array(a, g->n + 1, sizeof(*v));
	size_t k = 0;

	for (size_t i = 0; i < g->n; i++) {
		size_t j = reverse ? g->n - 1 - i : i;

		if (set[j])
			v[k++] = g->revs[j];
	}
	*out = v;
	*n = k;
}

int store_plan_upgrade(struct sg_arena *a, const struct sg_revgraph *g,
		       const char *const *current, size_t ncurrent,
		       const char *target, struct sg_revision ***out,
		       size_t *n)
{
	bool *applied, *want;
	struct target t;

	*out = NULL;
	*n = 0;
	if (applied_set(a, g, current, ncurrent, &applied) < 0)
		return -1;
	if (resolve(a, g, target, &t) < 0)
		return -1;
	if (t.kind == T_DOWN) {
		sg_error("'%s' is not an upgrade target", target);
		sg_hint("to revert revisions, use `downgrade %s`", target);
		return -1;
	}
	if (t.kind == T_UP) {
		struct sg_revision *from = NULL, *to;
		struct sg_revision **m;
		size_t nm = maximal(a, g, applied, &m);

		if (nm > 1) {
			sg_error("the database has several heads (%s): '%s' needs one",
				 ids_text(a, m, nm), target);
			sg_hint("name the target revision, or use `heads`");
			return -1;
		}
		if (nm == 1)
			from = m[0];
		to = walk_up(a, g, from, t.count);
		if (!to)
			return -1;
		t.revs = sg_alloc(a, sizeof(*t.revs));
		t.revs[0] = to;
		t.n = 1;
	}
	if (t.base) {
		if (ncurrent == 0)
			return 0;
		sg_error("base is not an upgrade target");
		sg_hint("to revert every revision, use `downgrade base`");
		return -1;
	}
	want = new_set(a, g);
	mark_ancestors(g, want, t.revs, t.n);
	for (size_t i = 0; i < g->n; i++)
		want[i] = want[i] && !applied[i];
	collect(a, g, want, false, out, n);
	if (*n)
		return 0;
	/* nothing to apply: fine if the targets are where the database is */
	for (size_t i = 0; i < t.n; i++) {
		struct sg_revision *r = t.revs[i];

		for (size_t k = 0; k < r->nchildren; k++) {
			if (!applied[r->children[k]->order])
				continue;
			sg_error("revision %s is not ahead of the current revision%s %s",
				 r->id, ncurrent > 1 ? "s" : "",
				 current_text(a, current, ncurrent));
			sg_hint("to go back to it, use `downgrade %s`", r->id);
			return -1;
		}
	}
	return 0;
}

int store_plan_downgrade(struct sg_arena *a, const struct sg_revgraph *g,
			 const char *const *current, size_t ncurrent,
			 const char *target, struct sg_revision ***out,
			 size_t *n)
{
	bool *applied, *keep, *drop;
	struct target t;

	*out = NULL;
	*n = 0;
	if (applied_set(a, g, current, ncurrent, &applied) < 0)
		return -1;
	if (target && (strcmp(target, "head") == 0 || strcmp(target, "heads") == 0 ||
		       strstr(target, "@"))) {
		sg_error("'%s' is not a downgrade target", target);
		sg_hint("downgrade to -N, a revision, or base");
		return -1;
	}
	if (resolve(a, g, target, &t) < 0)
		return -1;
	if (t.kind == T_UP) {
		sg_error("'%s' is not a downgrade target", target);
		sg_hint("to apply revisions, use `upgrade %s`", target);
		return -1;
	}
	if (t.kind == T_DOWN) {
		struct sg_revision **m, *r;
		size_t nm = maximal(a, g, applied, &m);

		if (nm == 0) {
			sg_error("nothing to downgrade: the database is at base");
			return -1;
		}
		if (nm > 1) {
			sg_error("the database has several heads (%s): '%s' needs one",
				 ids_text(a, m, nm), target);
			sg_hint("name the target revision");
			return -1;
		}
		/* the N revisions along the single line below the head */
		drop = new_set(a, g);
		r = m[0];
		for (int i = 0; i < t.count; i++) {
			if (!r) {
				sg_error("cannot go down %d revision%s from %s: there %s only %d",
					 t.count, t.count == 1 ? "" : "s", m[0]->id,
					 i == 1 ? "is" : "are", i);
				return -1;
			}
			drop[r->order] = true;
			if (i + 1 < t.count && r->nparents > 1) {
				struct sg_revision **v = sg_memdup(a, r->parent_revs,
								   r->nparents * sizeof(*v));

				qsort(v, r->nparents, sizeof(*v), rev_id_cmp);
				sg_error("cannot go down past merge revision %s: it has several parents (%s)",
					 r->id, ids_text(a, v, r->nparents));
				sg_hint("name the target revision");
				return -1;
			}
			r = r->nparents ? r->parent_revs[0] : NULL;
		}
		/* what stays must not need what goes */
		for (size_t i = 0; i < g->n; i++) {
			struct sg_revision *c = g->revs[i];

			if (!applied[i] || drop[i])
				continue;
			for (size_t k = 0; k < c->nparents + c->ndepends_on; k++) {
				struct sg_revision *p = k < c->nparents
					? c->parent_revs[k]
					: c->depends_revs[k - c->nparents];

				if (!drop[p->order])
					continue;
				sg_error("cannot revert %s: %s depends on it and stays applied",
					 p->id, c->id);
				sg_hint("name the target revision");
				return -1;
			}
		}
		collect(a, g, drop, true, out, n);
		return 0;
	}
	for (size_t i = 0; i < t.n; i++) {
		if (applied[t.revs[i]->order])
			continue;
		sg_error("revision %s is not applied: the database is at %s",
			 t.revs[i]->id, current_text(a, current, ncurrent));
		sg_hint("to apply it, use `upgrade %s`", t.revs[i]->id);
		return -1;
	}
	/*
	 * What builds on the targets goes (their descendants through parents
	 * and depends-on, in topological order); other branches stay.  base
	 * has no targets: everything goes; REV-N below the first revision of
	 * REV's line takes that line's first revision and what builds on it.
	 */
	drop = new_set(a, g);
	keep = new_set(a, g);
	for (size_t i = 0; i < t.n; i++)
		keep[t.revs[i]->order] = true;
	if (t.line_base)
		drop[t.line_base->order] = true;
	for (size_t i = 0; i < g->n; i++) {
		struct sg_revision *c = g->revs[i];

		if (t.base && !t.line_base) {
			drop[i] = true;
			continue;
		}
		for (size_t k = 0; k < c->nparents + c->ndepends_on && !drop[i]; k++) {
			struct sg_revision *p = k < c->nparents
				? c->parent_revs[k]
				: c->depends_revs[k - c->nparents];

			drop[i] = keep[p->order] || drop[p->order];
		}
	}
	for (size_t i = 0; i < g->n; i++)
		drop[i] = drop[i] && applied[i];
	collect(a, g, drop, true, out, n);
	return 0;
}

void store_heads_after(struct sg_arena *a, const struct sg_revgraph *g,
		       const char *const *heads, size_t nheads,
		       const struct sg_revision *rev, bool up,
		       const char ***out, size_t *nout)
{
	bool *set = new_set(a, g);
	SG_VEC(const char *) res = { 0 };
	struct sg_revision **known = sg_alloc_array(a, nheads + 1, sizeof(*known));
	struct sg_revision **m;
	size_t nknown = 0, nm;

	for (size_t i = 0; i < nheads; i++) {
		struct sg_revision *r = find_exact(g, heads[i]);

		if (r)
			known[nknown++] = r;
		else
			SG_VEC_PUSH(a, &res, heads[i]);  /* kept as it is */
	}
	mark_ancestors(g, set, known, nknown);
	if (rev)
		set[rev->order] = up;
	nm = maximal(a, g, set, &m);
	for (size_t i = 0; i < nm; i++)
		SG_VEC_PUSH(a, &res, m[i]->id);
	if (res.n > 1)
		qsort(res.v, res.n, sizeof(*res.v), str_cmp);
	*out = res.v;
	*nout = res.n;
}
