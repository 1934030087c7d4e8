/* render_internal.h: the styled diagram graph shared by render.c (drawing) and export.c (DOT). */
#ifndef CORRIDOR_RENDER_INTERNAL_H
#define CORRIDOR_RENDER_INTERNAL_H

#include <cgraph.h>

#include "internal.h"

/**
 * Builds the styled diagram of `model` (filter, layout, highlighted routes and
 * title from `opts`) as a cgraph graph with every drawing attribute set, and
 * names the gvc layout engine that lays it out ("nop2" when every node has a
 * pinned position in points, as on maps; "dot" otherwise).
 * `info` (may be NULL) receives the number of names dropped. The caller closes *out with
 * agclose. CORRIDOR_EINVALID for a bad filter or a route that is not in the
 * model. Time complexity: O(|V| + |E| + route length).
 */
int corridor__diagram_build(Agraph_t **out, const char **engine, corridor_render_info *info,
                            const corridor_model *model, const corridor_render_opts *opts);

/**
 * Graphviz reports problems through a process-wide callback; between begin and
 * end they are kept (not printed) and corridor__gv_message() returns them.
 * Graphviz itself is not thread-safe: render from one thread at a time.
 */
void corridor__gv_begin(void);
void corridor__gv_end(void);
/** The messages Graphviz gave since corridor__gv_begin ("" if none), on one line. */
const char *corridor__gv_message(void);

/**
 * Wraps an SVG map (Graphviz's output for the diagram of `model`) in one
 * self-contained HTML page with pan, zoom, tooltips, layer toggles and the
 * route options of opts->highlight; appended to *out. Time: O(|V| + |E| + svg).
 */
int corridor__html_page(cor_buf *out, const char *svg, size_t len, const corridor_model *model,
                        const corridor_render_opts *opts);

#endif
