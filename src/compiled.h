/* compiled.h: the compiled model's file layout, shared by its writer, its reader and the fuzzer. */
#ifndef CORRIDOR_COMPILED_H
#define CORRIDOR_COMPILED_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* The first 8 bytes (PNG style: a high byte, CR LF and ^Z catch text-mode damage). */
#define COR_CMP_MAGIC                                                                              \
    "\x89"                                                                                         \
    "COR\r\n\x1a\n"
#define COR_CMP_MAGIC_LEN 8
/* Bump on any change of the layout below or of what a section holds. */
#define COR_CMP_VERSION 3
#define COR_CMP_ENDIAN  0x01020304u
/*
 * Where a compiled model asks to be mapped: the records' pointers are written
 * for this address, so that a file mapped there is used as it lies, with no
 * page written (and shared between processes); anywhere else they are
 * relocated. Above the heap, the sanitizers' regions and PIE executables,
 * below the usual mmap area of x86-64 and 64-bit ARM Linux.
 */
#define COR_CMP_BASE 0x6c0000000000ULL

/** Section ids, in file order. */
enum {
    COR_SEC_STR = 1, /* string pool: NUL-terminated UTF-8; byte 0 is a NUL (offset 0 = NULL) */
    COR_SEC_TOP,     /* one cor_cmp_top */
    COR_SEC_COUNTRY, /* n_countries cor_country, pointers as offsets */
    COR_SEC_CORRIDOR,
    COR_SEC_NODE,
    COR_SEC_EDGE,
    COR_SEC_REFS, /* size_t pool of the edges' corridor lists; entry 0 unused */
    COR_SEC_GEOM, /* double pool of the edges' geometries; the first pair unused */
    COR_SEC_WARN, /* n_warnings uint64_t string offsets */
    /* the id tables: uint64_t cap, then cap slots (the element's index, or UINT64_MAX if
       empty), as util.c's cor_map lays them out (corridor__map_hash, linear probing) */
    COR_SEC_IDX_COUNTRY,
    COR_SEC_IDX_CORRIDOR,
    COR_SEC_IDX_NODE,
    COR_SEC_IDX_EDGE,
    COR_SEC_NET,  /* the routing network of the default filter (compiled_net.c); may be empty */
    COR_SEC_COUNT /* one past the last id */
};

/** The fixed header at offset 0. All integers in the writer's byte order. */
typedef struct cor_cmp_header {
    unsigned char magic[8];
    uint32_t version;    /* COR_CMP_VERSION */
    uint32_t endian;     /* COR_CMP_ENDIAN as written: tells the byte order */
    uint32_t word;       /* sizeof(size_t) and of a pointer */
    uint32_t layout;     /* hash of the element layouts (struct sizes, schema rows) */
    uint64_t file_len;   /* the whole file */
    uint64_t checksum;   /* corridor__cmp_checksum of bytes [sizeof header, file_len) */
    uint64_t model_hash; /* FNV-1a 64 of the model's canonical JSON */
    uint64_t base;       /* the address the records' pointers assume the file is mapped at */
    uint32_t n_sections;
    uint32_t reserved;
} cor_cmp_header;

/** One entry of the section table that follows the header. */
typedef struct cor_cmp_section {
    uint32_t id, reserved;
    uint64_t off, len; /* off is a multiple of 8 */
} cor_cmp_section;

/** The top-level section: the model's own fields. Strings are pool offsets (0 = NULL). */
typedef struct cor_cmp_top {
    uint64_t name, description, origin, units[COR_NCOM];
    uint64_t n_countries, n_corridors, n_nodes, n_edges, n_warnings;
    uint32_t defaults_given, reserved;
    cor_defaults defaults[COR_NMODE];
} cor_cmp_top;

/** Checksum blocks: each is hashed apart (so either thread of a load can take any). */
#define COR_CMP_BLOCK ((size_t)1 << 20)

/**
 * The checksum of n bytes: each COR_CMP_BLOCK-byte block hashed by a 16-lane
 * 64-bit multiply-rotate hash (memory speed), the blocks' hashes then folded.
 */
uint64_t corridor__cmp_checksum(const unsigned char *p, size_t n);

/** One block's hash (n <= COR_CMP_BLOCK); simd 0: plain C, else AVX-512 where the CPU has it. */
uint64_t corridor__cmp_block_sum(const unsigned char *p, size_t n, int simd);

/** The head of section COR_SEC_NET; the arrays of the NA_ list follow, each 8-byte aligned. */
typedef struct cor_cmp_net {
    uint64_t n_nodes, n_edges, n_arcs, n_classes;
    uint64_t complete; /* bit k: every edge of the network has a value for metric k */
    uint64_t reserved;
} cor_cmp_net;

enum {
    NA_MODE,      /* int32 [classes] */
    NA_GAUGE,     /* int32 [classes] */
    NA_NODE_OK,   /* uint8 [nodes] */
    NA_EDGE_OK,   /* uint8 [edges] */
    NA_EDGE,      /* uint32 [arcs] */
    NA_FROM,      /* uint32 [arcs] */
    NA_TO,        /* uint32 [arcs] */
    NA_CLASS,     /* uint32 [arcs] */
    NA_REVERSED,  /* uint8 [arcs] */
    NA_OUT_START, /* uint64 [nodes + 1] */
    NA_OUT,       /* uint32 [arcs] */
    NA_IN_START,  /* uint64 [nodes + 1] */
    NA_IN,        /* uint32 [arcs] */
    NA_METRIC,    /* double [COR_NMET * edges]: metric k of edge e at k * edges + e */
    NA_DWELL,     /* double [COR_NMET * nodes]: the node's dwell by metric k at k * nodes + v */
    NA_TRANSFER,  /* double [COR_NMET * nodes]: its transfer, likewise */
    NA_ECARD,     /* cor_cmp_ecard [edges] */
    NA_NCARD,     /* cor_cmp_ncard [nodes] */
    NA_COUNT
};

/** What is wrong with a damaged stored network (%s: the problem), after "FILE: ". */
#define COR_NET_DAMAGED                                                                            \
    "compiled model: the stored routing network is damaged (%s); compile the model again "         \
    "(corridor compile MODEL -o FILE)"

/**
 * What is wrong with the stored network of compiled model m ("an arc out of
 * range", ...), or NULL if nothing or none is stored. Reads all of it.
 */
const char *corridor__cmp_net_problem(const corridor_model *m);

/** The arrays' offsets in section COR_SEC_NET with head h, and the section's length. */
uint64_t corridor__cmp_net_layout(const cor_cmp_net *h, uint64_t off[NA_COUNT]);

/**
 * Appends to `out` the routing network of `m` under the default filter
 * (CORRIDOR_FILTER_INIT: operational, freight): both CSR directions, the
 * arcs and the selection, as cor_network_build makes them, the metrics and
 * penalties, and the cards from the encoded node and edge sections (pool
 * offsets; the pools str_len and refs_len bytes long). Nothing is appended
 * for a model whose network or pools do not fit 32-bit indices.
 * CORRIDOR_ENOMEM only. (compiled_net.c)
 */
int corridor__cmp_net_write(cor_buf *out, const corridor_model *m, const cor_buf *nodes,
                            const cor_buf *edges, size_t str_len, size_t refs_len);

/** The hash of the element layouts this build reads and writes. */
uint32_t corridor__cmp_layout(void);

/**
 * Loads a compiled model from `len` bytes at `buf` (8-byte aligned, writable:
 * pointers are relocated in place). The model takes `buf`: it munmaps it
 * (mapped != 0) or frees it when freed, and on failure too. `name` names the
 * file in messages. CORRIDOR_EINVALID (with a diagnostic) for a damaged,
 * foreign or newer file.
 */
int corridor__cmp_load(corridor_model **out, void *buf, size_t len, int mapped, const char *name,
                       corridor_diags *diags);

/**
 * Opens `path` as a compiled model if it is a regular file that starts with
 * the magic number (*is_compiled = 1; the result is corridor__cmp_load's);
 * otherwise *is_compiled = 0 and 0: read it as JSON.
 */
int corridor__cmp_open(corridor_model **out, const char *path, int *is_compiled,
                       corridor_diags *diags);

/** Unmaps (mapped) or frees a compiled model's buffer. */
void corridor__cmp_release(void *buf, size_t len, int mapped);

/** Writes a correct checksum into a buffer holding a header (the fuzzer's help). */
void corridor__cmp_fix_checksum(void *buf, size_t len);

/** The model's canonical JSON (export.c), for its hash. Caller frees *out. ENOMEM. */
int corridor__model_canonical(char **out, size_t *len, const corridor_model *m);

#endif
