/* The query parameters of each endpoint, checked before the endpoint
 * reads any (params.c). */
#ifndef PLEDGERD_PARAMS_H
#define PLEDGERD_PARAMS_H

#include <stdbool.h>

#include "routes.h"

/* Every query parameter of the request is one its endpoint takes, given
 * once, with a value of UTF-8 text without NUL or control characters;
 * false, with the 400 reply set naming the parameter, when one is not.
 * A path no endpoint has passes (the router answers 404 or 405). */
bool params_check(route_ctx *c, reply *out);

#endif
