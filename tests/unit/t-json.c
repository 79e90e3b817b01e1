// SPDX-License-Identifier: MIT
/*
 * t-json.c - the JSON writer (src/util/json.c): escaping of every byte
 * below 0x20, DEL, quotes and backslashes, U+2028/9, invalid UTF-8 as
 * U+FFFD (stray continuations, overlongs, surrogates, > U+10FFFF,
 * truncated sequences), NUL inside a counted string; nesting and commas;
 * the diagnostics sink the documents' errors come from.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/json.h"
#include "schemagen/sbuf.h"
#include "tap.h"

static const struct {
	const char *in;
	size_t len;     /* 0: strlen */
	const char *want;
} cases[] = {
	{ "plain", 0, "\"plain\"" },
	{ "a\"b\\c", 0, "\"a\\\"b\\\\c\"" },
	{ "\b\f\n\r\t", 0, "\"\\b\\f\\n\\r\\t\"" },
	{ "\x01\x1b[2J\x1f\x7f", 0, "\"\\u0001\\u001b[2J\\u001f\\u007f\"" },
	{ "a\0b", 3, "\"a\\u0000b\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ "\xe2\x80\xa8|\xe2\x80\xa9", 0, "\"\\u2028|\\u2029\"" },
	{ "\x80x", 0, "\"\\ufffdx\"" },                     /* stray continuation */
	{ "\xc0\xaf", 0, "\"\\ufffd\\ufffd\"" },              /* overlong '/' */
	{ "\xe0\x80\xaf", 0, "\"\\ufffd\\ufffd\\ufffd\"" },    /* overlong, 3 bytes */
	{ "\xed\xa0\x80", 0, "\"\\ufffd\\ufffd\\ufffd\"" },    /* surrogate U+D800 */
	{ "\xf4\x90\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
	{ "\xe2\x82", 0, "\"\\ufffd\\ufffd\"" },              /* truncated at the end */
	{ "\xe2\x82x", 0, "\"\\ufffd\\ufffdx\"" },            /* truncated in the middle */
	{ "\xff\xfe", 0, "\"\\ufffd\\ufffd\"" },
};

int main(void)
{
	struct sg_arena *a = sg_arena_new();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf sb = SBUF_INIT;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);

		sg_json_quote(&sb, cases[i].in, len);
		is_str(sb.buf, cases[i].want, "quote case %zu", i);
		sbuf_release(&sb);
	}

	{
		struct sbuf sb = SBUF_INIT;
		struct sg_json j;
		const char *ids[] = { "a", "b" };

		sg_json_init(&j, &sb);
		sg_json_obj(&j, NULL);
		sg_json_int(&j, "n", -3);
		sg_json_arr(&j, "ids");
		for (size_t i = 0; i < 2; i++)
			sg_json_str(&j, NULL, ids[i]);
		sg_json_end(&j);
		sg_json_obj(&j, "o");
		sg_json_end(&j);
		sg_json_arr(&j, "e");
		sg_json_end(&j);
		sg_json_str(&j, "s", NULL);
		sg_json_bool(&j, "t", true);
		sg_json_strn(&j, "k\"ey", "x", 1);
		sg_json_end(&j);
		is_str(sb.buf, "{\"n\":-3,\"ids\":[\"a\",\"b\"],\"o\":{},\"e\":[],\"s\":null,"
		       "\"t\":true,\"k\\\"ey\":\"x\"}", "nesting, commas, null, keys escaped");
		is_int(j.depth, 0, "closed");
		sbuf_release(&sb);
	}

	{
		struct sg_diag_sink sink = { .arena = a, .silent = true };
		struct sg_diags d;
		struct sg_loc loc = { .file = sg_file_id("m.yaml"), .line = 3, .col = 7 };

		sg_sink = &sink;
		sg_error("first %d", 1);
		sg_hint("do this");
		sg_warning("careful");
		sg_diags_init(&d, a);
		sg_diag_hint(sg_diag_error(&d, loc, "bad key"), &d, "did you mean x?");
		sg_diags_print(&d);
		sg_error_at(loc, "at %s", "place");
		sg_sink = NULL;
		is_int((long long)sink.n, 4, "the sink kept four");
		is_str(sink.v[0].msg, "first 1", "sg_error kept");
		is_str(sink.v[0].hint, "do this", "sg_hint attached");
		ok(sink.v[1].sev == SG_SEV_WARNING && !strcmp(sink.v[1].msg, "careful"),
		   "sg_warning kept as a warning");
		ok(sink.v[2].loc.line == 3 && sink.v[2].loc.col == 7 &&
		   !strcmp(sg_loc_file(sink.v[2].loc), "m.yaml") && !strcmp(sink.v[2].hint, "did you mean x?"),
		   "a collected diagnostic with its place and hint");
		is_str(sink.v[3].msg, "at place", "sg_error_at kept");
	}
	sg_arena_free(a);
	return tap_done();
}
