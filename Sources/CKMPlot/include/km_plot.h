#ifndef KM_PLOT_H
#define KM_PLOT_H

#include <stdint.h>

/* kmplot's drawing surface: an RGB pixel array (maxval 255) drawn on with
   libnetpbm's ppmdraw routines (lines, rectangles, its built-in vector font).
   Calls that reach libnetpbm run under the shim's setjmp guard (km_guard.h):
   they return 0, or -1 when libnetpbm refused, km_last_error() saying why. */
typedef struct km_canvas km_canvas;

/* A canvas of width x height pixels filled with (r, g, b), each 0-255; NULL
   when the pixels cannot be allocated (km_last_error() says why). */
km_canvas *_Nullable km_canvas_new(int width, int height, unsigned r, unsigned g, unsigned b);
void km_canvas_free(km_canvas *_Nullable canvas);
/* A line from (x0, y0) to (x1, y1), pixels from the top left, clipped. */
int km_canvas_line(km_canvas *_Nonnull canvas, int x0, int y0, int x1, int y1, unsigned r, unsigned g, unsigned b);
/* A filled w x h rectangle with its top left at (x, y), clipped. */
int km_canvas_rect(km_canvas *_Nonnull canvas, int x, int y, int w, int h, unsigned r, unsigned g, unsigned b);
/* A filled disc of `radius` pixels centred on (cx, cy), clipped; cannot fail. */
void km_canvas_disc(km_canvas *_Nonnull canvas, int cx, int cy, int radius, unsigned r, unsigned g, unsigned b);
/* Text whose baseline starts at (x, y), `height` pixels high. */
int km_canvas_text(km_canvas *_Nonnull canvas, int x, int y, int height, const char *_Nonnull text,
                   unsigned r, unsigned g, unsigned b);
/* The width in pixels of `text` at `height`; 0 when libnetpbm refused. */
int km_canvas_text_width(int height, const char *_Nonnull text);
/* The box `text` at `height` covers, in pixels from the start of its baseline
   (y down): box = {left, top, right, bottom}. */
int km_canvas_text_box(int height, const char *_Nonnull text, int box[_Nonnull 4]);
/* Copies the pixels, row by row, 3 bytes each, into out (width * height * 3 bytes). */
void km_canvas_bytes(const km_canvas *_Nonnull canvas, uint8_t *_Nonnull out);
/* Copies an RGB image of w x h pixels (3 bytes a pixel) with its top left at (x, y), clipped. */
void km_canvas_blit(km_canvas *_Nonnull canvas, int x, int y, int w, int h, const uint8_t *_Nonnull rgb);

#endif
