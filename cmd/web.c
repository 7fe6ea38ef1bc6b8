/* web.c — the HTTP side of qda serve: libmicrohttpd (a thread per
 * connection), the listening socket, sessions (a one-time token or an
 * account's login, kept in an HttpOnly SameSite=Strict cookie), the CSRF
 * rule for every write, the login page and the embedded pages. Never serves
 * anything but the login page without a session, and never fetches
 * anything. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "web.h"
#include "web_assets.h" /* generated from cmd/web/ by tests/tools/embed-web.sh */

#define BODY_MAX (1 << 20)        /* a form body: a memo or a comment, never a file */
#define SESSIONS_MAX 4096
#define SESSION_IDLE (12 * 3600)  /* a session unused this long (seconds) ends */

struct session {
	char id[65];
	time_t last;
	struct web_session s;
};

struct web_server {
	struct MHD_Daemon *d;
	int fd;
	char *project;
	int team;                 /* --listen: accounts and the login page */
	char coder[128];          /* local: the person */
	char token[65];           /* local: the one-time token, "" once used */
	long port;
	char cookie[32];          /* the cookie's name, per port: two servers on one host keep apart */
	pthread_mutex_t mu;
	struct session *sessions;
	size_t n_sessions;
};

/* What a connection keeps between libmicrohttpd's calls. */
struct conn {
	char *body;
	size_t len;
	int too_big;
	char **fields;            /* name, value, name, value... of a form body */
	size_t n_fields;
};

static void random_hex(char out[65])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, 65, b, sizeof b);
	sodium_memzero(b, sizeof b);
}

/* ---- sessions ---- */

static void session_new(struct web_server *s, const char *user, enum qda_role role, char id[65])
{
	struct session *e;
	size_t i;
	time_t now = time(NULL);

	pthread_mutex_lock(&s->mu);
	/* drop idle sessions, then the oldest when full */
	for (i = 0; i < s->n_sessions;) {
		if (now - s->sessions[i].last > SESSION_IDLE)
			s->sessions[i] = s->sessions[--s->n_sessions];
		else
			i++;
	}
	if (s->n_sessions == SESSIONS_MAX) {
		size_t old = 0;
		for (i = 1; i < s->n_sessions; i++)
			if (s->sessions[i].last < s->sessions[old].last)
				old = i;
		s->sessions[old] = s->sessions[--s->n_sessions];
	}
	if (!s->sessions)
		s->sessions = xcalloc(SESSIONS_MAX, sizeof *s->sessions);
	e = &s->sessions[s->n_sessions++];
	memset(e, 0, sizeof *e);
	random_hex(e->id);
	random_hex(e->s.csrf);
	snprintf(e->s.user, sizeof e->s.user, "%s", user);
	e->s.role = role;
	e->last = now;
	memcpy(id, e->id, 65);
	pthread_mutex_unlock(&s->mu);
}

/* The session of a cookie value, copied into *out; 0 when there is none. */
static int session_find(struct web_server *s, const char *id, struct web_session *out)
{
	size_t i;
	int found = 0;
	time_t now = time(NULL);
	if (!id || strlen(id) != 64)
		return 0;
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->n_sessions; i++) {
		if (sodium_memcmp(s->sessions[i].id, id, 64) == 0 && now - s->sessions[i].last <= SESSION_IDLE) {
			s->sessions[i].last = now;
			*out = s->sessions[i].s;
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return found;
}

static void session_end(struct web_server *s, const char *id)
{
	size_t i;
	if (!id)
		return;
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->n_sessions; i++)
		if (strcmp(s->sessions[i].id, id) == 0) {
			sodium_memzero(&s->sessions[i], sizeof s->sessions[i]);
			s->sessions[i] = s->sessions[--s->n_sessions];
			break;
		}
	pthread_mutex_unlock(&s->mu);
}

/* The one-time token of a local server: taken once, compared in constant time. */
static int token_take(struct web_server *s, const char *token)
{
	int ok = 0;
	if (!token || strlen(token) != 64)
		return 0;
	pthread_mutex_lock(&s->mu);
	if (s->token[0] && sodium_memcmp(s->token, token, 64) == 0) {
		ok = 1;
		sodium_memzero(s->token, sizeof s->token);
	}
	pthread_mutex_unlock(&s->mu);
	return ok;
}

/* ---- request helpers ---- */

const char *web_num(char *buf, long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

int web_long(const char *s, long *v)
{
	char *end;
	long x;
	if (!s || !*s)
		return -1;
	errno = 0;
	x = strtol(s, &end, 10);
	if (*end || errno)
		return -1;
	*v = x;
	return 0;
}

int web_flag(struct web_req *r, const char *name)
{
	const char *v = web_param(r, name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

int web_team(const struct web_req *r)
{
	return r->srv->team;
}

const char *web_arg(struct web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) ('+' is a space), malloc'd; NULL when it holds a
 * NUL byte (%00) or a bad escape. */
static char *form_decode(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	size_t i, o = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[o++] = ' ';
		} else if (s[i] == '%') {
			int a = i + 2 < n + 1 ? hexval((unsigned char)s[i + 1]) : -1;
			int b = a >= 0 ? hexval((unsigned char)s[i + 2]) : -1;
			if (a < 0 || b < 0 || (a == 0 && b == 0)) {
				free(d);
				return NULL;
			}
			d[o++] = (char)(a * 16 + b);
			i += 2;
		} else {
			d[o++] = s[i];
		}
	}
	d[o] = '\0';
	return d;
}

static void form_parse(struct web_req *r, struct conn *k)
{
	const char *p = r->body, *end = r->body + r->body_len;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		char *name = form_decode(p, (size_t)((eq ? eq : stop) - p));
		char *value = eq ? form_decode(eq + 1, (size_t)(stop - eq - 1)) : xstrdup("");
		if (name && value) {
			k->fields = xrealloc(k->fields, (k->n_fields + 2) * sizeof *k->fields);
			k->fields[k->n_fields++] = name;
			k->fields[k->n_fields++] = value;
		} else {
			free(name);
			free(value);
		}
		p = amp ? amp + 1 : end;
	}
}

const char *web_form(struct web_req *r, const char *name)
{
	struct conn *k = r->priv;
	size_t i;
	for (i = 0; k && i + 1 < k->n_fields; i += 2)
		if (strcmp(k->fields[i], name) == 0)
			return k->fields[i + 1];
	return NULL;
}

const char *web_param(struct web_req *r, const char *name)
{
	const char *v = web_form(r, name);
	return v ? v : web_arg(r, name);
}

struct out *web_json(struct web_req *r)
{
	r->type = "application/json; charset=utf-8";
	return out_new(OUT_JSON, r->fp);
}

void web_json_done(struct web_req *r, struct out *o)
{
	out_close(&r->cli, o, 0);
}

static int vreply_error(struct web_req *r, int status, const char *fmt, va_list ap)
{
	static const struct col cols[] = { { "status", COL_INT }, { "error", COL_STR } };
	char *msg, code[16];
	const char *v[2];
	struct out *o;
	if (vasprintf(&msg, fmt, ap) < 0)
		die_nomem();
	/* a reply already begun (a listing that failed half-way) is dropped */
	fclose(r->fp);
	free(r->out);
	r->out = NULL;
	r->out_len = 0;
	if (!(r->fp = open_memstream(&r->out, &r->out_len)))
		die_nomem();
	r->status = status;
	o = web_json(r);
	snprintf(code, sizeof code, "%d", status);
	v[0] = code;
	v[1] = msg;
	out_begin(o, cols, 2);
	out_row(o, v);
	out_end(o);
	web_json_done(r, o);
	free(msg);
	return 0;
}

int web_error(struct web_req *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreply_error(r, status, fmt, ap);
	va_end(ap);
	return 0;
}

int web_fail(struct web_req *r, enum qda_status st)
{
	const char *msg = r->cli.h ? qda_errmsg(r->cli.h) : "out of memory";
	const char *loc = r->cli.h ? qda_errloc(r->cli.h) : "";
	int status;
	switch (st) {
	case QDA_ENOTFOUND: status = 404; break;
	case QDA_EINPUT:
	case QDA_EINVAL: status = 400; break;
	case QDA_EEXIST: status = 409; break;
	case QDA_EDB: status = strstr(msg, "locked") ? 503 : 500; break;
	default: status = 500; break;
	}
	if (loc && *loc)
		return web_error(r, status, "%s: %s", loc, msg);
	return web_error(r, status, "%s", msg);
}

int web_open(struct web_req *r, int write)
{
	enum qda_status st = qda_open(r->srv->project, !write, &r->cli.h);
	if (st == QDA_OK)
		st = qda_set_coder(r->cli.h, r->sess.user);
	if (st != QDA_OK) {
		web_fail(r, st);
		qda_close(r->cli.h);
		r->cli.h = NULL;
		return 1;
	}
	return 0;
}

char *web_cmdline(const char *const *argv, size_t n)
{
	size_t i, len = 4;
	char *s;
	for (i = 0; i < n; i++)
		len += strlen(argv[i]) + 3;
	s = xmalloc(len);
	strcpy(s, "qda");
	for (i = 0; i < n; i++) {
		strcat(s, " ");
		if (!*argv[i] || strpbrk(argv[i], " \t'\"")) {
			strcat(s, "'");
			strcat(s, argv[i]);
			strcat(s, "'");
		} else {
			strcat(s, argv[i]);
		}
	}
	return s;
}

/* ---- pages ---- */

static const struct web_asset *asset(const char *path)
{
	size_t i;
	for (i = 0; web_assets[i].path; i++)
		if (strcmp(web_assets[i].path, path) == 0)
			return &web_assets[i];
	return NULL;
}

/* The page of a path: the documents list, the reader, the codebook, the
 * review page, the reports. */
static const struct {
	const char *path, *file;
} pages[] = {
	{ "/", "/static/index.html" },     { "/doc", "/static/reader.html" },     { "/codebook", "/static/codebook.html" },
	{ "/review", "/static/review.html" }, { "/reports", "/static/reports.html" },
};

static void login_page(struct web_req *r, const char *name, const char *error)
{
	FILE *fp = r->fp;
	r->type = "text/html; charset=utf-8";
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>qda — log in</title>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<link rel=\"stylesheet\" href=\"/static/style.css\"></head>\n<body class=\"login\">\n"
	      "<main><h1>qda</h1><p>Log in with the account the project's keeper gave you (qda user add).</p>\n",
	      fp);
	if (error) {
		fputs("<p class=\"error\" role=\"alert\">", fp);
		out_html_escape(fp, error);
		fputs("</p>\n", fp);
	}
	fputs("<form method=\"post\" action=\"/login\">\n<label>Name <input name=\"name\" autocomplete=\"username\" "
	      "required value=\"",
	      fp);
	out_html_escape(fp, name ? name : "");
	fputs("\"></label>\n<label>Password <input name=\"password\" type=\"password\" "
	      "autocomplete=\"current-password\" required></label>\n<button type=\"submit\">Log in</button>\n"
	      "</form></main></body></html>\n",
	      fp);
}

static void text_page(struct web_req *r, int status, const char *title, const char *msg)
{
	r->status = status;
	r->type = "text/html; charset=utf-8";
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", r->fp);
	out_html_escape(r->fp, title);
	fputs("</title></head><body><h1>", r->fp);
	out_html_escape(r->fp, title);
	fputs("</h1><p>", r->fp);
	out_html_escape(r->fp, msg);
	fputs("</p></body></html>\n", r->fp);
}

/* ---- the request ---- */

static int is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* One password checked at a time: each takes 64 MiB and a fraction of a
 * second (argon2id), so a flood of logins cannot exhaust the machine. */
static pthread_mutex_t login_mu = PTHREAD_MUTEX_INITIALIZER;

/* The login form's answer: a session for the account, or the form again. */
static int do_login(struct web_req *r, char *cookie_id)
{
	const char *name = web_form(r, "name"), *pw = web_form(r, "password");
	enum qda_role role;
	enum qda_status st;
	struct qda *h = NULL;

	if (!name || !pw) {
		r->status = 400;
		login_page(r, name, "give your name and password");
		return 0;
	}
	st = qda_open(r->srv->project, 1, &h);
	if (st == QDA_OK) {
		pthread_mutex_lock(&login_mu);
		st = qda_user_login(h, name, pw, &role);
		pthread_mutex_unlock(&login_mu);
	}
	if (st != QDA_OK) {
		r->status = st == QDA_EINPUT ? 401 : 500;
		login_page(r, name, qda_errmsg(h));
		qda_close(h);
		return 0;
	}
	qda_close(h);
	session_new(r->srv, name, role, cookie_id);
	r->status = 303;
	return 1;
}

/* Who the session is, checked against the accounts on every request: an
 * account removed (or its role changed) takes effect at once. */
static int session_current(struct web_req *r)
{
	struct qda *h = NULL;
	enum qda_role role;
	enum qda_status st;
	if (!r->srv->team)
		return 1;
	st = qda_open(r->srv->project, 1, &h);
	if (st == QDA_OK)
		st = qda_user_role(h, r->sess.user, &role);
	qda_close(h);
	if (st != QDA_OK)
		return 0;
	r->sess.role = role;
	return 1;
}

static void add_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	/* our own scripts only, nothing from elsewhere; styles inline for the charts */
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
	                        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
	                        "frame-ancestors 'none'; base-uri 'none'");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct web_req *r, const char *cookie, const char *location)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	fclose(r->fp);
	r->fp = NULL;
	resp = MHD_create_response_from_buffer(r->out_len, r->out, MHD_RESPMEM_MUST_FREE);
	r->out = NULL;
	if (!resp)
		return MHD_NO;
	add_headers(resp);
	if (r->type)
		MHD_add_response_header(resp, "Content-Type", r->type);
	if (cookie)
		MHD_add_response_header(resp, "Set-Cookie", cookie);
	if (location)
		MHD_add_response_header(resp, "Location", location);
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result serve_asset(struct MHD_Connection *c, const struct web_asset *a)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;
	if (!resp)
		return MHD_NO;
	add_headers(resp);
	MHD_add_response_header(resp, "Content-Type", a->type);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The Origin of a write, when the browser sends one, is this server: a
 * page elsewhere cannot post here even with the header forged by a plugin. */
static int origin_ok(struct web_req *r)
{
	const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
	if (!origin)
		return 1;
	if (!host)
		return 0;
	return strncmp(origin, "http://", 7) == 0 && strcmp(origin + 7, host) == 0;
}

static enum MHD_Result handle(struct web_server *s, struct MHD_Connection *c, struct conn *k, const char *url,
                              const char *method)
{
	struct web_req r;
	const char *cookie_val = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, s->cookie);
	char new_id[65] = "", *set_cookie = NULL, *location = NULL;
	const struct web_asset *a;
	enum MHD_Result ret;
	int have = 0;
	size_t i;

	memset(&r, 0, sizeof r);
	r.srv = s;
	r.conn = c;
	r.method = method;
	r.path = url;
	r.body = k->body ? k->body : "";
	r.body_len = k->len;
	r.cli.cmdname = "serve";
	r.cli.mode = OPEN_NONE;
	r.status = 200;
	if (!(r.fp = open_memstream(&r.out, &r.out_len)))
		return MHD_NO;
	r.priv = k;
	if (k->body && !k->too_big)
		form_parse(&r, k);

	if (k->too_big) {
		web_error(&r, 413, "the request is larger than %d bytes", BODY_MAX);
		goto reply;
	}
	if (is_write(method) && !origin_ok(&r)) {
		web_error(&r, 403, "a write from another site is refused");
		goto reply;
	}
	have = session_find(s, cookie_val, &r.sess);

	/* the way in: the login form (a team's server) or the one-time token */
	if (strcmp(url, "/login") == 0) {
		if (!s->team) {
			text_page(&r, 404, "qda serve",
			          "This server is for one person: open the address qda serve printed, with its token.");
		} else if (strcmp(method, "POST") == 0) {
			if (do_login(&r, new_id)) {
				set_cookie = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict", s->cookie, new_id);
				location = xstrdup("/");
			}
		} else {
			login_page(&r, NULL, NULL);
		}
		goto reply;
	}
	if (strcmp(url, "/logout") == 0 && strcmp(method, "POST") == 0 && have) {
		const char *csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		const char *form_csrf = web_form(&r, "csrf");
		if ((!csrf || sodium_memcmp(csrf, r.sess.csrf, 64) != 0 || strlen(csrf) != 64) &&
		    (!form_csrf || strlen(form_csrf) != 64 || sodium_memcmp(form_csrf, r.sess.csrf, 64) != 0)) {
			web_error(&r, 403, "no CSRF token: log out from the page's own button");
			goto reply;
		}
		session_end(s, cookie_val);
		set_cookie = xasprintf("%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", s->cookie);
		location = xstrdup(s->team ? "/login" : "/");
		r.status = 303;
		goto reply;
	}
	if (!s->team && !have && strcmp(url, "/") == 0 && web_arg(&r, "token")) {
		if (token_take(s, web_arg(&r, "token"))) {
			session_new(s, s->coder, QDA_ROLE_REVIEWER, new_id);
			set_cookie = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict", s->cookie, new_id);
			/* the token leaves the address bar and the history */
			location = xstrdup("/");
			r.status = 303;
		} else {
			text_page(&r, 401, "This link has been used",
			          "The token of qda serve's address works once, in the first browser that opens it. "
			          "Use that browser, or stop qda serve (Ctrl-C) and start it again for a new address.");
		}
		goto reply;
	}
	if (have && !session_current(&r)) {
		session_end(s, cookie_val);
		have = 0;
	}
	if (!have) {
		if (strncmp(url, "/api/", 5) == 0 || is_write(method)) {
			web_error(&r, 401, s->team ? "not logged in: log in at /login" : "no session: open the address qda "
			                                                                "serve printed, with its token");
		} else if (s->team && !(strncmp(url, "/static/", 8) == 0)) {
			r.status = 303;
			location = xstrdup("/login");
		} else if (s->team && (a = asset(url)) && strcmp(url, "/static/style.css") == 0) {
			/* the login page's style sheet: our own, no project data */
			fclose(r.fp);
			free(r.out);
			return serve_asset(c, a);
		} else {
			text_page(&r, 401, "Not logged in",
			          s->team ? "Log in at /login."
			                  : "Open the address qda serve printed (with its token) in this browser.");
		}
		goto reply;
	}
	/* every write carries the session's CSRF token */
	if (is_write(method)) {
		const char *csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!csrf || strlen(csrf) != 64 || sodium_memcmp(csrf, r.sess.csrf, 64) != 0) {
			web_error(&r, 403, "the request has no valid X-CSRF-Token header; reload the page");
			goto reply;
		}
	}
	if (strncmp(url, "/api/", 5) == 0) {
		if (!web_api(&r))
			web_error(&r, 404, "no such route: %s %s", method, url);
		goto reply;
	}
	if (!is_write(method)) {
		for (i = 0; i < sizeof pages / sizeof pages[0]; i++)
			if (strcmp(url, pages[i].path) == 0 && (a = asset(pages[i].file))) {
				fclose(r.fp);
				free(r.out);
				return serve_asset(c, a);
			}
		if (strncmp(url, "/static/", 8) == 0 && (a = asset(url))) {
			fclose(r.fp);
			free(r.out);
			return serve_asset(c, a);
		}
	}
	text_page(&r, 404, "Not found", "There is no such page. The documents are at /.");
reply:
	if (r.cli.h) {
		qda_close(r.cli.h);
		r.cli.h = NULL;
	}
	ret = send_reply(c, &r, set_cookie, location);
	free(set_cookie);
	free(location);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct conn *k = *con_cls;
	(void)version;
	if (!k) {
		*con_cls = xcalloc(1, sizeof *k);
		return MHD_YES;
	}
	if (*upload_size) {
		if (k->len + *upload_size > BODY_MAX) {
			k->too_big = 1;
		} else {
			k->body = xrealloc(k->body, k->len + *upload_size + 1);
			memcpy(k->body + k->len, upload, *upload_size);
			k->len += *upload_size;
			k->body[k->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return handle(cls, c, k, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
	struct conn *k = *con_cls;
	size_t i;
	(void)cls;
	(void)c;
	(void)t;
	if (!k)
		return;
	for (i = 0; i < k->n_fields; i++) {
		if (i % 2)
			sodium_memzero(k->fields[i], strlen(k->fields[i])); /* a password, perhaps */
		free(k->fields[i]);
	}
	free(k->fields);
	if (k->body)
		sodium_memzero(k->body, k->len);
	free(k->body);
	free(k);
	*con_cls = NULL;
}

/* The listening socket, made here so that a port in use is told as such. */
static int listen_on(struct cli *cli, const char *addr, long port, int *rc)
{
	struct addrinfo hints, *res = NULL;
	char portstr[16];
	int fd = -1, one = 1, e;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%ld", port);
	if ((e = getaddrinfo(addr, portstr, &hints, &res)) != 0) {
		*rc = 2;
		cli_errorf(cli, "cannot listen on '%s': %s; give an address of this machine (e.g. 0.0.0.0 or 192.168.1.10)",
		           addr, gai_strerror(e));
		return -1;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
	if (fd < 0) {
		*rc = 1;
		cli_errorf(cli, "cannot open a socket: %s", strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 64) != 0) {
		e = errno;
		*rc = 1;
		if (e == EADDRINUSE)
			cli_errorf(cli, "port %ld of %s is in use (another qda serve, or another program); stop it, or choose "
			           "another port with --port N (--port 0 picks a free one)", port, addr);
		else if (e == EACCES)
			cli_errorf(cli, "port %ld needs privileges; choose one above 1023 with --port N", port);
		else
			cli_errorf(cli, "cannot listen on %s port %ld: %s", addr, port, strerror(e));
		close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	return fd;
}

static long bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

struct web_server *web_start(struct cli *cli, const struct web_options *o, char *url, size_t n, int *rc)
{
	struct web_server *s;
	const char *addr = o->listen ? o->listen : "127.0.0.1";
	int fd;

	if (sodium_init() < 0) {
		*rc = 1;
		cli_errorf(cli, "no source of randomness for the session tokens");
		return NULL;
	}
	if ((fd = listen_on(cli, addr, o->port, rc)) < 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->project = xstrdup(o->project);
	s->team = o->listen != NULL;
	s->port = bound_port(fd);
	snprintf(s->coder, sizeof s->coder, "%s", o->coder ? o->coder : "");
	snprintf(s->cookie, sizeof s->cookie, "qda_session_%ld", s->port);
	pthread_mutex_init(&s->mu, NULL);
	if (!s->team)
		random_hex(s->token);
	s->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	                            (strchr(addr, ':') ? MHD_USE_IPv6 : 0),
	                        0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED,
	                        on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	                        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
	if (!s->d) {
		*rc = 1;
		cli_errorf(cli, "the web server could not start");
		close(fd);
		web_stop(s);
		return NULL;
	}
	if (s->team)
		snprintf(url, n, strchr(addr, ':') ? "http://[%s]:%ld/" : "http://%s:%ld/", addr, s->port);
	else
		snprintf(url, n, "http://127.0.0.1:%ld/?token=%s", s->port, s->token);
	return s;
}

void web_stop(struct web_server *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	if (s->sessions) {
		sodium_memzero(s->sessions, SESSIONS_MAX * sizeof *s->sessions);
		free(s->sessions);
	}
	sodium_memzero(s->token, sizeof s->token);
	pthread_mutex_destroy(&s->mu);
	free(s->project);
	free(s);
}
