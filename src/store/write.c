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
	char *name = sg_printf(a, "%s_%s.sql", h->id, store_slug(a, h->message ? h->message : ""));
	char *path = sg_path_join(dir, name);
	char *ret = NULL;

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
