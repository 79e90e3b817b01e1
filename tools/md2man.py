#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""md2man.py - the section 5 man pages from the Markdown reference (meson runs it).

    md2man.py NAME SECTION TITLE INPUT.md [--only HEADING] > NAME.SECTION

The Markdown docs are the one source: schemagen-models(5) is docs/models.md,
schemagen.yaml(5) its "## schemagen.yaml" section (--only).  Handles what
docs/*.md use: headings, paragraphs, fenced code, lists, tables, `code`,
**bold**, *emphasis*, [links](...).  The section 1 pages come from the
binary (`schemagen __man`), so they are --help itself.
"""
import re
import sys


def esc(s):
    s = s.replace("\\", "\\e")
    # non-ASCII as roff's Unicode escapes (any troff, no preconv needed)
    return "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in s)


def inline(s):
    s = esc(s)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", s)
    s = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", s)
    s = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\\fI\1\\fR", s)
    return s


def text_line(s):
    s = inline(s)
    if s.startswith(".") or s.startswith("'"):
        s = "\\&" + s
    return s


def cells(row):
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    # a | inside `code` stays
    out, cur, code = [], "", False
    for ch in row:
        if ch == "`":
            code = not code
        if ch == "|" and not code:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def convert(lines, name, section, title, version):
    out = ['.TH %s %s "" "schemagen %s" "schemagen manual"' % (name.upper(), section, version),
           ".SH NAME", "%s \\- %s" % (name, esc(title))]
    if lines and not lines[0].startswith("# "):
        out.append(".SH DESCRIPTION")
    i, n = 0, len(lines)
    para = False
    while i < n:
        line = lines[i].rstrip("\n")
        if line.startswith("```"):
            out.append(".PP")
            out.append(".nf")
            out.append(".RS 4")
            i += 1
            while i < n and not lines[i].startswith("```"):
                s = esc(lines[i].rstrip("\n"))
                if s.startswith(".") or s.startswith("'"):
                    s = "\\&" + s
                out.append(s)
                i += 1
            out.append(".RE")
            out.append(".fi")
            i += 1
            para = False
            continue
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m:
            level = len(m.group(1))
            head = re.sub(r"`", "", m.group(2))
            head = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", head)
            if level == 1:
                pass        # the page title is NAME
            elif level == 2:
                out.append('.SH "%s"' % esc(head.upper()).replace('"', "'"))
            else:
                out.append('.SS "%s"' % esc(head).replace('"', "'"))
            para = False
            i += 1
            continue
        if line.startswith("|"):
            rows = []
            while i < n and lines[i].startswith("|"):
                rows.append(cells(lines[i]))
                i += 1
            header, body = rows[0], [r for r in rows[1:] if not all(re.fullmatch(r":?-+:?", c or "-") for c in r)]
            for r in body:
                out.append(".TP")
                out.append(text_line(r[0]))
                rest = []
                for h, c in zip(header[1:], r[1:]):
                    rest.append("%s: %s" % (h, c) if h and len(header) > 2 else c)
                out.append(text_line("; ".join(rest) if len(header) > 2 else (rest[0] if rest else "")))
            para = False
            continue
        m = re.match(r"^(\s*)([-*]|\d+\.)\s+(.*)$", line)
        if m:
            depth = len(m.group(1)) // 2
            out.append('.IP "%s" %d' % ("\\(bu" if not m.group(2)[0].isdigit() else m.group(2), 2 + 2 * depth + (2 if m.group(2)[0].isdigit() else 0)))
            out.append(text_line(m.group(3)))
            i += 1
            # continuation lines (indented, not a new item)
            while i < n and lines[i].strip() and re.match(r"^\s+\S", lines[i]) \
                    and not re.match(r"^\s*([-*]|\d+\.)\s+", lines[i]) and not lines[i].lstrip().startswith("```"):
                out.append(text_line(lines[i].strip()))
                i += 1
            para = True
            continue
        if not line.strip():
            para = False
            i += 1
            continue
        if not para:
            out.append(".PP")
            para = True
        out.append(text_line(line.strip()))
        i += 1
    return "\n".join(out) + "\n"


def main(argv):
    args = list(argv[1:])
    if args[:1] == ["--commands"]:
        # the command names of the table in src/cli/commands.c (meson needs
        # the page names before the binary exists; t3850 checks them
        # against `schemagen __man`)
        with open(args[1], encoding="utf-8") as f:
            for c in re.findall(r'^\t\{ "([a-z][a-z0-9-]*)", cmd_', f.read(), re.M):
                print(c)
        return
    only = None
    if "--only" in args:
        k = args.index("--only")
        only = args[k + 1]
        del args[k:k + 2]
    version = "0"
    if "--version" in args:
        k = args.index("--version")
        version = args[k + 1]
        del args[k:k + 2]
    name, section, title, path = args
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    if only:
        start = next((k for k, l in enumerate(lines) if l.rstrip("\n") == "## " + only), None)
        if start is None:
            sys.exit("md2man.py: %s has no section '## %s'" % (path, only))
        end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
        lines = lines[start + 1:end]
    else:
        # the table of contents' links lead nowhere in a man page
        lines = [l for l in lines if not re.match(r"^\s*- \[[^\]]+\]\(#[^)]*\)\s*$", l)]
    sys.stdout.write(convert(lines, name, section, title, version))


if __name__ == "__main__":
    main(sys.argv)
