/* map.h — the thematic map through Graphviz, for qda map and qda report. */
#ifndef QDA_MAP_H
#define QDA_MAP_H

#include <stdio.h>

struct cli;
struct qda_filter;
/* Render the map of the open project to fp as "svg" or "dot"; edges between
 * nodes of level whose c-coefficient (overlap, counted under the filters f)
 * is at least min_c. Graphviz runs in a child process; fp gets the map
 * whole, or nothing when Graphviz fails or crashes. 0 or an exit status
 * after printing the error. */
int map_render(struct cli *cli, FILE *fp, const char *format, enum qda_level level, double min_c, int codes,
               const struct qda_filter *f);

#endif
