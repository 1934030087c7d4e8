/* od_file.h: the origin-destination file reader of the corridor tool (also fuzzed alone). */
#ifndef CORRIDOR_CLI_OD_FILE_H
#define CORRIDOR_CLI_OD_FILE_H

#include <stddef.h>

#include "cli.h"

/** The largest weight an OD line may give (documented in corridor(1)). */
#define CLI_OD_MAX_WEIGHT 1e12

/**
 * Parses OD text in place: "from,to[,weight]" lines, blank lines and "#"
 * comments skipped, a first line starting with "from," is a header. The pairs
 * point into `text` (which must outlive them and end with a NUL at text[len]);
 * each place is checked against `model`. Returns 0 and *out (free with free),
 * or EXIT_INVALID / EXIT_IO with one line in msg. Time: O(len + pairs x place lookup).
 */
int cli_od_parse(corridor_od_pair **out, size_t *n, char *text, size_t len, const char *path,
                 const corridor_model *model, char *msg, size_t size);

/**
 * Reads `path` ("-": standard input) into *text (one buffer of the file's
 * size; the caller frees it after the pairs) and parses it as cli_od_parse. A
 * directory, a missing or
 * unreadable file: EXIT_IO; an empty file or a bad line: EXIT_INVALID.
 */
int cli_od_read(corridor_od_pair **out, size_t *n, char **text, const char *path,
                const corridor_model *model, char *msg, size_t size);

#endif
