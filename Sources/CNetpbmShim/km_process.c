/* The process around the tools: standard descriptors opened before main,
   temporary files removed on signals, fatal signals turned into one line. */
#include "km_process.h"

#include <pthread.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Before main (and so before anything opens a file): descriptors 0, 1 and 2,
   when closed, are opened on /dev/null, so that no file the tool opens can take
   their number. Standard input is opened write-only and the outputs read-only,
   so that using a descriptor that was closed still fails (as in gnulib's
   stdopen): a closed standard output stays an error, never a silent success. */
__attribute__((constructor)) static void km_open_standard_descriptors(void) {
    for (int fd = 0; fd <= 2; ++fd) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (got < 0) _exit(70);
        if (got != fd) { dup2(got, fd); close(got); }
    }
}

/* Temporary files to remove when a signal ends the process: fixed slots, so
   that a handler reads them without allocating. A slot is in use when its flag
   is set; the path is written before the flag, with the signals blocked. */
#define KM_TEMP_SLOTS 16
static char km_temp_paths[KM_TEMP_SLOTS][PATH_MAX];
static volatile sig_atomic_t km_temp_used[KM_TEMP_SLOTS];
static const int km_ending_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE};

static void km_block_ending(sigset_t *saved) {
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof km_ending_signals / sizeof km_ending_signals[0]; ++i)
        sigaddset(&set, km_ending_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, saved);
}

static void km_remove_temps(void) {
    for (int i = 0; i < KM_TEMP_SLOTS; ++i)
        if (km_temp_used[i]) unlink(km_temp_paths[i]);
}

int km_temp_create(char *template, int *slot) {
    if (strlen(template) >= PATH_MAX) { errno = ENAMETOOLONG; return -1; }
    sigset_t saved;
    km_block_ending(&saved);
    int found = -1;
    for (int i = 0; i < KM_TEMP_SLOTS && found < 0; ++i)
        if (!km_temp_used[i]) found = i;
    int fd = -1;
    if (found < 0) {
        errno = EMFILE;
    } else {
        fd = mkstemp(template);
        if (fd >= 0) {
            strcpy(km_temp_paths[found], template);
            km_temp_used[found] = 1;
            *slot = found;
        }
    }
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    return fd;
}

int km_temp_rename(int slot, const char *target) {
    sigset_t saved;
    km_block_ending(&saved);
    int r = rename(km_temp_paths[slot], target);
    int e = errno;
    if (r != 0) unlink(km_temp_paths[slot]);
    km_temp_used[slot] = 0;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    errno = e;
    return r;
}

void km_temp_remove(int slot) {
    sigset_t saved;
    km_block_ending(&saved);
    unlink(km_temp_paths[slot]);
    km_temp_used[slot] = 0;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

static void km_on_ending(int sig) {
    km_remove_temps();
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}

void km_catch_ending_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = km_on_ending;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof km_ending_signals / sizeof km_ending_signals[0]; ++i) {
        struct sigaction old;
        /* A signal ignored by the parent (nohup, a shell's background job) stays ignored. */
        if (sigaction(km_ending_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(km_ending_signals[i], &sa, NULL);
    }
}

static char km_fatal_line[256];

static void km_on_fatal(int sig) {
    const char *what = sig == SIGABRT ? "aborted" : sig == SIGSEGV ? "segmentation fault"
        : sig == SIGBUS ? "bus error" : sig == SIGFPE ? "arithmetic fault" : "illegal instruction";
    char line[384];
    size_t n = 0;
    for (const char *p = km_fatal_line; *p && n < sizeof line - 1; ++p) line[n++] = *p;
    for (const char *p = what; *p && n < sizeof line - 1; ++p) line[n++] = *p;
    const char *tail = " (most often: the memory limit, ulimit -v, is too low for this input)\n";
    for (const char *p = tail; *p && n < sizeof line - 1; ++p) line[n++] = *p;
    ssize_t ignored = write(2, line, n);
    (void)ignored;
    km_remove_temps();
    _exit(70);
}

void km_catch_fatal_signals(const char *progname) {
    snprintf(km_fatal_line, sizeof km_fatal_line, "%s: stopped: ", progname);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = km_on_fatal;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; ++i) sigaction(sigs[i], &sa, NULL);
}

void km_keep_freed_memory(void) {
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
}
