/*
 * tls_hello.h: reading a TLS ClientHello from the first bytes a client
 * sent, without a TLS library (RFC 8446 section 4.1.2, RFC 5246 section
 * 7.4.1.2; extensions of RFC 6066, RFC 7301, RFC 8422, RFC 5077). A
 * pure function over bytes: no I/O, no allocation; what it finds points
 * into the caller's buffer. The layer-6 fetches (req.ssl_*) use it.
 */
#ifndef HAPC_TLS_HELLO_H
#define HAPC_TLS_HELLO_H

#include <stddef.h>
#include <stdint.h>

enum tls_hello_res {
	TLS_HELLO_OK   = 0,         /* a whole ClientHello was read */
	TLS_HELLO_MORE = 1,         /* a prefix of one: more bytes may finish
	                               it (what is known so far is set) */
	TLS_HELLO_BAD  = 2,         /* not a TLS handshake record, or not a
	                               well-formed ClientHello in one record */
};

#define TLS_HELLO_KNOWN_RECORD 0x1u /* rec_version is set (5 bytes) */
#define TLS_HELLO_KNOWN_TYPE   0x2u /* hs_type is set (the whole
                                       handshake message is there) */

struct tls_hello {
	uint32_t known;             /* TLS_HELLO_KNOWN_* */
	uint32_t rec_version;       /* record layer version, major * 65536 +
	                               minor (3.1 = 196609) */
	uint8_t  hs_type;           /* handshake type: 1 = ClientHello */
	uint8_t  has_ec;            /* supported_groups (ex elliptic_curves,
	                               10) present */
	uint8_t  ticket;            /* session_ticket (35): 0 absent, 1 empty,
	                               2 with a ticket */
	uint8_t  pad;
	const uint8_t *sni;         /* first host_name of server_name (0),
	                               NULL = none */
	size_t sni_len;             /* bytes */
	const uint8_t *alpn;        /* ALPN protocol_name_list (16): length-
	                               prefixed names, NULL = none */
	size_t alpn_len;            /* bytes of the list */
};

/*
 * Read the ClientHello at buf[0..len) into *h (zeroed first). A
 * ClientHello split over several reads gives MORE until it is whole; one
 * split over several TLS records, or anything that is not a handshake
 * record, gives BAD. Every length is checked against its container, so
 * any bytes are safe to give it.
 */
enum tls_hello_res tls_hello_parse(const uint8_t *buf, size_t len,
                                   struct tls_hello *h);

/*
 * The ALPN name after `prev` in list h->alpn (prev NULL: the first):
 * 1 with *name / *name_len set, 0 at the end of the list.
 */
int tls_hello_alpn_next(const struct tls_hello *h, const uint8_t **name,
                        size_t *name_len);

#endif /* HAPC_TLS_HELLO_H */
