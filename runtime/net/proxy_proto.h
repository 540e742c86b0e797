/*
 * proxy_proto.h: parsing and writing PROXY protocol headers (v1 and v2).
 */
#ifndef HAPC_PROXY_PROTO_H
#define HAPC_PROXY_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "proxy_proto-t.h"

/*
 * Look at the first `len` bytes a client sent on an accept-proxy listener.
 * Strict: v1 is "PROXY TCP4|TCP6 src dst sport dport\r\n" with single
 * spaces, canonical addresses and ports (0..65535, no leading zero) or
 * "PROXY UNKNOWN...\r\n", at most 107 bytes; v2 needs the signature,
 * version 2, command LOCAL or PROXY, a known family and transport, an
 * address block that fits the length, well-formed TLVs and a correct
 * CRC32C when one is given. Bytes that can no longer become a header are
 * refused as soon as they arrive. A v2 header longer than `max` bytes is
 * refused (we only look at one buffer). On BAD, `err` says what was
 * expected and what was found; on OK, `h` is filled.
 */
enum proxy_proto_res proxy_proto_parse(const uint8_t *buf, size_t len,
                                       size_t max, struct proxy_proto_hdr *h,
                                       char *err, size_t errlen);

/*
 * The v1 header for a connection from `src` to `dst` into `out` (at least
 * PROXY_PROTO_OUT_MAX bytes): TCP4 when both are IPv4, TCP6 when both are
 * IP and one is IPv6 (IPv4 mapped), "PROXY UNKNOWN\r\n" otherwise.
 * Returns the header's length.
 */
size_t proxy_proto_v1(const struct sockaddr *src, const struct sockaddr *dst,
                      uint8_t *out);

/* The same as a v2 header: PROXY command with an INET or INET6 address
 * block (same family rules as v1), or LOCAL/UNSPEC with no address for
 * anything else. No TLV. Returns the header's length. */
size_t proxy_proto_v2(const struct sockaddr *src, const struct sockaddr *dst,
                      uint8_t *out);

/*
 * The value of the `skip`th TLV (0: the first) of type `type` in the run
 * tlv[0..len) a header held (proxy_proto_hdr.tlv_off, tlv_len): 1 with
 * val, vlen set, 0 when there is none. The SSL sub-types (0x21..0x25)
 * are looked for inside the SSL TLVs, as fc_pp_tlv(SSL_CN) reads them.
 */
int proxy_proto_tlv(const uint8_t *tlv, size_t len, unsigned type,
                    unsigned skip, const uint8_t **val, size_t *vlen);

/* CRC32C (Castagnoli) of `len` bytes, as the v2 CRC32C TLV carries it. */
uint32_t proxy_proto_crc32c(const uint8_t *buf, size_t len);

#endif /* HAPC_PROXY_PROTO_H */
