/* testutil.h: shared helpers for the cmocka unit tests. */
#ifndef CORRIDOR_TESTUTIL_H
#define CORRIDOR_TESTUTIL_H

#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corridor.h"

/* Loads a model from a JSON string; fails the test (printing diagnostics) if invalid. */
static inline corridor_model *test_model(const char *json)
{
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_model_load_string(&m, json, strlen(json), "test", d);
    if (err != 0) {
        for (size_t i = 0; i < corridor_diags_count(d); i++)
            print_message("%s\n", corridor_diags_line(d, i));
        print_message("%s\n", corridor_error_message());
    }
    corridor_diags_free(d);
    assert_int_equal(err, 0);
    return m;
}

/* Loads a model file; fails the test (printing the error) if it cannot. */
static inline corridor_model *test_load_file(const char *path)
{
    corridor_model *m = NULL;
    int err = corridor_model_load_file(&m, path, NULL);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    return m;
}

/* A fresh temporary folder; the test removes it with test_rm_dir. */
static inline char *test_tmp_dir(void)
{
    char *d = strdup("/tmp/corridor-test-XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

static inline size_t test_count_files(const char *dir)
{
    size_t n = 0;
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

static inline void test_rm_dir(char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) != 0)
            rmdir(p);
    }
    closedir(dp);
    rmdir(dir);
    free(dir);
}

/* A whole file as text (NUL-terminated); *len its size if len is not NULL. */
static inline char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

/* 1 if some diagnostic line equals `line`; otherwise prints what there was and 0. */
static inline int test_has_line(const corridor_diags *d, const char *line)
{
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        if (strcmp(corridor_diags_line(d, i), line) == 0)
            return 1;
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        print_message("  got: %s\n", corridor_diags_line(d, i));
    print_message("  wanted: %s\n", line);
    return 0;
}

/* Loading model `text` (named "t.json") fails with EINVALID and `line` among the diagnostics. */
static inline void test_model_fails(const char *text, const char *line)
{
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_string(&m, text, strlen(text), "t.json", d),
                     CORRIDOR_EINVALID);
    assert_null(m);
    assert_true(test_has_line(d, line));
    corridor_diags_free(d);
}

#endif
