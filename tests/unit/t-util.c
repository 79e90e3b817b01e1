// SPDX-License-Identifier: MIT
/* t-util.c - arena, sbuf, quoting, diagnostics locations, file ids,
 * sha256, suggest, FNV-1a in pieces, files written atomically (streamed). */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"
#include "tap.h"

static void test_arena(void)
{
	struct sg_arena *a = sg_arena_new();
	SG_VEC(int) v = { 0 };
	char *big;
	bool all = true;

	for (int i = 0; i < 1000; i++)
		SG_VEC_PUSH(a, &v, i);
	for (int i = 0; i < 1000; i++)
		all = all && v.v[i] == i;
	ok(v.n == 1000 && all, "vector keeps 1000 pushed items in order");
	big = sg_alloc(a, 1 << 20);
	ok(big[0] == 0 && big[(1 << 20) - 1] == 0, "large allocation is zeroed");
	is_str(sg_printf(a, "%s-%d", "x", 42), "x-42", "sg_printf");
	is_str(sg_strndup(a, "abcdef", 3), "abc", "sg_strndup");
	ok(sg_strdup(a, NULL) == NULL, "sg_strdup(NULL) is NULL");
	sg_arena_free(a);
}

/*
 * Child arenas: freed with their parent, or before it (unlinked: the
 * parent's free does not free it again), adopted with their parent.  A
 * leak or a double free is ASan's to report.
 */
static void test_arena_child(void)
{
	struct sg_arena *a = sg_arena_new(), *b = sg_arena_new();
	struct sg_arena *k1 = sg_arena_child(a), *k2 = sg_arena_child(a);
	struct sg_arena *k3 = sg_arena_child(k2), *k4;
	size_t before = sg_arena_size(a);

	sg_alloc(k1, 1000);
	sg_alloc(k2, 1 << 20);
	sg_alloc(k3, 100);
	is_int((long long)(sg_arena_size(a) - before), 0,
	       "a child's blocks are its own, not its parent's");
	ok(sg_arena_size(k2) >= (1 << 20), "the child holds what it allocated");
	sg_arena_free(k2);   /* and k3 */
	k2 = sg_arena_child(a);
	sg_strdup(k2, "x");
	sg_arena_free(k1);   /* the first of the list: a's head relinked */
	k4 = sg_arena_child(b);
	sg_strdup(k4, "y");
	sg_arena_adopt(a, b);   /* k4 now a's */
	ok(sg_arena_size(k2) > 0 && sg_arena_size(k4) > 0, "children live on");
	sg_arena_free(a);   /* k2 and k4 with it */
}

/* Strings packed, vectors past a quarter block grown in place. */
static void test_arena_packing(void)
{
	struct sg_arena *a = sg_arena_new();
	SG_VEC(int) v = { 0 }, w = { 0 };
	char *s1, *s2, *s3;
	void *p;
	size_t before;
	bool all = true;

	s1 = sg_strdup(a, "ab");
	s2 = sg_strdup(a, "cd");
	s3 = sg_printf(a, "%d", 7);
	ok(s2 == s1 + 3 && s3 == s2 + 3, "strings are packed, not aligned");
	p = sg_alloc(a, 8);
	ok((uintptr_t)p % alignof(max_align_t) == 0 && (char *)p > s3,
	   "an allocation after strings is aligned");
	before = sg_arena_size(a);
	for (int i = 0; i < 5000; i++)
		sg_strdup(a, "public");
	/* aligned, they would take 80 KB */
	ok(sg_arena_size(a) == before, "5000 short strings fit the current block");
	sg_arena_free(a);

	a = sg_arena_new();
	/* two vectors growing in turn, with allocations between */
	for (int i = 0; i < 1 << 20; i++) {
		SG_VEC_PUSH(a, &v, i);
		SG_VEC_PUSH(a, &w, -i);
		if (i % 1000 == 0)
			sg_alloc(a, 24);
	}
	for (int i = 0; i < 1 << 20; i++)
		all = all && v.v[i] == i && w.v[i] == -i;
	ok(v.n == 1 << 20 && w.n == 1 << 20 && all,
	   "two big vectors keep their items across growth in place");
	/* copies left behind would be another 4 MB each */
	ok(sg_arena_size(a) < 2 * (4u << 20) + (1u << 20),
	   "growing a big vector leaves no copies behind (%zu bytes)",
	   sg_arena_size(a));
	w.v = sg_arena_grow(a, w.v, &w.cap, w.cap + 1, sizeof(*w.v));
	ok(w.cap == 2u << 20 && w.v[(1 << 20) - 1] == -((1 << 20) - 1) &&
	   w.v[1 << 20] == 0 && w.v[(2 << 20) - 1] == 0,
	   "the grown tail is zeroed");
	sg_arena_free(a);
}

static void test_sbuf(void)
{
	struct sbuf sb = SBUF_INIT;
	char *s;

	is_str(sb.buf, "", "empty sbuf is an empty string");
	sbuf_adds(&sb, "hello");
	sbuf_addch(&sb, ' ');
	sbuf_addf(&sb, "%d%s", 7, "  \n");
	sbuf_rtrim(&sb);
	is_str(sb.buf, "hello 7", "append and rtrim");
	s = sbuf_detach(&sb, NULL);
	is_str(sb.buf, "", "detach re-initialises");
	is_str(s, "hello 7", "detached string");
	free(s);
	sbuf_release(&sb);
}

static const struct {
	const char *in, *want;
} idents[] = {
	{ "orders", "orders" },
	{ "Orders", "\"Orders\"" },
	{ "order", "\"order\"" },          /* reserved */
	{ "user", "\"user\"" },            /* reserved */
	{ "name", "name" },                /* unreserved */
	{ "int", "\"int\"" },              /* column-name keyword */
	{ "left", "\"left\"" },            /* type/function-name keyword */
	{ "a b", "\"a b\"" },
	{ "a\"b", "\"a\"\"b\"" },
	{ "_x1", "_x1" },
	{ "1x", "\"1x\"" },
	{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
	{ "a$b", "\"a$b\"" },
	{ "a\nb\tc", "U&\"a\\000ab\tc\"" },     /* a tab stays as it is */
	{ "junk\x1b[2J", "U&\"junk\\001b[2J\"" },
	{ "a\rb\\c\"d", "U&\"a\\000db\\\\c\"\"d\"" },
	{ "nel\xc2\x85", "U&\"nel\\0085\"" },
};

static const struct {
	const char *in, *want;
} literals[] = {
	{ "abc", "'abc'" },
	{ "it's", "'it''s'" },
	{ "a\\b", "E'a\\\\b'" },
	{ "", "''" },
	{ "line\nbreak", "'line\nbreak'" },
	{ "bell\a'x\\", "E'bell\\x07''x\\\\'" },
	{ "ls\xe2\x80\xa8", "E'ls\\u2028'" },
};

/* sg_quote_comment(): the escapes, and a backslash escaped only where needed */
static const struct {
	const char *in, *want;
} comments[] = {
	{ "plain text", "plain text" },
	{ "junk\nALTER ROLE lowpriv SUPERUSER; --", "junk\\nALTER ROLE lowpriv SUPERUSER; --" },
	{ "a\r\tb", "a\\r\\tb" },
	{ "esc\x1b[31mred\x07\x7f", "esc\\x1b[31mred\\x07\\x7f" },
	{ "c1 \xc2\x9b x", "c1 \\u009b x" },
	{ "ls\xe2\x80\xa8ps\xe2\x80\xa9", "ls\\u2028ps\\u2029" },
	{ "bidi\xe2\x80\xae" "evil", "bidi\\u202eevil" },
	{ "bad \xff utf8 \xc3", "bad \\xff utf8 \\xc3" },
	{ "caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5" },
	{ "E'back\\\\slash'", "E'back\\\\slash'" },
	{ "C:\\new \\ok", "C:\\x5cnew \\ok" },
	{ "a\\\\n", "a\\\\x5cn" },
	{ "\\\n\\\x1b", "\\\\n\\\\x1b" },
	{ "end\\", "end\\" },
	{ "\\x41 \\u0041 \\r\\t", "\\x5cx41 \\x5cu0041 \\x5cr\\x5ct" },
};

/* Characters that make up the strings of the round-trip test. */
static const char *const pieces[] = {
	"\\", "n", "x", "u", "1", "b", "\n", "\x1b", "\r", "\t", "a",
	"\xc2\x85", "\xe2\x80\xa8", "\xff",
};

/* True when s has no byte below 0x20, no DEL, no C1 and no U+2028/9. */
static bool one_clean_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == 0xff ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
		    (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)))
			return false;
	}
	return true;
}

static void test_comment(void)
{
	struct sg_arena *a = sg_arena_new();
	const size_t np = ARRAY_SIZE(pieces);
	size_t bad_rt = 0, bad_line = 0, total = 0;
	struct sbuf sb = SBUF_INIT;
	char *back;

	for (size_t i = 0; i < ARRAY_SIZE(comments); i++) {
		const char *got = sg_qc(a, comments[i].in);

		is_str(got, comments[i].want, "comment escape %zu (%s)", i, comments[i].want);
		is_str(sg_unquote_comment(a, got, strlen(got)), comments[i].in,
		       "and back %zu", i);
	}
	/* every string of up to four pieces: one clean line, and back exactly */
	for (size_t len = 0; len <= 4; len++) {
		size_t count = 1;

		for (size_t k = 0; k < len; k++)
			count *= np;
		for (size_t m = 0; m < count; m++) {
			const char *got;

			sbuf_setlen(&sb, 0);
			for (size_t k = 0, r = m; k < len; k++, r /= np)
				sbuf_adds(&sb, pieces[r % np]);
			got = sg_qc(a, sb.buf);
			back = sg_unquote_comment(a, got, strlen(got));
			bad_rt += strcmp(back, sb.buf) != 0;
			bad_line += !one_clean_line(got);
			total++;
		}
	}
	ok(total == 1 + 14 + 196 + 2744 + 38416, "round trip over %zu strings", total);
	is_int((long long)bad_rt, 0, "sg_unquote_comment(sg_quote_comment(s)) == s for all");
	is_int((long long)bad_line, 0, "no control character survives in any");
	is_str(sg_unquote_comment(a, "\\q \\x4 \\uZZZZ \\x00 \\", 20),
	       "\\q \\x4 \\uZZZZ \\x00 \\", "unknown and incomplete escapes stay as written");

	/* the terminal: same escapes, backslashes as they are */
	is_str(sg_qt(a, "a\\n\nb\x1b]0;title\x07\t"), "a\\n\\nb\\x1b]0;title\\x07\\t",
	       "terminal text: one line, no ESC or BEL");
	sbuf_setlen(&sb, 0);
	sg_quote_terminal(&sb, "l1\tx\nl2\x1b[2J\r\n", true);
	is_str(sb.buf, "l1\tx\nl2\\x1b[2J\\r\n", "keep_lines keeps newline and tab only");
	sbuf_release(&sb);
	sg_arena_free(a);
}

static void test_quote(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(idents); i++)
		is_str(sg_qi(a, idents[i].in), idents[i].want, "quote_ident(%s)",
		       sg_qt(a, idents[i].in));
	for (size_t i = 0; i < ARRAY_SIZE(literals); i++)
		is_str(sg_ql(a, literals[i].in), literals[i].want,
		       "quote_literal(%s)", sg_qt(a, literals[i].in));
	is_str(sg_qq(a, "Public", "t"), "\"Public\".t", "qualified name");
	sg_quote_dollar(&sb, "x $_$ y");
	is_str(sb.buf, "$__$x $_$ y$__$", "dollar quote avoids the body's tag");
	{
		/* the tag must not start inside the body and close it early */
		static const struct { const char *in, *out; } dq[] = {
			{ "x $", "$_$x $$_$" },
			{ "x $_", "$__$x $_$__$" },
			{ "x $_$", "$__$x $_$$__$" },
			{ "x $__", "$_$x $__$_$" },
			{ "$_$ $__", "$___$$_$ $__$___$" },
			{ "x $_$ $__$ $_", "$___$x $_$ $__$ $_$___$" },
			{ "", "$_$$_$" },
		};

		for (size_t i = 0; i < ARRAY_SIZE(dq); i++) {
			sbuf_setlen(&sb, 0);
			sg_quote_dollar(&sb, dq[i].in);
			is_str(sb.buf, dq[i].out, "dollar quote of \"%s\"", dq[i].in);
		}
	}
	is_int(sg_keyword_category("select"), 'R', "select is reserved");
	is_int(sg_keyword_category("abort"), 'U', "abort is unreserved");
	is_int(sg_keyword_category("orders"), 0, "orders is no keyword");
	sbuf_release(&sb);
	sg_arena_free(a);
}

static void test_loc(void)
{
	struct sg_loc plain = { .file = sg_file_id("f.yaml"), .line = 3, .col = 10 };
	struct sg_loc block = { .file = sg_file_id("f.yaml"), .line = 5, .col = 7, .style = 'l', .indent = 4 };
	struct sg_loc r;

	r = sg_loc_at(plain, "lower(x", 6);
	ok(r.line == 3 && r.col == 16, "plain scalar offset maps to column (%d:%d)",
	   r.line, r.col);
	r = sg_loc_at(block, "a AND\nb OR", 8);
	ok(r.line == 6 && r.col == 7, "literal block offset maps to next line (%d:%d)",
	   r.line, r.col);
}

/* Each thread interns the same 500 names, in its own order. */
static void *intern_names(void *arg)
{
	uint32_t *ids = arg;
	char name[32];

	for (int k = 0; k < 500; k++) {
		int i = ids[500] ? 499 - k : k;

		snprintf(name, sizeof(name), "thread/%d.yaml", i);
		ids[i] = sg_file_id(name);
	}
	return NULL;
}

/* The process-wide table of file names behind sg_loc.file. */
static void test_file_ids(void)
{
	uint32_t a = sg_file_id("schema/app.yaml");
	char copy[] = "schema/app.yaml";
	uint32_t ids[2][501] = { [1][500] = 1 };
	pthread_t th[2];
	bool same = true, named = true;
	struct sg_loc l = { 0 };

	is_int(sg_file_id(NULL), 0, "no file: id 0");
	ok(sg_file_name(0) == NULL && sg_loc_file(l) == NULL, "id 0: no name");
	ok(a != 0, "a name gets an id");
	is_int(sg_file_id(copy), a, "the same name (another copy): the same id");
	ok(sg_file_id("schema/other.yaml") != a, "another name: another id");
	is_str(sg_file_name(a), "schema/app.yaml", "the name back");
	ok(sg_file_name(UINT32_MAX) == NULL, "an id never given: no name");
	is_int(sg_file_id(""), sg_file_id(""), "the empty name has one id too");
	ok(sg_file_id("") != 0 && sg_file_name(sg_file_id(""))[0] == '\0',
	   "the empty name is a name, not none");
	ok(pthread_create(&th[0], NULL, intern_names, ids[0]) == 0 &&
	   pthread_create(&th[1], NULL, intern_names, ids[1]) == 0, "two threads");
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	for (int i = 0; i < 500; i++) {
		char name[32];

		snprintf(name, sizeof(name), "thread/%d.yaml", i);
		same = same && ids[0][i] && ids[0][i] == ids[1][i];
		named = named && sg_file_name(ids[0][i]) &&
			strcmp(sg_file_name(ids[0][i]), name) == 0;
	}
	ok(same, "two threads interning the same names get the same ids");
	ok(named, "and each id gives its name back");
	is_int(sg_file_id("schema/app.yaml"), a, "ids stay after the table grew");

	/* an indentation beyond 16 bits: inexact, not wrapped */
	l = (struct sg_loc){ .file = a, .line = 5, .col = 70001, .style = 'l' };
	sg_loc_indent(&l, 70000);
	ok(l.style == 'x' && l.indent == 0, "indent 70000: the location is inexact");
	l = sg_loc_at(l, "a\nb AND", 4);
	ok(l.line == 5 && l.col == 70001, "and an offset maps to its start (%d:%d)",
	   l.line, l.col);
	l = (struct sg_loc){ .style = 'l' };
	sg_loc_indent(&l, 65535);
	ok(l.style == 'l' && l.indent == 65535, "indent 65535 is kept");
	is_int(sizeof(struct sg_loc), 16, "a location is 16 bytes");
}

static void test_diags(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_diag *dg;
	struct sbuf sb = SBUF_INIT;

	sg_diags_init(&d, a);
	dg = sg_diag_error(&d, sg_loc_make("s.yaml", 2, 5),
			   "unknown key \"nullabel\"");
	sg_diag_hint(dg, &d, "did you mean \"nullable\"?");
	sg_diag_format(&sb, dg);
	is_str(sb.buf, "s.yaml:2:5: error: unknown key \"nullabel\"\n"
		       "  hint: did you mean \"nullable\"?\n", "diagnostic format");
	is_int(d.nerrors, 1, "error counted");
	sbuf_release(&sb);

	/* past SG_DIAGS_MAX: counted, not kept, and a count at the end */
	sg_diags_init(&d, a);
	for (int i = 0; i < 250; i++) {
		dg = sg_diag_error(&d, sg_loc_make("m.yaml", i + 1, 1),
				   "error %d", i);
		sg_diag_hint(dg, &d, "hint %d", i);
	}
	sg_diag_add(&d, SG_SEV_WARNING, sg_loc_make("m.yaml", 1, 1),
		    "a warning");
	is_int((long long)d.n, SG_DIAGS_MAX, "only the first %d kept", SG_DIAGS_MAX);
	is_int(d.nerrors, 250, "all errors counted");
	ok(strcmp(d.v[d.n - 1].msg, "error 99") == 0 &&
	   strcmp(d.v[d.n - 1].hint, "hint 99") == 0,
	   "the last kept is the 100th, with its own hint");
	{
		FILE *f = tmpfile();
		int saved = dup(2);
		char buf[8192];
		size_t n;

		fflush(stderr);
		dup2(fileno(f), 2);
		sg_diags_print(&d);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		rewind(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		ok(n > 40 && strstr(buf, "m.yaml:100:1: error: error 99\n  hint: hint 99\n"
				     "... and 150 more errors and 1 more warning or note\n") != NULL &&
		   buf + n - strlen("and 1 more warning or note\n") ==
		   strstr(buf, "and 1 more warning or note\n"),
		   "printed: the kept ones, then the count");
	}
	sg_arena_free(a);
}

static void test_misc(void)
{
	char hex[65];
	static const char *const keys[] = { "nullable", "type", "default", "comment" };

	sg_sha256_hex("", 0, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "sha256 of empty input");
	sg_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256 of abc");
	{
		uint64_t v = 1;

		ok(sg_hex64("0123456789abcdefXYZ", &v) && v == 0x0123456789abcdefULL,
		   "sg_hex64: 16 digits, what follows not read");
		ok(sg_hex64("FFFFFFFFFFFFFFFF", &v) && v == UINT64_MAX,
		   "sg_hex64: upper case, the largest value");
		ok(!sg_hex64("0123456789abcde", &v) && !sg_hex64("0123456789abcdeg", &v) &&
		   !sg_hex64(" 123456789abcdef", &v),
		   "sg_hex64: 15 digits, a letter beyond f, a blank: refused");
	}
	{
		static char buf[1000];

		memset(buf, 'a', sizeof(buf));
		sg_sha256_hex(buf, sizeof(buf), hex);
		is_str(hex, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3",
		       "sha256 of 1000 bytes (several blocks)");
	}
	is_str(sg_suggest("nullabel", keys, ARRAY_SIZE(keys)), "nullable",
	       "suggest nullable");
	ok(sg_suggest("zzzzzz", keys, ARRAY_SIZE(keys)) == NULL, "no suggestion when far");
	is_int((long long)sg_edit_distance("kitten", "sitting"), 3, "edit distance");
}

static void test_hash(void)
{
	static unsigned char data[300000];
	uint64_t h = SG_HASH64_INIT;
	size_t off = 0, step = 1;

	/* schemagen's offset basis is not the standard's (a digit short): the
	 * files and keys made with it stay readable */
	is_int((long long)sg_hash64("", 0), (long long)1469598103934665603ULL,
	       "FNV-1a of nothing: the offset basis");
	is_int((long long)sg_hash64("ab", 2),
	       (long long)((((1469598103934665603ULL ^ 'a') * 1099511628211ULL) ^ 'b') *
			   1099511628211ULL), "FNV-1a of ab: xor, then multiply, a byte at a time");
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + (i >> 9));
	/* pieces of 1, 2, 4 ... bytes, then the rest */
	while (off < sizeof(data)) {
		size_t n = step < sizeof(data) - off ? step : sizeof(data) - off;

		h = sg_hash64_more(h, data + off, n);
		off += n;
		step *= 2;
	}
	is_int((long long)h, (long long)sg_hash64(data, sizeof(data)),
	       "sg_hash64_more() in pieces is sg_hash64() of the whole");
	is_int((long long)sg_hash64_more(SG_HASH64_INIT, data, 0),
	       (long long)SG_HASH64_INIT, "no bytes leave the hash as it is");
}

/* The entries of dir other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static bool file_is(const char *path, const void *want, size_t len)
{
	size_t got;
	char *data = sg_read_file(path, &got);
	bool r = data && got == len && memcmp(data, want, len) == 0;

	free(data);
	return r;
}

static void test_afile(void)
{
	enum { BODY = 3 * SG_AFILE_BUFSIZE + 12345 };
	static const size_t sizes[] = { 1, 7, SG_AFILE_BUFSIZE - 3, 2 * SG_AFILE_BUFSIZE + 5,
					 SG_AFILE_BUFSIZE, 100 };
	char tmpl[] = "/tmp/t-util-XXXXXX", *dir = mkdtemp(tmpl), *path, *missing;
	char *body = xmalloc(BODY);
	struct sg_afile f;
	struct rlimit was, lim;
	size_t off = 0;
	int rc, e;

	ok(dir != NULL, "a temporary folder");
	if (!dir)
		return;
	path = sg_path_join(dir, "file");
	for (size_t i = 0; i < BODY; i++)
		body[i] = (char)('a' + i % 26);
	/* a body larger than the buffer, in pieces smaller and larger */
	ok(sg_afile_open(&f, path, false) == 0, "sg_afile_open");
	ok(entries(dir) == 1, "the temporary file is there, the file not yet");
	for (size_t i = 0; off < BODY; i = (i + 1) % ARRAY_SIZE(sizes)) {
		size_t n = sizes[i] < BODY - off ? sizes[i] : BODY - off;

		sg_afile_write(&f, body + off, n);
		off += n;
	}
	is_int((long long)f.size, BODY, "its size counts every byte written");
	/* one patch in bytes written out, one in the buffer */
	memcpy(body + 3, "HEAD", 4);
	sg_afile_patch(&f, 3, "HEAD", 4);
	memcpy(body + BODY - 10, "TAIL", 4);
	sg_afile_patch(&f, BODY - 10, "TAIL", 4);
	ok(sg_afile_commit(&f) == 0, "committed");
	ok(file_is(path, body, BODY), "%d bytes written and read back equal, patches "
	   "in place", BODY);
	ok(entries(dir) == 1, "no temporary file left");

	/* a failing write: the old file is left as it was, nothing else */
	ok(sg_write_file_atomic(path, "old\n", 4, false) == 0, "an old file");
	getrlimit(RLIMIT_FSIZE, &was);
	lim = was;
	lim.rlim_cur = SG_AFILE_BUFSIZE + 1000;
	signal(SIGXFSZ, SIG_IGN);
	rc = setrlimit(RLIMIT_FSIZE, &lim);
	ok(rc == 0, "file size limited to %d bytes", SG_AFILE_BUFSIZE + 1000);
	ok(sg_afile_open(&f, path, false) == 0, "opened");
	sg_afile_write(&f, body, BODY);
	sg_afile_patch(&f, 0, "X", 1);
	rc = sg_afile_commit(&f);
	e = errno;
	setrlimit(RLIMIT_FSIZE, &was);
	signal(SIGXFSZ, SIG_DFL);
	ok(rc == -1 && e == EFBIG, "a write past the limit fails (errno %d)", e);
	ok(file_is(path, "old\n", 4), "the old file is intact");
	ok(entries(dir) == 1, "no temporary file left");
	/* the same through sg_write_file_atomic() */
	setrlimit(RLIMIT_FSIZE, &lim);
	signal(SIGXFSZ, SIG_IGN);
	rc = sg_write_file_atomic(path, body, BODY, false);
	setrlimit(RLIMIT_FSIZE, &was);
	signal(SIGXFSZ, SIG_DFL);
	ok(rc == -1 && file_is(path, "old\n", 4) && entries(dir) == 1,
	   "sg_write_file_atomic() failing leaves the old file, nothing else");

	/* exclusive: refused over an existing file */
	ok(sg_afile_open(&f, path, true) == 0, "opened exclusive");
	sg_afile_write(&f, "new\n", 4);
	rc = sg_afile_commit(&f);
	ok(rc == -1 && errno == EEXIST, "exclusive over an existing file: EEXIST");
	ok(file_is(path, "old\n", 4) && entries(dir) == 1, "the old file stays alone");
	/* dropped */
	ok(sg_afile_open(&f, path, false) == 0, "opened again");
	sg_afile_write(&f, body, BODY);
	sg_afile_abort(&f);
	ok(file_is(path, "old\n", 4) && entries(dir) == 1, "aborted: nothing changed");
	/* nowhere to write */
	missing = sg_path_join(dir, "no/such/file");
	ok(sg_afile_open(&f, missing, false) == -1 && errno == ENOENT,
	   "a missing folder: ENOENT");
	ok(entries(dir) == 1, "nothing made");

	unlink(path);
	rmdir(dir);
	free(missing);
	free(path);
	free(body);
}

int main(void)
{
	test_arena();
	test_arena_packing();
	test_arena_child();
	test_sbuf();
	test_quote();
	test_comment();
	test_loc();
	test_file_ids();
	test_diags();
	test_misc();
	test_hash();
	test_afile();
	return tap_done();
}
