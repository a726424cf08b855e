/* Import a reference register of rights (who owns which trademark, patent,
 * holding, permit or certificate, and whether it is valid or seized) with
 * a progress display.
 *
 *   register-import REGISTRY.db REGISTER.xml
 *
 * The file (share/pledger/register.xsd) is read as a stream, so memory
 * stays flat whatever its size, and imported in one transaction: a file
 * that is not well-formed changes nothing.  Bad records are rejected one
 * by one, with their line, and the rest is imported; importing the same
 * file again changes nothing.  Progress goes to standard error, the report
 * to standard output.  Exit status: 0 imported (even with rejected
 * records, which are listed), 1 the file was refused or the import
 * cancelled, 2 usage or another error.  PLEDGER_NOW (microseconds since
 * the epoch) fixes the clock.
 *
 * Build: cc register-import.c $(pkg-config --cflags --libs pledger) */
#define _POSIX_C_SOURCE 200809L /* strdup, isatty */
#include <pledger/pledger.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A fixed clock for reproducible runs: PLEDGER_NOW, microseconds since
 * the epoch (the tests set it). */
static int64_t fixed_now;
static int64_t fixed_clock(void *payload)
{
    (void)payload;
    return fixed_now;
}

/* What the progress display remembers between calls. */
typedef struct progress {
    int tty;          /* redraw one line (a terminal) or print every 10 % */
    int last_percent; /* the last percentage printed when not a terminal */
} progress;

/* Called at least every 1000 records and once at the end.  Returning
 * non-zero would cancel the import (nothing would change). */
static int show_progress(uint64_t records, uint64_t bytes_read, uint64_t total_bytes,
                         void *payload)
{
    progress *p = payload;
    int percent = total_bytes ? (int)(bytes_read * 100 / total_bytes) : 0;
    if (p->tty) {
        char bar[31];
        int filled = percent * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %3d%%  %llu records", bar, percent,
                (unsigned long long)records);
    } else if (percent / 10 > p->last_percent / 10 || p->last_percent < 0) {
        fprintf(stderr, "progress %3d%%  %llu records  %llu of %llu bytes\n", percent,
                (unsigned long long)records, (unsigned long long)bytes_read,
                (unsigned long long)total_bytes);
        p->last_percent = percent;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: register-import REGISTRY.db REGISTER.xml\n");
        return 2;
    }

    pledger_registry *reg = NULL;
    int rc = pledger_open(&reg, argv[1], NULL); /* created when missing */
    if (rc != 0) {
        fprintf(stderr, "register-import: %s\n", pledger_errmsg(NULL));
        return 2;
    }
    /* PLEDGER_NOW fixes the clock (repeatable runs): microseconds since
     * the epoch, refused when it is not one rather than read as another */
    const char *now = getenv("PLEDGER_NOW");
    if (now && *now) {
        char *end;
        errno = 0;
        fixed_now = strtoll(now, &end, 10);
        if ((*now != '-' && (*now < '0' || *now > '9')) || errno || *end) {
            fprintf(stderr, "register-import: PLEDGER_NOW '%s' is not microseconds since the "
                            "epoch\n", now);
            pledger_close(reg);
            return 2;
        }
        pledger_set_clock(reg, fixed_clock, NULL);
    }
    /* Importing the register is the registry office's job. */
    pledger_set_actor(reg, "registrar", PLEDGER_ROLE_REGISTRAR);

    progress p = { isatty(STDERR_FILENO), -1 };
    pledger_import_options opts = PLEDGER_IMPORT_OPTIONS_INIT;
    opts.progress = show_progress;
    opts.payload = &p;

    pledger_import_report *report = NULL;
    rc = pledger_register_import(&report, reg, argv[2], &opts);
    if (p.tty)
        fputc('\n', stderr);
    if (rc != 0) {
        /* Not well-formed, a DOCTYPE, the wrong root: the message names
         * the line, and the register is exactly as it was. */
        fprintf(stderr, "register-import: %s (%s)\n", pledger_errmsg(reg),
                pledger_strerror(rc));
        pledger_close(reg);
        return rc == PLEDGER_EXML || rc == PLEDGER_ECONFLICT ? 1 : 2;
    }

    printf("inserted     %llu\n", (unsigned long long)pledger_import_report_inserted(report));
    printf("updated      %llu\n", (unsigned long long)pledger_import_report_updated(report));
    printf("unchanged    %llu\n", (unsigned long long)pledger_import_report_unchanged(report));
    printf("rejected     %llu\n", (unsigned long long)pledger_import_report_rejected(report));
    /* The first PLEDGER_IMPORT_REJECTIONS_KEPT rejections keep their line
     * and reason; the count above has them all. */
    for (size_t i = 0; i < pledger_import_report_rejection_count(report); i++)
        printf("  line %llu: %s\n",
               (unsigned long long)pledger_import_report_rejection_line(report, i),
               pledger_import_report_rejection_message(report, i));
    /* The journal records the import with this digest of the file. */
    printf("sha256       %s\n", pledger_import_report_sha256(report));

    pledger_import_report_free(report);
    pledger_close(reg);
    return 0;
}
