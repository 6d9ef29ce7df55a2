/* libnetpbm behind setjmp guards: every call that can fail returns -1 with
   libnetpbm's message kept, instead of exiting the process. */
#include "km_netpbm.h"
#include "km_guard.h"

#include <setjmp.h>
#include <string.h>

static char km_error[512];

static void km_capture_error(const char *msg) {
    size_t n = strlen(msg);
    if (n >= sizeof km_error) n = sizeof km_error - 1;
    memcpy(km_error, msg, n);
    km_error[n] = '\0';
    /* libnetpbm messages may end with a newline; keep one line. */
    for (char *p = km_error; *p; ++p)
        if (*p == '\n') { *p = '\0'; break; }
}

static void km_drop_message(const char *msg) { (void)msg; }

void km_init(const char *progname) {
    static char name[64];
    strncpy(name, progname, sizeof name - 1);
    pm_init(name, 0);
    pm_setusererrormsgfn(km_capture_error);
    pm_setusermessagefn(km_drop_message);
}

const char *km_last_error(void) { return km_error; }

void km_clear_error(void) { km_error[0] = '\0'; }

int km_format_pbm(void) { return PBM_FORMAT; }
int km_format_rpbm(void) { return RPBM_FORMAT; }
int km_format_pgm(void) { return PGM_FORMAT; }
int km_format_rpgm(void) { return RPGM_FORMAT; }
int km_format_ppm(void) { return PPM_FORMAT; }
int km_format_rppm(void) { return RPPM_FORMAT; }
int km_format_pam(void) { return PAM_FORMAT; }

int km_read_header(FILE *file, struct pam *pam) {
    KM_GUARDED(pnm_readpaminit(file, pam, PAM_STRUCT_SIZE(tuple_type)));
}

int km_read_row(struct pam *pam, tuple *row, uint16_t *out) {
    KM_GUARDED({
        pnm_readpamrow(pam, row);
        size_t k = 0;
        for (int col = 0; col < pam->width; ++col)
            for (unsigned int p = 0; p < pam->depth; ++p)
                out[k++] = (uint16_t)row[col][p];
    });
}

int km_alloc_row(struct pam *pam, tuple **row) {
    KM_GUARDED(*row = pnm_allocpamrow(pam));
}
void km_free_row(tuple *row) { pnm_freepamrow(row); }

int km_next_image(FILE *file, int *more) {
    KM_GUARDED({
        int eof = 0;
        pnm_nextimage(file, &eof);
        *more = !eof;
    });
}

int km_write_header(FILE *file, int width, int height, int depth,
                    unsigned maxval, const char *tuple_type) {
    KM_GUARDED({
        struct pam pam;
        memset(&pam, 0, sizeof pam);
        pam.size = sizeof pam;
        pam.len = PAM_STRUCT_SIZE(tuple_type);
        pam.file = file;
        pam.width = width;
        pam.height = height;
        pam.depth = (unsigned)depth;
        pam.maxval = maxval;
        pam.plainformat = 0;
        pam.format = depth == 1 ? RPGM_FORMAT : depth == 3 ? RPPM_FORMAT : PAM_FORMAT;
        strncpy(pam.tuple_type, tuple_type, sizeof pam.tuple_type - 1);
        pnm_writepaminit(&pam);
    });
}
