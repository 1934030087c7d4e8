/* filebuf.c: the one writer of output files: whole or not at all, regular files only. */

/*
 * How it works
 * ------------
 * corridor__filebuf_open looks at what is at the path (following symlinks, as
 * open(2) would):
 *  - the process's own standard output or standard error (`/dev/stdout`, or a
 *    path naming the file stdout is redirected to): written straight into that
 *    descriptor, never reopened, truncated or replaced;
 *  - a FIFO, a device or a socket: opened and written through directly;
 *  - a regular file or nothing: the symlinks are resolved by hand to the real
 *    target, and a temporary file TARGET.tmp.XXXXXX is created beside it with
 *    O_EXCL and the mode the result must have (a replaced file keeps its mode:
 *    fchmod, since the umask may have cleared bits; a new file gets 0666 less
 *    the umask, by open(2) itself; the umask is never changed). Commit fsyncs
 *    it, closes it and renames it over the target, so readers see the old file
 *    or the new one; discard removes it. The temporary file's name
 *    carries the pid and a random part: TARGET.tmp.PIDxxxxxx.
 * Live temporary paths are kept in a lock-free registry so that a signal
 * handler can remove them (corridor_temp_files_remove: only atomic loads and
 * unlink(2), both async-signal-safe).
 * Several files are committed together (the CSV pair) by keeping a hard link
 * to each old target until all renames succeeded, and putting the old files
 * back if one failed. Limits: a signal that comes between two of those
 * renames leaves the new first file beside the old second one; on a file
 * system without hard links the old files cannot be put back; the folder is
 * not fsynced after the rename (as git_filebuf), so a power loss right after
 * a commit may show the old file.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* ---------------------------------------------------------------- registry */

#define COR_LIVE_MAX 64

static _Atomic(char *) live[COR_LIVE_MAX];

/* Registers a temporary path (a copy is kept); -1 if the registry is full. */
static int live_add(const char *path)
{
    char *copy = corridor__strdup(path);
    if (!copy)
        return -1;
    for (int i = 0; i < COR_LIVE_MAX; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&live[i], &expected, copy))
            return i;
    }
    free(copy);
    return -1; /* still written and cleaned up normally, only not on a signal */
}

static void live_remove(int slot)
{
    if (slot < 0)
        return;
    free(atomic_exchange(&live[slot], NULL));
}

void corridor_temp_files_remove(void)
{
    for (int i = 0; i < COR_LIVE_MAX; i++) {
        char *p = atomic_load(&live[i]);
        if (p)
            unlink(p);
    }
}

/* ------------------------------------------------------------------ helpers */

static int io_error(const char *path, const char *what, int e)
{
    return corridor__error(CORRIDOR_EIO, "%s: cannot %s: %s", path, what, strerror(e));
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/*
 * Follows symlinks from `path` by hand to the file they end at, which may not
 * exist yet (a dangling link is followed to where it points). *out is owned.
 */
static int resolve_target(char **out, const char *path)
{
    char *cur = corridor__strdup(path);
    *out = NULL;
    if (!cur)
        return corridor__oom();
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            *out = cur;
            return 0;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            int e = errno;
            free(cur);
            return io_error(path, "follow the link", e);
        }
        link[n] = '\0';
        char *next = NULL;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash)
            next = corridor__strdup(link);
        else
            next = corridor__asprintf("%.*s/%s", (int)(slash - cur), cur, link);
        free(cur);
        if (!next)
            return corridor__oom();
        cur = next;
    }
    free(cur);
    return io_error(path, "follow the link", ELOOP);
}

/* Creates TARGET.tmp.XXXXXX with O_EXCL and `mode` (the umask applies). */
static int create_temp(cor_filebuf *fb, mode_t mode)
{
    static _Atomic unsigned long counter;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int attempt = 0; attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
                          (atomic_fetch_add(&counter, 1) * 2654435761ul);
        char suffix[7];
        for (int i = 0; i < 6; i++, x /= 36)
            suffix[i] = digits[x % 36];
        suffix[6] = '\0';
        free(fb->tmp);
        /* the pid in the name: no other process makes a file of this name */
        if (!(fb->tmp =
                  corridor__asprintf("%s.tmp.%ld%s", fb->target, (long)getpid(), suffix)))
            return corridor__oom();
        /*
         * Registered before it exists, so that a signal right after open
         * removes it too; should the name be taken (by an earlier run with the
         * same pid), a signal in that instant removes that leftover.
         */
        fb->slot = live_add(fb->tmp);
        fb->fd = open(fb->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fb->fd >= 0)
            return 0;
        int e = errno;
        live_remove(fb->slot);
        fb->slot = -1;
        if (e != EEXIST)
            return io_error(fb->path, "write", e);
    }
    return io_error(fb->path, "write", EEXIST);
}

/* 1 if `st` is the file open as descriptor fd. */
static int same_as_fd(const struct stat *st, int fd)
{
    struct stat fs;
    return fstat(fd, &fs) == 0 && fs.st_dev == st->st_dev && fs.st_ino == st->st_ino;
}

/* --------------------------------------------------------------------- API */

int corridor__filebuf_open(cor_filebuf *fb, const char *path)
{
    int err = 0;
    struct stat st;
    memset(fb, 0, sizeof *fb);
    fb->fd = -1;
    fb->slot = -1;
    fb->backup_slot = -1;
    if (!(fb->path = corridor__strdup(path)))
        return corridor__oom();
    if (stat(path, &st) == 0) {
        if (same_as_fd(&st, STDOUT_FILENO) || same_as_fd(&st, STDERR_FILENO)) {
            fb->fd = same_as_fd(&st, STDOUT_FILENO) ? STDOUT_FILENO : STDERR_FILENO;
            fb->through = 1;
            fb->borrowed = 1;
            return 0;
        }
        if (S_ISDIR(st.st_mode)) {
            err = io_error(path, "write", EISDIR);
            goto done;
        }
        if (!S_ISREG(st.st_mode)) {
            fb->through = 1;
            if ((fb->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
                err = io_error(path, "write", errno);
            goto done;
        }
        /* a file the user may not write is not replaced behind its back */
        if (access(path, W_OK) != 0) {
            err = io_error(path, "write", errno);
            goto done;
        }
        fb->existed = 1;
        fb->mode = st.st_mode & 07777;
    } else if (errno != ENOENT) {
        err = io_error(path, "write", errno);
        goto done;
    }
    if ((err = resolve_target(&fb->target, path)) < 0)
        goto done;
    if ((err = create_temp(fb, fb->existed ? fb->mode : 0666)) < 0)
        goto done;
    /* the umask may have cleared bits the replaced file had */
    if (fb->existed && fchmod(fb->fd, fb->mode) != 0)
        err = io_error(path, "set the mode of the new file", errno);
done:
    if (err < 0)
        corridor__filebuf_discard(fb);
    return err;
}

int corridor__filebuf_write(cor_filebuf *fb, const void *data, size_t len)
{
    if (fb->fd < 0)
        return corridor__error(CORRIDOR_EIO, "%s: cannot write: not open", fb->path);
    if (write_all(fb->fd, data, len) != 0)
        return io_error(fb->path, "write", errno);
    return 0;
}

/* Flushes and closes the temporary file (or the write-through descriptor). */
static int finish(cor_filebuf *fb)
{
    int err = 0;
    if (fb->through) {
        if (!fb->borrowed && close(fb->fd) != 0)
            err = io_error(fb->path, "write", errno);
        fb->fd = -1;
        return err;
    }
    if (fsync(fb->fd) != 0)
        err = io_error(fb->path, "write (fsync)", errno);
    if (close(fb->fd) != 0 && !err)
        err = io_error(fb->path, "write", errno);
    fb->fd = -1;
    return err;
}

static void filebuf_clear(cor_filebuf *fb)
{
    live_remove(fb->slot);
    live_remove(fb->backup_slot);
    free(fb->tmp);
    free(fb->target);
    free(fb->path);
    free(fb->backup);
    memset(fb, 0, sizeof *fb);
    fb->fd = -1;
    fb->slot = -1;
    fb->backup_slot = -1;
}

int corridor__filebuf_commit(cor_filebuf *fb)
{
    return corridor__filebuf_commit_all(fb, 1);
}

/* Keeps a hard link to the old target of fb (if there is one) under a new name. */
static int keep_old(cor_filebuf *fb)
{
    if (!fb->existed || fb->through)
        return 0;
    for (int attempt = 0; attempt < 100; attempt++) {
        free(fb->backup);
        if (!(fb->backup = corridor__asprintf("%s.old.%d", fb->tmp, attempt)))
            return corridor__oom();
        if (link(fb->target, fb->backup) == 0) {
            /* a signal now removes it too: the old file is then lost only if it
               comes between two renames */
            fb->backup_slot = live_add(fb->backup);
            return 0;
        }
        if (errno != EEXIST)
            break;
    }
    /* a file system without hard links: the pair is then only as safe as two renames */
    free(fb->backup);
    fb->backup = NULL;
    return 0;
}

/* Undoes the renames of fbs[0..n): old files back, new files removed. */
static void roll_back(cor_filebuf *fbs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fbs[i].through)
            continue;
        if (fbs[i].backup)
            rename(fbs[i].backup, fbs[i].target);
        else if (!fbs[i].existed)
            unlink(fbs[i].target);
    }
}

int corridor__filebuf_commit_all(cor_filebuf *fbs, size_t n)
{
    int err = 0;
    size_t renamed = 0;
    for (size_t i = 0; i < n && !err; i++)
        err = finish(&fbs[i]);
    for (size_t i = 0; i < n && !err && n > 1; i++)
        err = keep_old(&fbs[i]);
    for (; renamed < n && !err; renamed++) {
        cor_filebuf *fb = &fbs[renamed];
        if (!fb->through && rename(fb->tmp, fb->target) != 0)
            err = io_error(fb->path, "write (rename)", errno);
        if (!err) {
            live_remove(fb->slot);
            fb->slot = -1;
        }
    }
    if (err) {
        /* a failed rename did not count: roll back the ones before it */
        roll_back(fbs, renamed > 0 ? renamed - 1 : 0);
    }
    for (size_t i = 0; i < n; i++) {
        if (fbs[i].backup)
            unlink(fbs[i].backup);
        if (err && fbs[i].tmp && !fbs[i].through)
            unlink(fbs[i].tmp);
        filebuf_clear(&fbs[i]);
    }
    return err;
}

void corridor__filebuf_discard(cor_filebuf *fb)
{
    if (!fb || !fb->path)
        return;
    if (fb->fd >= 0 && !fb->borrowed)
        close(fb->fd);
    if (fb->tmp && !fb->through)
        unlink(fb->tmp);
    filebuf_clear(fb);
}

int corridor__write_file_atomic(const char *path, const char *data, size_t len)
{
    cor_filebuf fb;
    int err = corridor__filebuf_open(&fb, path);
    if (err < 0)
        return err;
    if ((err = corridor__filebuf_write(&fb, data, len)) < 0) {
        corridor__filebuf_discard(&fb);
        return err;
    }
    return corridor__filebuf_commit(&fb);
}
