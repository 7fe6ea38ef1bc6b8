/* web.h — the small web layer of qda serve (HTTP stays out of core/): the
 * server and its sessions (web.c), the JSON API (web_api.c) and the pages
 * embedded at build time (cmd/web/, through build/web_assets.h). Every
 * request opens the project for itself and changes it through the same core
 * calls as the command line, in one short transaction. */
#ifndef QDA_WEB_H
#define QDA_WEB_H

#include <stddef.h>
#include <stdio.h>

#include "cmd.h"

struct web_server;

struct web_options {
	const char *project;   /* the project file */
	const char *listen;    /* NULL: 127.0.0.1, one person with a one-time token; else a team's address (accounts) */
	long port;             /* 0: a free port */
	const char *coder;     /* the local person (without --listen) */
};

/* Start serving (threads of libmicrohttpd); the URL to open is written to
 * url (n bytes), with the one-time token when local. NULL after printing the
 * error on stderr as qda serve (*rc the exit status). */
struct web_server *web_start(struct cli *cli, const struct web_options *o, char *url, size_t n, int *rc);
/* Stop taking requests, finish those under way, and free everything. */
void web_stop(struct web_server *s);

/* One request as a handler sees it. */
struct web_session {
	char user[128];         /* the coder the browser works as */
	enum qda_role role;
	char csrf[65];
};

struct web_req {
	struct web_server *srv;
	void *conn;              /* struct MHD_Connection */
	void *priv;              /* web.c's: the connection's body and form fields */
	const char *method, *path;
	char *body;              /* a form body (application/x-www-form-urlencoded), NUL-terminated */
	size_t body_len;
	struct web_session sess;
	struct cli cli;          /* cmdname "serve", h: the project opened for this request */
	/* the reply */
	int status;
	const char *type;        /* Content-Type */
	FILE *fp;                /* the body, into out/out_len */
	char *out;
	size_t out_len;
};

/* 1 for a team's server (--listen, accounts), 0 for one person's. */
int web_team(const struct web_req *r);
/* A query argument, or NULL. */
const char *web_arg(struct web_req *r, const char *name);
/* A form field of the body (percent-decoded; malloc'd, owned by r until the
 * request ends), or NULL. */
const char *web_form(struct web_req *r, const char *name);
/* A field from the body, else from the query. */
const char *web_param(struct web_req *r, const char *name);
/* The reply as JSON tables: out_new(OUT_JSON, r->fp) after setting the type. */
struct out *web_json(struct web_req *r);
void web_json_done(struct web_req *r, struct out *o);
/* An error reply: status and message as [{"status": N, "error": MSG}]. 0. */
int web_error(struct web_req *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The reply for a core error on the request's handle: 404 for QDA_ENOTFOUND,
 * 400 for bad input, 409 for an object that exists already, 503 when the
 * project is busy, 500 otherwise. */
int web_fail(struct web_req *r, enum qda_status st);
/* The project opened for this request (read only unless write), with the
 * session's coder set; 0, or the error reply sent. */
int web_open(struct web_req *r, int write);
/* The audit trail's command line for a change made from the browser, as the
 * CLI would write it ("qda code P01 --chars 3-9 trust"), each argument
 * quoted as the CLI quotes it; malloc'd. */
char *web_cmdline(const char *const *argv, size_t n);

/* The longest version string of a coding (qda_coding_version). */
#define VERSION_MAX 96
/* v as text in buf (24 bytes); returns buf. */
const char *web_num(char *buf, long long v);
/* A whole number parameter: 0 with *v set, -1 when absent or not one. */
int web_long(const char *s, long *v);
/* A yes/no parameter: 1 for "1", "true" or "yes". */
int web_flag(struct web_req *r, const char *name);

/* The API (web_api.c): 1 when it answered the request, 0 for an unknown
 * route. */
int web_api(struct web_req *r);
/* memo list's columns and rows (web_api.c) */
extern const struct col web_memo_cols[6];
int web_memo_row(void *ctx, const struct qda_memo_row *m);
/* The writes (web_write.c), each answering the request: POST /api/codings,
 * DELETE /api/codings, POST /api/memos, POST /api/review. */
int web_code(struct web_req *r);
int web_uncode(struct web_req *r);
int web_memo_add(struct web_req *r);
int web_review(struct web_req *r);

#endif
