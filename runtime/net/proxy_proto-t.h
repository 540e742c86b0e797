/*
 * proxy_proto-t.h: a parsed PROXY protocol header (v1 text or v2 binary).
 *
 * The PROXY protocol lets a proxy in front of us tell the original client
 * and destination addresses in a header sent before any data; we parse it
 * on `accept-proxy` listeners and write it to `send-proxy` servers.
 */
#ifndef HAPC_PROXY_PROTO_T_H
#define HAPC_PROXY_PROTO_T_H

#include <stdint.h>
#include <sys/socket.h>

#define PROXY_PROTO_V1_MAX   107u  /* bytes of a v1 line, CRLF included */
#define PROXY_PROTO_V2_FIXED 16u   /* bytes of the v2 signature + fields */
#define PROXY_PROTO_SIG_LEN  12u   /* bytes of the v2 signature */
#define PROXY_PROTO_OUT_MAX  232u  /* bytes: room for any header we write */

/* What proxy_proto_parse() says about the bytes received so far. */
enum proxy_proto_res {
	PROXY_PROTO_OK   = 0,      /* a complete, valid header */
	PROXY_PROTO_MORE = 1,      /* valid so far, more bytes needed */
	PROXY_PROTO_BAD  = 2,      /* not a valid header: refuse the client */
};

struct proxy_proto_hdr {
	uint32_t len;              /* bytes of the header (data follows) */
	uint8_t version;           /* 1 or 2 */
	uint8_t has_addr;          /* 1: src/dst hold the original addresses;
	                              0: LOCAL, UNKNOWN or a family we keep
	                              the connection's addresses for */
	struct sockaddr_storage src;/* original client (AF_INET/AF_INET6) */
	struct sockaddr_storage dst;/* original destination */
	socklen_t srclen;          /* bytes of src, 0 without address */
	socklen_t dstlen;          /* bytes of dst, 0 without address */
	uint32_t tlv_off;          /* v2 PROXY with an address: where its
	                              TLVs start in the header */
	uint32_t tlv_len;          /* their bytes, 0: none (v1, LOCAL...) */
};

/* TLV types (the PROXY protocol specification, section 2.2). */
#define PP2_TYPE_ALPN        0x01u
#define PP2_TYPE_AUTHORITY   0x02u
#define PP2_TYPE_CRC32C      0x03u
#define PP2_TYPE_NOOP        0x04u
#define PP2_TYPE_UNIQUE_ID   0x05u
#define PP2_TYPE_SSL         0x20u
#define PP2_SUBTYPE_SSL_VERSION 0x21u /* inside the SSL TLV, after its
                                         5-byte client and verify fields */
#define PP2_SUBTYPE_SSL_CN   0x22u
#define PP2_SUBTYPE_SSL_CIPHER 0x23u
#define PP2_SUBTYPE_SSL_SIG_ALG 0x24u
#define PP2_SUBTYPE_SSL_KEY_ALG 0x25u
#define PP2_TYPE_NETNS       0x30u

#endif /* HAPC_PROXY_PROTO_T_H */
