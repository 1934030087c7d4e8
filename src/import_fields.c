/* import_fields.c: what an imported attribute name means, read off the model's field tables. */
#include <stdio.h>
#include <string.h>

#include "export_ogr.h"
#include "import_internal.h"
#include "schema.h"

static imp_type type_of(const cor_field *f, int sub)
{
    switch (f->type) {
    case CF_AMOUNT:
    case CF_COORD:
    case CF_PENALTY:
    case CF_CAPACITY:
        return IMPT_NUMBER;
    case CF_YEAR:
    case CF_INT:
        return IMPT_INT;
    case CF_BOOL:
        return IMPT_BOOL;
    case CF_REFLIST:
    case CF_LIST:
    case CF_DERIVED:
        return IMPT_LIST;
    case CF_ATTRS:
        return IMPT_ATTRS;
    default:
        (void)sub;
        return IMPT_STRING;
    }
}

/* The sub-key name of a penalty (by metric) or capacity (by commodity) column. */
static const char *sub_name(const cor_field *f, int sub)
{
    if (f->type == CF_PENALTY) {
        for (int k = 0; k < 3; k++)
            if ((int)corridor__penalty_metrics[k] == sub)
                return corridor__penalty_keys[k];
        return NULL;
    }
    if (f->type == CF_CAPACITY && sub >= 0 && sub < corridor__commodities.n)
        return corridor__commodities.names[sub];
    return NULL;
}

static int fill(imp_target *t, const cor_field *f, const char *sub)
{
    if (f->type == CF_DERIVED) {
        /* the metrics an export derived stay as written: the source may have no defaults */
        t->ignore = 1;
        return 0;
    }
    if (!f->key || f->type == CF_GEOMETRY || f->type == CF_HEADER || f->type == CF_SECTION)
        return -1;
    if (f->type == CF_PENALTY && !sub)
        return -1; /* an object: only its parts are flat values */
    snprintf(t->key, sizeof t->key, "%s", f->key);
    snprintf(t->sub, sizeof t->sub, "%s", sub ? sub : "");
    t->type = type_of(f, sub != NULL);
    return 0;
}

int corridor__imp_target(imp_target *t, int is_edge, const char *name)
{
    cor_elem kind = is_edge ? COR_EDGE : COR_NODE;
    cor_column cols[96];
    memset(t, 0, sizeof *t);
    /* our own GeoJSON's presentation properties */
    if (!strcmp(name, "element") || !strcmp(name, "stroke") || !strcmp(name, "marker-color")) {
        t->ignore = 1;
        return 0;
    }
    const char *dot = strchr(name, '.');
    if (dot) { /* "capacity.freight" */
        char key[40];
        snprintf(key, sizeof key, "%.*s", (int)(dot - name), name);
        const cor_field *f = corridor__field(kind, key);
        if (!f || (f->type != CF_PENALTY && f->type != CF_CAPACITY))
            return -1;
        size_t n = corridor__columns(cols, sizeof cols / sizeof cols[0], kind);
        for (size_t i = 0; i < n; i++)
            if (cols[i].f == f && cols[i].sub >= 0 && sub_name(f, cols[i].sub) &&
                !strcmp(sub_name(f, cols[i].sub), dot + 1))
                return fill(t, f, dot + 1);
        return -1;
    }
    const cor_field *f = corridor__field(kind, name);
    if (f)
        return fill(t, f, NULL);
    /* a flat export column, or its Shapefile short name */
    const char *col = corridor__column_long_name(name);
    size_t n = corridor__columns(cols, sizeof cols / sizeof cols[0], kind);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cols[i].name, col ? col : name))
            return fill(t, cols[i].f, cols[i].sub >= 0 ? sub_name(cols[i].f, cols[i].sub) : NULL);
    return -1;
}
