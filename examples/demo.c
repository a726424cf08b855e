/* The end-to-end demo (bash tools/run demo).  It grows with the library:
 * today it creates the registry file named on the command line and shows
 * that it reopens read-only. */
#include <pledger/pledger.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "demo.db";
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    pledger_registry *reg = NULL;

    printf("pledger %s\n\n", pledger_version());
    if (pledger_open(&reg, path, NULL)) {
        fprintf(stderr, "demo: %s\n", pledger_errmsg(NULL));
        return 1;
    }
    printf("Created the registry %s for office %s.\n", path, pledger_office_code(reg));
    pledger_close(reg);

    ro.read_only = 1;
    if (pledger_open(&reg, path, &ro)) {
        fprintf(stderr, "demo: %s\n", pledger_errmsg(NULL));
        return 1;
    }
    printf("Reopened it read-only, as a bank would.\n");
    pledger_close(reg);
    printf("\nThe registry is in %s.\n", path);
    return 0;
}
