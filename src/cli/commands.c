// SPDX-License-Identifier: MIT
/* commands.c - the command table (git's commands[] in git.c). */
#include "cli.h"

const struct sg_cmd sg_commands[] = {
	{ "init", cmd_init, "init [DIR]",
	  "Creates schemagen.yaml, schema/ and migrations/ in DIR (default: the current\n"
	  "folder).  Refuses to overwrite anything." },
	{ "revision", cmd_revision,
	  "revision -m MSG [--autogenerate] [options]",
	  "Writes migrations/<rev>_<slug>.sql on top of the current head and prints its\n"
	  "path.  With --autogenerate the upgrade and downgrade are the differences\n"
	  "between the database and the models; the database must be at the heads, and\n"
	  "no file is written when nothing changed (unless --allow-empty).\n"
	  "  -m, --message MSG      what the revision does\n"
	  "  --autogenerate         compare the database with the models\n"
	  "  --online               with --autogenerate: a plan that keeps the tables\n"
	  "                         it changes readable and writable (online: true)\n"
	  "  --allow-empty          write the file even when nothing changed\n"
	  "  --head REV             build on REV (a head; `base` starts a new base);\n"
	  "                         needed when the migrations have several heads\n"
	  "  --splice               allow --head to name a revision that is not a head\n"
	  "                         (the new revision starts a branch there)\n"
	  "  --branch-label LABEL   give the new revision a branch label (repeatable)\n"
	  "  --depends-on REV       the new revision also needs REV (repeatable)\n"
	  "  --rev-id ID            the revision's id instead of a random one" },
	{ "upgrade", cmd_upgrade, "upgrade TARGET [--sql] [options]",
	  "Applies migrations up to TARGET: head, heads, a revision or unique prefix,\n"
	  "a branch label, branch@head, +N, REV+N.  Each revision runs in its own\n"
	  "transaction (outside one when a statement needs it).\n"
	  "  --sql                   print the SQL that would run, from base; needs no\n"
	  "                          database.  TARGET may then be a range FROM:TO\n"
	  "                          (start at FROM)\n"
	  "  --dry-run               print the pending SQL for this database; apply nothing\n"
	  "  --single-transaction    the whole run in one transaction (schemagen.yaml:\n"
	  "                          single_transaction); --no-single-transaction undoes it\n"
	  "  --lock-wait SECONDS     wait at most that long for the migration lock\n"
	  "                          (default: as long as it takes; 0: not at all)\n"
	  "  --lock-timeout DUR      SET LOCAL lock_timeout in each revision (5s, 500ms)\n"
	  "  --statement-timeout DUR SET LOCAL statement_timeout in each revision\n"
	  "  --accept-changed REV    accept the edited file of applied revision REV:\n"
	  "                          record its new checksum (repeatable, or REV,REV)" },
	{ "downgrade", cmd_downgrade, "downgrade TARGET [--sql] [options]",
	  "Reverts migrations down to TARGET: -N, a revision, REV-N, base.  Options as\n"
	  "for upgrade.\n"
	  "  --sql   print the SQL that would run, from the heads; needs no database.\n"
	  "          TARGET may then be a range FROM:TO (start at FROM)\n"
	  "  --force-irreversible   run downgrades marked `-- irreversible:` (which\n"
	  "          cannot restore what their upgrade changed) instead of refusing" },
	{ "current", cmd_current, "current [--verbose]",
	  "Prints the revision(s) the database is at; (head) marks the latest.  With\n"
	  "--verbose: parents, file, message, when and by whom each was applied.  Exit 1\n"
	  "when an applied file changed or the database is at an unknown revision." },
	{ "history", cmd_history, "history [-r A:B] [--verbose]",
	  "Lists revisions, newest first.  With --verbose and a database configured,\n"
	  "also whether and when each was applied.\n"
	  "  -r, --rev-range A:B   only from A to B, both included (base:head, abc1:,\n"
	  "                        :abc1, current:heads, side@head)\n"
	  "  -i, --indicate-current  mark the database's revision(s) (current)" },
	{ "heads", cmd_heads, "heads [--verbose]",
	  "Prints the revisions nothing builds on yet." },
	{ "branches", cmd_branches, "branches [--verbose]",
	  "Prints each branch point and the revisions that grow from it." },
	{ "show", cmd_show, "show REV",
	  "Prints a revision's header and its file (REV: a revision, prefix, label,\n"
	  "branch@head, head, heads, current)." },
	{ "stamp", cmd_stamp, "stamp REV [--purge] [--sql]",
	  "Records REV as applied without running anything (adopting an existing\n"
	  "database: dump, revision --autogenerate, stamp head).  Heads of other\n"
	  "branches stay.\n"
	  "  --purge   empty the version table first, whatever it holds\n"
	  "  --sql     print the SQL instead (a purge stamp); needs no database\n"
	  "  --lock-wait SECONDS   wait at most that long for the migration lock" },
	{ "merge", cmd_merge, "merge -m MSG [--branch-label LABEL] REV REV...",
	  "Writes a revision with several parents and no statements, joining branches\n"
	  "(REV: revisions, prefixes, labels, or heads for all of them).\n"
	  "  -m, --message MSG      what the revision does\n"
	  "  --branch-label LABEL   give the new revision a branch label" },
	{ "check", cmd_check, "check [--lint] [--roundtrip]",
	  "Exit 0 when models, migrations and database agree; exit 1 and a list of the\n"
	  "differences when they do not.  With no database configured, replays the\n"
	  "migrations into a scratch database and compares that with the models.\n"
	  "  --lint        also lint the pending revisions (schemagen.yaml: lint: true):\n"
	  "                an unaccepted hazard is a problem\n"
	  "  --roundtrip   also, in a scratch database, upgrade, downgrade and upgrade\n"
	  "                each revision again; report the first whose downgrade does\n"
	  "                not restore the schema before it" },
	{ "diff", cmd_diff, "diff [--online]",
	  "Prints the SQL that `revision --autogenerate` would write; writes nothing.\n"
	  "  --online   an online plan (schemagen.yaml: online: true; see the README)" },
	{ "lint", cmd_lint, "lint [FILE...]",
	  "Prints the hazards of migrations (what each statement does to a live\n"
	  "database: locks, rewrites, data loss, ...; see the README), each as\n"
	  "FILE:LINE: hazard NAME: what.  Exit 1 when one is not accepted by a comment\n"
	  "`-- schemagen: allow NAME[,NAME]` right above its statement or in the\n"
	  "header.  FILE may be a migration or plain SQL; without FILE, the pending\n"
	  "revisions (every revision when no database is configured)." },
	{ "dump", cmd_dump, "dump [--url URL] [-o DIR] [--force] [--owners]",
	  "Writes YAML models describing a live database, one file per schema\n"
	  "(database-wide objects: database.yaml).\n"
	  "  -o, --output DIR   where (default: schema_dir of schemagen.yaml)\n"
	  "  --force            overwrite existing files\n"
	  "  --owners           write each object's owner: (owners are then managed)" },
	{ "embedded", cmd_embedded, "embedded start|stop|status|url",
	  "Manages the PostgreSQL server schemagen runs itself (scratch databases, and\n"
	  "the target when asked for: --embedded, database_url: embedded; commands that\n"
	  "only read use it when nothing is configured).  `url` prints the connection\n"
	  "string of the project's own database on it." },
};

const size_t sg_ncommands = ARRAY_SIZE(sg_commands);
