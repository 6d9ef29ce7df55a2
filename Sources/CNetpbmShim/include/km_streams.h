#ifndef KM_STREAMS_H
#define KM_STREAMS_H

#include <stdio.h>
#include <stddef.h>

FILE *km_stdin(void);
FILE *km_stdout(void);
FILE *km_stderr(void);

/* A stream read through `read` (fopencookie's read function: up to size bytes
   into buffer; the count, 0 at the end, or -1 with errno), closed by fclose. */
FILE *km_open_reader(void *cookie, long (*read)(void *cookie, char *buffer, size_t size));

#endif
