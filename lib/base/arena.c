#include "base/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Blocks of at least 16 KiB, newest first. */
typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct pl_arena {
    block *head;
};

pl_arena *pl_arena_new(void) { return calloc(1, sizeof(pl_arena)); }

void *pl_arena_alloc(pl_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    block *b = a->head;
    char *p;

    if (n > SIZE_MAX - align)
        return NULL;
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        if (cap > SIZE_MAX - sizeof *b || !(b = malloc(sizeof *b + cap)))
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void pl_arena_free(pl_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}
