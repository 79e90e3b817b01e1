// SPDX-License-Identifier: MIT
/* diag.c - diagnostics lists and operational messages; see diag.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

int sg_verbosity;
struct sg_diag_sink *sg_sink;

/* Keeps a copy of dg in the sink (strings copied: d's arena may go first). */
void sg_diag_keep(const struct sg_diag *dg)
{
	struct sg_diag c = *dg;

	if (!sg_sink || dg->sev == SG_SEV_NOTE)
		return;
	if (sg_sink->n >= SG_DIAGS_MAX) {
		sg_sink->dropped++;
		return;
	}
	c.msg = sg_strdup(sg_sink->arena, dg->msg ? dg->msg : "");
	c.hint = dg->hint ? sg_strdup(sg_sink->arena, dg->hint) : NULL;
	SG_VEC_PUSH(sg_sink->arena, sg_sink, c);
}

void sg_sink_hint(const char *hint)
{
	if (sg_sink && hint && sg_sink->n && !sg_sink->v[sg_sink->n - 1].hint)
		sg_sink->v[sg_sink->n - 1].hint = sg_strdup(sg_sink->arena, hint);
}

static bool silent(void)
{
	return sg_sink && sg_sink->silent;
}

struct sg_loc sg_loc_at(struct sg_loc loc, const char *text, size_t offset)
{
	struct sg_loc r = loc;
	size_t len = text ? strlen(text) : 0;

	if (loc.line == 0 || loc.style == 'x' || !text)
		return r;
	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			r.line++;
			r.col = loc.style == 'l' ? loc.indent + 1 : 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			/* count characters, not UTF-8 continuation bytes */
			r.col++;
		}
	}
	r.style = 'x';
	return r;
}

void sg_diags_init(struct sg_diags *d, struct sg_arena *a)
{
	memset(d, 0, sizeof(*d));
	d->arena = a;
}

struct sg_diag *sg_diag_add(struct sg_diags *d, enum sg_severity sev,
			    struct sg_loc loc, const char *fmt, ...)
{
	struct sg_diag dg = { .sev = sev, .loc = loc };
	va_list ap;

	if (sev == SG_SEV_ERROR)
		d->nerrors++;
	if (d->n >= SG_DIAGS_MAX) {
		/* counted, not kept: nothing is formatted */
		if (sev == SG_SEV_ERROR)
			d->dropped_errors++;
		else
			d->dropped_other++;
		dg.msg = "";
		d->spare = dg;
		return &d->spare;
	}
	va_start(ap, fmt);
	dg.msg = sg_vprintf(d->arena, fmt, ap);
	va_end(ap);
	SG_VEC_PUSH(d->arena, d, dg);
	return &d->v[d->n - 1];
}

void sg_diag_hint(struct sg_diag *dg, struct sg_diags *d, const char *fmt, ...)
{
	va_list ap;

	if (dg == &d->spare)
		return;
	va_start(ap, fmt);
	dg->hint = sg_vprintf(d->arena, fmt, ap);
	va_end(ap);
}

static const char *sev_name(enum sg_severity s)
{
	switch (s) {
	case SG_SEV_ERROR: return "error";
	case SG_SEV_WARNING: return "warning";
	case SG_SEV_NOTE: return "note";
	}
	return "error";
}

void sg_diag_format(struct sbuf *out, const struct sg_diag *dg)
{
	const char *file = sg_loc_file(dg->loc);

	if (file && dg->loc.line > 0)
		sbuf_addf(out, "%s:%d:%d: ", file, dg->loc.line,
			  dg->loc.col > 0 ? dg->loc.col : 1);
	else if (file)
		sbuf_addf(out, "%s: ", file);
	else
		sbuf_adds(out, "schemagen: ");   /* as sg_error() prints it */
	/* messages echo names and text from files and catalogs: no control
	 * of theirs reaches the terminal (sg_quote_terminal()) */
	sbuf_addf(out, "%s: ", sev_name(dg->sev));
	sg_quote_terminal(out, dg->msg, true);
	sbuf_addch(out, '\n');
	if (dg->hint) {
		sbuf_adds(out, "  hint: ");
		sg_quote_terminal(out, dg->hint, true);
		sbuf_addch(out, '\n');
	}
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct sg_diag *a = pa, *b = pb;
	int c = a->loc.file == b->loc.file ? 0 :
		sg_strcmp_null(sg_loc_file(a->loc), sg_loc_file(b->loc));

	if (c)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	/* keep insertion order otherwise (qsort is not stable) */
	return a < b ? -1 : a > b;
}

void sg_diags_print(struct sg_diags *d)
{
	struct sbuf sb = SBUF_INIT;

	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), diag_cmp);
	for (size_t i = 0; i < d->n; i++) {
		sg_diag_keep(&d->v[i]);
		sg_diag_format(&sb, &d->v[i]);
	}
	if (sg_sink)
		sg_sink->dropped += d->dropped_errors + d->dropped_other;
	if (d->dropped_errors || d->dropped_other) {
		sbuf_adds(&sb, "... and ");
		if (d->dropped_errors)
			sbuf_addf(&sb, "%zu more error%s", d->dropped_errors,
				  d->dropped_errors == 1 ? "" : "s");
		if (d->dropped_errors && d->dropped_other)
			sbuf_adds(&sb, " and ");
		if (d->dropped_other)
			sbuf_addf(&sb, "%zu more warning%s or note%s", d->dropped_other,
				  d->dropped_other == 1 ? "" : "s",
				  d->dropped_other == 1 ? "" : "s");
		sbuf_addch(&sb, '\n');
	}
	if (!silent()) {
		fflush(stdout);
		fputs(sb.buf, stderr);
	}
	sbuf_release(&sb);
}

void sg_diag_emit(const struct sg_diag *dg)
{
	struct sbuf sb = SBUF_INIT;

	sg_diag_keep(dg);
	if (silent())
		return;
	sg_diag_format(&sb, dg);
	fflush(stdout);
	fputs(sb.buf, stderr);
	sbuf_release(&sb);
}

int sg_error_at(struct sg_loc loc, const char *fmt, ...)
{
	struct sg_diag dg = { .sev = SG_SEV_ERROR, .loc = loc };
	struct sbuf msg = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	dg.msg = msg.buf;
	sg_diag_emit(&dg);
	sbuf_release(&msg);
	return -1;
}

void sg_eprintf(const char *fmt, ...)
{
	va_list ap;

	if (silent())
		return;
	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void sg_eputs(const char *s)
{
	if (silent())
		return;
	fflush(stdout);
	fputs(s, stderr);
}

static SG_PRINTF(3, 0) void vsay(FILE *f, const char *prefix,
				   const char *fmt, va_list ap)
{
	struct sbuf sb = SBUF_INIT, msg = SBUF_INIT;

	sbuf_vaddf(&msg, fmt, ap);
	if (sg_sink) {
		/* the document (or the library's caller) owns stdout */
		if (f == stdout)
			f = stderr;
		if (strcmp(prefix, "schemagen: error: ") == 0 ||
		    strcmp(prefix, "schemagen: warning: ") == 0) {
			struct sg_diag dg = { .sev = prefix[11] == 'e' ? SG_SEV_ERROR : SG_SEV_WARNING,
					      .msg = msg.buf };

			sg_diag_keep(&dg);
		} else if (strcmp(prefix, "  hint: ") == 0) {
			sg_sink_hint(msg.buf);
		}
		if (sg_sink->silent) {
			sbuf_release(&msg);
			sbuf_release(&sb);
			return;
		}
	}
	sbuf_adds(&sb, prefix);
	sg_quote_terminal(&sb, msg.buf, true);   /* see sg_diag_format() */
	sbuf_release(&msg);
	sbuf_addch(&sb, '\n');
	if (f == stderr)
		fflush(stdout);
	fputs(sb.buf, f);
	/* progress reaches a redirected stdout line by line: a killed run
	 * keeps what it said it had done */
	if (f == stdout)
		fflush(stdout);
	sbuf_release(&sb);
}

int sg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(stderr, "schemagen: error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void sg_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(stderr, "schemagen: warning: ", fmt, ap);
	va_end(ap);
}

void sg_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(stderr, "  hint: ", fmt, ap);
	va_end(ap);
}

void sg_info(const char *fmt, ...)
{
	va_list ap;

	if (sg_verbosity < 0)
		return;
	va_start(ap, fmt);
	vsay(stdout, "", fmt, ap);
	va_end(ap);
}

void sg_note(const char *fmt, ...)
{
	va_list ap;

	if (sg_verbosity < 0)
		return;
	va_start(ap, fmt);
	vsay(stderr, "", fmt, ap);
	va_end(ap);
}

void sg_verbose(const char *fmt, ...)
{
	va_list ap;

	if (sg_verbosity < 1)
		return;
	va_start(ap, fmt);
	vsay(stderr, "schemagen: ", fmt, ap);
	va_end(ap);
}
