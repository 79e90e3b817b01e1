// SPDX-License-Identifier: MIT
/*
 * foreign.c - what every stage needs to know of foreign data wrappers,
 * servers and user mappings: the identity of a user mapping, which options
 * are secrets, the environment variable a secret is read from, and the
 * comparison of option lists (a secret compares as "set", never by value).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

const char *sg_user_mapping_name(struct sg_arena *a, const char *role,
				 const char *server)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sbuf_adds(&sb, "FOR ");
	if (strcmp(role, SG_ROLE_CURRENT) == 0)
		sbuf_adds(&sb, "CURRENT_USER");
	else
		sg_role_sql(&sb, role);
	sbuf_adds(&sb, " SERVER ");
	sg_quote_ident(&sb, server);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/*
 * Keys whose values are secrets: those ending, without regard to case, in
 * one of these words (postgres_fdw's password and sslpassword, other
 * wrappers' secret, client_secret, api_token, passphrase ...; not
 * password_required, a boolean).  introspect/foreign.c holds the same list
 * as a regular expression (SG_SECRET_KEY_RE).
 */
static const char *const secret_words[] = {
	"password", "passwd", "secret", "token", "passphrase",
};

bool sg_option_secret(const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < ARRAY_SIZE(secret_words); i++) {
		size_t w = strlen(secret_words[i]);

		if (n >= w && strcasecmp(key + n - w, secret_words[i]) == 0)
			return true;
	}
	return false;
}

static void env_part(struct sbuf *sb, const char *s)
{
	sbuf_addch(sb, '_');
	for (; *s; s++)
		sbuf_addch(sb, isalnum((unsigned char)*s) && !((unsigned char)*s & 0x80)
			   ? (char)toupper((unsigned char)*s) : '_');
}

const char *sg_option_env(struct sg_arena *a, const struct sg_object *obj,
			  const struct sg_fdw_option *o)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	if (o->env)
		return o->env;
	sbuf_adds(&sb, "PGFDW");
	switch (obj->kind) {
	case SG_KIND_USER_MAPPING: {
		const struct sg_user_mapping *m = (const struct sg_user_mapping *)obj;

		env_part(&sb, m->server);
		env_part(&sb, m->role);
		break;
	}
	default:
		env_part(&sb, obj->name);
	}
	env_part(&sb, o->key);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

bool sg_options_equal(const struct sg_fdw_option *a, size_t na,
		      const struct sg_fdw_option *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (strcmp(a[i].key, b[i].key) != 0)
			return false;
		/* a secret on either side: that it is set is all we know */
		if (!a[i].secret && !b[i].secret && !sg_streq(a[i].value, b[i].value))
			return false;
	}
	return true;
}
