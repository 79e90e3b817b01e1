// SPDX-License-Identifier: MIT
/* commands.c - the command table (git's commands[] in git.c). */
#include "cli.h"

const struct sg_cmd sg_commands[] = {
	{ "init", cmd_init, "init [DIR]",
	  "Creates schemagen.yaml, schema/ and migrations/ in DIR (default: the current\n"
	  "folder).  Refuses to overwrite anything." },
	{ "revision", cmd_revision, "revision -m MSG [--autogenerate] [--allow-empty]",
	  "Writes migrations/<rev>_<slug>.sql on top of the current head and prints its\n"
	  "path.  With --autogenerate the upgrade and downgrade are the differences\n"
	  "between the database and the models; the database must be at the head, and\n"
	  "no file is written when nothing changed (unless --allow-empty).\n"
	  "  -m, --message MSG   what the revision does\n"
	  "  --autogenerate      compare the database with the models\n"
	  "  --allow-empty       write the file even when nothing changed" },
	{ "upgrade", cmd_upgrade, "upgrade TARGET [--sql]",
	  "Applies migrations up to TARGET: head, heads, a revision or unique prefix,\n"
	  "+N, REV+N.  Each revision runs in its own transaction.\n"
	  "  --sql   print the SQL that would run, from base; needs no database.\n"
	  "          With --sql, TARGET may be a range FROM:TO (start at FROM)" },
	{ "downgrade", cmd_downgrade, "downgrade TARGET [--sql]",
	  "Reverts migrations down to TARGET: -N, a revision, base.\n"
	  "  --sql   print the SQL that would run, from the heads; needs no database.\n"
	  "          With --sql, TARGET may be a range FROM:TO (start at FROM)" },
	{ "current", cmd_current, "current [--verbose]",
	  "Prints the revision(s) the database is at; (head) marks the latest." },
	{ "history", cmd_history, "history [-r A:B] [--verbose]",
	  "Lists revisions, newest first.\n"
	  "  -r, --rev-range A:B   only from A to B (base:head, abc1:, :abc1)" },
	{ "heads", cmd_heads, "heads [--verbose]",
	  "Prints the revisions nothing builds on yet." },
	{ "show", cmd_show, "show REV",
	  "Prints a revision's header and its file." },
	{ "stamp", cmd_stamp, "stamp REV",
	  "Records REV as applied without running anything (adopting an existing\n"
	  "database: dump, revision --autogenerate, stamp head)." },
	{ "merge", cmd_merge, "merge -m MSG REV REV...",
	  "Writes a revision with several parents and no statements, joining branches." },
	{ "check", cmd_check, "check",
	  "Exit 0 when models, migrations and database agree; exit 1 and a list of the\n"
	  "differences when they do not.  With no database configured, replays the\n"
	  "migrations into a scratch database and compares that with the models." },
	{ "diff", cmd_diff, "diff",
	  "Prints the SQL that `revision --autogenerate` would write; writes nothing." },
	{ "dump", cmd_dump, "dump [--url URL] [-o DIR] [--force]",
	  "Writes YAML models describing a live database, one file per schema.\n"
	  "  -o, --output DIR   where (default: schema_dir of schemagen.yaml)\n"
	  "  --force            overwrite existing files" },
	{ "embedded", cmd_embedded, "embedded start|stop|status|url",
	  "Manages the PostgreSQL server schemagen runs itself (scratch databases, and\n"
	  "the target when no database is configured)." },
};

const size_t sg_ncommands = ARRAY_SIZE(sg_commands);
