// SPDX-License-Identifier: MIT
/* tap.c - see tap.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int count, failed;

static void report(bool cond, const char *fmt, va_list ap)
{
	count++;
	if (!cond)
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", count);
	vprintf(fmt, ap);
	putchar('\n');
}

/* Prints text as TAP comment lines. */
static void diag_block(const char *label, const char *text)
{
	const char *p = text;

	printf("#   %s:\n", label);
	if (!p) {
		printf("#     (null)\n");
		return;
	}
	do {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#     |%.*s|\n", n, p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
}

bool tap_ok(bool cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	return cond;
}

bool tap_is_str(const char *got, const char *want, const char *file, int line,
		const char *fmt, ...)
{
	bool cond = (got == want) || (got && want && strcmp(got, want) == 0);
	va_list ap;

	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		printf("#   failed at %s:%d\n", file, line);
		diag_block("got", got);
		diag_block("expected", want);
	}
	fflush(stdout);
	return cond;
}

bool tap_is_int(long long got, long long want, const char *file, int line,
		const char *fmt, ...)
{
	bool cond = got == want;
	va_list ap;

	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   failed at %s:%d\n#   got: %lld\n#   expected: %lld\n",
		       file, line, got, want);
	fflush(stdout);
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void tap_skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	exit(0);
}

int tap_done(void)
{
	printf("1..%d\n", count);
	if (failed)
		printf("# %d of %d checks failed\n", failed, count);
	fflush(stdout);
	return failed ? 1 : 0;
}
