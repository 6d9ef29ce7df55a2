#include "km_plot.h"
#include "km_guard.h"

#include <stdlib.h>

#include <stdbool.h> /* ppmdraw.h uses bool without including it */
#include <netpbm/ppm.h>
#include <netpbm/ppmdraw.h>

struct km_canvas {
    pixel **pixels;
    int width, height;
};

static int km_alloc_pixels(km_canvas *c) {
    KM_GUARDED(c->pixels = ppm_allocarray(c->width, c->height));
}

km_canvas *km_canvas_new(int width, int height, unsigned r, unsigned g, unsigned b) {
    km_canvas *c = malloc(sizeof *c);
    if (!c) return NULL;
    c->width = width;
    c->height = height;
    if (km_alloc_pixels(c) != 0) { free(c); return NULL; }
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) PPM_ASSIGN(c->pixels[y][x], r, g, b);
    return c;
}

void km_canvas_free(km_canvas *c) {
    if (!c) return;
    ppm_freearray(c->pixels, c->height);
    free(c);
}

static pixel km_pixel(unsigned r, unsigned g, unsigned b) {
    pixel p;
    PPM_ASSIGN(p, r, g, b);
    return p;
}

int km_canvas_line(km_canvas *c, int x0, int y0, int x1, int y1, unsigned r, unsigned g, unsigned b) {
    pixel p = km_pixel(r, g, b);
    KM_GUARDED(ppmd_line(c->pixels, c->width, c->height, 255, x0, y0, x1, y1, PPMD_NULLDRAWPROC, &p));
}

int km_canvas_rect(km_canvas *c, int x, int y, int w, int h, unsigned r, unsigned g, unsigned b) {
    pixel p = km_pixel(r, g, b);
    KM_GUARDED(ppmd_filledrectangle(c->pixels, c->width, c->height, 255, x, y, w, h, PPMD_NULLDRAWPROC, &p));
}

void km_canvas_disc(km_canvas *c, int cx, int cy, int radius, unsigned r, unsigned g, unsigned b) {
    for (int y = cy - radius; y <= cy + radius; ++y) {
        if (y < 0 || y >= c->height) continue;
        for (int x = cx - radius; x <= cx + radius; ++x) {
            if (x < 0 || x >= c->width) continue;
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius + radius)
                PPM_ASSIGN(c->pixels[y][x], r, g, b);
        }
    }
}

int km_canvas_text(km_canvas *c, int x, int y, int height, const char *text, unsigned r, unsigned g, unsigned b) {
    pixel p = km_pixel(r, g, b);
    KM_GUARDED(ppmd_text(c->pixels, c->width, c->height, 255, x, y, height, 0, text, PPMD_NULLDRAWPROC, &p));
}

int km_canvas_text_box(int height, const char *text, int box[4]) {
    KM_GUARDED(ppmd_text_box(height, 0, text, &box[0], &box[1], &box[2], &box[3]));
}

int km_canvas_text_width(int height, const char *text) {
    int box[4] = {0, 0, 0, 0};  /* left, top, right, bottom */
    return km_canvas_text_box(height, text, box) == 0 ? box[2] - box[0] : 0;
}

void km_canvas_bytes(const km_canvas *c, uint8_t *out) {
    size_t k = 0;
    for (int y = 0; y < c->height; ++y)
        for (int x = 0; x < c->width; ++x) {
            out[k++] = (uint8_t)PPM_GETR(c->pixels[y][x]);
            out[k++] = (uint8_t)PPM_GETG(c->pixels[y][x]);
            out[k++] = (uint8_t)PPM_GETB(c->pixels[y][x]);
        }
}

void km_canvas_blit(km_canvas *c, int x0, int y0, int w, int h, const uint8_t *rgb) {
    for (int y = 0; y < h; ++y) {
        if (y0 + y < 0 || y0 + y >= c->height) continue;
        for (int x = 0; x < w; ++x) {
            if (x0 + x < 0 || x0 + x >= c->width) continue;
            const uint8_t *p = rgb + 3 * ((size_t)y * w + x);
            PPM_ASSIGN(c->pixels[y0 + y][x0 + x], p[0], p[1], p[2]);
        }
    }
}
