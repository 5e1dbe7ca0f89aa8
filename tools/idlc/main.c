/* idlc: the WingOS IDL compiler. `idlc FILE.idl -o DIR` writes DIR/NAME_idl.h and
 * DIR/NAME_idl.c, NAME being FILE's base name; `idlc --syscalls FILE.idl -o DIR` writes the
 * syscall ABI's files (NAME_kernel.h/.c, NAME_user.h/.c, NAME.md); errors go to stderr as
 * "file:line:col: message" with exit status 1 (docs/idl.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idlc.h"

#define INPUT_MAX (4u << 20)

static int usage(void)
{
    fprintf(stderr, "usage: idlc [--syscalls] FILE.idl -o DIR\n");
    return 2;
}

/* The whole file, malloc'd; NULL (after a message) if it cannot be read. */
static char *read_all(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    char *text = f ? malloc(INPUT_MAX + 1) : NULL;
    if (!text) {
        fprintf(stderr, "%s: cannot read: %s\n", path, f ? "out of memory" : "no such file");
        if (f)
            fclose(f);
        return NULL;
    }
    *length = fread(text, 1, INPUT_MAX + 1, f);
    fclose(f);
    if (*length > INPUT_MAX) {
        fprintf(stderr, "%s: larger than %u bytes\n", path, INPUT_MAX);
        free(text);
        return NULL;
    }
    return text;
}

static int write_file(const char *dir, const char *base, const char *suffix, const char *text,
                      size_t length)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, base, suffix);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, length, f) != length || fclose(f) != 0) {
        fprintf(stderr, "%s: cannot write\n", path);
        return 1;
    }
    return 0;
}

/* "dir/names.idl" -> "names" (in `out`); false unless it ends in ".idl". */
static bool base_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t length = strlen(name);
    if (length <= 4 || strcmp(name + length - 4, ".idl") != 0 || length - 4 >= size)
        return false;
    memcpy(out, name, length - 4);
    out[length - 4] = '\0';
    return true;
}

int main(int argc, char **argv)
{
    char base[256];
    enum idlc_mode mode = IDLC_PROTOCOLS;
    if (argc == 5 && strcmp(argv[1], "--syscalls") == 0) {
        mode = IDLC_SYSCALLS;
        argc--;
        argv++;
    }
    if (argc != 4 || strcmp(argv[2], "-o") != 0)
        return usage();
    if (!base_name(argv[1], base, sizeof base)) {
        fprintf(stderr, "%s: the file name must end in .idl\n", argv[1]);
        return 1;
    }
    size_t length;
    char *text = read_all(argv[1], &length);
    if (!text)
        return 1;
    struct idlc_result result = idlc_compile(argv[1], base, text, length, mode);
    free(text);
    if (!result.ok) {
        fprintf(stderr, "%s\n", result.error);
        return 1;
    }
    int status = 0;
    for (unsigned i = 0; i < result.output_count && status == 0; i++)
        status = write_file(argv[3], base, result.outputs[i].suffix, result.outputs[i].text,
                            result.outputs[i].length);
    idlc_result_free(&result);
    return status;
}
