// SPDX-License-Identifier: MIT
/*
 * parse.c - reading one migration file: the `-- key: value` header, the
 * `-- +upgrade` and `-- +downgrade` sections, and the statements of each
 * section with the file:line:col where they start.
 *
 * A file is
 *
 *     header      leading lines that start with "--": `-- key: value`
 *     preamble    blank lines and free comments (no SQL)
 *     -- +upgrade
 *     statements
 *     -- +downgrade
 *     statements
 *
 * Statements are found by PostgreSQL's own parser (sg_sql_split()), so
 * semicolons inside strings, comments and dollar-quoted bodies are no
 * trouble.  A statement is kept exactly as the file has it, from its first
 * token through its terminating ';' (comments between the last token and
 * the ';' included): the runner sends that text as it is, so a server error
 * position inside it maps back to the file by counting characters from the
 * statement's own line:col, and writing the statement back gives the same
 * file.  Every statement must end with ';', because psql, reading the file
 * as a whole, would otherwise run the end of one section together with the
 * next.
 *
 * Section markers are whole lines (`-- +upgrade`) that start outside any
 * string, quoted identifier, dollar-quoted body or block comment: a small
 * lexer finds those lines first, so a function body or a string that
 * happens to contain such a line is not cut in two.
 *
 * Nothing in a file can crash the parser: empty files, binary data,
 * invalid UTF-8 and every malformed header give one diagnostic each, with
 * the location and a hint where one helps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/store.h"
#include "store-priv.h"

enum hkey {
	H_REVISION,
	H_PARENTS,
	H_MESSAGE,
	H_CREATED,
	H_BRANCH_LABELS,
	H_DEPENDS_ON,
	H_TRANSACTION,
	H_LOCK_TIMEOUT,
	H_STATEMENT_TIMEOUT,
	H_ONLINE,
	H__COUNT
};

/* Indexed by enum hkey; keep in step. */
static const char *const header_keys[] = {
	[H_REVISION] = "schemagen revision",
	[H_PARENTS] = "parents",
	[H_MESSAGE] = "message",
	[H_CREATED] = "created",
	[H_BRANCH_LABELS] = "branch-labels",
	[H_DEPENDS_ON] = "depends-on",
	[H_TRANSACTION] = "transaction",
	[H_LOCK_TIMEOUT] = "lock-timeout",
	[H_STATEMENT_TIMEOUT] = "statement-timeout",
	[H_ONLINE] = "online",
};
_Static_assert(ARRAY_SIZE(header_keys) == H__COUNT, "header_keys out of step");

static const char *const reserved_names[] = { "head", "heads", "base" };

bool store_valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > STORE_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(reserved_names); i++)
		if (strcmp(s, reserved_names[i]) == 0)
			return false;
	return true;
}

/*
 * A timeout as PostgreSQL's lock_timeout and statement_timeout take it: a
 * whole number of milliseconds, or with one of the units ms, s, min, h, d.
 * Kept this narrow so that a value is the same in the header, on the
 * command line and in `SET LOCAL ... = '<value>'`.
 */
long long store_timeout_ms(const char *s)
{
	static const struct { const char *unit; long long ms; } units[] = {
		{ "", 1 }, { "ms", 1 }, { "s", 1000 }, { "min", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strcmp(s + n, units[i].unit) == 0)
			return atoll(s) * units[i].ms;
	return -1;
}

bool store_valid_timeout(const char *s)
{
	return store_timeout_ms(s) >= 0;
}

/* Columns count characters: skip UTF-8 continuation bytes. */
static bool is_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* A position that only moves forward, so locating N statements is O(file). */
struct cursor {
	size_t off;
	int line, col;
};

static void advance(struct cursor *c, const char *text, size_t to)
{
	for (; c->off < to; c->off++) {
		if (text[c->off] == '\n') {
			c->line++;
			c->col = 1;
		} else if (!is_cont(text[c->off])) {
			c->col++;
		}
	}
}

struct sg_loc store_loc(const char *file, const char *text, size_t len,
			size_t offset)
{
	struct cursor c = { 0, 1, 1 };
	struct sg_loc loc = { .file = sg_file_id(file), .style = 'x' };

	advance(&c, text, offset < len ? offset : len);
	loc.line = c.line;
	loc.col = c.col;
	return loc;
}

void store_join(struct sbuf *out, const char *const *v, size_t n,
		const char *none)
{
	if (n == 0 && none)
		sbuf_adds(out, none);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(out, ", ");
		sbuf_adds(out, v[i]);
	}
}

/* ---- lines ---- */

struct line {
	size_t off;    /* first byte */
	size_t len;    /* without "\n" and a trailing "\r" */
	size_t next;   /* offset of the following line */
};

static bool next_line(const char *text, size_t len, size_t off,
		      struct line *l)
{
	const char *nl;
	size_t end;

	if (off >= len)
		return false;
	nl = memchr(text + off, '\n', len - off);
	end = nl ? (size_t)(nl - text) : len;
	l->off = off;
	l->next = nl ? end + 1 : len;
	if (end > off && text[end - 1] == '\r')
		end--;
	l->len = end - off;
	return true;
}

enum marker { M_NONE, M_UPGRADE, M_DOWNGRADE, M_UNKNOWN };

/*
 * "-- +upgrade" and "-- +downgrade" (trailing blanks allowed) are markers;
 * any other "-- +<letter>..." line is a misspelt one.  "-- +1 ..." is an
 * ordinary comment.
 */
static enum marker marker_of(const char *text, const struct line *l,
			     const char **word, size_t *wlen)
{
	const char *p = text + l->off;
	size_t n = l->len;

	if (n < 5 || memcmp(p, "-- +", 4) != 0 ||
	    !((p[4] >= 'a' && p[4] <= 'z') || (p[4] >= 'A' && p[4] <= 'Z')))
		return M_NONE;
	while (n > 4 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*word = p + 4;
	*wlen = n - 4;
	if (*wlen == 7 && memcmp(*word, "upgrade", 7) == 0)
		return M_UPGRADE;
	if (*wlen == 9 && memcmp(*word, "downgrade", 9) == 0)
		return M_DOWNGRADE;
	return M_UNKNOWN;
}

/*
 * Which lines start outside any string, quoted identifier, dollar-quoted
 * body or block comment (sg_sql_token()): only there can a line be a
 * section marker.  Returns an array indexed by 1-based line number.
 */
static bool *code_lines(struct sg_arena *a, const char *s, size_t len)
{
	size_t nlines = 2, i = 0;
	int line = 1;
	bool *code;

	for (size_t k = 0; k < len; k++)
		nlines += s[k] == '\n';
	code = sg_alloc_array(a, nlines + 1, sizeof(*code));
	code[1] = true;
	while (i < len) {
		struct sg_token t;
		size_t next = sg_sql_token(s, len, i, &t);
		bool inside = t.kind == SG_TOK_STRING || t.kind == SG_TOK_QIDENT ||
			      t.kind == SG_TOK_DOLLAR || t.kind == SG_TOK_BLOCK_COMMENT;

		for (; i < next; i++)
			if (s[i] == '\n')
				code[++line] = !inside;
	}
	return code;
}

/* Skips blanks and comments (nested block comments as PostgreSQL). */
static size_t skip_space(const char *s, size_t i, size_t end)
{
	while (i < end) {
		struct sg_token t;
		size_t next = sg_sql_token(s, end, i, &t);

		if (sg_sql_token_is_code(t.kind))
			break;
		i = next;
	}
	return i;
}

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

/* ---- the parse ---- */

struct parse {
	struct sg_arena *a;
	struct sg_diags *d;
	struct sg_revision *rev;
	const char *text;
	size_t len;
	int header_line[H__COUNT];   /* 0: key not given */
	struct sg_loc value_loc[H__COUNT];
	bool force_no_transaction;
};

static struct sg_loc loc_at(struct parse *p, size_t off)
{
	return store_loc(p->rev->path, p->text, p->len, off);
}

static char *trimmed(struct sg_arena *a, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return sg_strndup(a, s, n);
}

/*
 * Splits a comma-separated header value into names, checking each.  `what`
 * names one element in messages ("parent", "branch label").
 */
static void name_list(struct parse *p, enum hkey k, const char *value,
		      const char ***out, size_t *n, const char *what)
{
	SG_VEC(const char *) v = { 0 };
	struct sg_loc loc = p->value_loc[k];
	const char *s = value;

	*out = NULL;
	*n = 0;
	if (!*value)
		return;
	for (;;) {
		size_t len = strcspn(s, ",");
		char *item = trimmed(p->a, s, len);
		bool dup = false;

		if (!*item) {
			sg_diag_error(p->d, loc, "%s: empty %s in the list",
				      header_keys[k], what);
		} else if (!store_valid_name(item)) {
			struct sg_diag *dg = sg_diag_error(p->d, loc,
				"%s: invalid %s `%s`", header_keys[k], what, item);

			sg_diag_hint(dg, p->d, "names are 1 to %d letters, digits or underscores, and not head, heads or base",
				     STORE_ID_MAX);
		} else {
			for (size_t i = 0; i < v.n; i++)
				dup = dup || strcmp(v.v[i], item) == 0;
			if (dup)
				sg_diag_error(p->d, loc, "%s: %s `%s` is listed twice",
					      header_keys[k], what, item);
			else
				SG_VEC_PUSH(p->a, &v, item);
		}
		if (!s[len])
			break;
		s += len + 1;
	}
	*out = v.v;
	*n = v.n;
}

static bool valid_created(const char *s)
{
	/* 2026-11-21T10:00:00Z */
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int mon, day, hh, mm, ss;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return false;
	mon = atoi(s + 5);
	day = atoi(s + 8);
	hh = atoi(s + 11);
	mm = atoi(s + 14);
	ss = atoi(s + 17);
	return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && hh <= 23 &&
	       mm <= 59 && ss <= 60;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Does a file name hold the revision id as a whole part (at the start or
 * after `_`, `-` or `.`; followed by one of them)?  Names come from
 * file_template (store_file_name()), which may put a date first; the
 * graph, not the name, orders revisions.
 */
static bool name_has_id(const char *name, const char *id, size_t n)
{
	for (const char *s = strstr(name, id); s; s = strstr(s + 1, id)) {
		bool before = s == name || strchr("_-.", s[-1]);
		bool after = s[n] && strchr("_-.", s[n]);

		if (before && after)
			return true;
	}
	return false;
}

static void header_value(struct parse *p, enum hkey k, const char *value)
{
	struct sg_revision *r = p->rev;
	struct sg_loc loc = p->value_loc[k];
	struct sg_diag *dg;

	switch (k) {
	case H_REVISION: {
		const char *name = base_name(r->path);
		size_t n = strlen(value);

		if (!store_valid_name(value)) {
			dg = sg_diag_error(p->d, loc, "invalid revision id `%s`", value);
			sg_diag_hint(dg, p->d, "ids are 1 to %d letters, digits or underscores, and not head, heads or base",
				     STORE_ID_MAX);
			break;
		}
		r->id = sg_strdup(p->a, value);
		if (!name_has_id(name, value, n)) {
			dg = sg_diag_error(p->d, loc,
				"revision `%s` does not match the file name `%s`",
				value, name);
			sg_diag_hint(dg, p->d, "a migration file is named <revision>_<slug>.sql, or as file_template says: its name holds the revision id between `_`, `-` or `.`");
		}
		break;
	}
	case H_PARENTS:
		name_list(p, k, value, (const char ***)&r->parents, &r->nparents,
			  "parent");
		for (size_t i = 0; r->id && i < r->nparents; i++)
			if (strcmp(r->parents[i], r->id) == 0)
				sg_diag_error(p->d, loc,
					"revision `%s` lists itself as a parent", r->id);
		break;
	case H_MESSAGE:
		/* written through sg_quote_comment(): line breaks are escapes */
		r->message = sg_unquote_comment(p->a, value, strlen(value));
		break;
	case H_CREATED:
		if (!valid_created(value)) {
			dg = sg_diag_error(p->d, loc, "created: `%s` is not a UTC time",
					   value);
			sg_diag_hint(dg, p->d, "write it as 2026-11-21T10:00:00Z");
		}
		r->created = sg_strdup(p->a, value);
		break;
	case H_BRANCH_LABELS:
		name_list(p, k, value, (const char ***)&r->branch_labels,
			  &r->nbranch_labels, "branch label");
		break;
	case H_DEPENDS_ON:
		name_list(p, k, value, (const char ***)&r->depends_on,
			  &r->ndepends_on, "revision");
		break;
	case H_TRANSACTION:
		if (strcmp(value, "none") == 0) {
			p->force_no_transaction = true;
			r->transaction_none = true;
		} else {
			dg = sg_diag_error(p->d, loc, "transaction: unknown value `%s`",
					   value);
			sg_diag_hint(dg, p->d, "the only value is `none`: run the revision outside a transaction");
		}
		break;
	case H_LOCK_TIMEOUT:
	case H_STATEMENT_TIMEOUT:
		if (!store_valid_timeout(value)) {
			dg = sg_diag_error(p->d, loc, "%s: `%s` is not a duration",
					   header_keys[k], value);
			sg_diag_hint(dg, p->d, "write a whole number with a unit: 500ms, 5s, 2min, 1h (0 turns the timeout off)");
			break;
		}
		if (k == H_LOCK_TIMEOUT)
			r->lock_timeout = sg_strdup(p->a, value);
		else
			r->statement_timeout = sg_strdup(p->a, value);
		break;
	case H_ONLINE:
		if (strcmp(value, "true") == 0) {
			p->force_no_transaction = true;
			r->online = true;
		} else if (strcmp(value, "false") != 0) {
			dg = sg_diag_error(p->d, loc, "online: unknown value `%s`", value);
			sg_diag_hint(dg, p->d, "write `online: true`: each statement then runs and commits on its own, with the online lock timeout and retries");
		}
		break;
	case H__COUNT:
		SG_BUG("header key");
	}
}

static unsigned allow_names(struct parse *p, const char *s, size_t n, size_t off);

static enum hkey key_of(const char *key)
{
	for (int k = 0; k < H__COUNT; k++)
		if (strcmp(key, header_keys[k]) == 0)
			return (enum hkey)k;
	/* the first line's key without its tool name, as Alembic spells it */
	if (strcmp(key, "revision") == 0)
		return H_REVISION;
	return H__COUNT;
}

/*
 * Reads the header lines [0, end).  Returns false (after one diagnostic)
 * when no line has a known key: the file is not a migration at all.
 */
static bool parse_header(struct parse *p, const struct line *lines, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < n && !any; i++) {
		const char *s = p->text + lines[i].off;
		const char *colon = memchr(s, ':', lines[i].len);

		if (colon) {
			char *key = trimmed(p->a, s + 2, (size_t)(colon - s - 2));

			any = key_of(key) != H__COUNT;
		}
	}
	if (!any) {
		struct sg_loc loc = { .file = sg_file_id(p->rev->path), .line = 1, .col = 1 };
		struct sg_diag *dg = sg_diag_error(p->d, loc,
			"missing header: a migration file starts with `-- schemagen revision: <id>`");

		sg_diag_hint(dg, p->d, "create migration files with `schemagen revision -m MESSAGE`");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = p->text + lines[i].off;
		size_t len = lines[i].len;
		const char *colon = memchr(s, ':', len);
		struct sg_loc lloc = loc_at(p, lines[i].off);
		char *key, *value;
		enum hkey k;
		struct sg_diag *dg;
		size_t voff;

		if (!colon) {
			dg = sg_diag_error(p->d, lloc,
				"malformed header line `%s`: expected `-- key: value`",
				sg_strndup(p->a, s, len));
			sg_diag_hint(dg, p->d, "end the header with a blank line before free comments");
			continue;
		}
		key = trimmed(p->a, s + 2, (size_t)(colon - s - 2));
		if (strcmp(key, "schemagen") == 0) {
			/* `-- schemagen: allow NAME`: for the whole file */
			voff = (size_t)(colon + 1 - s);
			p->rev->hz_allowed |= allow_names(p, colon + 1, len - voff,
							  lines[i].off + voff);
			continue;
		}
		k = key_of(key);
		if (k == H__COUNT) {
			const char *sugg = sg_suggest(key, header_keys, H__COUNT);

			lloc.col = 1 + (int)strspn(s + 2, " \t") + 2;
			dg = sg_diag_error(p->d, lloc, "unknown header key `%s`", key);
			if (sugg)
				sg_diag_hint(dg, p->d, "did you mean `%s`?", sugg);
			else
				sg_diag_hint(dg, p->d, "header keys are schemagen revision, parents, message, created, branch-labels, depends-on, transaction, online, lock-timeout and statement-timeout");
			continue;
		}
		if (p->header_line[k]) {
			sg_diag_error(p->d, lloc,
				"duplicate header key `%s` (first given on line %d)",
				header_keys[k], p->header_line[k]);
			continue;
		}
		p->header_line[k] = lloc.line;
		voff = (size_t)(colon + 1 - s);
		while (voff < len && (s[voff] == ' ' || s[voff] == '\t'))
			voff++;
		p->value_loc[k] = loc_at(p, lines[i].off + voff);
		value = trimmed(p->a, colon + 1, (size_t)(s + len - colon - 1));
		header_value(p, k, value);
	}
	for (int k = 0; k < H__COUNT; k++) {
		struct sg_loc loc = { .file = sg_file_id(p->rev->path), .line = 1, .col = 1 };
		struct sg_diag *dg;

		if (p->header_line[k] || k == H_BRANCH_LABELS ||
		    k == H_DEPENDS_ON || k == H_TRANSACTION ||
		    k == H_LOCK_TIMEOUT || k == H_STATEMENT_TIMEOUT ||
		    k == H_ONLINE)
			continue;
		dg = sg_diag_error(p->d, loc, "the header has no `%s:` line",
				   header_keys[k]);
		if (k == H_PARENTS)
			sg_diag_hint(dg, p->d, "the first revision has an empty `-- parents:`");
	}
	return true;
}

/*
 * "allow NAME[,NAME...]" (what follows `-- schemagen:`): the hazards it
 * accepts, as bits; an unknown name is an error at its place.
 */
static unsigned allow_names(struct parse *p, const char *s, size_t n, size_t off)
{
	size_t i = 0;
	unsigned bits = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < 5 || memcmp(s + i, "allow", 5) != 0 ||
	    (n - i > 5 && s[i + 5] != ' ' && s[i + 5] != '\t')) {
		struct sg_diag *dg = sg_diag_error(p->d, loc_at(p, off + i),
			"expected `allow NAME` after `-- schemagen:`");

		sg_diag_hint(dg, p->d, "accept a hazard with `-- schemagen: allow NAME` (or `allow NAME,NAME`)");
		return 0;
	}
	i += 5;
	while (i < n) {
		size_t b, e;
		int k;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
			i++;
		b = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
			i++;
		e = i;
		if (e == b)
			break;
		k = sg_hazard_of(s + b, e - b);
		if (k < 0) {
			const char *names[SG_HZ__COUNT];
			const char *w = sg_strndup(p->a, s + b, e - b);
			const char *sugg;
			struct sg_diag *dg;

			for (int h = 0; h < SG_HZ__COUNT; h++)
				names[h] = sg_hazard_name((enum sg_hazard)h);
			sugg = sg_suggest(w, names, SG_HZ__COUNT);
			dg = sg_diag_error(p->d, loc_at(p, off + b), "unknown hazard `%s`",
					   sg_qc(p->a, w));
			if (sugg)
				sg_diag_hint(dg, p->d, "did you mean `%s`?", sugg);
			else
				sg_diag_hint(dg, p->d, "the hazard names are listed in the README (`schemagen lint` prints them)");
			continue;
		}
		bits |= 1u << k;
	}
	return bits;
}

/* A `-- schemagen: ...` comment line: the offset of what follows, or 0. */
static size_t schemagen_comment(const char *s, size_t n)
{
	size_t sp = 0;

	while (sp < n && (s[sp] == ' ' || s[sp] == '\t'))
		sp++;
	if (n - sp >= 13 && memcmp(s + sp, "-- schemagen:", 13) == 0)
		return sp + 13;
	return 0;
}

/* The allow comments among the lines [from, to). */
static unsigned allow_in(struct parse *p, size_t from, size_t to)
{
	struct line l;
	unsigned bits = 0;

	for (size_t off = from; next_line(p->text, to, off, &l); off = l.next) {
		size_t v = schemagen_comment(p->text + l.off, l.len);

		if (v)
			bits |= allow_names(p, p->text + l.off + v, l.len - v, l.off + v);
	}
	return bits;
}

/*
 * The comment lines [from, to) before a statement: its `-- hazard: NAME:
 * what` lines (the generator's, kept as its hazards) and its allow lines.
 */
static void hazard_lines(struct parse *p, size_t from, size_t to, struct sg_stmt *st)
{
	struct line l;

	for (size_t off = from; next_line(p->text, to, off, &l); off = l.next) {
		const char *s = p->text + l.off, *colon;
		size_t n = l.len, sp = 0, v;
		struct sg_hz h = { 0 };
		int k;

		if ((v = schemagen_comment(s, n))) {
			st->hz_allowed |= allow_names(p, s + v, n - v, l.off + v);
			st->hz_allow_line = loc_at(p, l.off).line;
			continue;
		}
		while (sp < n && (s[sp] == ' ' || s[sp] == '\t'))
			sp++;
		if (n - sp < 10 || memcmp(s + sp, "-- hazard:", 10) != 0)
			continue;
		sp += 10;
		while (sp < n && s[sp] == ' ')
			sp++;
		colon = memchr(s + sp, ':', n - sp);
		if (!colon || (k = sg_hazard_of(s + sp, (size_t)(colon - s - sp))) < 0)
			continue;   /* not ours: a comment like any other */
		v = (size_t)(colon + 1 - s);
		while (v < n && s[v] == ' ')
			v++;
		h.kind = (enum sg_hazard)k;
		h.what = sg_unquote_comment(p->a, s + v, n - v);
		sg_stmt_add_hazard(p->a, st, &h);
		st->hz_written |= 1u << k;
	}
}

/*
 * "-- WARNING: x" comment lines in [from, to) become the statement's
 * warning; "-- irreversible: x" lines (tag "-- irreversible:") the reason
 * why a downgrade statement cannot restore what its upgrade changed.
 */
static const char *comment_in(struct parse *p, size_t from, size_t to,
			      const char *tag)
{
	size_t tl = strlen(tag);

	struct sbuf sb = SBUF_INIT;
	struct line l;
	const char *w = NULL;

	for (size_t off = from; next_line(p->text, to, off, &l); off = l.next) {
		const char *s = p->text + l.off;
		size_t n = l.len, sp = 0;

		while (sp < n && (s[sp] == ' ' || s[sp] == '\t'))
			sp++;
		if (n - sp < tl || memcmp(s + sp, tag, tl) != 0)
			continue;
		if (sb.len)
			sbuf_adds(&sb, "; ");
		sp += tl;
		while (sp < n && s[sp] == ' ')
			sp++;
		sbuf_adds(&sb, sg_unquote_comment(p->a, s + sp, n - sp));
	}
	if (sb.len)
		w = sbuf_to_arena(&sb, p->a);
	sbuf_release(&sb);
	return w;
}

/* Splits the section [start, end) into statements. */
static void parse_section(struct parse *p, size_t start, size_t end,
			  struct sg_script *out, bool *no_tx)
{
	/* the section's NUL-terminated copy for the split, and its spans:
	 * scratch (each statement is copied for itself below) */
	struct sg_arena *tmp = sg_arena_new();
	char *sql = sg_strndup(tmp, p->text + start, end - start);
	struct sg_sql_span *spans;
	size_t n, err_off, prev = start;
	const char *err_msg;
	struct cursor cur = { 0, 1, 1 };
	uint32_t file = sg_file_id(p->rev->path);   /* once, not per statement */

	if (sg_sql_split(tmp, sql, &spans, &n, &err_off, &err_msg) < 0) {
		/* "at or near" quotes the rest of an unterminated token: its
		 * first line is enough */
		const char *nl = strchr(err_msg, '\n');

		if (nl)
			err_msg = sg_printf(tmp, "%.*s...\"", (int)(nl - err_msg),
					    err_msg);
		sg_diag_error(p->d, loc_at(p, start + err_off), "%s", err_msg);
		sg_arena_free(tmp);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t s = start + spans[i].offset;
		size_t e = s + spans[i].len;
		size_t semi = skip_space(p->text, e, end);
		struct sg_stmt st = { 0 };
		struct sg_loc loc;
		unsigned flags;

		advance(&cur, p->text, s);
		loc = (struct sg_loc){ .file = file, .line = cur.line,
				       .col = cur.col, .style = 'x' };
		if (semi >= end || p->text[semi] != ';') {
			struct sg_diag *dg = sg_diag_error(p->d, loc_at(p, e),
				"missing `;` at the end of the statement");

			sg_diag_hint(dg, p->d, "end every statement with `;`, so that psql runs the file as it is written");
			prev = e;
			continue;
		}
		st.sql = sg_strndup(p->a, p->text + s, semi + 1 - s);
		st.file = p->rev->path;
		st.line = loc.line;
		st.col = loc.col;
		st.warning = comment_in(p, prev, s, "-- WARNING:");
		st.irreversible = comment_in(p, prev, s, "-- irreversible:");
		hazard_lines(p, prev, s, &st);
		prev = semi + 1;
		flags = sg_sql_classify(st.sql);
		if (flags & SG_SQL_TRANSACTION_CONTROL) {
			struct sg_diag *dg = sg_diag_error(p->d, loc,
				"transaction control is not allowed in migration files: schemagen runs each revision in its own transaction");

			sg_diag_hint(dg, p->d, "statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY, ...) make the revision run outside one by themselves");
			continue;
		}
		if (flags & SG_SQL_NO_TRANSACTION) {
			st.no_transaction = true;
			*no_tx = true;
		}
		SG_VEC_PUSH(p->a, out, st);
	}
	sg_arena_free(tmp);
	sg_script_hazards(p->a, out);
}

struct section {
	enum marker kind;
	size_t marker;   /* offset of the marker line */
	size_t start;    /* offset of the line after it */
	size_t end;      /* offset of the next marker line or EOF */
	int line;
};

static void parse_body(struct parse *p, size_t from, int lineno)
{
	struct sg_arena *tmp = sg_arena_new();   /* the scan's, not the body's */
	bool *code = code_lines(tmp, p->text, p->len);
	SG_VEC(struct section) secs = { 0 };
	struct line l;
	int seen[3] = { 0 };
	size_t pre_end = p->len, first;

	for (size_t off = from; next_line(p->text, p->len, off, &l);
	     off = l.next, lineno++) {
		const char *word;
		size_t wlen;
		enum marker m = marker_of(p->text, &l, &word, &wlen);
		struct section sec;

		/* a marker-like line inside a string or body is text */
		if (m == M_NONE || !code[lineno])
			continue;
		if (secs.n)
			secs.v[secs.n - 1].end = l.off;
		else
			pre_end = l.off;
		sec = (struct section){ .kind = m, .marker = l.off, .start = l.next,
					.end = p->len, .line = lineno };
		SG_VEC_PUSH(tmp, &secs, sec);
		if (m == M_UNKNOWN) {
			static const char *const names[] = { "upgrade", "downgrade" };
			char *w = sg_strndup(p->a, word, wlen);
			const char *sugg = sg_suggest(w, names, 2);
			struct sg_diag *dg = sg_diag_error(p->d, loc_at(p, l.off),
				"unknown section `-- +%s`", w);

			if (sugg)
				sg_diag_hint(dg, p->d, "did you mean `-- +%s`?", sugg);
			else
				sg_diag_hint(dg, p->d, "the sections are `-- +upgrade` and `-- +downgrade`");
		}
	}

	p->rev->hz_allowed |= allow_in(p, from, pre_end);
	first = skip_space(p->text, from, pre_end);
	if (first < pre_end) {
		struct sg_diag *dg = sg_diag_error(p->d, loc_at(p, first),
			"SQL outside a section");

		sg_diag_hint(dg, p->d, "statements go after `-- +upgrade` or `-- +downgrade`");
	}

	for (size_t i = 0; i < secs.n; i++) {
		struct section *s = &secs.v[i];

		if (s->kind == M_UNKNOWN)
			continue;
		if (seen[s->kind]) {
			sg_diag_error(p->d, loc_at(p, s->marker),
				"duplicate section `-- +%s` (first on line %d)",
				s->kind == M_UPGRADE ? "upgrade" : "downgrade",
				seen[s->kind]);
			continue;
		}
		seen[s->kind] = s->line;
		if (s->kind == M_DOWNGRADE && !seen[M_UPGRADE]) {
			bool later = false;

			for (size_t k = i + 1; k < secs.n; k++)
				later = later || secs.v[k].kind == M_UPGRADE;
			if (later) {
				struct sg_diag *dg = sg_diag_error(p->d, loc_at(p, s->marker),
					"section `-- +downgrade` comes before `-- +upgrade`");

				sg_diag_hint(dg, p->d, "put the upgrade section first");
			}
		}
		if (s->kind == M_UPGRADE) {
			parse_section(p, s->start, s->end, &p->rev->up,
				      &p->rev->up_no_transaction);
		} else {
			parse_section(p, s->start, s->end, &p->rev->down,
				      &p->rev->down_no_transaction);
			for (size_t k = 0; k < p->rev->down.n; k++)
				if (p->rev->down.v[k].irreversible)
					p->rev->down_irreversible++;
		}
	}
	if (!seen[M_UPGRADE] || !seen[M_DOWNGRADE]) {
		struct sg_loc loc = loc_at(p, p->len);
		struct sg_diag *dg;

		if (!seen[M_UPGRADE]) {
			dg = sg_diag_error(p->d, loc, "no `-- +upgrade` section");
			sg_diag_hint(dg, p->d, "the statements that apply the revision follow a line `-- +upgrade`");
		}
		if (!seen[M_DOWNGRADE]) {
			dg = sg_diag_error(p->d, loc, "no `-- +downgrade` section");
			sg_diag_hint(dg, p->d, "the statements that revert the revision follow a line `-- +downgrade` (it may be empty)");
		}
	}
	sg_arena_free(tmp);
}

/* The header in a; the text and, when parsed, the body in ta. */
static int parse_file(struct sg_arena *a, struct sg_arena *ta, const char *path,
		      const char *text, size_t len, bool body,
		      struct sg_revision **out, struct sg_diags *d)
{
	struct sg_revision *r = sg_alloc(a, sizeof(*r));
	struct parse p = { .a = a, .d = d, .rev = r, .len = len };
	SG_VEC(struct line) header = { 0 };
	struct line l;
	int nerrors = d->nerrors;
	size_t off = 0, bad;
	const char *nul;

	*out = NULL;
	r->path = sg_strdup(a, path);
	{
		/* text need not be NUL-terminated: the copy is */
		char *copy = sg_alloc(ta, len + 1);

		memcpy(copy, text, len);
		r->text = p.text = copy;
	}
	r->len = len;
	r->message = "";
	r->arena = ta;
	sg_sha256_hex(text, len, r->checksum);

	if (strspn(p.text, " \t\r\n") >= len) {
		struct sg_loc loc = { .file = sg_file_id(r->path), .line = 1, .col = 1 };
		struct sg_diag *dg = sg_diag_error(d, loc, "the file is empty");

		sg_diag_hint(dg, d, "a migration file starts with `-- schemagen revision: <id>`");
		return -1;
	}
	nul = memchr(text, '\0', len);
	if (nul) {
		sg_diag_error(d, loc_at(&p, (size_t)(nul - text)),
			      "not a text file: it contains a NUL byte");
		return -1;
	}
	bad = utf8_invalid((const unsigned char *)text, len);
	if (bad < len) {
		sg_diag_error(d, loc_at(&p, bad),
			      "invalid UTF-8 (byte 0x%02x)", (unsigned char)text[bad]);
		return -1;
	}

	while (next_line(text, len, off, &l)) {
		const char *w;
		size_t wl;

		if (l.len < 2 || memcmp(text + l.off, "--", 2) != 0 ||
		    marker_of(text, &l, &w, &wl) != M_NONE)
			break;
		SG_VEC_PUSH(a, &header, l);
		off = l.next;
	}
	if (!parse_header(&p, header.v, header.n))
		return -1;
	r->body_off = off;
	r->body_line = (int)header.n + 1;
	if (body || d->nerrors > nerrors)
		store_parse_body(r, d);
	if (d->nerrors > nerrors)
		return -1;
	*out = r;
	return 0;
}

int store_parse(struct sg_arena *a, const char *path, const char *text,
		size_t len, struct sg_revision **out, struct sg_diags *d)
{
	return parse_file(a, a, path, text, len, true, out, d);
}

int store_parse_header(struct sg_arena *a, const char *path, const char *text,
		       size_t len, struct sg_revision **out, struct sg_diags *d)
{
	return parse_file(a, a, path, text, len, false, out, d);
}

int store_parse_header_in(struct sg_arena *a, struct sg_arena *ta,
			  const char *path, const char *text, size_t len,
			  struct sg_revision **out, struct sg_diags *d)
{
	return parse_file(a, ta, path, text, len, false, out, d);
}

int store_parse_plain(struct sg_arena *a, const char *path, const char *text,
		      size_t len, struct sg_revision **out, struct sg_diags *d)
{
	struct sg_revision *r = sg_alloc(a, sizeof(*r));
	struct parse p = { .a = a, .d = d, .rev = r, .text = text, .len = len };
	int nerrors = d->nerrors;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->text = text;
	r->len = len;
	r->arena = a;
	parse_section(&p, 0, len, &r->up, &r->up_no_transaction);
	r->body_state = d->nerrors > nerrors ? -1 : 1;
	*out = r;
	return r->body_state > 0 ? 0 : -1;
}

int store_parse_body(struct sg_revision *r, struct sg_diags *d)
{
	struct parse p = {
		.a = r->arena, .d = d, .rev = r, .text = r->text, .len = r->len,
		.force_no_transaction = r->transaction_none || r->online,
	};
	int nerrors = d->nerrors;

	if (!r->text)
		SG_BUG("revision %s: its body was dropped (store_drop_bodies())", r->id);
	if (r->body_state)
		return r->body_state > 0 ? 0 : -1;
	parse_body(&p, r->body_off, r->body_line);
	if (p.force_no_transaction) {
		r->up_no_transaction = true;
		r->down_no_transaction = true;
	}
	r->body_state = d->nerrors > nerrors ? -1 : 1;
	return r->body_state > 0 ? 0 : -1;
}

int store_parse_bodies(struct sg_revision *const *revs, size_t n,
		       struct sg_diags *d)
{
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		if (store_parse_body(revs[i], d) < 0)
			ret = -1;
	return ret;
}

struct sg_loc store_header_loc(const struct sg_revision *rev, const char *key)
{
	struct sg_loc loc = { .file = sg_file_id(rev->path), .line = 1, .col = 1 };
	size_t klen = strlen(key);
	struct line l;

	for (size_t off = 0; next_line(rev->text, rev->len, off, &l); off = l.next) {
		const char *s = rev->text + l.off;
		size_t sp;

		if (l.len < 2 || memcmp(s, "--", 2) != 0)
			break;
		sp = 2 + strspn(s + 2, " \t");
		if (sp + klen < l.len && memcmp(s + sp, key, klen) == 0 &&
		    s[sp + klen] == ':') {
			sp += klen + 1;
			while (sp < l.len && (s[sp] == ' ' || s[sp] == '\t'))
				sp++;
			return store_loc(rev->path, rev->text, rev->len, l.off + sp);
		}
	}
	return loc;
}

void store_drop_bodies(struct sg_revgraph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct sg_revision *r = g->revs[i];

		r->text = NULL;
		r->len = 0;
		r->up = (struct sg_script){ 0 };
		r->down = (struct sg_script){ 0 };
		r->arena = NULL;
	}
	sg_arena_free(g->bodies);
	g->bodies = NULL;
}
