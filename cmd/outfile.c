/* outfile.c — every file qda writes is written whole or not at all: into a
 * temporary file beside it, flushed to disk, then renamed over it. On any
 * failure (an error, a signal that ends qda) the temporary file is removed
 * and the file of that name stays as it was. Nothing else in cmd/ opens a
 * file for writing. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

struct outfile {
	FILE *fp;
	const char *name; /* as the user wrote it, for messages */
	char *path;       /* the file written, a symbolic link resolved */
	char *tmp;        /* the temporary file beside it; NULL when path is written as it is */
	pid_t owner;      /* the process that made tmp: a forked child never removes it */
	struct outfile *next;
};

/* The temporary files of this process, removed on a signal or at exit.
 * Changed only with those signals blocked. */
static struct outfile *pending;
static const int signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE };

static void remove_pending(void)
{
	struct outfile *f;
	pid_t self = getpid();
	for (f = pending; f; f = f->next)
		if (f->owner == self)
			unlink(f->tmp);
}

static void on_signal(int sig)
{
	remove_pending();
	/* SA_RESETHAND: the default action (end the process) follows */
	raise(sig);
}

/* Once: remove the temporary files on exit and on the signals that would
 * end qda (those it ignores stay ignored). */
static void install_cleanup(void)
{
	static int done;
	struct sigaction sa, old;
	size_t i;
	if (done)
		return;
	done = 1;
	atexit(remove_pending);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(signals[i], &sa, NULL);
}

static void block(sigset_t *old)
{
	sigset_t set;
	size_t i;
	sigemptyset(&set);
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		sigaddset(&set, signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void forget(struct outfile *f)
{
	struct outfile **p;
	sigset_t old;
	block(&old);
	for (p = &pending; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* "dir/.name.qda-tmpXXXXXX" beside path (a long name cut so that the
 * temporary one stays within NAME_MAX). */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0, base = strlen(path + dir);
	char *t;
	if (base > 200)
		base = 200;
	t = xmalloc(dir + base + 16);
	memcpy(t, path, dir);
	t[dir] = '.';
	memcpy(t + dir + 1, path + dir, base);
	strcpy(t + dir + 1 + base, ".qda-tmpXXXXXX");
	return t;
}

static void free_outfile(struct outfile *f)
{
	free(f->path);
	free(f->tmp);
	free(f);
}

struct outfile *outfile_open(struct cli *cli, const char *name, int *rc)
{
	struct outfile *f = xcalloc(1, sizeof *f);
	struct stat st;
	mode_t mode = 0600; /* interview data is confidential */
	sigset_t old;
	int fd, err;

	f->name = name;
	/* /dev/stdout, /dev/fd/N, /proc/self/fd/N: the stream they stand for,
	 * never a file replaced; appended to, as the shell may have opened a
	 * file for appending (>>) behind it */
	if (strncmp(name, "/dev/", 5) == 0 || strncmp(name, "/proc/", 6) == 0) {
		f->path = xstrdup(name);
		if (!(f->fp = fopen(name, "a")))
			goto fail;
		return f;
	}
	/* A symbolic link is not followed unless --force: someone who can place
	 * a link where qda writes (a shared folder, a dump) would otherwise
	 * have interview text written wherever it points. With --force the
	 * file it points to is replaced and the link stays (a link to nothing
	 * is then replaced by the file). */
	if (lstat(name, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (!cli->force) {
			char target[PATH_MAX];
			ssize_t n = readlink(name, target, sizeof target - 1);
			target[n > 0 ? n : 0] = '\0';
			*rc = cli_errorf(cli,
			                 "%s is a symbolic link (to %s); qda does not write through links: name the file "
			                 "itself, or add --force to write the file it points to",
			                 name, target);
			*rc = 2;
			free_outfile(f);
			return NULL;
		}
		f->path = realpath(name, NULL);
	}
	if (!f->path)
		f->path = xstrdup(name);
	if (stat(f->path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			/* a named pipe, a socket, a device: nothing to replace, written as it is */
			if (!(f->fp = fopen(f->path, "w")))
				goto fail;
			return f;
		}
		mode = st.st_mode & 07777;
	}
	install_cleanup();
	f->tmp = temp_name(f->path);
	block(&old);
	fd = mkstemp(f->tmp);
	err = errno;
	if (fd >= 0) {
		f->owner = getpid();
		f->next = pending;
		pending = f;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	if (fd < 0) {
		free(f->tmp);
		f->tmp = NULL;
		goto fail;
	}
	if (fchmod(fd, mode) != 0 || !(f->fp = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		outfile_discard(f);
		*rc = cli_errorf(cli, "cannot write %s: %s", name, strerror(err));
		return NULL;
	}
	return f;
fail:
	*rc = cli_errorf(cli, "cannot write %s: %s", name, strerror(errno));
	free_outfile(f);
	return NULL;
}

FILE *outfile_fp(struct outfile *f)
{
	return f->fp;
}

/* Make the rename itself durable: sync the folder (best effort; not every
 * file system syncs a folder). */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrdup(path) : xstrdup(".");
	int fd;
	if (slash)
		dir[slash == path ? 1 : slash - path] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int outfile_commit(struct cli *cli, struct outfile *f)
{
	int err = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp))
		err = errno ? errno : EIO;
	/* on disk before it takes the name: a crash then leaves the old file or the new one */
	else if (f->tmp && fsync(fileno(f->fp)) != 0 && errno != EINVAL && errno != ENOTSUP)
		err = errno;
	if (fclose(f->fp) != 0 && !err)
		err = errno;
	f->fp = NULL;
	if (!err && f->tmp && rename(f->tmp, f->path) != 0)
		err = errno;
	if (err) {
		const char *name = f->name;
		outfile_discard(f);
		return cli_errorf(cli, "could not write %s: %s", name, strerror(err));
	}
	if (f->tmp) {
		forget(f);
		sync_folder(f->path);
	}
	free_outfile(f);
	return 0;
}

void outfile_discard(struct outfile *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->tmp) {
		unlink(f->tmp);
		forget(f);
	}
	free_outfile(f);
}
