/* html.c: the interactive HTML map: the SVG map in one self-contained page. */
#include "render_internal.h"

int corridor__html_page(cor_buf *out, const char *svg, size_t len, const corridor_model *model,
                        const corridor_render_opts *opts)
{
    (void)model;
    (void)opts;
    corridor__buf_add(out, svg, len);
    return out->failed ? corridor__oom() : 0;
}
