// SPDX-License-Identifier: MIT
/*
 * d-embedded.c - the embedded PostgreSQL cluster and scratch databases
 * (src/runner/embedded.c, scratch.c).
 *
 * Runs under tools/with-postgres.sh (PGHOST set) but starts clusters of its
 * own, in a fresh temporary SCHEMAGEN_HOME, and stops and deletes them at
 * the end.  The with-postgres cluster is only used as a dev_url server.
 * Written to run as root (CI): the server must then run as the unprivileged
 * user; a non-root run is exercised in a child that becomes "nobody".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/embedded.h"
#include "schemagen/pgconn.h"
#include "schemagen/sbuf.h"
#include "tap.h"

static struct sg_arena *A;
static char base[] = "/tmp/sg-emb.XXXXXX";
static const char *dev_url;       /* from with-postgres.sh */
static const char *homes[16];     /* clusters to stop at exit */
static size_t nhomes;
static uid_t server_uid;
static const char *server_user;

/* ---------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static const char *path(const char *fmt, ...) SG_PRINTF(1, 2);
static const char *path(const char *fmt, ...)
{
	va_list ap;
	char *r;

	va_start(ap, fmt);
	r = sg_vprintf(A, fmt, ap);
	va_end(ap);
	return r;
}

/* Sets SCHEMAGEN_HOME; a cluster that will be started is stopped at exit. */
static void use_home(const char *home, bool starts)
{
	bool known = false;

	for (size_t i = 0; i < nhomes; i++)
		known = known || strcmp(homes[i], home) == 0;
	if (starts && !known && nhomes < ARRAY_SIZE(homes))
		homes[nhomes++] = home;
	setenv("SCHEMAGEN_HOME", home, 1);
}

/* Redirects fd (1 or 2) into a temporary file until capture_end(). */
struct capture {
	int fd, saved;
	FILE *f;
};

static void capture_begin(struct capture *c, int fd)
{
	fflush(stdout);
	fflush(stderr);
	c->fd = fd;
	c->f = tmpfile();
	c->saved = dup(fd);
	dup2(fileno(c->f), fd);
}

static const char *capture_end(struct capture *c)
{
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	const char *r;

	fflush(stdout);
	fflush(stderr);
	dup2(c->saved, c->fd);
	close(c->saved);
	rewind(c->f);
	while ((n = fread(buf, 1, sizeof(buf), c->f)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(c->f);
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int count_in_file(const char *file, const char *needle)
{
	char *s = sg_read_file(file, NULL);
	int n = 0;

	for (const char *p = s; p && (p = strstr(p, needle)); p++)
		n++;
	free(s);
	return n;
}

static long pid_from_file(const char *file)
{
	char *s = sg_read_file(file, NULL);
	long pid = s ? atol(s) : 0;

	free(s);
	return pid;
}

static bool dead_or_zombie(long pid)
{
	char *s;
	const char *p;
	bool r;

	if (kill((pid_t)pid, 0) < 0)
		return errno == ESRCH;
	s = sg_read_file(path("/proc/%ld/stat", pid), NULL);
	p = s ? strrchr(s, ')') : NULL;
	r = !s || (p && (p[2] == 'Z' || p[2] == 'X'));
	free(s);
	return r;
}

/* Live (not zombie) processes whose working directory is dir. */
static int cluster_processes(const char *dir)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char buf[4096];
	int n = 0;

	while (d && (e = readdir(d))) {
		long pid = atol(e->d_name);
		ssize_t len;

		if (pid <= 0)
			continue;
		len = readlink(path("/proc/%ld/cwd", pid), buf, sizeof(buf) - 1);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		if (strcmp(buf, dir) == 0 && !dead_or_zombie(pid))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static uid_t proc_uid(long pid)
{
	struct stat st;

	return stat(path("/proc/%ld", pid), &st) == 0 ? st.st_uid : (uid_t)-1;
}

/* One value from a query on conninfo (arena copy), NULL on error. */
static const char *query1(const char *conninfo, const char *sql)
{
	struct sg_conn *c = sg_conn_open(conninfo);
	const char *v;

	if (!c)
		return NULL;
	v = sg_conn_value(c, A, sql);
	sg_conn_close(c);
	return v;
}

static int exec_on(const char *conninfo, const char *sql)
{
	struct sg_conn *c = sg_conn_open(conninfo);
	int r;

	if (!c)
		return -1;
	r = sg_conn_exec(c, sql);
	sg_conn_close(c);
	return r;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static void cleanup(void)
{
	for (size_t i = 0; i < nhomes; i++) {
		setenv("SCHEMAGEN_HOME", homes[i], 1);
		sg_embedded_stop();
	}
	nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	sg_arena_free(A);
}

/* The major version directory the cluster in home uses ("pg15"). */
static const char *cluster_dir(const char *home)
{
	DIR *d = opendir(home);
	struct dirent *e;
	const char *r = NULL;

	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, "pg", 2) == 0)
			r = path("%s/%s", home, e->d_name);
	if (d)
		closedir(d);
	return r ? r : path("%s/pg?", home);
}

/* ---------------------------------------------------------------- */

static const char *H1;    /* the main cluster */
static const char *C1;    /* H1/pg<major> */
static const char *CI1;   /* its conninfo for postgres */

static void test_first_start(void)
{
	struct stat st;
	const char *v, *ci;
	double t0, t1;
	long pm;

	H1 = path("%s/main", base);
	use_home(H1, true);
	t0 = now_ms();
	ci = sg_embedded_conninfo(A, "postgres", false);
	t1 = now_ms();
	ok(ci != NULL, "first start: initdb and start");
	tap_diag("first start (initdb + start) took %.0f ms", t1 - t0);
	C1 = cluster_dir(H1);
	CI1 = path("host=%s/run port=5432 user=schemagen dbname=postgres", C1);
	is_str(ci, CI1, "conninfo names the socket directory, role and database");

	if (geteuid() == 0)
		ok(lstat(H1, &st) == 0 && (st.st_mode & 07777) == 0711 &&
		   st.st_uid == 0, "home created 0711 (as root), owned by root");
	else
		ok(lstat(H1, &st) == 0 && (st.st_mode & 07777) == 0700 &&
		   st.st_uid == geteuid(), "home created 0700, owned by us");
	ok(lstat(C1, &st) == 0 && (st.st_mode & 07777) == 0700 &&
	   st.st_uid == server_uid, "cluster directory 0700, owned by %s",
	   server_user);
	ok(lstat(path("%s/run", C1), &st) == 0 && S_ISDIR(st.st_mode) &&
	   (st.st_mode & 07777) == 0700 && st.st_uid == server_uid,
	   "socket directory 0700, owned by %s", server_user);
	ok(lstat(path("%s/data", C1), &st) == 0 && st.st_uid == server_uid,
	   "data directory owned by %s", server_user);
	ok(lstat(path("%s/data.initdb", C1), &st) < 0,
	   "no unfinished initdb directory left");

	v = query1(CI1, "SHOW listen_addresses");
	is_str(v, "", "no TCP: listen_addresses is empty");
	is_str(query1(CI1, "SHOW unix_socket_directories"), path("%s/run", C1),
	       "socket in the run directory");
	is_str(query1(CI1, "SELECT current_user || ' ' || rolsuper FROM pg_roles "
			   "WHERE rolname = current_user"),
	       "schemagen true", "connected as superuser schemagen");
	is_str(query1(CI1, "SELECT current_setting('server_encoding') || ' ' || "
			   "current_setting('lc_collate') || ' ' || "
			   "current_setting('lc_ctype')"),
	       "UTF8 C C", "UTF8, no locale");
	is_str(query1(CI1, "SELECT current_setting('fsync') || ' ' || "
			   "current_setting('synchronous_commit') || ' ' || "
			   "current_setting('full_page_writes')"),
	       "off off off", "fsync, synchronous_commit, full_page_writes off");
	is_str(query1(CI1, "SELECT count(*) FROM pg_hba_file_rules WHERE "
			   "type <> 'local' AND auth_method <> 'reject'"),
	       "0", "pg_hba: only local connections are trusted");

	pm = pid_from_file(path("%s/data/postmaster.pid", C1));
	ok(pm > 0 && proc_uid(pm) == server_uid,
	   "postmaster (PID %ld) runs as %s", pm, server_user);
	v = query1(CI1, "SELECT pg_backend_pid()");
	ok(v && proc_uid(atol(v)) == server_uid, "backends run as %s", server_user);
}

static void test_reuse(void)
{
	struct stat before, after;
	const char *ci;
	long pm = pid_from_file(path("%s/data/postmaster.pid", C1));
	double t0, t1;

	stat(path("%s/data/PG_VERSION", C1), &before);
	t0 = now_ms();
	ci = sg_embedded_conninfo(A, "postgres", false);
	t1 = now_ms();
	is_str(ci, CI1, "second call: same conninfo");
	tap_diag("second call (server running) took %.1f ms", t1 - t0);
	stat(path("%s/data/PG_VERSION", C1), &after);
	ok(before.st_ino == after.st_ino && before.st_mtime == after.st_mtime,
	   "second call: no new initdb");
	is_int(count_in_file(path("%s/server.log", C1),
			     "ready to accept connections"), 1,
	       "second call: the server was started once");
	is_int(pid_from_file(path("%s/data/postmaster.pid", C1)), pm,
	       "second call: same postmaster");
}

static void test_create_db(void)
{
	const char *name = "My \"odd\" db's";
	struct capture cap;
	const char *ci, *err;

	ci = sg_embedded_conninfo(A, name, true);
	is_str(ci, path("host=%s/run port=5432 user=schemagen "
			"dbname='My \"odd\" db\\'s'", C1),
	       "create_db: conninfo quotes the database name");
	is_str(query1(ci, "SELECT current_database()"), name,
	       "create_db: the database exists");
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, name, true);
	err = capture_end(&cap);
	ok(ci != NULL, "create_db on an existing database");
	is_str(err, "", "create_db on an existing database prints nothing");
	ci = sg_embedded_conninfo(A, "not_created", false);
	is_str(query1(CI1, "SELECT count(*) FROM pg_database WHERE "
			   "datname = 'not_created'"),
	       "0", "without create_db nothing is created");
}

static void test_status(const char *state)
{
	struct capture cap;
	const char *out;
	int r;

	capture_begin(&cap, 1);
	r = sg_embedded_status();
	out = capture_end(&cap);
	is_int(r, 0, "status (%s) returns 0", state);
	ok(strstr(out, path("home:     %s\n", H1)) &&
	   strstr(out, path("data:     %s/data\n", C1)) &&
	   strstr(out, path("socket:   %s/run\n", C1)),
	   "status (%s) shows home, data and socket directories", state);
	if (strcmp(state, "running") == 0)
		ok(strstr(out, "server:   running (PostgreSQL ") &&
		   strstr(out, path(", user %s)\n", server_user)),
		   "status says running, with version and user");
	else
		ok(strstr(out, "server:   stopped\n") != NULL, "status says stopped");
	if (!strstr(out, "server:"))
		tap_diag("status printed: %s", out);
}

static void test_stop_start(void)
{
	struct stat before, after;
	const char *ci;

	stat(path("%s/data/PG_VERSION", C1), &before);
	is_int(sg_embedded_stop(), 0, "stop");
	ok(PQping(CI1) == PQPING_NO_RESPONSE, "stopped server does not answer");
	ok(access(path("%s/data/postmaster.pid", C1), F_OK) < 0,
	   "postmaster.pid removed");
	test_status("stopped");
	is_int(sg_embedded_stop(), 0, "stop when not running");
	ci = sg_embedded_conninfo(A, "postgres", false);
	is_str(ci, CI1, "start again after stop");
	ok(PQping(CI1) == PQPING_OK, "restarted server answers");
	stat(path("%s/data/PG_VERSION", C1), &after);
	ok(before.st_ino == after.st_ino, "restart: no new initdb");
	is_int(count_in_file(path("%s/server.log", C1),
			     "ready to accept connections"), 2,
	       "restart: started a second time");
}

static void test_stale_pid(void)
{
	const char *pidfile = path("%s/data/postmaster.pid", C1);
	long pm = pid_from_file(pidfile), pm2;
	struct capture cap;
	const char *ci, *err;
	int i;

	ok(cluster_processes(path("%s/data", C1)) > 1,
	   "server processes found by their working directory");
	ok(pm > 0 && kill((pid_t)pm, SIGKILL) == 0, "kill -9 the postmaster");
	for (i = 0; i < 100 && !dead_or_zombie(pm); i++)
		usleep(20000);
	ok(dead_or_zombie(pm), "postmaster is gone");
	/*
	 * Its children notice and exit; until they have, the new postmaster
	 * would find the shared memory in use (that is postgres's own
	 * interlock, not something schemagen handles).
	 */
	for (i = 0; i < 250 && cluster_processes(path("%s/data", C1)) > 0; i++)
		usleep(20000);
	is_int(cluster_processes(path("%s/data", C1)), 0,
	       "the old server processes are gone");
	ok(access(pidfile, F_OK) == 0, "stale postmaster.pid left behind");
	/*
	 * Where nobody reaps the dead postmaster (PID 1 in this VM and many
	 * containers) it stays a zombie, postgres thinks it is alive and
	 * pg_ctl start fails; schemagen removes the stale file itself.
	 */
	sg_verbosity = 1;
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	sg_verbosity = 0;
	ok(strstr(err, path("schemagen: removing %s: its server (PID %ld) is "
			    "gone\n", pidfile, pm)) != NULL,
	   "the stale postmaster.pid is removed (%s)",
	   dead_or_zombie(pm) && kill((pid_t)pm, 0) == 0 ? "a zombie" : "gone");
	is_str(ci, CI1, "start after a crash with a stale postmaster.pid");
	pm2 = pid_from_file(pidfile);
	ok(pm2 > 0 && pm2 != pm && !dead_or_zombie(pm2), "a new postmaster runs");
	is_str(query1(CI1, "SELECT 'alive'"), "alive", "and answers queries");
}

/* The server refuses its configuration: pg_ctl's words and the log tail. */
static void test_start_failure(void)
{
	const char *conf = path("%s/data/postgresql.conf", C1);
	const char *log = path("%s/server.log", C1);
	struct capture cap;
	const char *ci, *err;
	struct stat st;
	FILE *f;

	is_int(sg_embedded_stop(), 0, "stop before breaking the configuration");
	stat(conf, &st);
	f = fopen(conf, "a");
	fputs("shared_buffers = 'plenty'\n", f);
	fclose(f);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "server that cannot start: fails");
	ok(starts_with(err, "schemagen: error: could not start the embedded "
			    "PostgreSQL server (pg_ctl exited with status 1):\n"
			    "  pg_ctl: could not start server\n"),
	   "server that cannot start: pg_ctl's message");
	ok(strstr(err, path("\n  last lines of %s:\n", log)) &&
	   strstr(err, "invalid value for parameter \"shared_buffers\": "
		       "\"plenty\"\n"),
	   "server that cannot start: the server log's tail");
	if (!strstr(err, "shared_buffers"))
		tap_diag("got: %s", err);
	if (truncate(conf, st.st_size) < 0)
		tap_diag("truncate: %s", strerror(errno));
	is_str(sg_embedded_conninfo(A, "postgres", false), CI1,
	       "starts again once the configuration is repaired");
}

/* Fake server programs in a bin directory of our own. */
static const char *fake_bindir(const char *name, const char *initdb,
			       const char *version)
{
	const char *dir = path("%s/%s", base, name);
	const char *progs[][2] = {
		{ "initdb", initdb },
		{ "pg_ctl", version },
		{ "postgres", "exit 1" },
	};

	mkdir(dir, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		const char *p = path("%s/%s", dir, progs[i][0]);
		FILE *f = fopen(p, "w");

		fprintf(f, "#!/bin/sh\n%s\n", progs[i][1]);
		fclose(f);
		chmod(p, 0755);
	}
	return dir;
}

static void test_program_failures(void)
{
	const char *bin, *home, *ci, *err;
	struct capture cap;

	bin = fake_bindir("fake-initdb",
			  "echo 'initdb: error: pretend the disk is full' >&2; exit 1",
			  "echo 'pg_ctl (PostgreSQL) 15.99'");
	home = path("%s/fake-initdb-home", base);
	use_home(home, false);
	setenv("SCHEMAGEN_PG_BINDIR", bin, 1);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "initdb fails: fails");
	is_str(err, path("schemagen: error: initdb of the embedded PostgreSQL "
			 "cluster in %s/pg15/data exited with status 1:\n"
			 "  initdb: error: pretend the disk is full\n", home),
	       "initdb fails: its output is shown");

	bin = fake_bindir("fake-version", "exit 0", "echo 'pg_ctl 15'");
	setenv("SCHEMAGEN_PG_BINDIR", bin, 1);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "unknown server version: fails");
	is_str(err, path("schemagen: error: cannot tell the version of "
			 "%s/pg_ctl: `pg_ctl -V` printed no version\n"
			 "  pg_ctl 15\n", bin),
	       "unknown server version: message");
	unsetenv("SCHEMAGEN_PG_BINDIR");
	use_home(H1, true);
}

static void test_bad_paths(void)
{
	char longname[101];
	const char *home, *sock, *ci, *err;
	struct capture cap;

	memset(longname, 'a', 100);
	longname[100] = '\0';
	home = path("%s/%s", base, longname);
	sock = path("%s/%s/run/.s.PGSQL.5432", home, strrchr(C1, '/') + 1);
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "socket path too long: fails");
	is_str(err, path("schemagen: error: the embedded PostgreSQL socket path "
			 "%s is too long for a unix socket (%zu bytes, at most "
			 "107)\n  hint: set SCHEMAGEN_HOME to a shorter path\n",
			 sock, strlen(sock)),
	       "socket path too long: message");

	home = path("%s/it's", base);
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "quote in the path: fails");
	is_str(err, path("schemagen: error: cannot keep the embedded PostgreSQL "
			 "cluster in %s/%s: pg_ctl cannot pass a path containing "
			 "'\n  hint: set SCHEMAGEN_HOME to a path without \" ' ` $ "
			 "\\ , or control characters\n",
			 home, strrchr(C1, '/') + 1),
	       "quote in the path: message");
	use_home(H1, true);
}

/* Where the cluster goes when SCHEMAGEN_HOME does not say. */
static void test_home_rules(void)
{
	struct passwd *pw = getpwnam("nobody");
	char cwd[4096], buf[4096] = "";
	char *h;
	int fds[2];
	pid_t pid;
	ssize_t n;

	setenv("SCHEMAGEN_HOME", "rel/dir/", 1);
	h = sg_embedded_home();
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	is_str(h, path("%s/rel/dir", cwd), "relative SCHEMAGEN_HOME is made absolute");
	free(h);
	unsetenv("SCHEMAGEN_HOME");
	if (geteuid() != 0 || !pw || pipe(fds) < 0) {
		ok(1, "# SKIP needs root");
		ok(1, "# SKIP needs root");
		goto out;
	}
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	h = sg_embedded_home();
	is_str(h, "/var/tmp/schemagen-root", "as root: /var/tmp/schemagen-root");
	free(h);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		FILE *f;

		if (setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
			_exit(1);
		f = fdopen(fds[1], "w");
		h = sg_embedded_home();
		fprintf(f, "%s|", h);
		free(h);
		setenv("XDG_CACHE_HOME", "relative", 1);
		setenv("HOME", "/h", 1);
		h = sg_embedded_home();
		fprintf(f, "%s", h);
		free(h);
		fclose(f);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, NULL, 0);
	is_str(buf, "/xdg/schemagen|/h/.cache/schemagen",
	       "as a user: $XDG_CACHE_HOME/schemagen, else ~/.cache/schemagen "
	       "(a relative XDG_CACHE_HOME is ignored)");
out:
	unsetenv("XDG_CACHE_HOME");
	use_home(H1, true);
}

/* Several processes start the same fresh cluster at once. */
static void test_concurrent(void)
{
	const char *home = path("%s/concurrent", base);
	enum { N = 4 };
	pid_t pids[N];
	int gate[2], okcount = 0;
	const char *dir;
	char c;

	use_home(home, true);
	if (pipe(gate) < 0)
		return;
	fflush(NULL);
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct sg_arena *a = sg_arena_new();
			const char *ci;
			int rc;

			close(gate[1]);
			/* wait until all are forked */
			if (read(gate[0], &c, 1) < 0)
				_exit(3);
			ci = sg_embedded_conninfo(a, "postgres", false);
			rc = ci && PQping(ci) == PQPING_OK ? 0 : 1;
			sg_arena_free(a);
			_exit(rc);
		}
	}
	close(gate[0]);
	close(gate[1]);   /* EOF releases them together */
	for (int i = 0; i < N; i++) {
		int st;

		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] &&
		    WIFEXITED(st) && WEXITSTATUS(st) == 0)
			okcount++;
	}
	is_int(okcount, N, "%d concurrent processes all get a running server", N);
	dir = cluster_dir(home);
	is_int(count_in_file(path("%s/server.log", dir),
			     "ready to accept connections"), 1,
	       "concurrent start: one server started");
	is_int(count_in_file(path("%s/server.log", dir), "FATAL"), 0,
	       "concurrent start: no failed second server in the log");
	ok(access(path("%s/lock", dir), F_OK) == 0, "lock file in the cluster directory");
	is_int(sg_embedded_stop(), 0, "stop the concurrently started cluster");
}

/* The non-root path: a child becomes nobody and runs its own cluster. */
static void test_non_root(void)
{
	struct passwd *pw = getpwnam("nobody");
	const char *home = path("%s/nobody", base);
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int st;

	if (!pw || geteuid() != 0) {
		ok(1, "# SKIP needs root and a user nobody");
		return;
	}
	/* copied: the library's getpw* calls reuse the static entry */
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	mkdir(home, 0700);
	if (chown(home, uid, gid) < 0)
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct sg_arena *a;
		const char *ci, *dir;
		struct sg_conn *c;
		const char *who, *bpid;
		int bad = 0;

		if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
			_exit(10);
		setenv("SCHEMAGEN_HOME", home, 1);
		a = sg_arena_new();
		ci = sg_embedded_conninfo(a, "postgres", false);
		if (!ci) {
			sg_arena_free(a);
			_exit(11);
		}
		dir = cluster_dir(home);
		if (strcmp(ci, sg_printf(a, "host=%s/run port=5432 user=schemagen "
					"dbname=postgres", dir)) != 0)
			bad = 12;
		c = sg_conn_open(ci);
		who = c ? sg_conn_value(c, a, "SELECT current_user") : NULL;
		bpid = c ? sg_conn_value(c, a, "SELECT pg_backend_pid()") : NULL;
		if (!who || strcmp(who, "schemagen") != 0)
			bad = 13;
		else if (!bpid || proc_uid(atol(bpid)) != uid)
			bad = 14;
		sg_conn_close(c);
		if (sg_embedded_stop() != 0)
			bad = 15;
		sg_arena_free(a);
		_exit(bad);
	}
	is_int(waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	       0, "as a normal user (nobody): the server runs as that user, "
		  "conninfo works, stop works");
}

static void test_bad_homes(void)
{
	struct capture cap;
	const char *ci, *err, *dir, *home;
	struct passwd *pw = getpwnam("nobody");
	/* copied: the library's getpw* calls reuse the static entry */
	uid_t nobody_uid = pw ? pw->pw_uid : 0;
	gid_t nobody_gid = pw ? pw->pw_gid : 0;

	if (geteuid() != 0)
		goto not_root;
	/* not traversable by the server user */
	dir = path("%s/locked", base);
	mkdir(dir, 0700);
	home = path("%s/home", dir);
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "home the server user cannot reach: fails");
	is_str(err, path("schemagen: error: the embedded PostgreSQL server runs as "
			 "user %s (schemagen runs as root), who cannot enter %s: "
			 "Permission denied\n"
			 "  hint: let %s through (chmod o+x %s), or set "
			 "SCHEMAGEN_HOME to a directory it can reach (default for "
			 "root: /var/tmp/schemagen-root)\n",
			 server_user, dir, server_user, dir),
	       "home the server user cannot reach: clear message");

	/* a cluster directory planted by another user */
	home = path("%s/planted", base);
	mkdir(home, 0711);
	chmod(home, 0711);
	dir = path("%s/%s", home, strrchr(C1, '/') + 1);
	mkdir(dir, 0700);
	if (chown(dir, nobody_uid, nobody_gid) < 0)
		tap_diag("chown: %s", strerror(errno));
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "cluster directory owned by someone else: refused");
	is_str(err, path("schemagen: error: refusing to use %s for the embedded "
			 "PostgreSQL cluster: it is owned by nobody, not %s\n"
			 "  hint: remove it, or set SCHEMAGEN_HOME to a directory "
			 "of your own\n", dir, server_user),
	       "cluster directory owned by someone else: message");
	rmdir(dir);

not_root:
	/* a symbolic link */
	mkdir(path("%s/target", base), 0711);
	home = path("%s/link", base);
	if (symlink(path("%s/target", base), home) < 0)
		tap_diag("symlink: %s", strerror(errno));
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "home is a symbolic link: refused");
	is_str(err, path("schemagen: error: refusing to use %s for the embedded "
			 "PostgreSQL cluster: it is a symbolic link\n"
			 "  hint: remove it, or set SCHEMAGEN_HOME to a directory "
			 "of your own\n", home),
	       "home is a symbolic link: message");

	/* writable by others */
	home = path("%s/shared", base);
	mkdir(home, 0777);
	chmod(home, 0777);
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "home writable by others: refused");
	is_str(err, path("schemagen: error: refusing to use %s for the embedded "
			 "PostgreSQL cluster: its mode 0777 lets other users "
			 "write to it\n"
			 "  hint: chmod go-w %s, or set SCHEMAGEN_HOME to a "
			 "directory of your own\n", home, home),
	       "home writable by others: message");

	/* a cluster directory that is open to others, or a symbolic link */
	home = path("%s/planted2", base);
	mkdir(home, 0700);
	dir = path("%s/%s", home, strrchr(C1, '/') + 1);
	mkdir(dir, 0755);
	chmod(dir, 0755);
	if (geteuid() == 0 && chown(dir, server_uid, (gid_t)-1) < 0)
		tap_diag("chown: %s", strerror(errno));
	use_home(home, false);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL, "cluster directory open to others: refused");
	is_str(err, path("schemagen: error: refusing to use %s for the embedded "
			 "PostgreSQL cluster: its mode 0755 lets other users "
			 "enter it\n"
			 "  hint: chmod 700 %s, or set SCHEMAGEN_HOME to a "
			 "directory of your own\n", dir, dir),
	       "cluster directory open to others: message");
	rmdir(dir);
	if (symlink(path("%s/target", base), dir) < 0)
		tap_diag("symlink: %s", strerror(errno));
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	ok(ci == NULL && strstr(err, path("refusing to use %s for the embedded "
					  "PostgreSQL cluster: it is a symbolic "
					  "link\n", dir)),
	   "cluster directory as a symbolic link: refused");
	use_home(H1, true);
}

static void test_no_binaries(void)
{
	const char *empty = path("%s/empty-bin", base);
	struct capture cap;
	const char *ci, *err, *old_path = getenv("PATH");
	pid_t pid;
	int st;

	mkdir(empty, 0755);
	setenv("SCHEMAGEN_PG_BINDIR", empty, 1);
	capture_begin(&cap, 2);
	ci = sg_embedded_conninfo(A, "postgres", false);
	err = capture_end(&cap);
	unsetenv("SCHEMAGEN_PG_BINDIR");
	ok(ci == NULL, "SCHEMAGEN_PG_BINDIR without server programs: fails");
	is_str(err, path("schemagen: error: SCHEMAGEN_PG_BINDIR=%s does not "
			 "contain the PostgreSQL server programs (initdb, pg_ctl, "
			 "postgres)\n"
			 "  hint: point it at a directory such as "
			 "/usr/lib/postgresql/15/bin, or unset it to search "
			 "pg_config --bindir, PATH and /usr/lib/postgresql\n", empty),
	       "SCHEMAGEN_PG_BINDIR without server programs: message");

	/*
	 * Nothing anywhere: in a private mount namespace, hide
	 * /usr/lib/postgresql and empty PATH.  Needs CAP_SYS_ADMIN.
	 */
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct sg_arena *a;
		int fd, rc;

		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("none", "/usr/lib/postgresql", "tmpfs", 0, NULL) < 0)
			_exit(77);
		setenv("PATH", empty, 1);
		setenv("SCHEMAGEN_PG_CACHE", empty, 1);
		fd = open(path("%s/nobin.err", base), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		a = sg_arena_new();
		rc = sg_embedded_conninfo(a, "postgres", false) ? 1 : 0;
		sg_arena_free(a);
		_exit(rc);
	}
	waitpid(pid, &st, 0);
	setenv("PATH", old_path, 1);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		ok(1, "# SKIP no mount namespace to hide the server programs");
		ok(1, "# SKIP no mount namespace to hide the server programs");
		return;
	}
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "no server programs anywhere: fails");
	err = sg_read_file(path("%s/nobin.err", base), NULL);
	is_str(err, path("schemagen: error: no PostgreSQL server programs found for "
		    "the embedded database (looked at pg_config --bindir, PATH, "
		    "/usr/lib/postgresql/*/bin and %s)\n"
		    "  hint: install the PostgreSQL server (Debian, Ubuntu: "
		    "apt-get install postgresql), set SCHEMAGEN_PG_BINDIR to its "
		    "bin directory, or set dev_url / SCHEMAGEN_DEV_URL to use an "
		    "existing server\n"
		    "  hint: they are needed where the models are materialised "
		    "(revision --autogenerate, diff, check) without dev_url, and by "
		    "commands that use the embedded server as their database; "
		    "upgrade, downgrade, stamp, current, history and dump against "
		    "--url / DATABASE_URL do not need them\n", empty),
	       "no server programs anywhere: message");
	free((void *)err);
}

/* ---------------------------------------------------------------- */
/* Scratch databases                                                 */
/* ---------------------------------------------------------------- */

static bool db_exists(const char *admin, const char *name)
{
	struct sg_conn *c = sg_conn_open(admin);
	const char *params[] = { name };
	PGresult *res;
	bool r = false;

	if (!c)
		return false;
	res = sg_conn_query(c, "SELECT 1 FROM pg_database WHERE datname = $1",
			    1, params);
	r = res && PQntuples(res) == 1;
	PQclear(res);
	sg_conn_close(c);
	return r;
}

static const char *scratch_prefix;  /* sg_scratch_<hostid>_ */

static void test_scratch_embedded(void)
{
	struct sg_config cfg = { 0 };
	struct sg_scratch s;
	regex_t re;
	const char *name;
	double t0, t1;
	int fails = 0;
	enum { ROUNDS = 10 };

	unsetenv("SCHEMAGEN_DEV_URL");
	is_int(sg_scratch_open(A, &cfg, &s), 0, "scratch on the embedded cluster");
	if (!s.conn)
		return;
	name = s.dbname;
	regcomp(&re, "^sg_scratch_[0-9a-f]{8}_[0-9]+_[0-9]+$", REG_EXTENDED | REG_NOSUB);
	ok(regexec(&re, name, 0, NULL, 0) == 0 &&
	   strstr(name, path("_%ld_", (long)getpid())) && strlen(name) <= 63,
	   "scratch name %s: sg_scratch_<hostid>_<pid>_<n>, at most 63 bytes", name);
	regfree(&re);
	scratch_prefix = sg_strndup(A, name, strlen("sg_scratch_12345678_"));
	is_str(s.admin_conninfo, CI1, "created from the embedded postgres database");
	is_str(sg_conn_value(s.conn, A, "SELECT current_database()"), name,
	       "connected to the scratch database");
	is_str(sg_conn_value(s.conn, A,
			     "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
			     "ON n.oid = c.relnamespace WHERE n.nspname NOT IN "
			     "('pg_catalog', 'information_schema', 'pg_toast')"),
	       "0", "scratch database is empty");
	is_int(sg_conn_exec(s.conn, "CREATE TABLE t (a int)"), 0,
	       "scratch database is usable");
	ok(db_exists(CI1, name), "scratch database exists while open");
	sg_scratch_close(&s);
	ok(!db_exists(CI1, name), "close drops it");
	ok(s.conn == NULL && s.dbname == NULL, "close clears the struct");
	sg_scratch_close(&s);
	ok(1, "closing twice is harmless");

	t0 = now_ms();
	for (int i = 0; i < ROUNDS; i++) {
		if (sg_scratch_open(A, &cfg, &s) < 0)
			fails++;
		sg_scratch_close(&s);
	}
	t1 = now_ms();
	is_int(fails, 0, "%d scratch open+close rounds", ROUNDS);
	tap_diag("scratch open+close on the embedded cluster: %.1f ms each "
		 "(average of %d)", (t1 - t0) / ROUNDS, ROUNDS);
}

static void test_leftovers(void)
{
	struct sg_config cfg = { 0 };
	struct sg_scratch s;
	pid_t dead, live;
	const char *dead_db, *live_db, *other_db;
	char other_host[] = "sg_scratch_00000000_";
	int st;

	if (!scratch_prefix)
		return;
	if (strcmp(scratch_prefix, other_host) == 0)
		other_host[11] = '1';
	fflush(NULL);
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, &st, 0);
	live = fork();
	if (live == 0) {
		pause();
		_exit(0);
	}
	dead_db = path("%s%ld_1", scratch_prefix, (long)dead);
	live_db = path("%s%ld_1", scratch_prefix, (long)live);
	other_db = path("%s%ld_1", other_host, (long)dead);
	exec_on(CI1, path("CREATE DATABASE %s TEMPLATE template0", dead_db));
	exec_on(CI1, path("CREATE DATABASE %s TEMPLATE template0", live_db));
	exec_on(CI1, path("CREATE DATABASE %s TEMPLATE template0", other_db));
	ok(db_exists(CI1, dead_db) && db_exists(CI1, live_db) &&
	   db_exists(CI1, other_db), "planted leftover scratch databases");

	is_int(sg_scratch_open(A, &cfg, &s), 0, "open with leftovers around");
	sg_scratch_close(&s);
	ok(!db_exists(CI1, dead_db), "leftover of a dead process dropped");
	ok(db_exists(CI1, live_db), "scratch database of a live process kept");
	ok(db_exists(CI1, other_db), "scratch database of another host kept");

	kill(live, SIGKILL);
	waitpid(live, &st, 0);
	exec_on(CI1, path("DROP DATABASE %s", live_db));
	exec_on(CI1, path("DROP DATABASE %s", other_db));
}

static void test_scratch_dev_url(void)
{
	struct sg_config cfg = { 0 };
	struct sg_scratch s;
	struct capture cap;
	const char *name, *err, *bad;

	if (!dev_url) {
		ok(1, "# SKIP SCHEMAGEN_DEV_URL not set");
		return;
	}
	setenv("SCHEMAGEN_DEV_URL", dev_url, 1);
	is_int(sg_scratch_open(A, &cfg, &s), 0, "scratch on SCHEMAGEN_DEV_URL");
	if (!s.conn)
		return;
	name = s.dbname;
	is_str(s.admin_conninfo, dev_url, "created from SCHEMAGEN_DEV_URL");
	is_str(sg_conn_value(s.conn, A, "SHOW unix_socket_directories"),
	       getenv("PGHOST"), "the scratch database is on the dev_url server");
	ok(db_exists(dev_url, name), "exists on the dev_url server");
	ok(!db_exists(CI1, name), "not on the embedded cluster");
	sg_scratch_close(&s);
	ok(!db_exists(dev_url, name), "close drops it on the dev_url server");

	/* cfg->dev_url wins over the environment */
	setenv("SCHEMAGEN_DEV_URL", path("host=%s/nowhere dbname=x", base), 1);
	cfg.dev_url = dev_url;
	is_int(sg_scratch_open(A, &cfg, &s), 0, "dev_url from the config wins");
	is_str(s.admin_conninfo, dev_url, "created from cfg->dev_url");
	sg_scratch_close(&s);

	/* unreachable */
	bad = path("host=%s/nowhere port=5432 user=x dbname=postgres", base);
	cfg.dev_url = bad;
	capture_begin(&cap, 2);
	is_int(sg_scratch_open(A, &cfg, &s), -1, "unreachable dev_url fails");
	err = capture_end(&cap);
	ok(starts_with(err, path("schemagen: error: could not connect to %s: ", bad)) &&
	   strstr(err, "\n  hint: scratch databases are made on the server "
		       "dev_url names; unset it to use the embedded PostgreSQL\n"),
	   "unreachable dev_url: message and hint");
	if (!strstr(err, "hint"))
		tap_diag("got: %s", err);
	ok(s.conn == NULL && s.dbname == NULL, "failed open leaves the struct empty");

	/* a role without CREATEDB */
	exec_on(dev_url, "CREATE ROLE sg_no_createdb LOGIN");
	cfg.dev_url = sg_conninfo_with_db(A, dev_url, "postgres");
	cfg.dev_url = path("%s user=sg_no_createdb", cfg.dev_url);
	capture_begin(&cap, 2);
	is_int(sg_scratch_open(A, &cfg, &s), -1, "dev_url role without CREATEDB fails");
	err = capture_end(&cap);
	ok(strstr(err, "schemagen: error: query failed: permission denied to "
		       "create database\n") &&
	   strstr(err, "  hint: the dev_url role needs the CREATEDB privilege "
		       "for scratch databases ("),
	   "dev_url role without CREATEDB: message and hint");
	if (!strstr(err, "CREATEDB"))
		tap_diag("got: %s", err);
	exec_on(dev_url, "DROP ROLE sg_no_createdb");
	unsetenv("SCHEMAGEN_DEV_URL");
}

int main(void)
{
	struct passwd *pw;

	if (!getenv("PGHOST"))
		tap_skip_all("PGHOST is not set (run under tools/with-postgres.sh)");
	A = sg_arena_new();
	if (!mkdtemp(base) || chmod(base, 0711) < 0) {
		perror("mkdtemp");
		return 1;
	}
	atexit(cleanup);
	dev_url = getenv("SCHEMAGEN_DEV_URL");
	if (dev_url)
		dev_url = sg_strdup(A, dev_url);
	unsetenv("SCHEMAGEN_DEV_URL");
	/* as root the server runs as postgres (or nobody), else as us */
	pw = geteuid() != 0 ? getpwuid(geteuid()) : getpwnam("postgres");
	if (!pw)
		pw = getpwnam("nobody");
	server_uid = pw->pw_uid;
	server_user = sg_strdup(A, pw->pw_name);

	test_first_start();
	test_reuse();
	test_create_db();
	test_status("running");
	test_stop_start();
	test_stale_pid();
	test_start_failure();
	test_concurrent();
	test_non_root();
	test_bad_homes();
	test_no_binaries();
	test_program_failures();
	test_bad_paths();
	test_home_rules();
	test_scratch_embedded();
	test_leftovers();
	test_scratch_dev_url();
	return tap_done();
}
