/* The state of one import of the reference register, shared by
 * import.c (the stream, the journal) and write.c (writing a record).
 * Internal to them. */
#ifndef PL_REFREG_IMPORT_H
#define PL_REFREG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "base/error.h"
#include "base/hash.h"
#include "model/xml.h"
#include "refreg/refreg.h"
#include "refreg/reject.h"

typedef struct pl_ref_record record; /* record.h */

/* ------------------------------------------------------------------ */
/* The input: a file descriptor or a buffer, hashed as it is read      */

typedef struct input {
    int fd; /* -1: read from data */
    const unsigned char *data;
    size_t len, pos;
    uint64_t bytes, total;
    bool eof;         /* the end of the file was read */
    pl_hash_ctx *sha; /* of the file */
    int err_no;
    /* Every byte passes it before libxml2 sees it (model/xml.h): a
     * DOCTYPE, an over-long tag or comment, too many attributes stop
     * the reading. */
    pl_xml_guard guard;
    /* A file that declares another encoding than UTF-8 is read in it
     * (GB18030, say); one whose bytes are UTF-8 text all the same is
     * mislabelled, and would be imported garbled: refused (import.c,
     * check_declared). */
    int enc_state;          /* 0: the declaration not read yet; 1: nothing to check;
                             * 2: checking; 3: not UTF-8 text (the declaration holds) */
    char enc[41];           /* the encoding declared */
    char head[256];         /* the file's first bytes, until its declaration ends */
    size_t head_len;
    unsigned utf8_seen;     /* multi-byte UTF-8 sequences met while checking */
    long utf8_line;         /* the line of the first of them */
    bool mislabelled;
} input;

/* ------------------------------------------------------------------ */
/* The state of one import                                             */

typedef struct imp {
    pl_db *db;
    pl_err *e;
    const pl_refreg_import_opts *o;
    const char *name;
    input in;
    xmlTextReaderPtr reader;
    xmlSchemaValidCtxtPtr vctxt;
    pl_refreg_report *rep;
    record *rec;
    /* the current record, copied out of the reader within the limits of
     * a record (its root element is the record) */
    xmlDocPtr rdoc;
    /* the root element was read (an error before it: the prolog's) */
    bool root_seen;
    /* the first parser error */
    bool xml_have;
    long xml_line;
    char xml_msg[MSG_MAX];
    char xml_local[MSG_MAX]; /* xml_msg translated ("" when the same) */
    /* the first schema error of the current record */
    char verr[MSG_MAX];
    /* the digest's canonical bytes */
    unsigned char *dbuf;
    size_t dlen, dcap;
    bool doom;
    pl_hash_ctx *dsha; /* the digests, one after the other on one context */
    /* ref_right, ref_holding were empty when the import began: a record
     * is new unless this file gave it before (ref_import_seen). */
    bool no_rights, no_holdings;
} imp;

#endif
