#ifndef KM_GUARD_H
#define KM_GUARD_H

#include <setjmp.h>
#include <netpbm/pm.h>

/* The setjmp guard around libnetpbm calls, for C targets that call libnetpbm
   beside the shim (CKMPlot): libnetpbm's message for a failure is kept for
   km_last_error(). */

/* Empties the message km_last_error() returns. */
void km_clear_error(void);

/* In a function returning int: runs STMT with libnetpbm's error exits turned
   into a return of -1 (the message kept for km_last_error()), else returns 0. */
#define KM_GUARDED(STMT)                                   \
    do {                                                   \
        jmp_buf jb;                                        \
        jmp_buf *saved;                                    \
        km_clear_error();                                  \
        pm_setjmpbufsave(&jb, &saved);                     \
        if (setjmp(jb) != 0) {                             \
            pm_setjmpbuf(saved);                           \
            return -1;                                     \
        }                                                  \
        STMT;                                              \
        pm_setjmpbuf(saved);                               \
        return 0;                                          \
    } while (0)

#endif
