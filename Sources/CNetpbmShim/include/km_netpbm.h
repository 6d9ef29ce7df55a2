#ifndef KM_NETPBM_H
#define KM_NETPBM_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <netpbm/pam.h>

/* Everything libnetpbm can fail at is called through these wrappers: each one
   runs the call under a setjmp guard and returns 0 on success or -1 on failure,
   with libnetpbm's message kept for km_last_error(). After a failure the stream
   is unusable. */

/* pm_init with a program name that lives for the process; routes libnetpbm's
   error and info messages into a buffer instead of stderr. */
void km_init(const char *progname);

/* The message of the last failed call ("" if none). */
const char *km_last_error(void);

/* Format codes, which are built from characters and do not import. */
int km_format_pbm(void);
int km_format_rpbm(void);
int km_format_pgm(void);
int km_format_rpgm(void);
int km_format_ppm(void);
int km_format_rppm(void);
int km_format_pam(void);

/* Reads the header of the next image into *pam (struct size handled here). */
int km_read_header(FILE *file, struct pam *pam);

/* Reads one row of any PNM/PAM format through libnetpbm's tuple reader and
   stores its width * depth samples, row-major, in out. `row` comes from
   km_alloc_row. */
int km_read_row(struct pam *pam, tuple *row, uint16_t *out);

int km_alloc_row(struct pam *pam, tuple **row);
void km_free_row(tuple *row);

/* Whether another image follows in the stream: *more = 1 or 0. */
int km_next_image(FILE *file, int *more);

/* Writes a header for a raw image of the given shape (depth 1: PGM, 3: PPM,
   other: PAM with tuple_type). The raster is then written by the caller. */
int km_write_header(FILE *file, int width, int height, int depth,
                    unsigned maxval, const char *tuple_type);

#endif
