// SPDX-License-Identifier: MIT
/*
 * write.c - making new migration files: random revision ids, file-name
 * slugs, the file text (the exact layout store_parse() reads back) and the
 * atomic, never-overwriting write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/store.h"
#include "schemagen/util.h"
#include "store-priv.h"

char *store_new_id(struct sg_arena *a)
{
	unsigned char b[6];
	size_t got = 0;
	char *id = sg_alloc(a, 13);

	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			SG_BUG("getrandom: %s", strerror(errno));
		}
		got += (size_t)r;
	}
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
	return id;
}

char *store_slug(struct sg_arena *a, const char *message)
{
	char buf[41];
	size_t n = 0;
	bool sep = false;

	for (const unsigned char *p = (const unsigned char *)message; *p; p++) {
		unsigned char c = *p;

		if (c >= 0x80)
			continue;  /* non-ASCII is dropped, not a separator */
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (c >= 'A' && c <= 'Z'))) {
			sep = true;
			continue;
		}
		if (sep && n > 0) {
			if (n + 2 > 40)
				break;
			buf[n++] = '_';
		} else if (n + 1 > 40) {
			break;
		}
		sep = false;
		buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[n] = '\0';
	return sg_strdup(a, n ? buf : "revision");
}

/*
 * One field of a template at t ("%(name)" already seen up to the name):
 * the name, the pad width (0: none) and the conversion.  Returns the
 * length of the field, 0 when malformed.
 */
static const char *const num_fields[] = {
	"year", "month", "day", "hour", "minute", "second", "epoch",
};

static size_t template_field(const char *t, const char **name, size_t *nlen,
			     int *pad, char *conv)
{
	const char *p = t + 2, *close = strchr(p, ')');

	*pad = 0;
	if (t[0] != '%' || t[1] != '(' || !close)
		return 0;
	*name = p;
	*nlen = (size_t)(close - p);
	p = close + 1;
	if (*p == '.') {
		size_t nd = strspn(p + 1, "0123456789");

		if (nd == 0 || nd > 2)
			return 0;
		*pad = atoi(p + 1);
		p += 1 + nd;
	}
	if (*p != 'd' && *p != 's')
		return 0;
	*conv = *p;
	return (size_t)(p + 1 - t);
}

static bool field_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncmp(name, want, n) == 0;
}

const char *store_check_template(const char *t, size_t *at)
{
	int nrev = 0;

	for (size_t i = 0; t[i];) {
		const char *name;
		size_t nlen, len;
		int pad;
		char conv;
		bool num = false;

		*at = i;
		if (t[i] != '%') {
			unsigned char c = (unsigned char)t[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
				return "only letters, digits, `_`, `-`, `.` and %(field)s may appear in a file name";
			if (i == 0 && c == '.')
				return "a file name starting with `.` would be skipped";
			i++;
			continue;
		}
		len = template_field(t + i, &name, &nlen, &pad, &conv);
		if (!len)
			return "a field is written %(name)s or %(name)d (%(month).2d pads to 2 digits)";
		for (size_t k = 0; k < ARRAY_SIZE(num_fields); k++)
			num = num || field_is(name, nlen, num_fields[k]);
		if (field_is(name, nlen, "rev") || field_is(name, nlen, "slug")) {
			if (conv != 's' || pad)
				return "%(rev)s and %(slug)s are written with `s`";
			nrev += field_is(name, nlen, "rev");
		} else if (!num) {
			return "unknown field (rev, slug, year, month, day, hour, minute, second, epoch)";
		} else if (conv != 'd') {
			return "a date field is written with `d`, as %(year)d or %(month).2d";
		}
		i += len;
	}
	*at = 0;
	if (nrev != 1)
		return nrev ? "%(rev)s may appear only once" : "the template must contain %(rev)s";
	return NULL;
}

char *store_file_name(struct sg_arena *a, const char *t, const char *id,
		      const char *message, const char *created)
{
	struct sbuf sb = SBUF_INIT;
	struct tm tm = { 0 };
	long long v[ARRAY_SIZE(num_fields)];
	char *name;

	if (!t)
		t = "%(rev)s_%(slug)s";
	/* created is 2026-11-21T10:00:00Z (valid) */
	tm.tm_year = atoi(created) - 1900;
	tm.tm_mon = atoi(created + 5) - 1;
	tm.tm_mday = atoi(created + 8);
	tm.tm_hour = atoi(created + 11);
	tm.tm_min = atoi(created + 14);
	tm.tm_sec = atoi(created + 17);
	v[0] = tm.tm_year + 1900;
	v[1] = tm.tm_mon + 1;
	v[2] = tm.tm_mday;
	v[3] = tm.tm_hour;
	v[4] = tm.tm_min;
	v[5] = tm.tm_sec;
	v[6] = (long long)timegm(&tm);
	for (size_t i = 0; t[i];) {
		const char *f;
		size_t nlen, len;
		int pad;
		char conv;

		if (t[i] != '%') {
			sbuf_addch(&sb, t[i++]);
			continue;
		}
		len = template_field(t + i, &f, &nlen, &pad, &conv);
		if (!len)
			SG_BUG("file template not checked");
		if (field_is(f, nlen, "rev"))
			sbuf_adds(&sb, id);
		else if (field_is(f, nlen, "slug"))
			sbuf_adds(&sb, store_slug(a, message ? message : ""));
		for (size_t k = 0; k < ARRAY_SIZE(num_fields); k++)
			if (field_is(f, nlen, num_fields[k]))
				sbuf_addf(&sb, "%0*lld", pad, v[k]);
		i += len;
	}
	sbuf_adds(&sb, ".sql");
	name = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return name;
}

static void now_utc(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool needs_no_transaction(const struct sg_script *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->v[i].no_transaction ||
		    (sg_sql_classify(s->v[i].sql) & SG_SQL_NO_TRANSACTION))
			return true;
	return false;
}

/*
 * "-- key: value\n": every header value goes through sg_quote_comment(), so
 * a line break or other control in it is an escape and the line cannot end
 * early (parse.c reads the message back with sg_unquote_comment()).  Blanks
 * around the value are dropped, as the parser drops them.
 */
static void add_header(struct sbuf *out, const char *key, const char *value)
{
	struct sbuf v = SBUF_INIT;
	size_t b = 0;

	sg_quote_comment(&v, value ? value : "");
	while (v.len && (v.buf[v.len - 1] == ' ' || v.buf[v.len - 1] == '\t'))
		sbuf_setlen(&v, v.len - 1);
	while (v.buf[b] == ' ')
		b++;
	sbuf_addf(out, "-- %s:%s%s\n", key, v.buf[b] ? " " : "", v.buf + b);
	sbuf_release(&v);
}

static void add_list(struct sbuf *out, const char *key,
		     const char *const *v, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	if (!n)
		return;
	store_join(&sb, v, n, NULL);
	add_header(out, key, sb.buf);
	sbuf_release(&sb);
}

void store_format_header(struct sbuf *out, const struct sg_revision_header *h,
			 const struct sg_script *up,
			 const struct sg_script *down)
{
	const char *created = h->created;
	char now[21];

	if (!created) {
		now_utc(now);
		created = now;
	}
	add_header(out, "schemagen revision", h->id);
	add_list(out, "parents", h->parents, h->nparents);
	if (!h->nparents)
		sbuf_adds(out, "-- parents:\n");
	add_header(out, "message", h->message);
	add_header(out, "created", created);
	add_list(out, "branch-labels", h->branch_labels, h->nbranch_labels);
	add_list(out, "depends-on", h->depends_on, h->ndepends_on);
	if (h->no_transaction || needs_no_transaction(up) ||
	    needs_no_transaction(down))
		sbuf_adds(out, "-- transaction: none\n");
	if (h->online)
		sbuf_adds(out, "-- online: true\n");
	if (h->lock_timeout)
		add_header(out, "lock-timeout", h->lock_timeout);
	if (h->statement_timeout)
		add_header(out, "statement-timeout", h->statement_timeout);
	sbuf_adds(out, "\n-- +upgrade\n");
	if (up)
		sg_script_format(out, up);
	sbuf_adds(out, "\n-- +downgrade\n");
	if (down)
		sg_script_format(out, down);
}

void store_format(struct sbuf *out, const char *id, const char *const *parents,
		  size_t nparents, const char *message, const char *created,
		  const struct sg_script *up, const struct sg_script *down)
{
	struct sg_revision_header h = {
		.id = id, .parents = parents, .nparents = nparents,
		.message = message, .created = created,
	};

	store_format_header(out, &h, up, down);
}

char *store_write_header(struct sg_arena *a, const char *dir,
			 const struct sg_revision_header *h,
			 const struct sg_script *up,
			 const struct sg_script *down)
{
	struct sbuf text = SBUF_INIT;
	struct sg_revision_header hc = *h;
	char now[21];
	char *name, *path, *ret = NULL;

	if (!hc.created) {
		/* one time for the header and the name */
		now_utc(now);
		hc.created = now;
	}
	h = &hc;
	name = store_file_name(a, h->file_template, h->id, h->message, h->created);
	path = sg_path_join(dir, name);

	if (sg_mkdir_p(dir, 0777) < 0) {
		sg_error("could not create directory %s: %s", dir, strerror(errno));
		goto out;
	}
	store_format_header(&text, h, up, down);
	if (sg_write_file_atomic(path, text.buf, text.len, true) < 0) {
		if (errno == EEXIST)
			sg_error("could not write %s: the file already exists", path);
		else
			sg_error("could not write %s: %s", path, strerror(errno));
		goto out;
	}
	ret = sg_strdup(a, path);
out:
	sbuf_release(&text);
	free(path);
	return ret;
}

char *store_write(struct sg_arena *a, const char *dir, const char *id,
		  const char *const *parents, size_t nparents,
		  const char *message, const struct sg_script *up,
		  const struct sg_script *down)
{
	struct sg_revision_header h = {
		.id = id, .parents = parents, .nparents = nparents,
		.message = message,
	};

	return store_write_header(a, dir, &h, up, down);
}
