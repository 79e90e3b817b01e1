// SPDX-License-Identifier: MIT
/*
 * t-scan.c - the SQL token scanner (src/normalise/scan.c): the exact
 * boundaries of every token kind and of every tricky form, unterminated
 * ones, and that the scanner never reads past the length it is given.
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "tap.h"

static struct sg_arena *A;

static const char *const names[] = {
	[SG_TOK_END] = "end", [SG_TOK_SPACE] = "sp",
	[SG_TOK_LINE_COMMENT] = "lc", [SG_TOK_BLOCK_COMMENT] = "bc",
	[SG_TOK_STRING] = "str", [SG_TOK_DOLLAR] = "dol",
	[SG_TOK_QIDENT] = "qid", [SG_TOK_IDENT] = "id", [SG_TOK_NUMBER] = "num",
	[SG_TOK_PARAM] = "par", [SG_TOK_OTHER] = "o",
};

/* The tokens of the first len bytes of s, "kind[text]" each, blanks left
 * out, "!" after an unterminated one. */
static const char *toks_n(const char *s, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	struct sg_token t;
	size_t i = 0, covered = 0;
	const char *r;

	while (i < len) {
		size_t next = sg_sql_token(s, len, i, &t);

		if (t.start != i || next != i + t.len || t.len == 0 || next > len) {
			sbuf_adds(&sb, "<bad boundaries>");
			break;
		}
		covered += t.len;
		i = next;
		if (t.kind == SG_TOK_SPACE)
			continue;
		if (sb.len)
			sbuf_addch(&sb, ' ');
		sbuf_addf(&sb, "%s[%.*s]%s", names[t.kind], (int)t.len, s + t.start,
			  t.open ? "!" : "");
	}
	if (covered != len)
		sbuf_adds(&sb, "<not every byte>");
	sg_sql_token(s, len, len, &t);
	if (t.kind != SG_TOK_END || t.len != 0)
		sbuf_adds(&sb, "<no end>");
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static const char *toks(const char *s)
{
	return toks_n(s, strlen(s));
}

int main(void)
{
	A = sg_arena_new();

	is_str(toks("SELECT a1, _b$c FROM t;"),
	       "id[SELECT] id[a1] o[,] id[_b$c] id[FROM] id[t] o[;]",
	       "identifiers (with $ and digits inside), punctuation one byte each");
	is_str(toks("x = 'it''s' || 'a\\' "),
	       "id[x] o[=] str['it''s'] o[|] o[|] str['a\\']",
	       "'' is a quote; a backslash is itself in a standard string");
	is_str(toks("E'a\\'b' e'\\\\' E'it''s'"),
	       "str[E'a\\'b'] str[e'\\\\'] str[E'it''s']",
	       "E'': backslash escapes (\\' and \\\\), '' too");
	is_str(toks("fooE'x'"), "id[fooE] str['x']",
	       "E after a name is part of the name");
	is_str(toks("X'1F' b'01' N'n' U&'d\\0061t' u&'x'"),
	       "str[X'1F'] str[b'01'] str[N'n'] str[U&'d\\0061t'] str[u&'x']",
	       "bit, national and Unicode strings");
	is_str(toks("\"a \"\"b\"\" c\".\"d\" U&\"\\0041\" u&\"x\""),
	       "qid[\"a \"\"b\"\" c\"] o[.] qid[\"d\"] qid[U&\"\\0041\"] qid[u&\"x\"]",
	       "quoted names: \"\" inside; U&\"...\"");
	is_str(toks("U & 'x' U&x"), "id[U] o[&] str['x'] id[U] o[&] id[x]",
	       "U& only directly before a quote");
	is_str(toks("$$a 'b' $x$ c$$ $f$ $$ $F$ $f$ $1 $12x"),
	       "dol[$$a 'b' $x$ c$$] dol[$f$ $$ $F$ $f$] par[$1] par[$12] id[x]",
	       "dollar quotes: the same tag closes (case matters); $n parameters");
	is_str(toks("a$b$ c $ d"), "id[a$b$] id[c] o[$] id[d]",
	       "a $ inside a name starts no dollar quote; a lone $");
	is_str(toks("$_t1$x$_t1$ $1a$"), "dol[$_t1$x$_t1$] par[$1] id[a$]",
	       "a tag starts with a letter or _, not a digit");
	is_str(toks("a -- c 'x\nb"), "id[a] lc[-- c 'x] id[b]",
	       "a line comment ends before the newline; quotes inside count for nothing");
	is_str(toks("a /* x /* y */ 'z */ b"), "id[a] bc[/* x /* y */ 'z */] id[b]",
	       "block comments nest");
	is_str(toks("1 1.5 .5 1e10 1.5E-3 1..2 3x"),
	       "num[1] num[1.5] num[.5] num[1e10] num[1.5E-3] num[1] o[..] num[2] num[3] id[x]",
	       "numbers; 1..2 is a number, .. and a number");
	is_str(toks("a::int[] - -b / c"),
	       "id[a] o[:] o[:] id[int] o[[] o[]] o[-] o[-] id[b] o[/] id[c]",
	       "operators one byte each; - - is not a comment");
	is_str(toks("é ü_1"), "id[é] id[ü_1]", "non-ASCII letters are name characters");

	/* unterminated: to the end, marked open */
	is_str(toks("'abc"), "str['abc]!", "an unterminated string");
	is_str(toks("E'ab\\'"), "str[E'ab\\']!", "E'': an escaped quote does not close");
	is_str(toks("\"ab"), "qid[\"ab]!", "an unterminated quoted name");
	is_str(toks("$q$ab$q"), "dol[$q$ab$q]!", "an unterminated dollar quote");
	is_str(toks("/* a /* b */"), "bc[/* a /* b */]!", "an unterminated nested comment");
	is_str(toks("-- x"), "lc[-- x]", "a line comment at the end is complete");

	/* the length is respected: nothing past it is read or counted */
	is_str(toks_n("'ab'cd", 3), "str['ab]!", "a string cut by the length");
	is_str(toks_n("E'\\'", 3), "str[E'\\]!", "a backslash at the end escapes nothing");
	is_str(toks_n("$$x$$", 4), "dol[$$x$]!", "a closing tag cut by the length");
	is_str(toks_n("/**/", 3), "bc[/**]!", "a comment end cut by the length");
	is_str(toks_n("--", 1), "o[-]", "one - of a cut --");
	is_str(toks_n("U&'x'", 2), "id[U] o[&]", "U& cut before its quote");
	is_str(toks_n("1e+5", 3), "num[1] id[e] o[+]", "an exponent cut before its digits");
	is_str(toks(""), "", "nothing");

	ok(!sg_sql_token_is_code(SG_TOK_SPACE) && !sg_sql_token_is_code(SG_TOK_LINE_COMMENT) &&
	   !sg_sql_token_is_code(SG_TOK_BLOCK_COMMENT) && !sg_sql_token_is_code(SG_TOK_END) &&
	   sg_sql_token_is_code(SG_TOK_STRING) && sg_sql_token_is_code(SG_TOK_OTHER),
	   "blanks and comments are not code");

	/* lists split at their top-level commas */
	{
		const char **items;
		size_t *offs;
		const char *text = " a integer, b text DEFAULT 'x,y' , c int[] DEFAULT "
				   "ARRAY[1,2], \"d,\" numeric(10,2) /* , */,";
		size_t n = sg_sql_split_list(A, text, &items, &offs);

		is_int((long long)n, 4, "four items (no empty last one)");
		if (n == 4) {
			is_str(items[0], "a integer", "trimmed");
			is_int((long long)offs[0], 1, "its offset after the blank");
			is_str(items[1], "b text DEFAULT 'x,y'", "a comma in a string");
			is_str(items[2], "c int[] DEFAULT ARRAY[1,2]", "commas in brackets");
			is_str(items[3], "\"d,\" numeric(10,2) /* , */",
			       "commas in a name, in parentheses and in a comment");
			is_int((long long)offs[3], (long long)(strstr(text, "\"d") - text),
			       "its offset");
		}
		is_int((long long)sg_sql_split_list(A, "  ", &items, &offs), 0, "blanks: none");
		n = sg_sql_split_list(A, "a 'b,c", &items, &offs);
		is_int((long long)n, 1, "an unterminated string runs to the end");
	}

	sg_arena_free(A);
	return tap_done();
}
