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

#endif /* HAPC_DNS_H */
