/* SPDX-License-Identifier: MIT */
/*
 * runner-priv.h - what the files of the runner share: the state of a run
 * and the helpers of runner.c (the run, bookkeeping, failures, timeouts,
 * entry points), history.c (the version and history tables, the
 * database's state), lock.c, steps.c (revisions outside a transaction),
 * offline.c (--sql) and generated.c (generated scripts).
 */
#ifndef SG_RUNNER_PRIV_H
#define SG_RUNNER_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "schemagen/pgconn.h"
#include "schemagen/runner.h"
#include "schemagen/script.h"
#include "schemagen/store.h"

struct run {
	struct sg_arena *a;
	struct sg_conn *c;            /* NULL in --sql mode */
	const struct sg_revgraph *g;
	const struct sg_runner_opts *o;
	FILE *sql;                    /* --sql output */
	const char *vschema;          /* names as configured */
	const char *vtable;
	const char *htable;
	const char *vt;               /* quoted, qualified */
	const char *ht;
	long long lock_key;
	bool locked;
	const char **heads;           /* applied heads, sorted */
	size_t nheads;
	const char *start;            /* the heads when the run began, as text */
	bool single;                  /* one transaction for the whole run */
	/* SET LOCAL values in force in the open transaction (NULL: none) */
	const char *set_lock;
	const char *set_stmt;
};

/* bookkeeping statements, built as text: run, or printed with --sql */
struct stmts {
	const char **v;
	size_t n, cap;
};

void rn_revision_applied(struct run *r, const struct sg_revision *rev,
			 const char *dir, size_t nstmts, long long ms,
			 const char **after, size_t nafter);
void rn_run_init(struct run *r, struct sg_arena *a, struct sg_conn *c,
		 const struct sg_revgraph *g, const struct sg_runner_opts *o);
double rn_now_ms(void);
const char *rn_join(struct sg_arena *a, const char *const *v, size_t n,
		    const char *none);
const char *rn_duration_text(struct sg_arena *a, long ms);
int rn_str_cmp(const void *a, const void *b);
struct sg_revision *rn_find_rev(const struct sg_revgraph *g, const char *id);
size_t rn_char_to_byte(const char *s, size_t nchars);
void rn_add_stmt(struct run *r, struct stmts *s, struct sbuf *sb);
void rn_version_moves(struct run *r, struct stmts *out,
		      const char *const *from, size_t nfrom,
		      const char *const *to, size_t nto);
void rn_history_row(struct run *r, struct stmts *out, const char *rev,
		    const char *direction, const char *checksum,
		    long long duration);
int rn_run_bookkeeping(struct run *r, const struct stmts *s);
void rn_print_stmt_error(const struct sg_stmt *st, const PGresult *res,
			 const char *conn_msg);
bool rn_res_ok(const PGresult *res);
void rn_rollback(struct run *r);
const char *rn_ran_text(struct sg_arena *a, size_t k);
size_t rn_leading_enum_values(const struct sg_script *s);
const char *rn_statement_timeout_of(struct run *r,
				    const struct sg_revision *rev);
void rn_tx_timeouts(struct run *r, const struct sg_revision *rev,
		    struct stmts *out);
void rn_tx_begun(struct run *r);
void rn_session_timeouts(struct run *r, const struct sg_revision *rev,
			 bool reset, struct stmts *out);
int rn_exec_all(struct run *r, const struct stmts *s);
void rn_timeout_note(struct run *r, const struct sg_revision *rev,
		     const PGresult *res);
void rn_version_table_ddl(struct run *r, struct sbuf *out, bool schema);
void rn_history_table_ddl(struct run *r, struct sbuf *out);
int rn_ensure_tables(struct run *r);
int rn_read_heads(struct run *r, const char ***heads, size_t *n);
int rn_read_state(struct run *r, struct sg_db_state *st);
int rn_lock(struct run *r);
void rn_unlock(struct run *r);
void rn_session_setup(struct run *r);
void rn_sleep_ms(long ms);
const char *rn_online_lock_timeout(struct run *r, const struct sg_revision *rev);
int rn_online_retries(struct run *r);
int rn_run_step(struct run *r, const struct sg_revision *rev, const char *dir,
		const struct sg_script *s, size_t i, char state, PGresult **failed);
int rn_apply(struct run *r, const struct sg_revision *rev, bool up);
int rn_check_single(struct run *r, struct sg_revision **plan, size_t n,
		    bool up);
int rn_check_secrets(struct run *r, struct sg_revision **plan, size_t n,
		     bool up);
int rn_resolve_accepts(struct run *r, struct sg_db_state *st,
		       struct sg_revision ***acc, size_t *nacc);
int rn_record_accepts(struct run *r, struct sg_revision **acc, size_t n);
void rn_print_stmts(FILE *f, const struct stmts *s);
void rn_print_prologue(struct run *r);
void rn_print_epilogue(struct run *r);
int rn_parse_plan(struct run *r, struct sg_revision **plan, size_t n);
int rn_check_irreversible(struct run *r, struct sg_revision **plan, size_t n);
int rn_sql_mode(struct run *r, const char *target, bool up);

#endif
