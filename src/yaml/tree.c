// SPDX-License-Identifier: MIT
/*
 * tree.c - one YAML document into a tree of struct ynode, with libyaml's
 * event API.
 *
 * Why our own tree rather than libyaml's document API: we need to reject
 * aliases (the document API resolves them silently, and a walker over a
 * shared graph can blow up exponentially: "billion laughs"), to know the
 * exact source text of each scalar to tell whether an offset inside it maps
 * back to the file (struct sg_loc style), and to detect duplicate keys,
 * which libyaml accepts.  The tree is built with an explicit stack, so deep
 * nesting costs memory, not C stack.
 *
 * libyaml marks are 0-based and count characters, not bytes; columns in our
 * locations are 1-based characters too (as sg_loc_at() counts them).  To
 * compare a scalar with its source we map marks to byte offsets with a table
 * of line starts that uses libyaml's own notion of a line break.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "yaml-priv.h"

struct src {
	const char *text;
	size_t len;
	SG_VEC(size_t) lines;       /* byte offset of the start of each line */
	SG_VEC(bool) ascii;         /* is that line ASCII (a byte a character)? */
};

/* Length of a line break at p (libyaml: \r\n, \r, \n, NEL, LS, PS), or 0. */
static size_t break_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t left = (size_t)(end - p);

	if (u[0] == '\r')
		return left >= 2 && u[1] == '\n' ? 2 : 1;
	if (u[0] == '\n')
		return 1;
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0x85)
		return 2;
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	    (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

static void src_init(struct sg_arena *a, struct src *s, const char *text,
		     size_t len)
{
	const char *p = text, *end = text + len;
	bool ascii = true;

	s->text = text;
	s->len = len;
	SG_VEC_PUSH(a, &s->lines, (size_t)0);
	while (p < end) {
		size_t b = break_len(p, end);

		if (b) {
			p += b;
			SG_VEC_PUSH(a, &s->ascii, ascii);
			SG_VEC_PUSH(a, &s->lines, (size_t)(p - text));
			ascii = true;
		} else {
			ascii = ascii && !((unsigned char)*p & 0x80);
			p++;
		}
	}
	SG_VEC_PUSH(a, &s->ascii, ascii);
}

/* Byte offset of a 0-based (line, character column), or SIZE_MAX. */
static size_t src_byte(const struct src *s, size_t line, size_t col)
{
	size_t i;

	if (line >= s->lines.n)
		return SIZE_MAX;
	i = s->lines.v[line];
	/* inside an ASCII line: a character is a byte */
	if (s->ascii.v[line] &&
	    i + col < (line + 1 < s->lines.n ? s->lines.v[line + 1] : s->len))
		return i + col;
	while (col > 0 && i < s->len) {
		i++;
		while (i < s->len && ((unsigned char)s->text[i] & 0xC0) == 0x80)
			i++;
		col--;
	}
	return col == 0 ? i : SIZE_MAX;
}

/* 1-based location of a byte offset (for reader errors, which give one). */
static struct sg_loc src_loc_of_byte(const struct src *s, uint32_t file,
				     size_t off)
{
	struct sg_loc loc = { .file = file, .line = 1, .col = 1 };
	size_t lo = 0, hi = s->lines.n;

	if (off > s->len)
		off = s->len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (s->lines.v[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	loc.line = (int)lo + 1;
	for (size_t i = s->lines.v[lo]; i < off; i++)
		if (((unsigned char)s->text[i] & 0xC0) != 0x80)
			loc.col++;
	return loc;
}

static struct sg_loc mark_loc(uint32_t file, yaml_mark_t m)
{
	struct sg_loc loc = {
		.file = file, .line = (int)m.line + 1, .col = (int)m.column + 1,
	};

	return loc;
}

/* Number of leading spaces of the source line `line` (0-based). */
static size_t src_indent(const struct src *s, size_t line)
{
	size_t i, n = 0;

	if (line >= s->lines.n)
		return 0;
	for (i = s->lines.v[line]; i < s->len && s->text[i] == ' '; i++)
		n++;
	return n;
}

/*
 * Where a scalar's value is in the file, and whether offsets into the value
 * map back exactly (see struct sg_loc).
 */
static struct sg_loc value_loc(const struct src *s, uint32_t file,
			       const yaml_event_t *e)
{
	const yaml_mark_t *st = &e->start_mark, *en = &e->end_mark;
	const char *v = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	struct sg_loc loc = mark_loc(file, *st);
	size_t b = src_byte(s, st->line, st->column);
	size_t eb = src_byte(s, en->line, en->column);

	loc.style = 'x';
	switch (e->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		if (st->line == en->line && b != SIZE_MAX && eb == b + len &&
		    memcmp(s->text + b, v, len) == 0)
			loc.style = 0;
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		if (st->line == en->line && b != SIZE_MAX && eb == b + len + 2 &&
		    memcmp(s->text + b + 1, v, len) == 0) {
			loc.style = 0;
			loc.col++;
		}
		break;
	case YAML_LITERAL_SCALAR_STYLE: {
		/*
		 * The value's first line is the line after the header ("|",
		 * "|-", "|2"...).  The content indentation is found from the
		 * first non-empty line: its source indentation minus the spaces
		 * that belong to the value.
		 */
		size_t k = 0, i = 0, vsp = 0, ind = 0;

		loc.style = 'l';
		loc.line = (int)st->line + 2;
		while (i < len && v[i] == '\n') {
			k++;
			i++;
		}
		if (i < len) {
			size_t ssp = src_indent(s, st->line + 1 + k);

			while (i + vsp < len && v[i + vsp] == ' ')
				vsp++;
			ind = ssp >= vsp ? ssp - vsp : 0;
		}
		loc.col = (int)ind + 1;
		sg_loc_indent(&loc, ind);
		break;
	}
	default:
		break;
	}
	return loc;
}

/* Collections nested deeper than this are refused, flow or block style. */
#define MAX_DEPTH 1000

struct frame {
	struct ynode *node;
	size_t kids;                /* where its children start in builder.kids */
};

/* a million of them for ten thousand tables: keep them small */
_Static_assert(sizeof(struct ynode) <= 80, "struct ynode grew");

/* Strings up to this long share chunks of STR_CHUNK bytes (unaligned). */
#define STR_SMALL 256
#define STR_CHUNK 8192

struct builder {
	struct sg_arena *a;
	uint32_t file;              /* sg_file_id() */
	struct sg_diags *d;
	struct src src;
	SG_VEC(struct frame) stack;
	/* the children of the open collections, one after the other (malloc'd,
	 * reused): a collection's are copied to the arena once all are known,
	 * not grown there */
	struct {
		struct ynode **v;
		size_t n, cap;
	} kids;
	char *str, *str_end;        /* the free part of the current string chunk */
	struct ynode **keys;        /* check_duplicate_keys()'s (malloc'd) */
	size_t nkeys;
	struct ynode *root;
	int ndocs;
	bool failed;
};

/* A scalar's value, NUL-terminated, in the arena. */
static const char *new_str(struct builder *b, const char *v, size_t len)
{
	char *p;

	if (len >= STR_SMALL)
		return sg_strndup(b->a, v, len);
	if ((size_t)(b->str_end - b->str) < len + 1) {
		b->str = sg_alloc(b->a, STR_CHUNK);
		b->str_end = b->str + STR_CHUNK;
	}
	p = b->str;
	memcpy(p, v, len);
	p[len] = '\0';
	b->str += len + 1;
	return p;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct ynode *const *a = pa, *const *b = pb;
	size_t la = (*a)->len, lb = (*b)->len;
	int c = memcmp((*a)->str, (*b)->str, la < lb ? la : lb);

	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	/* same key: keep file order, so the first one stays first */
	return (*a)->loc.line != (*b)->loc.line
		? ((*a)->loc.line < (*b)->loc.line ? -1 : 1)
		: ((*a)->loc.col > (*b)->loc.col) - ((*a)->loc.col < (*b)->loc.col);
}

/*
 * Reports repeated keys of a mapping (libyaml does not) and drops the later
 * pairs, so that walkers see each key once and do not report its contents
 * twice.
 */
static void check_duplicate_keys(struct builder *b, struct ynode *map)
{
	size_t npairs = map->nkids / 2, w = 0;
	struct ynode **keys;
	bool any = false;

	if (npairs < 2)
		return;
	if (npairs <= 8) {
		/* a few keys: compared pairwise, sorted only for a repeat */
		for (size_t i = 0; i < npairs && !any; i++)
			for (size_t j = i + 1; j < npairs && !any; j++) {
				const struct ynode *x = map->kids[2 * i], *y = map->kids[2 * j];

				any = x->type == YN_SCALAR && y->type == YN_SCALAR &&
				      x->len == y->len && memcmp(x->str, y->str, x->len) == 0;
			}
		if (!any)
			return;
		any = false;
	}
	if (b->nkeys < npairs) {
		b->nkeys = npairs;
		b->keys = xrealloc(b->keys, npairs * sizeof(*b->keys));
	}
	keys = b->keys;
	for (size_t i = 0; i < npairs; i++) {
		if (map->kids[2 * i]->type != YN_SCALAR)
			continue;
		keys[w++] = map->kids[2 * i];
	}
	qsort(keys, w, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < w; i++) {
		struct ynode *first = keys[i - 1], *dup = keys[i];
		struct sg_diag *dg;

		if (first->len != dup->len ||
		    memcmp(first->str, dup->str, first->len) != 0)
			continue;
		dg = sg_diag_error(b->d, dup->loc, "duplicate key %s",
				   yqn(b->a, dup->str, dup->len));
		sg_diag_hint(dg, b->d, "first given at %s:%d:%d", sg_file_name(b->file),
			     first->loc.line, first->loc.col);
		/* drop the duplicate; a third occurrence still names the
		 * first place */
		dup->dup = true;
		keys[i] = first;
		any = true;
	}
	if (!any)
		return;
	w = 0;
	for (size_t i = 0; i < npairs; i++) {
		struct ynode *k = map->kids[2 * i];

		if (k->dup)
			continue;
		map->kids[2 * w] = k;
		map->kids[2 * w + 1] = map->kids[2 * i + 1];
		w++;
	}
	map->nkids = 2 * w;
}

static void attach(struct builder *b, struct ynode *n)
{
	if (b->stack.n == 0) {
		/* only the first document is kept */
		if (b->ndocs == 1)
			b->root = n;
		return;
	}
	if (b->kids.n == b->kids.cap) {
		b->kids.cap = b->kids.cap ? 2 * b->kids.cap : 256;
		b->kids.v = xrealloc(b->kids.v, b->kids.cap * sizeof(*b->kids.v));
	}
	b->kids.v[b->kids.n++] = n;
}

static struct ynode *new_node(struct builder *b, enum ynode_type type,
			      const yaml_event_t *e)
{
	struct ynode *n = sg_alloc(b->a, sizeof(*n));

	n->type = type;
	n->loc = mark_loc(b->file, e->start_mark);
	return n;
}

static struct sg_diag *too_deep_error(struct sg_diags *d, struct sg_loc loc)
{
	return sg_diag_error(d, loc, "collections nested more than %d levels deep "
			     "are not supported", MAX_DEPTH);
}

/* Returns false to stop the parse (after a diagnostic). */
static bool on_event(struct builder *b, const yaml_event_t *e)
{
	struct ynode *n;
	struct frame *f;

	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->ndocs == 2)
			sg_diag_error(b->d, mark_loc(b->file, e->start_mark),
				      "a model file must hold a single YAML document");
		break;
	case YAML_SCALAR_EVENT:
		if (e->data.scalar.length > UINT32_MAX) {
			sg_diag_error(b->d, mark_loc(b->file, e->start_mark),
				      "a value longer than 4 GB is not supported");
			return false;
		}
		n = new_node(b, YN_SCALAR, e);
		n->len = (uint32_t)e->data.scalar.length;
		n->str = new_str(b, (const char *)e->data.scalar.value, n->len);
		n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->vloc = value_loc(&b->src, b->file, e);
		attach(b, n);
		break;
	case YAML_ALIAS_EVENT:
		sg_diag_error(b->d, mark_loc(b->file, e->start_mark),
			      "aliases (*%s) are not supported",
			      (const char *)e->data.alias.anchor);
		/* stand in for the aliased node, so the walk goes on */
		n = new_node(b, YN_SCALAR, e);
		n->str = "";
		n->plain = true;
		n->vloc = n->loc;
		attach(b, n);
		b->failed = true;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		struct frame nf = { 0 };

		if (b->stack.n >= MAX_DEPTH) {
			too_deep_error(b->d, mark_loc(b->file, e->start_mark));
			return false;
		}
		nf.node = new_node(b, e->type == YAML_SEQUENCE_START_EVENT
				   ? YN_SEQ : YN_MAP, e);
		nf.kids = b->kids.n;
		SG_VEC_PUSH(b->a, &b->stack, nf);
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->stack.n == 0)
			SG_BUG("unbalanced YAML events");
		f = &b->stack.v[--b->stack.n];
		n = f->node;
		if (b->kids.n > f->kids) {
			if (b->kids.n - f->kids > UINT32_MAX)
				SG_BUG("a collection of more than 4G items");
			n->nkids = (uint32_t)(b->kids.n - f->kids);
			n->kids = sg_memdup(b->a, b->kids.v + f->kids,
					    n->nkids * sizeof(*n->kids));
			b->kids.n = f->kids;
		}
		if (n->type == YN_MAP)
			check_duplicate_keys(b, n);
		attach(b, n);
		break;
	default:
		break;
	}
	return true;
}

/*
 * libyaml's reader refuses bytes that are not UTF-8 and characters YAML
 * does not allow, with a terse message and the offset of the byte where it
 * noticed.  Find the character ourselves to say which it is and point at
 * its first byte.
 */
static bool bad_char(struct sg_arena *a, const struct src *s, size_t *off,
		     const char **msg)
{
	const unsigned char *p = (const unsigned char *)s->text;

	for (size_t i = 0; i < s->len;) {
		uint32_t c;
		size_t n = yaml_u8dec(p + i, &c);

		if (n == 0 || i + n > s->len) {
			*off = i;
			*msg = sg_printf(a, "the file is not valid UTF-8 (byte 0x%02X)",
					 p[i]);
			return true;
		}
		if (!(c == 0x09 || c == 0x0A || c == 0x0D ||
		      (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
		      (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
		      c >= 0x10000)) {
			*off = i;
			*msg = sg_printf(a, "%s U+%04X is not allowed in YAML",
					 c < 0x20 || (c >= 0x7F && c < 0xA0)
					 ? "control character" : "character",
					 (unsigned)c);
			return true;
		}
		i += n;
	}
	return false;
}

/*
 * libyaml checks every open flow collection for each token, so deeply
 * nested flow collections ([[[[...) take quadratic time; a million of
 * them would hang the loader.  No model needs more than a few levels, so
 * refuse more than MAX_DEPTH before libyaml sees the text.  The scan
 * skips quoted scalars and comments; it need not be exact, only bounded.
 * Block collections (and flow inside block) are counted exactly as the
 * events open them, see on_event().
 */

static bool too_deep(const char *text, size_t len, size_t *at)
{
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == '"' || c == '\'') {
			for (i++; i < len && text[i] != c; i++)
				if (c == '"' && text[i] == '\\')
					i++;
		} else if (c == '#' && (i == 0 || text[i - 1] == ' ' ||
					text[i - 1] == '\t' || text[i - 1] == '\n')) {
			while (i < len && text[i] != '\n')
				i++;
		} else if (c == '[' || c == '{') {
			if (++depth > MAX_DEPTH) {
				*at = i;
				return true;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return false;
}

static const char *parser_problem(struct sg_arena *a, const yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		return "out of memory";
	if (!p->problem)
		return "unknown error";
	if (p->context)
		return sg_printf(a, "%s (%s at line %zu, column %zu)", p->problem,
				 p->context, p->context_mark.line + 1,
				 p->context_mark.column + 1);
	return p->problem;
}

int ydoc_parse(struct sg_arena *a, const char *file, const char *text,
	       size_t len, struct ynode **root, struct sg_diags *d)
{
	uint32_t fid = sg_file_id(file);
	struct builder b = { .a = a, .file = fid, .d = d };
	yaml_parser_t parser;
	int nerrors = d->nerrors;

	*root = NULL;
	/* libyaml skips a BOM without counting it in marks; so do we */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	src_init(a, &b.src, text, len);
	{
		size_t at;

		if (too_deep(text, len, &at)) {
			too_deep_error(d, src_loc_of_byte(&b.src, fid, at));
			return -1;
		}
	}
	if (!yaml_parser_initialize(&parser))
		SG_BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		yaml_event_t e;
		bool end;

		if (!yaml_parser_parse(&parser, &e)) {
			struct sg_diag *dg;
			const char *msg;
			size_t off, at;

			if (parser.error == YAML_READER_ERROR &&
			    bad_char(a, &b.src, &off, &msg)) {
				dg = sg_diag_error(d, src_loc_of_byte(&b.src, fid, off),
						   "%s", msg);
				if (strncmp(msg, "the file", 8) == 0)
					sg_diag_hint(dg, d, "save the file as UTF-8");
			} else if (parser.error == YAML_READER_ERROR) {
				sg_diag_error(d, src_loc_of_byte(&b.src, fid,
								 parser.problem_offset),
					      "invalid YAML: %s",
					      parser_problem(a, &parser));
			} else {
				dg = sg_diag_error(d, mark_loc(fid, parser.problem_mark),
						   "invalid YAML: %s",
						   parser_problem(a, &parser));
				at = src_byte(&b.src, parser.problem_mark.line,
					      parser.problem_mark.column);
				if (at < len && text[at] == '\t')
					sg_diag_hint(dg, d, "indent with spaces: YAML "
						     "does not allow tabs there");
			}
			b.failed = true;
			b.root = NULL;
			break;
		}
		if (!on_event(&b, &e)) {
			yaml_event_delete(&e);
			b.failed = true;
			b.root = NULL;
			break;
		}
		end = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	free(b.kids.v);
	free(b.keys);
	*root = b.root;
	return d->nerrors > nerrors || b.failed ? -1 : 0;
}
