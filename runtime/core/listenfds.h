/*
 * listenfds.h: sockets passed by systemd (socket activation: LISTEN_PID,
 * LISTEN_FDS, LISTEN_FDNAMES; sd_listen_fds(3)).
 *
 * A `.socket` unit makes systemd open the listening sockets itself and
 * pass them to the service's process as descriptors 3, 4, ... in the order
 * of its Listen lines; the configuration binds them as `fd@3`, `fd@4`, ...
 * (listener_adopt()). cfgrun reads the variables once at start, when
 * LISTEN_PID names this process: it keeps the range passed, marks those
 * descriptors close-on-exec and removes the variables from its
 * environment (as sd_listen_fds(1) does). An `fd@N` outside the range is
 * then refused with a message naming it, and a passed socket that no
 * `bind` and no stats socket uses is reported: its clients would wait in
 * its backlog for ever.
 */
#ifndef HAPC_LISTENFDS_H
#define HAPC_LISTENFDS_H

#include <stddef.h>

#include "plan.h"

#define LISTENFDS_START 3           /* SD_LISTEN_FDS_START */

/* Read and clear the variables (call once, before any descriptor is
 * opened). Returns the number of descriptors passed, 0 when none (or the
 * variables name another process); -1 after logging why when they are
 * malformed (they are ignored then). */
int listenfds_init(void);

/* 1 when systemd passed descriptors and `fd` is not one of them (message
 * in err naming `name`); 0 otherwise. */
int listenfds_refuse(int fd, const char *name, char *err, size_t errlen);

/* Log a warning for each passed descriptor that neither a listener nor a
 * stats socket of plan `p` names. */
void listenfds_report_unused(const struct plan *p);

#endif /* HAPC_LISTENFDS_H */
