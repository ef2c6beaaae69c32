/*
 * jiyue: consolidating government websites.  This file only dispatches;
 * each subcommand lives in cli/cmd_NAME.c, its work in gen/ or archiver/.
 */
#include "cli/commands.h"

#include <libxml/parser.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "archive", cmd_archive, "mirror a closing site: WARC, stamped browsable copy, git history" },
	{ "audit", cmd_audit, "what was public when: notices' display windows, captures" },
	{ "build", cmd_build, "build the portal from Markdown and templates into public/" },
	{ "check", cmd_check, "check the site ledger against the consolidation rules" },
	{ "hits", cmd_hits, "rank the old URLs people still ask for, from the old sites' access logs" },
	{ "mustache", cmd_mustache, "render a mustache template with JSON or YAML data" },
	{ "report", cmd_report, "write the monthly progress report (HTML and CSV)" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(*commands))

int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'jiyue %s --help'\n", cmd);
	return 2;
}

static void usage(FILE *out)
{
	size_t i;
	fputs("usage: jiyue <command> [options]\n\n"
	      "jiyue (集约) builds a consolidated government portal and preserves the\n"
	      "websites it replaces.\n\ncommands:\n", out);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\n'jiyue <command> --help' describes a command; 'jiyue --version' prints the version.\n", out);
}

int main(int argc, char **argv)
{
	size_t i;
	setlocale(LC_CTYPE, "C.UTF-8");
	xmlInitParser(); /* once, before any thread parses */
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (is_help(argv[1]) || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("jiyue %s\n", JIYUE_VERSION);
		return 0;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
