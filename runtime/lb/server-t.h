/*
 * server-t.h: the states a running server can be in.
 *
 * Two independent states decide whether a server takes new connections:
 * the operational state (UP or DOWN, moved by health checks) and the
 * administrative state (READY, DRAIN or MAINT, moved by `disabled` and the
 * stats socket). A server is usable by the balancer when it is UP, READY,
 * has a weight above 0 and an address.
 */
#ifndef HAPC_SERVER_T_H
#define HAPC_SERVER_T_H

enum rt_srv_op {
	RT_SRV_UP   = 0,            /* serving (or unchecked) */
	RT_SRV_DOWN = 1,            /* health checks failed `fall` times */
	RT_SRV_STOPPING = 2,        /* up, but no new balanced traffic (HAProxy's
	                               NOLB): `set server health stopping`;
	                               persistent streams and its own queue
	                               still go to it; a passing check makes it
	                               UP again */
};

enum rt_srv_admin {
	RT_ADMIN_READY = 0,         /* normal */
	RT_ADMIN_MAINT = 1,         /* maintenance: no traffic, no checks */
	RT_ADMIN_DRAIN = 2,         /* no new connections from the balancer */
};

/* Result of a server's last health check, as HAProxy's check_status. */
enum rt_chk_status {
	RT_CHK_NONE    = 0,         /* not checked yet */
	RT_CHK_L4OK    = 1,         /* connection accepted */
	RT_CHK_L4TOUT  = 2,         /* connection timed out */
	RT_CHK_L4CON   = 3,         /* connection failed (refused, ...) */
	RT_CHK_L7OK    = 4,         /* expected response */
	RT_CHK_L7TOUT  = 5,         /* response timed out */
	RT_CHK_L7RSP   = 6,         /* response invalid or not matching */
	RT_CHK_L7STS   = 7,         /* HTTP status outside the expected range */
	RT_CHK_SOCKERR = 8,         /* could not even create the socket */
	RT_CHK_L6OK    = 9,         /* check-ssl, connect only: handshake done */
	RT_CHK_L6TOUT  = 10,        /* check-ssl: the handshake timed out */
	RT_CHK_L6RSP   = 11,        /* check-ssl: the handshake failed */
	RT_CHK_MAX
};

#endif /* HAPC_SERVER_T_H */
