/* gis_dl.c: loads GDAL and PROJ at their first use (dlopen) and fills gis_dl.h's table. */
#define _POSIX_C_SOURCE 200809L
#define CORRIDOR_GIS_DL_IMPL
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "gis_dl.h"
#include "internal.h"

#ifndef CORRIDOR_GDAL_SONAME
#define CORRIDOR_GDAL_SONAME "libgdal.so"
#endif
#ifndef CORRIDOR_PROJ_SONAME
#define CORRIDOR_PROJ_SONAME "libproj.so"
#endif

static cor_gis table;
static const cor_gis *loaded; /* &table once every entry is filled */
static char why[512];         /* else what went wrong */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Opens one library (kept open for the process's life, as a linked one would be). */
static void *open_lib(const char *soname)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "cannot load %s: %s", soname, e ? e : "unknown reason");
    }
    return h;
}

/* dlsym of one entry; on failure the first missing name is kept in `why`. */
static int find(void *h, void **slot, const char *name, const char *soname)
{
    *slot = h ? dlsym(h, name) : NULL;
    if (!*slot && h && !*why)
        snprintf(why, sizeof why, "%s has no %s", soname, name);
    return *slot != NULL;
}

static void load(void)
{
    void *gdal = open_lib(CORRIDOR_GDAL_SONAME);
    void *proj = gdal ? open_lib(CORRIDOR_PROJ_SONAME) : NULL;
    int ok = gdal && proj;
    /* a function pointer is stored through a void * slot of the same size (POSIX dlsym) */
#define FIND_GDAL(f) ok &= find(gdal, (void **)&table.f, #f, CORRIDOR_GDAL_SONAME);
#define FIND_PROJ(f) ok &= find(proj, (void **)&table.f, #f, CORRIDOR_PROJ_SONAME);
    COR_GDAL_FUNCS(FIND_GDAL)
    COR_PROJ_FUNCS(FIND_PROJ)
#undef FIND_GDAL
#undef FIND_PROJ
    if (ok)
        loaded = &table;
}

const cor_gis *corridor__gis(void)
{
    pthread_once(&once, load);
    return loaded;
}

int corridor__gis_load(void)
{
    if (corridor__gis())
        return 0;
    return corridor__error(CORRIDOR_EINTERNAL,
                           "GDAL and PROJ are needed here and could not be loaded (%s); install "
                           "them (make deps installs the Debian packages)",
                           why);
}
