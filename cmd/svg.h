/* svg.h — charts written directly as SVG (simple geometry, no layout
 * engine): horizontal grouped bars and a heat map with labels. */
#ifndef QDA_SVG_H
#define QDA_SVG_H

#include <stdio.h>

/* rows x series values; labels per row and per series; value_label per bar
 * ("5/6") may be NULL. max: the axis maximum (0: the largest value). */
void svg_bars(FILE *fp, const char *title, const char *unit, size_t rows, const char *const *row_labels,
              size_t series, const char *const *series_labels, const double *values,
              const char *const *value_labels, double max);
/* n x n matrix of values shaded from white to the darkest at max; cells show
 * text (may be NULL for empty). */
void svg_heatmap(FILE *fp, const char *title, size_t n, const char *const *labels, const double *values,
                 const char *const *texts);

/* A curve over n positions (labels below, rotated): bars (e.g. new codes)
 * and a line (e.g. the cumulative count) on one axis from 0; the first
 * shade positions shaded (a base), the position mark (-1: none) marked with
 * a dashed line; note, a sentence under the chart (may be NULL). */
void svg_curve(FILE *fp, const char *title, size_t n, const char *const *labels, const double *bars,
               const double *line, long mark, long shade, const char *note);

#endif
