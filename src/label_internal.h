/* label_internal.h: name placement for maps (label.c) and text measuring (render.c). */
#ifndef CORRIDOR_LABEL_INTERNAL_H
#define CORRIDOR_LABEL_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/* A label of this priority or above is always tried, whatever the cap. */
#define LABEL_KEEP 100
/* Below this priority a label stays within 14 pt of its anchor (short leader) or is dropped. */
#define LABEL_LEADER 50

/** A name to place beside an anchor (page points, y up). */
typedef struct cor_label {
    double x, y;  /* anchor */
    double r;     /* half the anchor symbol's size */
    double w, h;  /* the text's box */
    int priority; /* higher is placed first; >= LABEL_KEEP ignores the cap */
    int centred;  /* first try the box centred on the anchor, and stay near (country names) */
    double cross; /* cost of crossing a line, in points of distance (0: 12) */
    /* results */
    int placed;
    double cx, cy; /* centre of the placed box */
    double gap;    /* distance from the symbol; > 4 wants a leader line */
} cor_label;

/**
 * Places labels inside `frame` (x0, y0, x1, y1) so that no two placed labels
 * overlap and none covers one of the `nobst` obstacle boxes (x0, y0, x1, y1
 * each); crossings of the `nseg` segments (x0, y0, x1, y1 each) are avoided
 * where possible. At most `cap` labels below LABEL_KEEP are tried. Sets
 * placed, cx, cy, gap of each label and *dropped to the number not placed.
 * See label.c for the method. Time: O(n log n + nobst + nseg + cap * cell load).
 */
int corridor__labels_place(size_t *dropped, cor_label *labels, size_t n, const double *obst,
                           size_t nobst, const double *seg, size_t nseg, const double frame[4],
                           size_t cap);

#endif
