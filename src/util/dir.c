// SPDX-License-Identifier: MIT
/*
 * dir.c - the one rule for reading a project folder (schema/ and
 * migrations/): which entries are read, and which symbolic links are
 * followed.  A model or migration file is input that may come from a pull
 * request, so a link must not make schemagen read (and quote, in an error)
 * a file elsewhere on the machine, nor walk a folder twice.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/util.h"

struct walk {
	struct sg_arena *a;
	struct sg_diags *d;
	const char *bases[2];       /* realpaths a link may resolve into */
	bool recursive;
	bool (*want)(const char *name);
	SG_VEC(char *) files;
	SG_VEC(struct stat) seen;   /* folders walked, by st_dev/st_ino */
	int nerrors;
};

static bool inside(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (!base[0])
		return false;
	if (strcmp(base, "/") == 0)
		return path[0] == '/';
	return strncmp(path, base, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static const char *link_text(struct sg_arena *a, const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return "?";
	return sg_strndup(a, buf, (size_t)n);
}

static void link_error(struct walk *w, const char *path, const char *what,
		       const char *hint)
{
	struct sg_diag *dg = sg_diag_error(w->d, (struct sg_loc){ .file = sg_file_id(path) },
					   "symbolic link to %s, %s",
					   link_text(w->a, path), what);

	sg_diag_hint(dg, w->d, "%s", hint);
	w->nerrors++;
}

static const char *const link_hint =
	"schemagen follows a link only to a file inside the project folder; "
	"copy the file in, or remove the link";

/* A symbolic link: 1 read it, 0 leave it alone, -1 reported. */
static int check_link(struct walk *w, const char *path, const char *name)
{
	char *real = realpath(path, NULL);
	bool wanted = w->want(name);
	struct stat st;
	int ret = -1;

	if (!real) {
		if (!wanted)
			return 0;   /* never read: whatever it is */
		link_error(w, path, errno == ELOOP ? "which loops" :
			   errno == ENOENT || errno == ENOTDIR ? "which does not exist"
							       : strerror(errno),
			   link_hint);
		return -1;
	}
	if (stat(real, &st) < 0) {
		ret = wanted ? (link_error(w, path, strerror(errno), link_hint), -1) : 0;
	} else if (S_ISDIR(st.st_mode)) {
		if (wanted || w->recursive)
			link_error(w, path, "a folder",
				   "schemagen does not follow links to folders; make it a "
				   "real folder, or remove the link");
		else
			ret = 0;
	} else if (!wanted) {
		ret = 0;
	} else if (!S_ISREG(st.st_mode)) {
		link_error(w, path, "which is not a regular file", link_hint);
	} else if (!inside(real, w->bases[0]) && !inside(real, w->bases[1])) {
		link_error(w, path, "outside the project folder", link_hint);
	} else {
		ret = 1;
	}
	free(real);
	return ret;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(struct walk *w, const char *dir, bool top)
{
	DIR *dh;
	struct dirent *de;
	struct stat self;

	dh = opendir(dir);
	if (!dh) {
		if (errno == ENOENT && top)
			return;
		sg_diag_error(w->d, (struct sg_loc){ .file = sg_file_id(dir) },
			      "cannot read directory: %s", strerror(errno));
		w->nerrors++;
		return;
	}
	/* each folder once, whatever mounts or links lead to it again */
	if (fstat(dirfd(dh), &self) == 0) {
		for (size_t i = 0; i < w->seen.n; i++)
			if (w->seen.v[i].st_dev == self.st_dev &&
			    w->seen.v[i].st_ino == self.st_ino) {
				sg_diag_error(w->d, (struct sg_loc){ .file = sg_file_id(dir) },
					      "this folder was read already (a mount loop?)");
				w->nerrors++;
				closedir(dh);
				return;
			}
		SG_VEC_PUSH(w->a, &w->seen, self);
	}
	while ((de = readdir(dh)) != NULL) {
		char *path;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;   /* ., .., editors' lock and swap files, .git */
		path = sg_path_join(dir, de->d_name);
		if (lstat(path, &st) < 0) {
			free(path);
			continue;   /* gone since readdir */
		}
		if (S_ISLNK(st.st_mode)) {
			if (check_link(w, path, de->d_name) > 0)
				SG_VEC_PUSH(w->a, &w->files, sg_strdup(w->a, path));
		} else if (S_ISDIR(st.st_mode)) {
			if (w->recursive)
				walk_dir(w, path, false);
		} else if (w->want(de->d_name)) {
			if (S_ISREG(st.st_mode)) {
				SG_VEC_PUSH(w->a, &w->files, sg_strdup(w->a, path));
			} else {
				struct sg_diag *dg = sg_diag_error(
					w->d, (struct sg_loc){ .file = sg_file_id(path) },
					"not a regular file");

				sg_diag_hint(dg, w->d, "remove it, or rename it");
				w->nerrors++;
			}
		}
		free(path);
	}
	closedir(dh);
}

int sg_dir_files(struct sg_arena *a, const char *root, const char *dir,
		 bool recursive, bool (*want)(const char *name),
		 struct sg_diags *d, char ***files, size_t *nfiles)
{
	struct walk w = { .a = a, .d = d, .recursive = recursive, .want = want };
	char *r;

	w.bases[0] = w.bases[1] = "";
	if (root && (r = realpath(root, NULL))) {
		w.bases[0] = sg_strdup(a, r);
		free(r);
	}
	if ((r = realpath(dir, NULL))) {
		w.bases[1] = sg_strdup(a, r);
		free(r);
	}
	walk_dir(&w, dir, true);
	if (w.files.n > 1)
		qsort(w.files.v, w.files.n, sizeof(*w.files.v), path_cmp);
	*files = w.files.v;
	*nfiles = w.files.n;
	return w.nerrors ? -1 : 0;
}
