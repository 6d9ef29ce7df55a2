/* C streams for Swift: the standard ones, and a stream read through a callback. */
#define _GNU_SOURCE /* fopencookie */
#include "km_streams.h"

FILE *km_stdin(void) { return stdin; }
FILE *km_stdout(void) { return stdout; }
FILE *km_stderr(void) { return stderr; }

FILE *km_open_reader(void *cookie, long (*read)(void *cookie, char *buffer, size_t size)) {
    cookie_io_functions_t io = {(cookie_read_function_t *)read, NULL, NULL, NULL};
    return fopencookie(cookie, "rb", io);
}
