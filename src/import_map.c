/* import_map.c: mapping files for `corridor import`: attribute names and values to model fields. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import_internal.h"

/* One target field: where its value comes from. */
typedef struct imp_spec {
    const char *key;    /* model field ("mode", "capacity.freight") */
    const cJSON *value; /* constant, or NULL */
    const char **from;  /* attributes tried in order */
    size_t n_from;
    const cJSON *values; /* value map, or NULL */
    const cJSON *dflt;   /* default when unset or unmapped, or NULL */
    double factor;       /* multiply numbers (1 = none) */
    const char *prefix;  /* prepended to strings */
    char *path;          /* "edges.fields.mode", for messages (owned) */
} imp_spec;

typedef struct imp_side {
    imp_spec *specs;
    size_t n_specs;
    const cJSON *layers; /* array of names, or NULL */
    const cJSON *where;  /* object (all must hold) or array of objects (any), or NULL */
    int by_name;         /* attributes named like model fields map to them */
} imp_side;

struct imp_mapping {
    cJSON *doc; /* the mapping file, or NULL for the default */
    char *file; /* its path, for messages */
    char *osmconf;
    int merge_chains;
    int keep_attrs;
    imp_side side[2]; /* nodes, edges */
    size_t dropped;
    char *dropped_example;
};

/* ------------------------------------------------------------- data files */

int corridor__imp_is_dir_source(const char *path)
{
    (void)path; /* GDAL reads a folder of Shapefiles as one source; it says if it cannot */
    return 1;
}

/* ---------------------------------------------------------------- loading */

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int is_osm_source(const char *path)
{
    return has_suffix(path, ".osm") || has_suffix(path, ".osm.pbf") || has_suffix(path, ".pbf");
}

static void side_free(imp_side *s)
{
    for (size_t i = 0; i < s->n_specs; i++) {
        free(s->specs[i].from);
        free(s->specs[i].path);
    }
    free(s->specs);
}

void corridor__imp_map_free(imp_mapping *m)
{
    if (!m)
        return;
    side_free(&m->side[0]);
    side_free(&m->side[1]);
    cJSON_Delete(m->doc);
    free(m->file);
    free(m->osmconf);
    free(m->dropped_example);
    free(m);
}

static int spec_read(imp_spec *sp, const char *key, const cJSON *v, char *path, const char *file,
                     corridor_diags *d)
{
    sp->key = key;
    sp->path = path; /* owned from here on, even on error */
    sp->factor = 1;
    if (!cJSON_IsObject(v)) {
        sp->value = v; /* a bare value is a constant */
        return 0;
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, v)
    {
        if (strcmp(x->string, "from") && strcmp(x->string, "value") &&
            strcmp(x->string, "values") && strcmp(x->string, "default") &&
            strcmp(x->string, "factor") && strcmp(x->string, "prefix")) {
            corridor__diag(d, 0, file, path,
                           "unknown key \"%s\"; expected one of: from, value, values, default, "
                           "factor, prefix",
                           x->string);
            return CORRIDOR_EINVALID;
        }
    }
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(v, "from");
    sp->value = cJSON_GetObjectItemCaseSensitive(v, "value");
    sp->values = cJSON_GetObjectItemCaseSensitive(v, "values");
    sp->dflt = cJSON_GetObjectItemCaseSensitive(v, "default");
    const cJSON *factor = cJSON_GetObjectItemCaseSensitive(v, "factor");
    const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(v, "prefix");
    if (!!sp->value == !!from) {
        corridor__diag(d, 0, file, path, "give either \"from\" (an attribute) or \"value\"");
        return CORRIDOR_EINVALID;
    }
    if (sp->values && !cJSON_IsObject(sp->values)) {
        corridor__diag(d, 0, file, path, "\"values\" must be an object of attribute values");
        return CORRIDOR_EINVALID;
    }
    if (factor && (!cJSON_IsNumber(factor) || !isfinite(factor->valuedouble) ||
                   factor->valuedouble <= 0 || factor->valuedouble > 1e9)) {
        corridor__diag(d, 0, file, path, "\"factor\" must be a number > 0 and <= 1e9");
        return CORRIDOR_EINVALID;
    }
    if (factor)
        sp->factor = factor->valuedouble;
    if (prefix && !cJSON_IsString(prefix)) {
        corridor__diag(d, 0, file, path, "\"prefix\" must be a string");
        return CORRIDOR_EINVALID;
    }
    sp->prefix = prefix ? prefix->valuestring : NULL;
    if (from) {
        size_t n = cJSON_IsArray(from) ? (size_t)cJSON_GetArraySize(from) : 1;
        sp->from = calloc(n ? n : 1, sizeof *sp->from);
        if (!sp->from)
            return corridor__oom();
        if (cJSON_IsString(from)) {
            sp->from[sp->n_from++] = from->valuestring;
        } else if (cJSON_IsArray(from) && n > 0) {
            cJSON_ArrayForEach(x, from)
            {
                if (!cJSON_IsString(x)) {
                    corridor__diag(d, 0, file, path, "\"from\" lists attribute names (strings)");
                    return CORRIDOR_EINVALID;
                }
                sp->from[sp->n_from++] = x->valuestring;
            }
        } else {
            corridor__diag(d, 0, file, path,
                           "\"from\" must be an attribute name or a list of them");
            return CORRIDOR_EINVALID;
        }
    }
    return 0;
}

static int where_check(const cJSON *w, const char *path, const char *file, corridor_diags *d)
{
    const cJSON *x, *y;
    if (cJSON_IsArray(w)) {
        cJSON_ArrayForEach(x, w) if (where_check(x, path, file, d) < 0) return CORRIDOR_EINVALID;
        return 0;
    }
    if (!cJSON_IsObject(w)) {
        corridor__diag(d, 0, file, path,
                       "\"where\" must be an object {\"ATTR\": [values]} or a list of them");
        return CORRIDOR_EINVALID;
    }
    cJSON_ArrayForEach(x, w)
    {
        if (!cJSON_IsArray(x)) {
            corridor__diag(d, 0, file, path, "\"%s\": expected a list of values", x->string);
            return CORRIDOR_EINVALID;
        }
        cJSON_ArrayForEach(y, x) if (!cJSON_IsString(y) && !cJSON_IsNull(y))
        {
            corridor__diag(d, 0, file, path, "\"%s\": values are strings or null", x->string);
            return CORRIDOR_EINVALID;
        }
    }
    return 0;
}

static int side_read(imp_side *s, const cJSON *v, const char *name, const char *file,
                     corridor_diags *d)
{
    s->by_name = 1;
    if (!v)
        return 0;
    if (!cJSON_IsObject(v)) {
        corridor__diag(d, 0, file, name, "expected an object with layers, where, fields");
        return CORRIDOR_EINVALID;
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, v)
    {
        if (strcmp(x->string, "layers") && strcmp(x->string, "where") &&
            strcmp(x->string, "fields") && strcmp(x->string, "by_name")) {
            corridor__diag(d, 0, file, name,
                           "unknown key \"%s\"; expected layers, where, fields, by_name",
                           x->string);
            return CORRIDOR_EINVALID;
        }
    }
    s->layers = cJSON_GetObjectItemCaseSensitive(v, "layers");
    if (s->layers && !cJSON_IsArray(s->layers)) {
        corridor__diag(d, 0, file, name, "\"layers\" must be a list of layer names");
        return CORRIDOR_EINVALID;
    }
    s->where = cJSON_GetObjectItemCaseSensitive(v, "where");
    if (s->where && where_check(s->where, name, file, d) < 0)
        return CORRIDOR_EINVALID;
    const cJSON *bn = cJSON_GetObjectItemCaseSensitive(v, "by_name");
    if (bn)
        s->by_name = cJSON_IsTrue(bn);
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(v, "fields");
    if (!fields)
        return 0;
    if (!cJSON_IsObject(fields)) {
        corridor__diag(d, 0, file, name, "\"fields\" must be an object of model fields");
        return CORRIDOR_EINVALID;
    }
    size_t n = (size_t)cJSON_GetArraySize(fields);
    s->specs = calloc(n ? n : 1, sizeof *s->specs);
    if (!s->specs)
        return corridor__oom();
    int err = 0;
    cJSON_ArrayForEach(x, fields)
    {
        char *path = corridor__asprintf("%s.fields.%s", name, x->string);
        imp_target t;
        if (!path)
            return corridor__oom();
        if (corridor__imp_target(&t, strcmp(name, "edges") == 0, x->string) != 0 || t.ignore) {
            corridor__diag(d, 0, file, path, "\"%s\" is not a field of %s in the model format",
                           x->string, name);
            free(path);
            err = CORRIDOR_EINVALID;
            continue;
        }
        int e = spec_read(&s->specs[s->n_specs++], x->string, x, path, file, d);
        if (e < 0)
            err = e;
    }
    return err;
}

static int read_file_json(cJSON **out, const char *path, corridor_diags *d)
{
    char *text = NULL;
    size_t len = 0;
    int err = corridor__read_file(&text, &len, path);
    *out = NULL;
    if (err < 0)
        return err;
    const char *end = NULL;
    *out = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!*out) {
        size_t line, col;
        corridor__line_col(text, end ? (size_t)(end - text) : 0, &line, &col);
        corridor__diag(d, 0, path, NULL, "invalid JSON at line %zu, column %zu", line, col);
        free(text);
        return CORRIDOR_EINVALID;
    }
    free(text);
    return 0;
}

/* Resolves --map: a file, or a shipped mapping's name. */
static int map_path(char **out, const char *arg)
{
    struct stat sb;
    if (stat(arg, &sb) == 0 || strchr(arg, '/') || has_suffix(arg, ".json")) {
        *out = corridor__strdup(arg);
        return *out ? 0 : corridor__oom();
    }
    char *rel = corridor__asprintf("graphs/import/%s.json", arg);
    if (!rel)
        return corridor__oom();
    int err = corridor_data_path(out, rel); /* freed by the caller with free: same allocator */
    free(rel);
    if (err < 0)
        return corridor__error(CORRIDOR_EIO,
                               "--map %s: no such file, and no shipped mapping "
                               "of that name (try osm-rail or osm-energy)",
                               arg);
    return 0;
}

static int map_top(imp_mapping *m, corridor_diags *d)
{
    const cJSON *x, *doc = m->doc;
    static const char *const keys[] = {"format", "version",  "name",    "description",
                                       "units",  "defaults", "osmconf", "merge_chains",
                                       "attrs",  "nodes",    "edges",   NULL};
    if (!cJSON_IsObject(doc)) {
        corridor__diag(d, 0, m->file, NULL, "a mapping is a JSON object");
        return CORRIDOR_EINVALID;
    }
    x = cJSON_GetObjectItemCaseSensitive(doc, "format");
    if (!cJSON_IsString(x) || strcmp(x->valuestring, "corridor-import-map") != 0) {
        corridor__diag(d, 0, m->file, "format", "expected \"corridor-import-map\"");
        return CORRIDOR_EINVALID;
    }
    x = cJSON_GetObjectItemCaseSensitive(doc, "version");
    if (!cJSON_IsNumber(x) || x->valuedouble != 1) {
        corridor__diag(d, 0, m->file, "version", "expected 1 (the only mapping version)");
        return CORRIDOR_EINVALID;
    }
    cJSON_ArrayForEach(x, doc)
    {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], x->string))
            k++;
        if (!keys[k]) {
            corridor__diag(d, 0, m->file, x->string,
                           "unknown key; expected one of: format, version, name, description, "
                           "units, defaults, osmconf, merge_chains, attrs, nodes, edges");
            return CORRIDOR_EINVALID;
        }
    }
    x = cJSON_GetObjectItemCaseSensitive(doc, "attrs");
    if (x && (!cJSON_IsString(x) ||
              (strcmp(x->valuestring, "keep") && strcmp(x->valuestring, "drop")))) {
        corridor__diag(d, 0, m->file, "attrs", "expected \"keep\" or \"drop\"");
        return CORRIDOR_EINVALID;
    }
    if (x)
        m->keep_attrs = strcmp(x->valuestring, "keep") == 0;
    x = cJSON_GetObjectItemCaseSensitive(doc, "merge_chains");
    if (x && !cJSON_IsBool(x)) {
        corridor__diag(d, 0, m->file, "merge_chains", "expected true or false");
        return CORRIDOR_EINVALID;
    }
    if (x)
        m->merge_chains = cJSON_IsTrue(x);
    x = cJSON_GetObjectItemCaseSensitive(doc, "osmconf");
    if (x) {
        if (!cJSON_IsString(x)) {
            corridor__diag(d, 0, m->file, "osmconf", "expected a file name");
            return CORRIDOR_EINVALID;
        }
        /* relative to the mapping file */
        const char *slash = strrchr(m->file, '/');
        m->osmconf =
            x->valuestring[0] == '/' || !slash
                ? corridor__strdup(x->valuestring)
                : corridor__asprintf("%.*s/%s", (int)(slash - m->file), m->file, x->valuestring);
        if (!m->osmconf)
            return corridor__oom();
    }
    return 0;
}

int corridor__imp_map_load(imp_mapping **out, const char *path, const char *first_source,
                           corridor_diags *d)
{
    COR_GIS_NEEDED();
    imp_mapping *m = calloc(1, sizeof *m);
    int err = 0;
    *out = NULL;
    if (!m)
        return corridor__oom();
    m->keep_attrs = 1;
    m->side[0].by_name = m->side[1].by_name = 1;
    if (!path && is_osm_source(first_source))
        path = "osm-rail";
    if (path) {
        if ((err = map_path(&m->file, path)) < 0 ||
            (err = read_file_json(&m->doc, m->file, d)) < 0 || (err = map_top(m, d)) < 0)
            goto done;
        int e0 = side_read(&m->side[0], cJSON_GetObjectItemCaseSensitive(m->doc, "nodes"), "nodes",
                           m->file, d);
        int e1 = side_read(&m->side[1], cJSON_GetObjectItemCaseSensitive(m->doc, "edges"), "edges",
                           m->file, d);
        err = e0 < 0 ? e0 : e1;
    }
done:
    if (err < 0) {
        corridor__imp_map_free(m);
        return err;
    }
    *out = m;
    return 0;
}

/* ------------------------------------------------------------ attributes */

static int layer_listed(const cJSON *layers, const char *layer)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, layers) if (cJSON_IsString(x) && !strcmp(x->valuestring, layer)) return 1;
    return 0;
}

int corridor__imp_map_names_layer(const imp_mapping *m, const char *layer)
{
    if (!m->side[0].layers && !m->side[1].layers)
        return -1;
    return layer_listed(m->side[0].layers, layer) || layer_listed(m->side[1].layers, layer);
}

/*
 * Whether field i has a value: set, not null, and not empty text (flat
 * formats such as CSV cannot tell an empty value from a missing one).
 */
static int field_has_value(OGRFeatureH f, int i)
{
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
        return 0;
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
    return t != OFTString || OGR_F_GetFieldAsString(f, i)[0] != '\0';
}

/* The attribute's text, or NULL when it has no value. */
static const char *attr_text(OGRFeatureH f, const char *name)
{
    int i = OGR_F_GetFieldIndex(f, name);
    return field_has_value(f, i) ? OGR_F_GetFieldAsString(f, i) : NULL;
}

static int where_holds(const cJSON *w, OGRFeatureH f)
{
    const cJSON *x, *y;
    if (!w)
        return 1;
    if (cJSON_IsArray(w)) {
        cJSON_ArrayForEach(x, w) if (where_holds(x, f)) return 1;
        return 0;
    }
    cJSON_ArrayForEach(x, w)
    {
        const char *v = attr_text(f, x->string);
        int ok = 0;
        cJSON_ArrayForEach(y, x)
        {
            if ((cJSON_IsNull(y) && !v) || (cJSON_IsString(y) && v && !strcmp(y->valuestring, v)))
                ok = 1;
        }
        if (!ok)
            return 0;
    }
    return 1;
}

/* An OGR field value as JSON (number, string or list). */
static cJSON *field_json(OGRFeatureH f, int i)
{
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, i);
    switch (OGR_Fld_GetType(fd)) {
    case OFTInteger:
    case OFTInteger64:
        if (OGR_Fld_GetSubType(fd) == OFSTBoolean)
            return cJSON_CreateBool(OGR_F_GetFieldAsInteger(f, i) != 0);
        return cJSON_CreateNumber((double)OGR_F_GetFieldAsInteger64(f, i));
    case OFTReal:
        return cJSON_CreateNumber(OGR_F_GetFieldAsDouble(f, i));
    case OFTStringList: {
        char **l = OGR_F_GetFieldAsStringList(f, i);
        cJSON *a = cJSON_CreateArray();
        for (size_t k = 0; a && l && l[k]; k++) {
            cJSON *s = cJSON_CreateString(l[k]);
            if (!s || !cJSON_AddItemToArray(a, s)) {
                cJSON_Delete(s);
                cJSON_Delete(a);
                return NULL;
            }
        }
        return a;
    }
    default:
        return cJSON_CreateString(OGR_F_GetFieldAsString(f, i));
    }
}

/* Converts `v` (owned) to the target type; NULL with a message on failure (v freed). */
static cJSON *convert(cJSON *v, imp_type type, double factor, const char *prefix,
                      const char *origin, const char *what, corridor_diags *d)
{
    cJSON *r = NULL;
    char *end;
    if (!v)
        return NULL;
    switch (type) {
    case IMPT_STRING:
        if (cJSON_IsString(v) && !prefix)
            return v;
        if (cJSON_IsString(v) || cJSON_IsNumber(v)) {
            char num[40];
            if (cJSON_IsNumber(v))
                snprintf(num, sizeof num, "%.17g", v->valuedouble);
            char *s = corridor__asprintf("%s%s", prefix ? prefix : "",
                                         cJSON_IsString(v) ? v->valuestring : num);
            r = s ? cJSON_CreateString(s) : NULL;
            free(s);
        }
        break;
    case IMPT_NUMBER:
    case IMPT_INT: {
        double x = NAN;
        if (cJSON_IsNumber(v))
            x = v->valuedouble;
        else if (cJSON_IsString(v)) {
            errno = 0;
            x = strtod(v->valuestring, &end);
            if (end == v->valuestring || *end || errno)
                x = NAN;
        }
        if (isfinite(x))
            x *= factor;
        if (isfinite(x) && (type == IMPT_NUMBER || x == floor(x)))
            r = cJSON_CreateNumber(x);
        break;
    }
    case IMPT_BOOL:
        if (cJSON_IsBool(v))
            return v;
        if (cJSON_IsNumber(v) && (v->valuedouble == 0 || v->valuedouble == 1))
            r = cJSON_CreateBool(v->valuedouble == 1);
        else if (cJSON_IsString(v)) {
            const char *s = v->valuestring;
            if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcmp(s, "1"))
                r = cJSON_CreateTrue();
            else if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcmp(s, "0"))
                r = cJSON_CreateFalse();
        }
        break;
    case IMPT_ATTRS:
        if (cJSON_IsObject(v))
            return v;
        if (cJSON_IsString(v)) /* flat formats carry the attributes as JSON text */
            r = cJSON_Parse(v->valuestring);
        if (r && !cJSON_IsObject(r)) {
            cJSON_Delete(r);
            r = NULL;
        }
        break;
    case IMPT_LIST:
        if (cJSON_IsArray(v))
            return v;
        if (cJSON_IsString(v)) {
            /* lists travel as one string joined with ';' in flat formats */
            r = cJSON_CreateArray();
            const char *s = v->valuestring;
            while (r && *s) {
                const char *e = strchr(s, ';');
                size_t n = e ? (size_t)(e - s) : strlen(s);
                char *item = corridor__strndup(s, n);
                cJSON *it = item ? cJSON_CreateString(item) : NULL;
                free(item);
                if (!it || !cJSON_AddItemToArray(r, it)) {
                    cJSON_Delete(it);
                    cJSON_Delete(r);
                    r = NULL;
                    break;
                }
                s += n + (e ? 1 : 0);
            }
        }
        break;
    }
    if (!r) {
        char *shown = cJSON_PrintUnformatted(v);
        static const char *const tname[] = {"a string",      "a number", "a whole number",
                                            "true or false", "a list",   "a JSON object"};
        corridor__diag(d, 0, origin, what, "expected %s, got %s", tname[type],
                       shown ? shown : "a value of another type");
        free(shown);
    }
    cJSON_Delete(v);
    return r;
}

/* Puts value v (owned) at target t of element obj (nested for sub-fields). */
static int put_value(cJSON *obj, const imp_target *t, cJSON *v)
{
    if (!t->sub[0]) {
        cJSON_DeleteItemFromObjectCaseSensitive(obj, t->key);
        if (!cJSON_AddItemToObject(obj, t->key, v)) {
            cJSON_Delete(v);
            return corridor__oom();
        }
        return 0;
    }
    cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, t->key);
    if (!cJSON_IsObject(o)) {
        cJSON_DeleteItemFromObjectCaseSensitive(obj, t->key);
        if (!(o = cJSON_AddObjectToObject(obj, t->key))) {
            cJSON_Delete(v);
            return corridor__oom();
        }
    }
    cJSON_DeleteItemFromObjectCaseSensitive(o, t->sub);
    if (!cJSON_AddItemToObject(o, t->sub, v)) {
        cJSON_Delete(v);
        return corridor__oom();
    }
    return 0;
}

/* The value of one spec for a feature (NULL when absent); *bad set on a located error. */
static cJSON *spec_value(const imp_spec *sp, const imp_target *t, OGRFeatureH f, const char *origin,
                         corridor_diags *d, int *bad)
{
    if (sp->value)
        return convert(cJSON_Duplicate(sp->value, 1), t->type, 1, NULL, origin, sp->path, d);
    const char *attr = NULL;
    int idx = -1;
    for (size_t k = 0; k < sp->n_from && idx < 0; k++) {
        int i = OGR_F_GetFieldIndex(f, sp->from[k]);
        if (field_has_value(f, i)) {
            idx = i;
            attr = sp->from[k];
        }
    }
    if (idx < 0) {
        if (!sp->dflt)
            return NULL;
        return convert(cJSON_Duplicate(sp->dflt, 1), t->type, 1, NULL, origin, sp->path, d);
    }
    if (sp->values) {
        const char *text = OGR_F_GetFieldAsString(f, idx);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(sp->values, text);
        if (!m) {
            char *both = corridor__asprintf("%s=%s", attr, text);
            m = both ? cJSON_GetObjectItemCaseSensitive(sp->values, both) : NULL;
            free(both);
        }
        if (!m)
            m = sp->dflt;
        if (!m) {
            corridor__diag(d, 0, origin, attr,
                           "value \"%s\" has no entry in the mapping's %s.values; add it (or a "
                           "\"default\")",
                           text, sp->path);
            *bad = 1;
            return NULL;
        }
        return convert(cJSON_Duplicate(m, 1), t->type, 1, NULL, origin, sp->path, d);
    }
    cJSON *v = convert(field_json(f, idx), t->type, sp->factor, sp->prefix, origin, attr, d);
    if (!v)
        *bad = 1;
    return v;
}

static int spec_uses(const imp_side *s, const char *attr)
{
    for (size_t i = 0; i < s->n_specs; i++)
        for (size_t k = 0; k < s->specs[i].n_from; k++)
            if (!strcmp(s->specs[i].from[k], attr))
                return 1;
    return 0;
}

/* Attributes that match model fields by name, and the rest to attrs (or dropped). */
static int map_by_name(cJSON *obj, imp_mapping *m, const imp_side *s, int is_edge, OGRFeatureH f,
                       const char *origin, corridor_diags *d, int *bad)
{
    cJSON *attrs = NULL;
    int err = 0;
    for (int i = 0; i < OGR_F_GetFieldCount(f) && err == 0; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i));
        imp_target t;
        if (!field_has_value(f, i) || spec_uses(s, name))
            continue;
        int known = s->by_name && corridor__imp_target(&t, is_edge, name) == 0;
        if (known && t.ignore)
            continue;
        if (known) {
            if (cJSON_GetObjectItemCaseSensitive(obj, t.key) && !t.sub[0])
                continue; /* a spec already set it */
            cJSON *v = convert(field_json(f, i), t.type, 1, NULL, origin, name, d);
            if (!v) {
                *bad = 1;
                continue;
            }
            err = put_value(obj, &t, v);
            continue;
        }
        if (!m->keep_attrs) {
            if (!m->dropped_example)
                m->dropped_example = corridor__strdup(name);
            m->dropped++;
            continue;
        }
        if (!attrs && !cJSON_IsObject(attrs = cJSON_GetObjectItemCaseSensitive(obj, "attrs")) &&
            !(attrs = cJSON_AddObjectToObject(obj, "attrs")))
            err = corridor__oom();
        cJSON *v = attrs ? field_json(f, i) : NULL;
        if (attrs && (!v || !cJSON_AddItemToObject(attrs, name, v))) {
            cJSON_Delete(v);
            err = corridor__oom();
        }
    }
    return err;
}

int corridor__imp_map_feature(cJSON **out, imp_mapping *m, int is_edge, OGRFeatureH f,
                              const char *layer, const char *origin, corridor_diags *d,
                              corridor_import_summary *sum)
{
    const imp_side *s = &m->side[is_edge];
    cJSON *obj = NULL;
    int bad = 0, err = 0;
    *out = NULL;
    if ((m->side[0].layers || m->side[1].layers) && !layer_listed(s->layers, layer))
        return 0;
    if (!where_holds(s->where, f)) {
        sum->filtered++;
        return 0;
    }
    if (!(obj = cJSON_CreateObject()))
        return corridor__oom();
    for (size_t i = 0; i < s->n_specs && err == 0; i++) {
        imp_target t;
        corridor__imp_target(&t, is_edge, s->specs[i].key);
        cJSON *v = spec_value(&s->specs[i], &t, f, origin, d, &bad);
        if (v)
            err = put_value(obj, &t, v);
    }
    if (err == 0)
        err = map_by_name(obj, m, s, is_edge, f, origin, d, &bad);
    if (err == 0 && bad)
        err = CORRIDOR_EINVALID;
    if (err < 0) {
        cJSON_Delete(obj);
        return err;
    }
    *out = obj;
    return 0;
}

/* ------------------------------------------------------------- sections */

char *corridor__imp_map_model_name(const imp_mapping *m, const char *first_source)
{
    const cJSON *n = m->doc ? cJSON_GetObjectItemCaseSensitive(m->doc, "name") : NULL;
    if (cJSON_IsString(n))
        return corridor__strdup(n->valuestring);
    const char *base = strrchr(first_source, '/');
    return corridor__asprintf("Imported from %s", base ? base + 1 : first_source);
}

int corridor__imp_map_add_sections(cJSON *doc, const imp_mapping *m)
{
    static const char *const keys[] = {"description", "units", "defaults"};
    for (size_t i = 0; m->doc && i < 3; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(m->doc, keys[i]);
        cJSON *c = x ? cJSON_Duplicate(x, 1) : NULL;
        if (x && (!c || !cJSON_AddItemToObject(doc, keys[i], c))) {
            cJSON_Delete(c);
            return corridor__oom();
        }
    }
    return 0;
}

const char *corridor__imp_map_osmconf(const imp_mapping *m)
{
    return m->osmconf;
}

int corridor__imp_map_merges(const imp_mapping *m)
{
    return m->merge_chains;
}

size_t corridor__imp_map_finish(imp_mapping *m, const char *first_source, corridor_diags *d)
{
    if (m->dropped)
        corridor__diag(d, 1, first_source, NULL,
                       "%zu attribute values that match no model field were dropped (such as "
                       "\"%s\"); map them with --map, or keep them under \"attrs\"",
                       m->dropped, m->dropped_example ? m->dropped_example : "?");
    return m->dropped;
}

int corridor_import_is_source(const char *path)
{
    static const char *const ext[] = {".gpkg", ".shp", ".fgb", ".geojson", ".geojsonl",
                                      ".kml",  ".osm", ".pbf", ".gdb",     ".sqlite",
                                      ".tab",  ".gpx", ".zip", NULL};
    if (!path)
        return 0;
    for (size_t i = 0; ext[i]; i++)
        if (has_suffix(path, ext[i]))
            return 1;
    return 0;
}
