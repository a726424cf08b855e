/* Recall and precision of similar-name search, printed (tests/names-eval.h):
 *   /usr/bin/python3 tests/gen-names.py --companies 5000 --seed 1 --out names.tsv
 *   build/tests/names-eval names.tsv [registry.db]
 * The registry (default: names-eval.db in the current directory) is made
 * anew. */
#include "names-eval.h"

int main(int argc, char **argv)
{
    ne_result r;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s NAMES.tsv [REGISTRY.db]\n", argv[0]);
        return 2;
    }
    if (ne_run(argv[1], argc > 2 ? argv[2] : "names-eval.db", &r)) {
        fprintf(stderr, "names-eval: %s\n", r.error);
        return 1;
    }
    ne_print(stdout, &r);
    return 0;
}
