#ifndef KM_PROCESS_H
#define KM_PROCESS_H

/* Before main, closed descriptors 0-2 are opened on /dev/null (km_process.c). */

/* Turns a fatal signal (SIGABRT from a failed allocation under a memory limit,
   SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE) into one line "PROGNAME: stopped: ..."
   on standard error and exit status 70 (EX_SOFTWARE) instead of a core dump. */
void km_catch_fatal_signals(const char *progname);

/* Temporary files removed when a signal ends the process. km_temp_create runs
   mkstemp(template) (the X's replaced in place) and records the path in a
   fixed slot (*slot); returns the descriptor or -1 with errno. km_temp_rename
   renames the slot's file to target (removing it if that fails) and frees the
   slot; returns 0 or -1 with errno. km_temp_remove removes the file and frees
   the slot. At most 16 at a time. */
int km_temp_create(char *template_path, int *slot);
int km_temp_rename(int slot, const char *target);
void km_temp_remove(int slot);

/* SIGTERM, SIGINT, SIGHUP and SIGPIPE (unless ignored on entry): the temporary
   files are removed and the signal is raised again with its default action, so
   the process ends by it (status 128+N in a shell). The handler calls only
   unlink, signal, pthread_sigmask, raise and _exit. */
void km_catch_ending_signals(void);

/* Keeps freed memory in the heap for the next allocation (mallopt): blocks up
   to 4 MB come from the heap instead of their own mappings, and up to 8 MB
   freed at its top stays, so that a small image's tables and buffers reuse
   pages instead of faulting fresh ones in. Larger blocks (video frames,
   hundreds of thousands of colours) still go back at once, so that the peak
   stays near what is in use. */
void km_keep_freed_memory(void);

#endif
