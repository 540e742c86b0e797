/*
 * kw-t.h: section masks shared by the keyword tables.
 *
 * A keyword names the places where it may appear with a mask of KW_SEC_*
 * bits: the four proxy section kinds, the global section, and the two
 * option lists that follow an address (bind options, server options).
 */
#ifndef HAPC_KW_T_H
#define HAPC_KW_T_H

#include <stddef.h>
#include <stdint.h>

#define KW_SEC_GLOBAL   0x01u  /* global section */
#define KW_SEC_DEFAULTS 0x02u  /* defaults section (named or not) */
#define KW_SEC_FRONTEND 0x04u  /* frontend section */
#define KW_SEC_LISTEN   0x08u  /* listen section */
#define KW_SEC_BACKEND  0x10u  /* backend section */
#define KW_SEC_BIND     0x20u  /* option after the address of a bind line */
#define KW_SEC_SERVER   0x40u  /* option after the address of a server line */
#define KW_SEC_PROXIES  (KW_SEC_DEFAULTS | KW_SEC_FRONTEND | KW_SEC_LISTEN | \
                         KW_SEC_BACKEND)

/* A keyword HAProxy documents (generated from its manual, kw-known.c). */
struct kw_known {
	const char *name;      /* "maxconn", or "option httplog" for families */
	uint32_t sections;     /* KW_SEC_* where the manual allows it */
	const char *manual;    /* manual chapter of its description ("3.2",
	                          "4.2", "5.1", "5.2"); for a keyword also
	                          valid in proxies, the global chapter wins */
};

#endif /* HAPC_KW_T_H */
