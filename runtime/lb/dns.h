/*
 * dns.h: resolving servers' names at run time (HAProxy's `resolvers`
 * sections, plan tables RESOLVERS, NAMESERVER and SRV_RESOLVE).
 *
 * Everything runs on thread 0, in the generation's loop, as health
 * checks do: UDP queries (A and AAAA) to every nameserver of the
 * server's section, answers checked and read by dns_msg.c, and a changed
 * address applied the way `set server addr` applies it (other threads
 * read a server's address with an acquire load). A name that stops
 * resolving for longer than the section's `hold` period for that status
 * puts its server in maintenance ("MAINT (resolution)" in show stat)
 * until it resolves again.
 */
#ifndef HAPC_DNS_H
#define HAPC_DNS_H

#include <stdint.h>

#include "runtime-t.h"

/* Prepare the resolvers of rt's plan (nameservers, with those of
 * /etc/resolv.conf for `parse-resolv-conf`; the servers started without
 * an address marked as in maintenance for resolution). Opens nothing.
 * 0, or -1 after printing why (out of memory). */
int dns_init(struct runtime *rt);

/* Open the sockets and start resolving, in rt->loop (thread 0). A
 * socket that cannot be opened is reported; its servers keep their
 * address. */
void dns_start(struct runtime *rt);

/* Stop everything, close the sockets, free; safe after a partial init
 * and twice. */
void dns_free(struct runtime *rt);

/* The counters of a nameserver, as HAProxy's `show resolvers` lists them
 * (names in dns_cnt_names[]). cfgrun counts queries sent or not sent,
 * answers taken (valid), those that moved a server (update), NXDOMAIN,
 * REFUSED, other errors, truncated answers, malformed answers to a query
 * in flight (invalid), answers to no query in flight (outdated), and for
 * each try the nameservers that did not answer (timeout); cname,
 * cname_error, any_err and too_big stay 0. */
enum dns_cnt {
	DNS_CNT_SENT = 0, DNS_CNT_SND_ERROR, DNS_CNT_VALID, DNS_CNT_UPDATE,
	DNS_CNT_CNAME, DNS_CNT_CNAME_ERROR, DNS_CNT_ANY_ERR, DNS_CNT_NX,
	DNS_CNT_TIMEOUT, DNS_CNT_REFUSED, DNS_CNT_OTHER, DNS_CNT_INVALID,
	DNS_CNT_TOO_BIG, DNS_CNT_TRUNCATED, DNS_CNT_OUTDATED, DNS_CNT_MAX
};
extern const char *const dns_cnt_names[DNS_CNT_MAX];

/* For each resolvers section of rt's plan: fn(arg, section, NULL, NULL),
 * then fn(arg, section, nameserver, counters) for each of its
 * nameservers (none when nothing is resolved). Thread 0. */
void dns_each_ns(const struct runtime *rt,
                 void (*fn)(void *arg, const char *section, const char *ns,
                            const uint64_t *cnt),
                 void *arg);

#endif /* HAPC_DNS_H */
