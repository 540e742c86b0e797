/*
 * notify.h: telling a service manager how we are (sd_notify protocol).
 *
 * When NOTIFY_SOCKET names a unix datagram socket (a path, or an abstract
 * name written with a leading '@'), each state change is one datagram of
 * "KEY=value" lines. Without NOTIFY_SOCKET nothing is sent. No libsystemd:
 * the protocol is one sendto().
 */
#ifndef HAPC_NOTIFY_H
#define HAPC_NOTIFY_H

/*
 * Connect to $NOTIFY_SOCKET now (before chroot: a path is resolved here).
 * Returns 1 when connected, 0 without NOTIFY_SOCKET, -1 after printing why.
 */
int notify_open(void);

/*
 * Send `state` ("READY=1", "STOPPING=1", "RELOADING=1"...; a MAINPID=<pid>
 * line is added) on the socket of notify_open(). Returns 1 when sent, 0 when
 * there is no socket, -1 when the send failed (message printed once). Never
 * blocks.
 */
int notify_send(const char *state);

/* Close the socket. */
void notify_close(void);

#endif /* HAPC_NOTIFY_H */
