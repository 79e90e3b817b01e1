// SPDX-License-Identifier: MIT
/* t-url.c - connection strings: password masking, database replacement. */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "tap.h"

static const struct {
	const char *in, *want;
} masks[] = {
	{ "postgres://app:s3cret@db.example.com:5432/shop",
	  "postgres://app:****@db.example.com:5432/shop" },
	{ "postgresql://app@db/shop", "postgresql://app@db/shop" },
	{ "postgres://db/shop?sslmode=require&password=hunter2",
	  "postgres://db/shop?sslmode=require&password=****" },
	{ "postgres://u:p%40ss@h/d?password=x", "postgres://u:****@h/d?password=****" },
	{ "host=db user=app password=s3cret dbname=shop",
	  "host=db user=app password=**** dbname=shop" },
	{ "host=db password = 'it\\'s secret' dbname=x",
	  "host=db password = **** dbname=x" },
	{ "host=/tmp/sock dbname=x", "host=/tmp/sock dbname=x" },
	{ "", "(libpq defaults)" },
};

int main(void)
{
	struct sg_arena *a = sg_arena_new();
	const char *s;

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		is_str(sg_url_mask(a, masks[i].in), masks[i].want, "mask %s", masks[i].want);
	s = sg_conninfo_with_db(a, "host=/tmp/x port=5433 user=me dbname=old", "new");
	ok(strstr(s, "dbname='new'") && strstr(s, "host='/tmp/x'") &&
	   strstr(s, "port='5433'") && strstr(s, "user='me'") && !strstr(s, "old"),
	   "key=value string with the database replaced: %s", s);
	s = sg_conninfo_with_db(a, "postgres://me:pw@h:5/old?sslmode=disable", "n'x");
	ok(strstr(s, "dbname='n\\'x'") && strstr(s, "password='pw'") &&
	   strstr(s, "sslmode='disable'"), "URI converted, odd name quoted: %s", s);
	sg_arena_free(a);
	return tap_done();
}
