// SPDX-License-Identifier: MIT
/*
 * walk.c - reading typed values out of a YAML tree, each with the one
 * diagnostic its misuse deserves.
 *
 * The value rules are deliberately narrower than YAML 1.1's: booleans are
 * exactly `true` and `false` (not yes/no/on/off, whose surprises are
 * famous), integers are plain decimal digits, and a plain empty scalar, `~`
 * or `null` means "not given".  Names are taken literally, whatever they
 * look like.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "yaml-priv.h"

const char *yqn(struct sg_arena *a, const char *s, size_t len)
{
	return sg_quote_msgn(a, s, len);
}

const char *yq(struct sg_arena *a, const char *s)
{
	return sg_quote_msg(a, s);
}

bool ynode_is_null(const struct ynode *n)
{
	if (!n)
		return true;
	if (n->type != YN_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	       strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	       strcmp(n->str, "NULL") == 0;
}

const char *ynode_found(struct sg_arena *a, const struct ynode *n)
{
	if (ynode_is_null(n))
		return "nothing";
	switch (n->type) {
	case YN_MAP: return "a mapping";
	case YN_SEQ: return "a list";
	case YN_SCALAR: break;
	}
	return yqn(a, n->str, n->len);
}

struct sg_diag *yexpect(struct sg_diags *d, struct sg_arena *a,
			const struct ynode *n, const char *what)
{
	return sg_diag_error(d, n->loc, "expected %s, found %s", what,
			     ynode_found(a, n));
}

struct sg_diag *yunknown_key(struct sg_diags *d, const struct ynode *key,
			     const char *const *keys, size_t nkeys,
			     const char *ctx)
{
	/* ctx is "column "x"" (-> "in column "x"") or "at the top level" */
	bool at = strncmp(ctx, "at ", 3) == 0;
	struct sg_diag *dg = sg_diag_error(d, key->loc, "unknown key %s %s%s",
					   yqn(d->arena, key->str, key->len),
					   at ? "" : "in ", ctx);
	const char *s;

	if (dg == &d->spare)
		return dg;      /* past the cap: not kept */
	s = sg_suggest(key->str, keys, nkeys);
	if (s) {
		sg_diag_hint(dg, d, "did you mean \"%s\"?", s);
	} else {
		struct sbuf sb = SBUF_INIT;

		for (size_t i = 0; i < nkeys; i++)
			sbuf_addf(&sb, "%s%s", i ? ", " : "", keys[i]);
		sg_diag_hint(dg, d, "valid keys are: %s", sb.buf);
		sbuf_release(&sb);
	}
	return dg;
}

bool ykey_ok(struct sg_diags *d, struct sg_arena *a, const struct ynode *key)
{
	if (key->type == YN_SCALAR)
		return true;
	sg_diag_error(d, key->loc, "expected a name as key, found %s",
		      ynode_found(a, key));
	return false;
}

static bool has_nul(const struct ynode *n)
{
	return strlen(n->str) != n->len;
}

bool yget_str(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
	      const char *key, const char **out)
{
	*out = NULL;
	if (ynode_is_null(n))
		return true;
	if (n->type != YN_SCALAR) {
		sg_diag_error(d, n->loc, "expected a string for \"%s\", found %s",
			      key, ynode_found(a, n));
		return false;
	}
	if (has_nul(n)) {
		sg_diag_error(d, n->loc, "\"%s\" contains a NUL character", key);
		return false;
	}
	*out = n->str;
	return true;
}

static const char *const yaml11_bools[] = {
	"yes", "no", "on", "off", "y", "n",
};

bool yget_bool(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
	       const char *key, bool *out)
{
	struct sg_diag *dg;

	if (n->type == YN_SCALAR && n->plain) {
		if (strcmp(n->str, "true") == 0) {
			*out = true;
			return true;
		}
		if (strcmp(n->str, "false") == 0) {
			*out = false;
			return true;
		}
	}
	dg = sg_diag_error(d, n->loc, "\"%s\" must be true or false, found %s",
			   key, ynode_found(a, n));
	if (n->type == YN_SCALAR) {
		for (size_t i = 0; i < ARRAY_SIZE(yaml11_bools); i++)
			if (strcasecmp(n->str, yaml11_bools[i]) == 0)
				sg_diag_hint(dg, d, "YAML 1.1 spellings such as yes, no, "
					     "on and off are not accepted: write "
					     "true or false");
		if (!n->plain && (strcmp(n->str, "true") == 0 ||
				  strcmp(n->str, "false") == 0))
			sg_diag_hint(dg, d, "remove the quotes");
	}
	return false;
}

bool yget_int64(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
		const char *key, int64_t *out)
{
	const char *s = n->str, *p;
	long long v;
	char *end;

	if (n->type != YN_SCALAR || !n->plain || has_nul(n))
		goto bad;
	p = s + (*s == '-' || *s == '+');
	if (*p < '0' || *p > '9' || strspn(p, "0123456789") != strlen(p))
		goto bad;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE) {
		sg_diag_error(d, n->loc, "\"%s\" is out of range: %s does not "
			      "fit in a 64-bit integer", key, yq(a, s));
		return false;
	}
	*out = (int64_t)v;
	return true;
bad:
	sg_diag_error(d, n->loc, "\"%s\" must be an integer, found %s", key,
		      ynode_found(a, n));
	return false;
}

bool yname_ok(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
	      const char *what)
{
	struct sg_diag *dg;
	size_t clip;

	if (n->type != YN_SCALAR) {
		sg_diag_error(d, n->loc, "expected a %s, found %s", what,
			      ynode_found(a, n));
		return false;
	}
	if (n->len == 0) {
		sg_diag_error(d, n->loc, "%s is empty", what);
		return false;
	}
	if (has_nul(n)) {
		sg_diag_error(d, n->loc, "%s %s contains a NUL character", what,
			      yqn(a, n->str, n->len));
		return false;
	}
	if (n->len <= SG_NAME_MAX)
		return true;
	clip = sg_pg_clip_len(n->str, SG_NAME_MAX);
	dg = sg_diag_error(d, n->loc, "%s %s is longer than %d bytes (%zu)",
			   what, yq(a, n->str), SG_NAME_MAX, (size_t)n->len);
	sg_diag_hint(dg, d, "PostgreSQL would truncate it to \"%s\"",
		     sg_strndup(a, n->str, clip));
	return false;
}

static const char *const special_words[] = {
	"", "~", "null", "Null", "NULL",
	"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
	"true", "True", "TRUE", "false", "False", "FALSE",
	"on", "On", "ON", "off", "Off", "OFF",
	".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "<<", "=",
};

bool yaml_word_is_special(const char *s)
{
	const char *p = s;

	for (size_t i = 0; i < ARRAY_SIZE(special_words); i++)
		if (strcmp(s, special_words[i]) == 0)
			return true;
	/* anything that could be read as a number: 12, -1.5, +.5, 0x1F,
	 * 1_000, 1:30 (sexagesimal), -.inf */
	if (*p == '-' || *p == '+')
		p++;
	if (*p == '.')
		p++;
	if ((*p >= '0' && *p <= '9') || strcasecmp(p, "inf") == 0)
		return true;
	return false;
}

/* Decodes one UTF-8 character; returns its length, 0 when invalid. */
size_t yaml_u8dec(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return *cp >= 0x80 ? 2 : 0;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) |
		      ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return *cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF) ? 3 : 0;
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x07) << 18) |
		      ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return *cp >= 0x10000 && *cp <= 0x10FFFF ? 4 : 0;
	}
	return 0;
}

/* One word of a fixed list (case-insensitive); -1 after a diagnostic. */
int yone_of(struct loader *l, const struct ynode *v, const char *key,
	    const char *const *words, size_t n)
{
	const char *s;
	struct sg_diag *dg;
	struct sbuf sb = SBUF_INIT;

	if (!yget_str(l->d, l->t, v, key, &s))
		return -1;
	for (size_t i = 0; s && i < n; i++)
		if (strcasecmp(s, words[i]) == 0)
			return (int)i;
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", words[i]);
	dg = sg_diag_error(l->d, v->loc, "\"%s\" must be %s, found %s", key, sb.buf,
			   ynode_found(l->t, v));
	sbuf_release(&sb);
	if (s && sg_suggest(s, words, n))
		sg_diag_hint(dg, l->d, "did you mean \"%s\"?", sg_suggest(s, words, n));
	return -1;
}

/* A SQL fragment of the models, checked by the parser; NULL when bad. */
const char *yget_sql(struct loader *l, const struct ynode *v,
		     const char *key, enum sg_frag kind, const char *what,
		     struct sg_loc *loc)
{
	const char *s;

	if (!v || !yget_str(l->d, l->t, v, key, &s))
		return NULL;
	if (!s) {
		sg_diag_error(l->d, v->loc, "%s is empty", what);
		return NULL;
	}
	if (!(s = sg_sql_fragment(l->a, kind, s, v->vloc, what, l->d)))
		return NULL;
	*loc = v->vloc;
	return s;
}
