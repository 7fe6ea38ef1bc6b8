/* serve.c — qda serve: the project in a browser, for the coder who
 * highlights and the co-researcher who reviews. One person on 127.0.0.1
 * with a one-time token, or a team's server (--listen) with accounts. Parses,
 * checks and waits for Ctrl-C; the web layer is web.c and web_api.c. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define DEFAULT_PORT 8377

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda serve [--port N] [--listen ADDR]",
		"Serve the project in a browser: the documents (read and coded), a reader with turns, speakers,\n"
		"line numbers and the codings as margin bars, where selecting text and picking a code codes it;\n"
		"the codebook with its counts and extracts; the review queue; the reports (freq, co-occurrence,\n"
		"the thematic map, agreement). Every change goes through the same core calls as the commands,\n"
		"one short transaction each, logged as the command that would make it.",
		"Without --listen, qda serve listens on 127.0.0.1 only, for the person named by --coder or\n"
		"$QDA_CODER, and prints an address with a one-time token: the first browser to open it gets a\n"
		"session (an HttpOnly, SameSite=Strict cookie), nobody else gets in.\n"
		"\n"
		"--listen ADDR (0.0.0.0, or one address of the machine) serves a team: it needs accounts ('qda\n"
		"user add NAME --role coder|reviewer'); each person logs in at /login and works as their account's\n"
		"name. A reviewer's account also accepts, disputes, suggests and comments. Plain HTTP: on a network\n"
		"you do not trust, put it behind a TLS proxy or an SSH tunnel.\n"
		"\n"
		"Every write carries the session's CSRF token; an edit made from a page older than the coding it\n"
		"changes is refused (HTTP 409) with a message to reload. The pages, scripts and styles are built\n"
		"into qda: nothing is fetched from elsewhere. Ctrl-C (or SIGTERM) stops the server; requests under\n"
		"way finish first. A port in use (another qda serve) is an error: choose another with --port N;\n"
		"--port 0 picks a free one.",
	};
	const char *listen = NULL;
	long port = DEFAULT_PORT;
	const struct opt opts[] = {
		OPT_INT("port", 0, &port, "N", "the TCP port (default 8377; 0 picks a free one)"),
		OPT_STRING("listen", 0, &listen, "ADDR", "serve a team on this address (needs accounts: qda user add)"),
		OPT_END(),
	};
	struct web_options wo = { 0 };
	struct web_server *s;
	sigset_t set;
	char url[256], *path;
	long users = 0;
	int rc, sig = 0, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (port < 0 || port > 65535)
		return usage_error(cli, "--port wants a number from 0 to 65535, not %ld", port);
	if (listen && !*listen)
		return usage_error(cli, "--listen wants an address of this machine, e.g. 0.0.0.0");
	/* open once: the project exists, is upgraded, and says who may come in */
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	if (listen) {
		enum qda_status st = qda_user_count(cli->h, &users);
		if (st != QDA_OK)
			return cli_fail(cli, st);
		if (users == 0)
			return cli_errorf(cli, "--listen serves a team, and this project has no account: add one per person "
			                  "with 'qda user add NAME --role coder|reviewer' (or serve only this machine: "
			                  "qda serve without --listen)");
	} else if (!cli_coder(cli)) {
		return cli_errorf(cli, "no coder: say who works in the browser with --coder NAME or export QDA_CODER=NAME");
	} else {
		char why[128];
		if (qda_coder_name_check(cli_coder(cli), why, sizeof why) != QDA_OK)
			return cli_errorf(cli, "coder name '%s' %s", cli_coder(cli), why);
	}
	path = xstrdup(qda_path(cli->h));
	qda_close(cli->h);
	cli->h = NULL;

	/* SIGINT and SIGTERM are waited for here; the server's threads,
	 * started after, inherit the mask and never see them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	wo.project = path;
	wo.listen = listen;
	wo.port = port;
	wo.coder = cli_coder(cli);
	if (!(s = web_start(cli, &wo, url, sizeof url, &rc))) {
		free(path);
		return rc;
	}
	printf("%s\n", url);
	fflush(stdout);
	if (listen)
		fprintf(stderr, "qda serve: serving %s to its %ld account%s on %s; Ctrl-C stops\n", path, users,
		        users == 1 ? "" : "s", url);
	else
		fprintf(stderr, "qda serve: serving %s to %s on this machine only; open the address above (its token "
		        "works once); Ctrl-C stops\n", path, cli_coder(cli));
	fflush(stderr);
	sigwait(&set, &sig);
	web_stop(s);
	fprintf(stderr, "qda serve: stopped (%s)\n", sig == SIGINT ? "interrupted" : sig == SIGTERM ? "terminated" : "hang-up");
	free(path);
	return 0;
}
