/* datadir.h: shipped files found by name (models, scenarios, mappings); see src/datadir.c. */
#ifndef CORRIDOR_DATADIR_H
#define CORRIDOR_DATADIR_H

/**
 * The shipped file DIR/NAME.json (".json" added unless given) for a `name`
 * that is no file (stat gives ENOENT) and has no '/', through
 * corridor_data_path. 0 with *path set (caller frees); 1 if `name` is not
 * one to look up (a file, or a path); CORRIDOR_EIO if shipped nowhere;
 * CORRIDOR_ENOMEM. Time: a few stat calls.
 */
int corridor__data_named(char **path, const char *dir, const char *name);

/** Sets "NAME: no such file, and no shipped KIND of that name (searched: ...)"; CORRIDOR_EIO. */
int corridor__data_not_found(const char *name, const char *kind);

#endif
