/* The least a stat-polling watcher can do per pass over a tree, for benches/watch.sh.
 *
 * Lists the tree once (untimed), then times passes that each open every directory, fstat it,
 * fstatat every file in it (no follow) and close it: the calls one pass of any stat-based
 * poller has to make to notice a changed file. Prints the CPU time per pass (user + system,
 * best of the passes) and what that is as a share of one core at a 1 s interval.
 *
 *   cc -O2 -o poll_floor poll_floor.c && ./poll_floor DIR [PASSES]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

struct dir {
    char *path;
    char **files;
    size_t nfiles;
};

static struct dir *dirs;
static size_t ndirs, capdirs;

static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) return;
    if (ndirs == capdirs) {
        capdirs = capdirs ? capdirs * 2 : 1024;
        dirs = realloc(dirs, capdirs * sizeof *dirs);
    }
    size_t me = ndirs++;
    dirs[me] = (struct dir){strdup(path), NULL, 0};
    size_t cap = 0;
    char **subdirs = NULL;
    size_t nsub = 0, capsub = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (e->d_type == DT_DIR) {
            if (nsub == capsub) subdirs = realloc(subdirs, (capsub = capsub ? capsub * 2 : 16) * sizeof *subdirs);
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            subdirs[nsub] = malloc(n);
            snprintf(subdirs[nsub++], n, "%s/%s", path, e->d_name);
        } else {
            if (dirs[me].nfiles == cap) dirs[me].files = realloc(dirs[me].files, (cap = cap ? cap * 2 : 8) * sizeof(char *));
            dirs[me].files[dirs[me].nfiles++] = strdup(e->d_name);
        }
    }
    closedir(d);
    for (size_t i = 0; i < nsub; i++) list(subdirs[i]);
}

static double cpu_ms(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [PASSES]\n", argv[0]);
        return 2;
    }
    int passes = argc > 2 ? atoi(argv[2]) : 10;
    list(argv[1]);
    size_t files = 0;
    for (size_t i = 0; i < ndirs; i++) files += dirs[i].nfiles;
    double best = 1e18;
    struct stat st;
    for (int p = 0; p < passes; p++) {
        double t0 = cpu_ms();
        for (size_t i = 0; i < ndirs; i++) {
            int fd = open(dirs[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) continue;
            fstat(fd, &st);
            for (size_t j = 0; j < dirs[i].nfiles; j++) fstatat(fd, dirs[i].files[j], &st, AT_SYMLINK_NOFOLLOW);
            close(fd);
        }
        double t = cpu_ms() - t0;
        if (t < best) best = t;
    }
    printf("%zu dirs, %zu files: %.1f ms of CPU per pass = %.2f%% of one core at a 1 s interval\n",
           ndirs, files, best, best / 10.0);
    return 0;
}
