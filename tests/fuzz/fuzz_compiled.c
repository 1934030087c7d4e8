/* fuzz_compiled.c: libFuzzer harness: the compiled-model reader (src/compiled.c), then queries. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiled.h"
#include "corridor.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The seeds are compiled models, whose bytes depend on this build's element
 * layout, so they are made here rather than checked in: before the run, the
 * built-in model and every model seed of fuzz_model (tests/fuzz/corpus/model,
 * valid ones) are compiled into the first corpus folder on the command line.
 * Inputs that once found something are checked in under
 * tests/fuzz/corpus/compiled/ as usual.
 */
static void seed_one(corridor_model *m, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%s.corridor", dir, name);
    (void)corridor_model_compile(m, path);
    corridor_model_free(m);
}

static void seed(const char *dir)
{
    corridor_model *m = NULL;
    if (corridor_model_load_builtin(&m, "caspian", NULL) == 0)
        seed_one(m, dir, "caspian");
    DIR *d = opendir(CORRIDOR_SRCDIR "/tests/fuzz/corpus/model");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/tests/fuzz/corpus/model/%s", CORRIDOR_SRCDIR, e->d_name);
        if (corridor_model_load_file(&m, path, NULL) == 0)
            seed_one(m, dir, e->d_name);
    }
    if (d)
        closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct stat st;
    for (int i = 1; i < *argc; i++)
        if ((*argv)[i][0] != '-' && stat((*argv)[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            seed((*argv)[i]);
            break;
        }
    return 0;
}

/* A few queries between the first and the last node. */
static void queries(const corridor_model *m)
{
    char *json = NULL;
    corridor_info *info = NULL;
    if (corridor_model_info(&info, m) == 0 && corridor_info_json(&json, info) == 0)
        corridor_free(json);
    corridor_info_free(info);
    if (corridor_model_node_count(m) < 2 || corridor_model_node_count(m) > 2000)
        return;
    const char *from = m->nodes[0].id, *to = m->nodes[m->n_nodes - 1].id;
    corridor_routes *r = NULL;
    corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
    ro.k = 3;
    if (corridor_route_find(&r, m, from, to, &ro) == 0 && corridor_routes_json(&json, r) == 0)
        corridor_free(json);
    corridor_routes_free(r);
    corridor_flow *f = NULL;
    corridor_flow_opts fo = CORRIDOR_FLOW_OPTS_INIT;
    if (corridor_flow_max(&f, m, from, to, &fo) == 0 && corridor_flow_json(&json, f) == 0)
        corridor_free(json);
    corridor_flow_free(f);
    /* the matrix reads every metric of the stored network, by cost here */
    const char *places[2] = {from, to};
    corridor_matrix *mx = NULL;
    corridor_matrix_opts mo = CORRIDOR_MATRIX_OPTS_INIT;
    mo.by = CORRIDOR_BY_COST;
    if (corridor_matrix_compute(&mx, m, places, 2, places, 2, &mo) == 0 &&
        corridor_matrix_row_json(&json, mx, 0) == 0)
        corridor_free(json);
    corridor_matrix_free(mx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    corridor_diags *d = NULL;
    corridor_model *m = NULL;
    cor_cmp_header h;
    if (size < COR_CMP_MAGIC_LEN || corridor_diags_new(&d) < 0)
        return 0;
    char *buf = malloc(size);
    if (!buf) {
        corridor_diags_free(d);
        return 0;
    }
    memcpy(buf, data, size);
    /* past the checks a mutation rarely passes: the magic, length, layout and checksum */
    memcpy(buf, COR_CMP_MAGIC, COR_CMP_MAGIC_LEN);
    if (size >= sizeof h) {
        memcpy(&h, buf, sizeof h);
        h.file_len = size;
        h.layout = corridor__cmp_layout();
        memcpy(buf, &h, sizeof h);
        corridor__cmp_fix_checksum(buf, size);
    }
    if (corridor_model_load_string(&m, buf, size, "fuzz.corridor", d) == 0) {
        for (size_t i = 0; i < corridor_diags_count(d); i++)
            (void)corridor_diags_line(d, i);
        queries(m);
        /* validate: every stored value and card against its record */
        corridor_validation v;
        (void)corridor_validate_string(&v, buf, size, "fuzz.corridor", NULL, NULL);
        corridor_validation_clear(&v);
    } else if (corridor_diags_errors(d) == 0 && !*corridor_error_message()) {
        abort(); /* a failure must say why */
    }
    corridor_model_free(m);
    corridor_diags_free(d);
    free(buf);
    return 0;
}
