/* target.h: `KIND:ID` targets, parsed and resolved one way for --avoid, --via, places and scenario
 * edits. */
#ifndef CORRIDOR_TARGET_H
#define CORRIDOR_TARGET_H

#include "internal.h"
#include "schema.h"

/*
 * The rule (docs/model-format.md, "Targets"):
 * - A target is KIND:ID or a bare ID. KIND is one of node, edge, country,
 *   corridor, mode, kind, written in lower case.
 * - node: the node with that id; else the one node whose id or name equals
 *   ID ignoring ASCII case (several: ambiguous, give the id).
 *   edge, corridor: that id; else the one whose id equals ID ignoring case.
 *   country: that code, ignoring case. mode, kind: a name of the vocabulary.
 * - A bare ID is tried as each kind the context allows bare (never kind:,
 *   whose values are common words) and must match exactly one of them. A
 *   scenario file always writes the KIND: its values are checked before any
 *   model is at hand.
 */

typedef enum cor_tkind {
    COR_T_NODE,
    COR_T_EDGE,
    COR_T_COUNTRY,
    COR_T_CORRIDOR,
    COR_T_MODE,
    COR_T_KIND,
    COR_T_COUNT
} cor_tkind;

extern const cor_vocab corridor__target_kinds;

/** A parsed target; `id` points into the parsed text. */
typedef struct cor_target {
    int kind;       /* cor_tkind, or -1 for a bare id */
    const char *id; /* the ID part */
    int value;      /* mode: or kind: the vocabulary index */
} cor_target;

/** 1 if a target of this kind selects edges, 0 if nodes. */
int corridor__target_edges(cor_tkind kind);

/**
 * Parses "KIND:ID" or (require_kind 0) a bare "ID" into *t. On a problem,
 * returns -1 with the message (no file or path) in msg.
 */
int corridor__target_parse(cor_target *t, const char *text, int require_kind, cor_buf *msg);

/** Where a target is resolved, and how strictly. */
typedef struct cor_target_ctx {
    unsigned bare;     /* bit per cor_tkind a bare id is tried as */
    const char *noun;  /* a bare id in messages: "place", "avoid target" */
    const char *model; /* " in model \"NAME\"" is added to messages if set */
    int need_some;     /* selecting no element is an error */
} cor_target_ctx;

/**
 * Marks in nsel / esel (arrays of n_nodes / n_edges flags) the elements t
 * selects in m; *kind_out (may be NULL) gets the kind it resolved as.
 * Returns the number selected, or -1 with the message in msg (unknown,
 * ambiguous, or nothing selected where c->need_some). O(|nodes| + |edges|).
 */
long corridor__target_select(unsigned char *nsel, unsigned char *esel, int *kind_out,
                             const corridor_model *m, const cor_target *t, const cor_target_ctx *c,
                             cor_buf *msg);

#endif
