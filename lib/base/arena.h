/* A bump allocator: many small allocations freed at once (the strings and
 * arrays of an extracted application, model/app-extract.c).  Memory comes
 * zeroed and aligned for any type. */
#ifndef PL_BASE_ARENA_H
#define PL_BASE_ARENA_H

#include <stddef.h>

typedef struct pl_arena pl_arena;

/* An empty arena, or NULL out of memory. */
pl_arena *pl_arena_new(void);

/* @n zeroed bytes (at least one), or NULL out of memory. */
void *pl_arena_alloc(pl_arena *a, size_t n);

/* Everything allocated from @a, and @a; NULL is a no-op. */
void pl_arena_free(pl_arena *a);

#endif
