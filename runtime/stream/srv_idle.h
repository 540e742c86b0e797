/*
 * srv_idle.h: the thread's idle server connections (srv_idle-t.h).
 */
#ifndef HAPC_SRV_IDLE_H
#define HAPC_SRV_IDLE_H

#include <stdint.h>

#include "conn-t.h"
#include "srv_idle-t.h"
#include "thread-t.h"

struct ops;
struct runtime;

/*
 * Park connection c to server `server` of generation `generation` on
 * thread thr (c is emptied). Returns 0, or -1 when the thread keeps
 * enough already (c is then closed).
 */
int srv_idle_put(struct rt_thread *thr, uint32_t generation, uint32_t server,
                 struct conn *c);

/* Take an idle connection to `server` of `generation` into c: 0, or -1
 * when there is none. The newest is taken (least likely to be closed)
 * among those `fits` accepts (NULL: any); the others stay idle. */
int srv_idle_take(struct rt_thread *thr, uint32_t generation, uint32_t server,
                  struct conn *c,
                  int (*fits)(const struct conn *c, const void *arg),
                  const void *arg);

/* Server connections open between requests, all threads: parked here
 * and kept by streams for their client's next request (racy reads of
 * the other threads' counts: a ratio, not an exact figure). */
uint32_t srv_idle_fds(const struct ops *ops);

/* Before thread thr opens a new server connection of generation rt:
 * above rt->idle_fd_high idle ones (tune.pool-high-fd-ratio), close
 * the thread's oldest parked one. */
void srv_idle_make_room(struct rt_thread *thr, const struct runtime *rt);

/* Close every idle connection of thr (the thread stops). */
void srv_idle_close_all(struct rt_thread *thr);

#endif /* HAPC_SRV_IDLE_H */
