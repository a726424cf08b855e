/* The query parameters of each endpoint, checked before the endpoint
 * reads any (params.c). */
#ifndef PLEDGERD_PARAMS_H
#define PLEDGERD_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "routes.h"

/* The request's path is one of an endpoint and its method one that path
 * serves (HEAD wherever GET is); false, with the reply set, when not: 404
 * for a path no endpoint has, whatever the method; 405 naming the methods
 * the path serves (also in the header Allow) for another method. */
bool method_check(route_ctx *c, reply *out);

/* The library call behind the write endpoint of @method and @url (POST
 * /v1/filings: "pledger_file_batch"), whose rules pledger_may() applies;
 * NULL for a read or a path no endpoint has. */
const char *endpoint_call(const char *method, const char *url);

/* Every query parameter of the request is one its endpoint takes, given
 * once, with a value of UTF-8 text without NUL or control characters;
 * false, with the 400 reply set naming the parameter, when one is not.
 * A path no endpoint has passes (method_check() answers it). */
bool params_check(route_ctx *c, reply *out);

/* The length of the character that begins @s (at most @n bytes) when it
 * is plain text -- UTF-8 (RFC 3629: shortest forms, no surrogates, at
 * most U+10FFFF) and no NUL or control character (C0, DEL, C1, line and
 * paragraph separators, bidirectional controls): what the library takes
 * on a line; 0 when it is not. */
size_t plain_char(const char *s, size_t n);

#endif
