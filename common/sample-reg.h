/*
 * sample-reg.h: the sample registry (types in sample-reg-t.h).
 */
#ifndef HAPC_SAMPLE_REG_H
#define HAPC_SAMPLE_REG_H

#include <stddef.h>
#include <stdint.h>

#include "sample-reg-t.h"

/* The fetch named name[0..len) ("req.hdr", "hdr", "path"), or NULL. */
const struct sample_fetch_def *sample_fetch_find(const char *name, size_t len);

/* The canonical entry of fetch `fetch` (enum plan_fetch), or NULL. */
const struct sample_fetch_def *sample_fetch_by_id(uint32_t fetch);

/*
 * An ACL keyword name[0..len): a fetch, or one of the derivatives the
 * manual lists ("path_beg", "hdr_ip", "hdr_val"): the fetch, and in
 * *match the method it implies (PLAN_MATCH_MAX when none). NULL when the
 * name is neither.
 */
const struct sample_fetch_def *sample_acl_keyword(const char *name, size_t len,
                                                  uint32_t *match);

/* The matching method named `name` ("beg"), or NULL. */
const struct sample_match_def *sample_match_find(const char *name);

/* The entry of method `match` (enum plan_match), or NULL. */
const struct sample_match_def *sample_match_by_id(uint32_t match);

/* 1 when method `match` applies to the output of fetch `fetch`. */
int sample_match_fits(uint32_t fetch, uint32_t match);

/* "str, beg, end, ..." : the methods, for messages. */
const char *sample_match_list(void);

/* Name of a converter (enum plan_conv) and the reverse; NULL / 0. */
const char *sample_conv_name(uint32_t conv);
uint32_t sample_conv_find(const char *name, size_t len);

#endif /* HAPC_SAMPLE_REG_H */
