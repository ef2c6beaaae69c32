/* The subcommands of the jiyue tool; each returns the process exit code. */
#ifndef JIYUE_COMMANDS_H
#define JIYUE_COMMANDS_H

#define JIYUE_VERSION "0.1.0"

int cmd_archive(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_hits(int argc, char **argv);
int cmd_mustache(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Print "error: MSG" and a pointer to --help; returns 2 (usage error). */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Is argv[i] one of the help flags? */
int is_help(const char *arg);

#endif
