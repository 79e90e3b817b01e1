/* SPDX-License-Identifier: MIT */
/*
 * tap.h - a small TAP producer for unit tests (in the spirit of bubblewrap's
 * test-utils.c).  Every check prints "ok N - name" or "not ok N - name" with
 * what was expected; tap_done() prints the plan and returns the exit status.
 */
#ifndef SG_TAP_H
#define SG_TAP_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TAP_PRINTF(f, a)
#endif

bool tap_ok(bool cond, const char *file, int line, const char *fmt, ...)
	TAP_PRINTF(4, 5);
bool tap_is_str(const char *got, const char *want, const char *file, int line,
		const char *fmt, ...) TAP_PRINTF(5, 6);
bool tap_is_int(long long got, long long want, const char *file, int line,
		const char *fmt, ...) TAP_PRINTF(5, 6);
/* Prints a diagnostic line ("# ..."). */
void tap_diag(const char *fmt, ...) TAP_PRINTF(1, 2);
/* Prints "1..0 # SKIP reason" and exits 0. */
void tap_skip_all(const char *reason);
/* Prints the plan; returns 0 when every check passed, 1 otherwise. */
int tap_done(void);

#define ok(cond, ...) tap_ok((cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((got), (want), __FILE__, __LINE__, __VA_ARGS__)

#endif
