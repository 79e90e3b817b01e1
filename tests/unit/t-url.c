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
	/* malformed: masked the way libpq would read them, or wider */
	{ "postgresql://u:pw@[::1/db", "postgresql://u:****@[::1/db" },
	{ "postgresql://u:p%ZZw@h/db", "postgresql://u:****@h/db" },
	{ "postgresql://u:p?w#x@h/db", "postgresql://u:****@h/db" },
	{ "postgresql://u:p@ss@h/db", "postgresql://u:****@h/db" },
	{ "postgresql://u:@h/db", "postgresql://u:@h/db" },
	{ "postgres://h/d?%70assword=x&a=b", "postgres://h/d?%70assword=****&a=b" },
	{ "postgres://h/d?sslmode=require&password=a=b", "postgres://h/d?sslmode=require&password=****" },
	{ "dbname='postgres://u:pw@h/d' password=x", "dbname='postgres://u:****@h/d' password=****" },
	/* a dbname that reads as a connection string is masked as one */
	{ "dbname=x\\ password=y", "dbname='x password=****'" },
};

/* libpq's message about a string, and what may be printed of it */
static const struct {
	const char *conninfo, *msg, *want;
} scrubs[] = {
	{ "postgresql://u:pw@[::1/db",
	  "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://u:pw@[::1/db\"\n",
	  "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://u:****@[::1/db\"\n" },
	{ "postgresql://u:p%ZZw@h/db", "invalid percent-encoded token: \"p%ZZw\"",
	  "invalid percent-encoded token: \"****\"" },
	{ "postgresql://u:p%41ss@h/db", "a pAss, p%41ss and p%2541ss",
	  "a ****, **** and ****" },
	{ "host=h password='it\\'s' user=x", "it's or 'it\\'s' or it%27s",
	  "**** or **** or ****" },
	{ "postgres://h/d?password=s3cr%20t&x", "s3cr t and s3cr%20t",
	  "**** and ****" },
	{ "host=h", "nothing secret: host=h", "nothing secret: host=h" },
	{ "dbname='postgresql://u:hunter2@h/d'", "hunter2", "****" },
};

int main(void)
{
	struct sg_arena *a = sg_arena_new();
	const char *s;

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		is_str(sg_url_mask(a, masks[i].in), masks[i].want, "mask %s", masks[i].want);
	for (size_t i = 0; i < sizeof(scrubs) / sizeof(scrubs[0]); i++)
		is_str(sg_conn_scrub(a, scrubs[i].conninfo, scrubs[i].msg), scrubs[i].want,
		       "scrub %s", scrubs[i].conninfo);
	ok(sg_conn_scrub(a, "x", NULL) == NULL, "scrub NULL");
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
