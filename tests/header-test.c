/* Compiled as C99 -pedantic, C11 and C++ (header-test.cpp): the public
 * headers must stand alone in each. */
#include <pledger/pledger.h>
#include <stdio.h>

int main(void)
{
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    (void)o;
#if !PLEDGER_VERSION_CHECK(0, 1, 0)
#error "version macros broken"
#endif
    printf("%s\n", pledger_version());
    return 0;
}
